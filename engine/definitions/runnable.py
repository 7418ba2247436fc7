"""What the engine can run, checked per file when it is read.

Designers bring diagrams from Camunda Modeler, SpiffArena and other bpmn.io tools. Such a file
may pass the schema and still hold what motcua cannot run: JUEL (``${…}``) or FEEL where
Python is expected, scripts in another language, service tasks, timers that do not give an
ISO 8601 text, decision tables in FEEL, DMN 1.2 files SpiffWorkflow cannot schema-check. Each
is refused here, at the element, saying what to write instead, so that no dossier is the
first to find out.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterable, Iterator
from copy import deepcopy
from datetime import timedelta
from functools import cache
from typing import Any

from lxml import etree
from SpiffWorkflow.bpmn.specs.event_definitions.timer import TimerEventDefinition
from SpiffWorkflow.dmn.parser.BpmnDmnParser import SCHEMAS as SPIFF_DMN_SCHEMAS

from engine.definitions.vocabulary import NS, kind_in_words
from engine.errors import Problem, Text
from engine.i18n import Message, msg
from engine.sandbox.allowed import OFFICE_HELPERS
from engine.sandbox.script_engine import BUILTINS

PYTHON_LANGUAGES = ("", "python", "py", "text/python", "text/x-python", "application/x-python",
                    "http://www.python.org/")
# Names an expression may call: the sandbox's builtins and the office's helpers.
PROVIDED = frozenset(BUILTINS) | OFFICE_HELPERS
# Modules other engines put in scope (SpiffArena's ``time``, ``pytz``, ``dateparser``).
FOREIGN_MODULES = frozenset({"time", "pytz", "dateparser"})
# JavaScript / FEEL / JUEL constants a Python expression reads as undefined names.
FOREIGN_CONSTANTS = {"true": "True", "false": "False", "null": "None", "nil": "None",
                     "undefined": "None"}

_JUEL = re.compile(r"^\s*[$#]\{(.*)\}\s*$", re.S)
_FEEL = re.compile(r"^\s*=(?!=)\s*(.*)$", re.S)  # Camunda 8 writes FEEL as "=expression"
_SINGLE_EQUALS = re.compile(r"(?<![=!<>])=(?!=)")
_FEEL_RANGE = re.compile(r"^\s*([\[\](])\s*([^.\s]+)\s*\.\.\s*([^.\s]+)\s*([\[\])])\s*$")
_FEEL_NOT = re.compile(r"^\s*not\s*\((.*)\)\s*$", re.S)

# Where SpiffWorkflow finds code in a BPMN file, and what a designer calls it.
_BPMN_CODE: tuple[tuple[str, str], ...] = (
    ("//bpmn:conditionExpression", "condition"),
    ("//bpmn:conditionalEventDefinition/bpmn:condition", "condition"),
    ("//bpmn:timerEventDefinition/*", "timer"),
    ("//bpmn:loopCardinality", "multi-instance count"),
    ("//bpmn:completionCondition", "completion condition"),
    ("//bpmn:scriptTask/bpmn:script", "script"),
    ("//spiffworkflow:preScript", "pre-script"),
    ("//spiffworkflow:postScript", "post-script"),
    ("//camunda:script", "script"),
)
_BPMN_ATTRIBUTE_CODE: tuple[tuple[str, str], ...] = (
    ("//bpmn:multiInstanceLoopCharacteristics/@camunda:collection", "multi-instance collection"),
    ("//spiffworkflow:parameter/@value", "parameter"),
)
_DMN_CELLS: tuple[tuple[str, str], ...] = (
    ("//*[local-name()='inputExpression']/*[local-name()='text']", "input expression"),
    ("//*[local-name()='inputEntry']/*[local-name()='text']", "input entry"),
    ("//*[local-name()='outputEntry']/*[local-name()='text']", "output entry"),
)


def owner(node: etree._Element) -> etree._Element:
    """The nearest enclosing element with an id, as a designer finds it in the modeler."""
    current: etree._Element | None = node
    while current is not None:
        if current.get("id"):
            return current
        current = current.getparent()
    return node


def located(file: str, node: etree._Element, message: Text) -> Problem:
    """A problem at ``node``'s line, named by the element a designer clicks on (a timer's
    event, not its definition)."""
    event = _timer_event(node)
    found = owner(event if event is not None else node)
    tag = etree.QName(found).localname
    element = f"{tag} '{found.get('id')}'" if found.get("id") else tag
    return Problem(file, node.sourceline, element, message)


def _timer_event(node: etree._Element) -> etree._Element | None:
    definition = node.getparent()
    if definition is None or etree.QName(definition).localname != "timerEventDefinition":
        return None
    return definition.getparent()


def not_repeated(later: Iterable[Problem], first: Iterable[Problem]) -> list[Problem]:
    """``later`` without the problems of elements (or lines) ``first`` already explained: a
    JUEL condition is also not valid Python, and saying so twice helps nobody."""
    first = list(first)
    elements = {(p.file, p.element) for p in first}
    lines = {(p.file, p.line) for p in first if p.line is not None}
    return [p for p in later
            if (p.file, p.element) not in elements and (p.file, p.line) not in lines]


# --- BPMN -------------------------------------------------------------------------------


def check_bpmn(tree: etree._ElementTree, file: str) -> list[Problem]:
    """Every construct of one BPMN file the engine cannot run."""
    problems: list[Problem] = []
    problems.extend(_service_tasks(tree, file))
    problems.extend(_script_languages(tree, file))
    for path, what in _BPMN_CODE:
        for node in tree.xpath(path, namespaces=NS):
            problems.extend(_foreign_expression(file, node, node.text or "", what))
    for path, what in _BPMN_ATTRIBUTE_CODE:
        for value in tree.xpath(path, namespaces=NS):
            node = value.getparent()
            problems.extend(_foreign_expression(file, node, str(value), what))
    explained = {(p.file, p.element) for p in problems}
    for timer in tree.xpath("//bpmn:timerEventDefinition/*", namespaces=NS):
        for problem in _timer(file, timer):
            if (problem.file, problem.element) not in explained:
                problems.append(problem)
    return problems


def _service_tasks(tree: etree._ElementTree, file: str) -> Iterator[Problem]:
    for task in tree.xpath("//bpmn:serviceTask | //bpmn:sendTask[@camunda:class or "
                           "@camunda:delegateExpression or @camunda:expression or "
                           "@camunda:type]", namespaces=NS):
        operator = task.xpath("./bpmn:extensionElements/spiffworkflow:serviceTaskOperator/@id",
                              namespaces=NS)
        asked = msg("word_asks_for", operator=operator[0]) if operator else ""
        kind = kind_in_words(task.tag)
        yield located(file, task, (
            msg("err_cannot_run_motcua_has_connector", kind=kind, asked=asked)))


def _script_languages(tree: etree._ElementTree, file: str) -> Iterator[Problem]:
    for task in tree.xpath("//bpmn:scriptTask[@scriptFormat]", namespaces=NS):
        language = (task.get("scriptFormat") or "").strip()
        if language.lower() not in PYTHON_LANGUAGES:
            yield located(file, task, (
                msg("err_scriptformat_cannot_run_motcua_runs", language=language)))
    for script in tree.xpath("//camunda:script[@scriptFormat]", namespaces=NS):
        language = (script.get("scriptFormat") or "").strip()
        if language.lower() not in PYTHON_LANGUAGES:
            yield located(file, script, (
                msg("err_script_cannot_run_motcua_runs", language=language)))
    for script in tree.xpath("//camunda:script[@resource] | //bpmn:scriptTask[@camunda:resource]",
                             namespaces=NS):
        yield located(file, script, (
            msg("err_script_external_resource_cannot_run")))
    for expression in tree.xpath("//bpmn:conditionExpression[@language]", namespaces=NS):
        language = (expression.get("language") or "").strip()
        if language.lower() not in PYTHON_LANGUAGES:
            yield located(file, expression, (
                msg("err_condition_cannot_run_motcua_evaluates", language=language)))


def python_for_juel(source: str, condition: bool = True) -> str:
    """A Python rendering of a simple JUEL or FEEL expression, to suggest in a message."""
    text = source.strip()
    for juel, python in (("&&", " and "), ("||", " or ")):
        text = text.replace(juel, python)
    text = re.sub(r"!(?!=)", "not ", text)
    for word, python in (("eq", "=="), ("ne", "!="), ("lt", "<"), ("gt", ">"), ("le", "<="),
                         ("ge", ">=")):
        text = re.sub(rf"\b{word}\b", python, text)
    text = re.sub(r"\bempty\s+(\w+)", r"not \1", text)
    text = _SINGLE_EQUALS.sub("==", text)
    for word, python in FOREIGN_CONSTANTS.items():
        text = re.sub(rf"\b{word}\b", python, text)
    text = re.sub(r"\s+", " ", text).strip()
    if condition and text.isidentifier():  # ``${approved}``: a flag tested for truth
        return f"{text} == True"
    return text


def _foreign_expression(file: str, node: etree._Element, source: str,
                        what: str) -> Iterator[Problem]:
    text = source.strip()
    if not text:
        return
    juel = _JUEL.match(text)
    if juel or "${" in text:
        body = juel.group(1) if juel else text
        yield located(file, node, (
            msg("err_camunda_juel_expression_motcua_evaluates",
                what=_said(what), text=text,
                value=python_for_juel(body, what.startswith("condition")))))
        return
    feel = _FEEL.match(text)
    if feel and what != "script":
        yield located(file, node, (
            msg("err_feel_expression_motcua_evaluates_python",
                what=_said(what), text=text,
                value=python_for_juel(feel.group(1), what.startswith('condition')))))
        return
    constant = _foreign_constant(text, "exec" if "script" in what else "eval")
    if constant:
        yield located(file, node, (
            msg("err_reads_which_python_does_know",
                what=_said(what), constant=constant, value=FOREIGN_CONSTANTS[constant])))


def _foreign_constant(source: str, mode: str) -> str | None:
    try:
        tree = ast.parse(source.strip() if mode == "eval" else source, mode=mode)
    except SyntaxError:
        return None  # the sandbox's check says what is wrong with it
    stored = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)
              and isinstance(n.ctx, ast.Store)}
    for node in ast.walk(tree):
        if (isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load)
                and node.id in FOREIGN_CONSTANTS and node.id not in stored):
            return node.id
    return None


def _said(what: str) -> Message:
    """Where the code sits, as a word of the reader's language (word_code_<label>)."""
    return msg("word_code_" + re.sub(r"[^a-z]+", "_", what.lower()).strip("_"))


