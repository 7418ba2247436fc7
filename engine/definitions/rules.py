"""The documented rules of a procedure (docs/authoring.md) that need the whole procedure: its
forms, its decisions, its ends and its lanes."""

from __future__ import annotations

import ast
import builtins
import json
from collections.abc import Iterator

from lxml import etree

from engine.definitions.runnable import PROVIDED, located
from engine.definitions.supplement import check_supplement_steps
from engine.definitions.vocabulary import (
    NS,
    ProcedureMeta,
    label,
    properties_of,
    property_tag,
)
from engine.errors import Problem
from engine.i18n import msg
from engine.model import Outcome

# Python's own names are no form's fields: those the sandbox refuses are said by its check.
_NOT_VARIABLES = PROVIDED | frozenset(dir(builtins))


def check_procedure(meta: ProcedureMeta, process: etree._Element, forms: dict[str, str],
                    decisions: set[str]) -> list[Problem]:
    """Every documented rule one procedure breaks, at the element to fix."""
    file = meta.file
    return [
        *user_task_forms(file, process),
        *_gateway_variables(file, process, forms),
        *_decisions(file, process, decisions),
        *_outcomes(meta, process),
        *_one_lane_per_department(file, process),
        *check_supplement_steps(meta, process, forms),
    ]


def user_task_forms(file: str, process: etree._Element) -> Iterator[Problem]:
    for task in process.xpath(".//bpmn:userTask", namespaces=NS):
        if not properties_of(task).get("form"):
            yield located(file, task, (
                msg("err_user_task_has_form_property",
                    value=label(task), value2=property_tag(task), value3=process.get('id'))))


def _required(forms: dict[str, str], name: str) -> set[str] | None:
    try:
        schema = json.loads(forms[name])
    except (KeyError, json.JSONDecodeError):
        return None
    required = schema.get("required", []) if isinstance(schema, dict) else []
    return {str(r) for r in required} if isinstance(required, list) else set()


def read_names(source: str) -> list[str]:
    """The variables an expression reads, in order, without the names it provides itself."""
    try:
        tree = ast.parse(source.strip(), mode="eval")
    except SyntaxError:
        return []
    bound = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)
             and isinstance(n.ctx, ast.Store)}
    bound |= {a.arg for n in ast.walk(tree) if isinstance(n, ast.Lambda)
              for a in n.args.args}
    found: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load) \
                and node.id not in _NOT_VARIABLES and node.id not in bound \
                and node.id not in found:
            found.append(node.id)
    return found


def _gateway_variables(file: str, process: etree._Element,
                       forms: dict[str, str]) -> Iterator[Problem]:
    """The decision variable of a gateway is a required field of the form of the user task
    just before it, so it always exists when the gateway runs."""
    nodes = {n.get("id"): n for n in process.xpath("./*[@id]")}
    flows = process.xpath("./bpmn:sequenceFlow", namespaces=NS)
    for gateway in process.xpath("./bpmn:exclusiveGateway", namespaces=NS):
        gid = gateway.get("id")
        before = [nodes.get(f.get("sourceRef")) for f in flows if f.get("targetRef") == gid]
        tasks = [t for t in before if t is not None
                 and etree.QName(t).localname == "userTask"]
        for flow in (f for f in flows if f.get("sourceRef") == gid):
            condition = flow.find("bpmn:conditionExpression", NS)
            if condition is None or not (condition.text or "").strip():
                continue
            names = read_names(condition.text or "")
            if not names:
                continue
            for task in tasks:
                form = properties_of(task).get("form", "")
                required = _required(forms, form)
                if required is None or required.intersection(names):
                    continue  # no form (said elsewhere), or the decision variable is required
                listed = ", ".join(sorted(required)) or "none"
                yield located(file, condition, (
                    msg("err_condition_gateway_reads_which_form",
                        value=condition.text.strip(), value2=label(gateway),
                        names=', '.join(names), form=form, value3=label(task), listed=listed,
                        value4=names[0])))


def _decisions(file: str, process: etree._Element, decisions: set[str]) -> Iterator[Problem]:
    known = ", ".join(sorted(decisions)) or "none in these files"
    for task in process.xpath(".//bpmn:businessRuleTask", namespaces=NS):
        refs = task.xpath("./bpmn:extensionElements/spiffworkflow:calledDecisionId/text()",
                          namespaces=NS)
        ref = (str(refs[0]) if refs else task.get(f"{{{NS['camunda']}}}decisionRef") or "").strip()
        if not ref:
            yield located(file, task, (
                msg("err_business_rule_task_names_decision", value=label(task), known=known)))
        elif ref not in decisions:
            yield located(file, task, (
                msg("err_business_rule_task_calls_decision",
                    value=label(task), ref=ref, known=known)))


def _outcomes(meta: ProcedureMeta, process: etree._Element) -> Iterator[Problem]:
    have = set(meta.outcomes.values())
    # A refusal at the desk (not_accepted) or later (refused) both give a refusal end.
    if Outcome.NOT_ACCEPTED in have:
        have.add(Outcome.REFUSED)
    for needed, example in ((Outcome.RESOLVED, "Đã trả kết quả"),
                            (Outcome.REFUSED, "Từ chối")):
        if needed not in have:
            yield Problem(meta.file, process.sourceline, f"process '{meta.key}'", (
                msg("err_end_event_has_outcome_every",
                    needed=needed, value=property_tag(process), example=example)))


def _one_lane_per_department(file: str, process: etree._Element) -> Iterator[Problem]:
    first: dict[str, etree._Element] = {}
    for lane in process.xpath(".//bpmn:lane", namespaces=NS):
        department = properties_of(lane).get("department")
        if not department:
            continue
        if department in first:
            earlier = first[department]
            yield located(file, lane, (
                msg("err_department_already_has_lane_department",
                    department=department, value=label(earlier), value2=earlier.get('id'),
                    value3=label(lane))))
        else:
            first[department] = lane
