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
from engine.i18n import msg
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
                                    "timer has an empty expression"))
        elif _BARE_TIMER.match(text):
            problems.append(Problem(
                file, expr.sourceline, _element(owner),
                f'timer expression {text} is evaluated as Python; quote it: "{text}"'))
        else:
            try:
                ast.parse(text, mode="eval")
            except SyntaxError as exc:
                problems.append(Problem(
                    file, expr.sourceline, _element(owner),
                    f"timer expression {text} is not valid Python ({exc.msg}): write a quoted "
                    'ISO 8601 text such as "PT4H", "P2D" or "R3/PT1H", or a Python expression '
                    "that gives one (cron expressions are not supported)"))
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
                                    f"lane '{label(lane)}' has no 'department' property"))
        elif known_departments is not None and dept not in known_departments:
            known = ", ".join(sorted(known_departments)) or "none defined yet"
            problems.append(Problem(file, lane.sourceline, _element(lane),
                                    f"department {dept!r} is not known (known: {known})"))
    for task in process.xpath(".//bpmn:userTask | .//bpmn:manualTask", namespaces=NS):
        step = meta.steps[task.get("id")]
        elem = _element(task)
        if step.lane_id is None:
            problems.append(Problem(file, task.sourceline, elem,
                                    f"task '{step.name}' is outside every lane; put it in the "
                                    "lane of the department that does it"))
        raw = properties_of(task).get("allowance")
        if raw is None and not step.pauses_clock:
            problems.append(Problem(file, task.sourceline, elem,
                                    f"task '{step.name}' has no 'allowance' (e.g. '0.5d' or '4h')"))
        elif raw is not None:
            try:
                Allowance.parse(raw)
            except ValueError as exc:
                problems.append(Problem(file, task.sourceline, elem, str(exc)))
        if step.form and step.form not in available_forms:
            problems.append(Problem(file, task.sourceline, elem,
                                    f"form file {step.form!r} is not among the deployed files"))
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
        problems.append(Problem(file, line, where, f"'{meta.key}' names a page of the "
                                "procedure catalogue; give the process another id"))
    if meta.deadline_unit not in DEADLINE_UNITS:
        problems.append(Problem(file, line, where, f"deadline_unit {meta.deadline_unit!r} "
                                f"must be one of {', '.join(DEADLINE_UNITS)}"))
    elif meta.deadline_unit != "same_day" and (meta.deadline is None or meta.deadline <= 0):
        problems.append(Problem(file, line, where,
                                "set 'deadline' to the statutory deadline (a positive number)"))
    if meta.level not in LEVELS:
        problems.append(Problem(file, line, where,
                                f"level {meta.level!r} must be one of {', '.join(LEVELS)}"))
    if not meta.code:
        problems.append(Problem(file, line, where, "set 'procedure_code' (the national code)"))
    confirmed = meta.properties.get("procedure_code_confirmed")
    if confirmed is not None and confirmed not in ("true", "false"):
        problems.append(Problem(file, line, where, f"procedure_code_confirmed {confirmed!r} must "
                                "be 'true' (checked in the national database of procedures) "
                                "or 'false'"))
    if not meta.lanes:
        problems.append(Problem(file, line, where, "draw one lane per department"))
    problems.extend(lint_steps(meta, process, known_departments, available_forms))
    if meta.start_form and meta.start_form not in available_forms:
        problems.append(Problem(file, line, where,
                                f"start form {meta.start_form!r} is not among the deployed files"))
    for end in process.xpath(".//bpmn:endEvent", namespaces=NS):
        outcome = properties_of(end).get("outcome", Outcome.RESOLVED)
        if outcome not in OUTCOMES:
            problems.append(Problem(file, end.sourceline, _element(end),
                                    f"outcome {outcome!r} must be one of {', '.join(OUTCOMES)}"))
    for call in process.xpath(".//bpmn:callActivity", namespaces=NS):
        target = (call.get("calledElement") or "").strip()
        if not target:
            problems.append(Problem(file, call.sourceline, _element(call),
                                    "the call activity names no process; set calledElement to "
                                    "the id of the process it calls"))
        elif target not in available_processes:
            problems.append(Problem(file, call.sourceline, _element(call),
                                    f"calls process {target!r}, which is neither in these files "
                                    "nor deployed; deploy the file that defines it first, or "
                                    "with this one"))
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
                    f"step allowances add up to {heaviest.hours:g} working hours on the path "
                    f"{steps}, more than the statutory deadline ({budget:g} working hours)")]


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
                f"{length:,} elements follow each other here; the engine follows at most "
                f"{MAX_CHAIN:,} in a row in one process: move part of the chain into a "
                "sub-process (each sub-process starts the count again)"))
    return problems
