"""Checks SpiffWorkflow does not make, or makes only when a dossier reaches the element."""

from __future__ import annotations

import ast
import re

from lxml import etree

from engine.definitions.documents import read_documents
from engine.definitions.dossier_deadline import read_dossier_deadlines
from engine.definitions.paths import MAX_CHAIN, HeaviestPath, longest_chain
from engine.definitions.vocabulary import (
    DEADLINE_UNITS,
    LEVELS,
    NS,
    OUTCOMES,
    Allowance,
    ProcedureMeta,
    label,
    properties_of,
)
from engine.errors import Problem
from engine.i18n import msg, number
from engine.model import Outcome

SAME_DAY_HOURS = 7.5
RESERVED_KEYS = frozenset({"library"})  # /procedures/library lists the library files
_BARE_TIMER = re.compile(r"^\s*(R\d*/)?(P[\dYMWDTHS.]+|\d{4}-\d{2}-\d{2}[T\d:.+\-Z]*)\s*$")


def _element(node: etree._Element) -> str:
    tag = etree.QName(node).localname
    return f"{tag} '{node.get('id', '')}'"


def lint_timers(tree: etree._ElementTree, file: str) -> list[Problem]:
    problems = []
    for expr in tree.xpath(
        "//bpmn:timerEventDefinition/*", namespaces=NS
    ):
        text = (expr.text or "").strip()
        owner = expr.getparent().getparent()
        if not text:
            problems.append(Problem(file, expr.sourceline, _element(owner),
                                    msg("err_timer_has_empty_expression")))
        elif _BARE_TIMER.match(text):
            problems.append(Problem(
                file, expr.sourceline, _element(owner),
                msg("err_timer_expression_evaluated_python_quote", text=text)))
        else:
            try:
                ast.parse(text, mode="eval")
            except SyntaxError as exc:
                problems.append(Problem(
                    file, expr.sourceline, _element(owner),
                    msg("err_timer_expression_valid_python_write", text=text, msg=exc.msg)))
    return problems


def lint_steps(meta: ProcedureMeta, process: etree._Element, known_departments: set[str] | None,
               available_forms: set[str]) -> list[Problem]:
    """The lanes and steps of any process a dossier runs through (a procedure, or a process
    it calls): who does each step, how long it may take, which form it shows."""
    file = meta.file
    problems: list[Problem] = []
    for lane in process.xpath(".//bpmn:lane", namespaces=NS):
        dept = properties_of(lane).get("department")
        if not dept:
            problems.append(Problem(file, lane.sourceline, _element(lane),
                                    msg("err_lane_has_department_property", value=label(lane))))
        elif known_departments is not None and dept not in known_departments:
            known = ", ".join(sorted(known_departments)) or "—"
            problems.append(Problem(file, lane.sourceline, _element(lane),
                                    msg("err_department_known_known", dept=dept, known=known)))
    for task in process.xpath(".//bpmn:userTask | .//bpmn:manualTask", namespaces=NS):
        step = meta.steps[task.get("id")]
        elem = _element(task)
        if step.lane_id is None:
            problems.append(Problem(file, task.sourceline, elem,
                                    msg("err_task_outside_every_lane_put", step_name=step.name)))
        raw = properties_of(task).get("allowance")
        if raw is None and not step.pauses_clock:
            problems.append(Problem(file, task.sourceline, elem,
                                    msg("err_task_has_allowance_e_g", step_name=step.name)))
        elif raw is not None:
            try:
                Allowance.parse(raw)
            except ValueError:
                problems.append(Problem(file, task.sourceline, elem,
                                        msg("err_allowance_format", allowance=raw)))
        if step.form and step.form not in available_forms:
            problems.append(Problem(file, task.sourceline, elem,
                                    msg("err_form_file_among_deployed_files", form=step.form)))
    return problems