# --- timers -----------------------------------------------------------------------------

_TIMER_EXAMPLES = {
    "timeDuration": ('an ISO 8601 duration', '"PT1H" or "P3D"'),
    "timeDate": ("an ISO 8601 date-time", '"2026-03-10T09:00:00+07:00"'),
    "timeCycle": ("an ISO 8601 repetition", '"R3/PT1H"'),
}


def _timer(file: str, timer: etree._Element) -> Iterator[Problem]:
    kind = etree.QName(timer).localname
    kind = kind if kind in _TIMER_EXAMPLES else "timeDuration"
    example = _TIMER_EXAMPLES[kind][1]
    gives = msg(f"word_timer_{kind}")
    source = (timer.text or "").strip()
    try:
        expression = ast.parse(source, mode="eval").body
    except SyntaxError:
        return  # empty, bare (PT1H) or broken: the timer lint says which
    for node in ast.walk(expression):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) \
                and node.func.id not in PROVIDED:
            yield located(file, timer, (
                msg("err_timer_calls_which_motcua_does",
                    func=node.func.id, gives=gives, example=example)))
            return
        if isinstance(node, ast.Name) and node.id in FOREIGN_MODULES:
            yield located(file, timer, (
                msg("err_timer_uses_which_motcua_does", func=node.id, gives=gives,
                    example=example)))
            return
    literal = _literal(expression)
    if isinstance(literal, str):
        if not _reads_as(kind, literal):
            yield located(file, timer, (
                msg("err_timer_gives_which_write", literal=literal, gives=gives, example=example)))
    elif literal is not None:
        yield located(file, timer, (
            msg("err_timer_gives_number_write",
                value=ast.unparse(expression), gives=gives, example=example)))
    elif isinstance(expression, ast.Call) and isinstance(expression.func, ast.Name) \
            and expression.func.id in ("timedelta", "date", "datetime", "Decimal"):
        suggestion = _iso_duration(expression) if expression.func.id == "timedelta" else None
        instead = f'"{suggestion}"' if suggestion else (
            f"{ast.unparse(expression)}.isoformat()" if expression.func.id != "timedelta"
            else example)
        yield located(file, timer, (
            msg("err_timer_gives_value_text_write",
                value=ast.unparse(expression), func=expression.func.id, gives=gives,
                instead=instead)))


def _literal(expression: ast.expr) -> Any:
    if isinstance(expression, ast.Constant) and not isinstance(expression.value, bool):
        return expression.value
    return None


def _reads_as(kind: str, text: str) -> bool:
    """Whether SpiffWorkflow's own reader of this kind of timer takes ``text``."""
    try:
        if kind == "timeDuration":
            TimerEventDefinition.parse_iso_duration(text)
            return text.strip().upper().startswith("P")
        if kind == "timeDate":
            TimerEventDefinition.get_datetime(text)
            return True
        TimerEventDefinition.parse_iso_recurring_interval(text)
        return text.strip().upper().startswith("R")
    except Exception:  # its reader raises bare Exception, and others on odd text
        return False


def _iso_duration(call: ast.Call) -> str | None:
    """``timedelta(hours=1)`` with literal arguments, as the ISO text it stands for."""
    try:
        args = [ast.literal_eval(a) for a in call.args]
        kwargs = {k.arg: ast.literal_eval(k.value) for k in call.keywords if k.arg}
        span = timedelta(*args, **kwargs)
    except (ValueError, TypeError, OverflowError, SyntaxError):
        return None
    seconds = int(span.total_seconds())
    if seconds <= 0 or span.microseconds:
        return None
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, seconds = divmod(rest, 60)
    clock = "".join(f"{n}{unit}" for n, unit in ((hours, "H"), (minutes, "M"), (seconds, "S"))
                    if n)
    return "P" + (f"{days}D" if days else "") + (f"T{clock}" if clock else "")