def lint_procedure(
    meta: ProcedureMeta,
    process: etree._Element,
    known_departments: set[str] | None,
    available_processes: set[str],
    available_forms: set[str],
    hours_per_day: float = SAME_DAY_HOURS,
    called: dict[str, tuple[etree._Element, ProcedureMeta]] | None = None,
) -> list[Problem]:
    """Every problem of one procedure, each located at the element a designer must fix."""
    file = meta.file
    problems: list[Problem] = []
    where = f"process '{meta.key}'"
    line = process.sourceline
    if meta.key in RESERVED_KEYS:
        problems.append(Problem(file, line, where, msg("err_names_page_procedure_catalogue_give",
                                                       meta_key=meta.key)))
    if meta.deadline_unit not in DEADLINE_UNITS:
        problems.append(Problem(file, line, where, msg("err_deadline_unit_must_one",
                                                       deadline_unit=meta.deadline_unit,
                                                       deadline_units=', '.join(DEADLINE_UNITS))))
    elif meta.deadline_unit != "same_day" and (meta.deadline is None or meta.deadline <= 0):
        problems.append(Problem(file, line, where,
                                msg("err_set_deadline_statutory_deadline_positive")))
    if meta.level not in LEVELS:
        problems.append(Problem(file, line, where,
                                msg("err_level_must_one",
                                    level=meta.level, levels=', '.join(LEVELS))))
    if not meta.code:
        problems.append(Problem(file, line, where, msg("err_set_procedure_code_national_code")))
    confirmed = meta.properties.get("procedure_code_confirmed")
    if confirmed is not None and confirmed not in ("true", "false"):
        problems.append(Problem(file, line, where, msg("err_procedure_code_confirmed_must_true",
                                                       confirmed=confirmed)))
    if not meta.lanes:
        problems.append(Problem(file, line, where, msg("err_draw_one_lane_per_department")))
    problems.extend(lint_steps(meta, process, known_departments, available_forms))
    if meta.start_form and meta.start_form not in available_forms:
        problems.append(Problem(file, line, where,
                                msg("err_start_form_among_deployed_files",
                                    start_form=meta.start_form)))
    for end in process.xpath(".//bpmn:endEvent", namespaces=NS):
        outcome = properties_of(end).get("outcome", Outcome.RESOLVED)
        if outcome not in OUTCOMES:
            problems.append(Problem(file, end.sourceline, _element(end),
                                    msg("err_outcome_must_one",
                                        outcome=outcome, outcomes=', '.join(OUTCOMES))))
    for call in process.xpath(".//bpmn:callActivity", namespaces=NS):
        target = (call.get("calledElement") or "").strip()
        if not target:
            problems.append(Problem(file, call.sourceline, _element(call),
                                    msg("err_call_activity_names_process_set")))
        elif target not in available_processes:
            problems.append(Problem(file, call.sourceline, _element(call),
                                    msg("err_calls_process_which_neither_these", target=target)))
    problems.extend(read_documents(process, file)[1])
    desks = [s for s in meta.steps.values() if s.desk_check]
    for extra in desks[1:]:
        problems.append(Problem(file, extra.line, f"userTask '{extra.id}'",
                                msg("desk_two_steps", first=desks[0].id)))
    per_dossier = read_dossier_deadlines(process, file)
    problems.extend(per_dossier.problems)
    problems.extend(_lint_allowances_fit(meta, process, hours_per_day, called or {},
                                         per_dossier.longest))
    return problems


def _lint_allowances_fit(
    meta: ProcedureMeta, process: etree._Element, hours_per_day: float,
    called: dict[str, tuple[etree._Element, ProcedureMeta]],
    longest_per_dossier: float | None = None,
) -> list[Problem]:
    budget = _deadline_hours(meta, hours_per_day)
    if longest_per_dossier is not None:
        # A dossier may get the longer deadline its start steps set: the heaviest path is
        # measured against the longest deadline the procedure can have.
        budget = max(budget or 0.0, longest_per_dossier * hours_per_day)
    if budget is None:
        return []
    owners = {meta.key: meta, **{key: m for key, (_el, m) in called.items()}}

    def weight(node: etree._Element) -> tuple[float, str]:
        owner = node.xpath("ancestor::bpmn:process[1]/@id", namespaces=NS)
        step = owners[str(owner[0])].steps.get(node.get("id")) if owner and str(
            owner[0]) in owners else None
        if step is None or step.allowance is None or step.pauses_clock:
            return 0.0, ""
        return step.allowance.hours(hours_per_day), step.name

    heaviest = HeaviestPath(weight, {key: el for key, (el, _m) in called.items()}).of(process)
    if heaviest.hours <= budget + 1e-9:
        return []
    steps = " → ".join(heaviest.steps)
    return [Problem(meta.file, process.sourceline, f"process '{meta.key}'",
                    msg("err_step_allowances_add_up_working",
                        hours=heaviest.hours, steps=steps, budget=budget))]


def _deadline_hours(meta: ProcedureMeta, hours_per_day: float) -> float | None:
    if meta.deadline_unit == "same_day":
        return hours_per_day
    if meta.deadline is None:
        return None
    if meta.deadline_unit == "working_hours":
        return meta.deadline
    return meta.deadline * hours_per_day


def lint_chains(tree: etree._ElementTree, file: str) -> list[Problem]:
    """Runs of elements longer than the engine follows in one process or sub-process."""
    problems = []
    for scope in tree.xpath("//bpmn:process | //bpmn:subProcess | //bpmn:transaction"
                            " | //bpmn:adHocSubProcess", namespaces=NS):
        length = longest_chain(scope)
        if length > MAX_CHAIN:
            problems.append(Problem(
                file, scope.sourceline, _element(scope),
                msg("err_elements_follow_each_other_here",
                    length=number(length), max_chain=number(MAX_CHAIN))))
    return problems