# --- DMN --------------------------------------------------------------------------------


def check_dmn(tree: etree._ElementTree, file: str) -> list[Problem]:
    """The schema (decision logic only) and the cells of one DMN file."""
    unsupported = [located(file, node, (
        msg("err_run_motcua_runs_decision_tables", value=kind_in_words(node.tag))))
        for node in tree.xpath("//*[local-name()='businessKnowledgeModel' or "
                               "local-name()='knowledgeRequirement' or "
                               "local-name()='knowledgeSource']")]
    problems = unsupported or _dmn_schema(tree, file)  # what is not run fails the schema too
    if problems and not unsupported:
        return problems
    for path, what in _DMN_CELLS:
        for node in tree.xpath(path):
            problems.extend(_dmn_cell(file, node, node.text or "", what))
    return problems


@cache
def _decision_logic_schema(namespace: str) -> etree.XMLSchema | None:
    """SpiffWorkflow's DMN schema of this version without its diagram part: the decision
    logic is what runs, and SpiffWorkflow's DMN 1.2 diagram schema does not compile."""
    path = SPIFF_DMN_SCHEMAS.get(namespace)
    if path is None:
        return None
    xsd = etree.parse(path)  # our own package data, not an upload
    root = xsd.getroot()
    xs = "{http://www.w3.org/2001/XMLSchema}"
    for node in root.iter(f"{xs}import"):
        if (node.get("namespace") or "").rstrip("/").endswith("DMNDI"):
            node.getparent().remove(node)
    for node in list(root.iter(f"{xs}element")):
        if (node.get("ref") or "").endswith(":DMNDI"):
            node.getparent().remove(node)
    return etree.XMLSchema(xsd)


def _dmn_schema(tree: etree._ElementTree, file: str) -> list[Problem]:
    root = tree.getroot()
    namespace = etree.QName(root).namespace or ""
    schema = _decision_logic_schema(namespace)
    if schema is None:
        return []
    logic = deepcopy(root)
    for child in list(logic):
        if isinstance(child.tag, str) and \
                (etree.QName(child).namespace or "").rstrip("/").endswith("DMNDI"):
            logic.remove(child)  # the drawing: not checked, not run
    if schema.validate(logic):
        return []
    return [Problem(file, err.line, "schema", err.message.replace(f"{{{namespace}}}", "dmn:"))
            for err in schema.error_log]


def _dmn_cell(file: str, node: etree._Element, source: str, what: str) -> Iterator[Problem]:
    text = source.strip()
    if not text or text == "-":
        return
    if what == "input entry":
        hint = _feel_entry(text)
        if hint:
            yield located(file, node, (
                msg("err_feel_motcua_evaluates_python_stands", what=_said(what), text=text,
                    hint=hint)))
            return
    yield from _foreign_expression(file, node, text, what)


def _feel_entry(text: str) -> str | None:
    """The Python for a FEEL input entry (range, negation, list of values), if it is one."""
    bounds = _FEEL_RANGE.match(text)
    if bounds:
        opening, low, high, closing = bounds.groups()
        lower = "<=" if opening == "[" else "<"
        upper = "<=" if closing == "]" else "<"
        return f"{low} {lower} ? {upper} {high}"
    negated = _FEEL_NOT.match(text)
    if negated:
        inner = negated.group(1).strip()
        return f"? not in ({inner},)" if "," not in inner else f"? not in ({inner})"
    try:
        parsed = ast.parse(text, mode="eval").body
    except SyntaxError:
        return None
    if isinstance(parsed, ast.Tuple) and "?" not in text:
        return f"? in ({text})"
    return None
