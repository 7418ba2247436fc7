"""Whatever SpiffWorkflow's reader raises, turned into a problem a designer can act on.

Its messages are written for programmers: some are garbled ("… for tasks of type"), some carry
Python reprs, some name no element (data stores). One table rewrites the known ones and says
what to do; anything else keeps its text, cleaned, and is located by the element the reader
was working on when it failed (found in the traceback), never shown as a traceback.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from types import TracebackType
from typing import Any

from lxml import etree

from engine.definitions.vocabulary import kind_in_words, prefixed
from engine.errors import Problem


@dataclass(frozen=True)
class Rewrite:
    pattern: re.Pattern[str]
    message: str  # str.format with the match's groups and {kind}, the element's kind in words
    locate: str | None = None  # XPath ($g1 = first group) when the reader names no element


def _r(pattern: str, message: str, locate: str | None = None) -> Rewrite:
    return Rewrite(re.compile(pattern, re.S), message, locate)


REWRITES = (
    _r(r"Multiple outgoing flows are not supported for tasks of type",
       "a {kind} may have only one outgoing flow; put an exclusive or parallel gateway after it"),
    _r(r"When looking for a task spec, we found two items",
       "two elements share this id; give every element its own id"),
    _r(r"There is no support implemented for this task type",
       "motcua cannot run a {kind}; use a user, manual, script or business rule task, an "
       "event or a gateway instead"),
    _r(r"Process (\S+) is not executable",
       "process '{0}' is not executable: set isExecutable=\"true\" on it"),
    _r(r"No start event found", "the process has no start event; draw one"),
    _r(r"Exactly one start event is required in a SubWorkflow Task; found (\d+)",
       "a sub-process needs exactly one start event; this one has {0}"),
    _r(r"A SubWorkflow Must contain an End event", "a sub-process needs an end event; draw one"),
    _r(r"Ad hoc subprocesses may not contain start or end events",
       "an ad hoc sub-process may not contain start or end events; remove them"),
    _r(r"Sequential ordering for ad hoc subprocesses not supported",
       "an ad hoc sub-process cannot be sequential; set ordering=\"Parallel\""),
    _r(r'No "calledElement" attribute for Call Activity',
       "the call activity names no process; set calledElement to the id of the process it "
       "calls"),
    _r(r"Invalid Script Task\.\s+No Script Provided",
       "the script task has no script; write the Python it runs"),
    _r(r'No DMN Diagram available with id "(.*?)"',
       "the business rule task calls decision '{0}', which no DMN file of this deploy "
       "defines; add the file or correct the decision id"),
    _r(r"The process '(.+?)' was not found",
       "the call activity calls process '{0}', which is neither in these files nor deployed; "
       "deploy the file that defines it first, or with this one",
       "//*[local-name()='callActivity'][@calledElement=$g1]"),
    _r(r"Multiple decision tables are not current supported",
       "a decision may hold only one decision table; split it into several decisions"),
    _r(r"A multiinstance task must specify exactly one of",
       "a multi-instance task takes a loop cardinality or an input collection, not both"),
    _r(r"A multiinstance task must specify",
       "a multi-instance task needs a loop cardinality or an input collection"),
    _r(r"Non-default exclusive outgoing sequence flow without condition",
       "every flow out of an exclusive gateway needs a condition, except its default flow; "
       "write a condition or make this the gateway's default"),
    _r(r"Conditional event definition with missing condition",
       "the conditional event has no condition; write the Python condition it waits for"),
    _r(r"Unknown Time Specification|Time Specification Error",
       "the timer has no duration, date or cycle; write one as a quoted ISO 8601 text, e.g. "
       "\"PT1H\""),
    _r(r"Data Store identifier is missing", "the data store has no id; give it one",
       "//*[local-name()='dataStore'][not(@id)]"),
    _r(r"Data Store name is missing", "the data store has no name; give it one",
       "//*[local-name()='dataStore'][not(@name)]"),
    _r(r"Data Store with name (.+?) has no implementation",
       "motcua has no data store '{0}'; keep the data in the dossier's variables (script "
       "tasks and forms) instead",
       "//*[local-name()='dataStore'][@name=$g1]"),
    _r(r"(\w+) identifier is missing from bpmn xml",
       "a {0} element has no id; give it one"),
    _r(r"Unknown type in decision table: '?(\w+)'?",
       "the decision table's type '{0}' is not supported; use string, integer, long, double, "
       "boolean or date"),
)

_REPR = re.compile(r"<Element \{[^}]*\}(\w+) at 0x[0-9a-f]+>")
_BYTES = re.compile(r"b(['\"])<?([\w:]+).*?\1", re.S)
_SPACE = re.compile(r"\s+")
_PUNCT = re.compile(r"\s+([.,;:])|([.,;:])[.]+")


def readable(text: str) -> str:
    """A reader's text without reprs, line breaks or doubled punctuation."""
    text = _REPR.sub(lambda m: f"bpmn:{m.group(1)}", text)
    text = _BYTES.sub(lambda m: f"<{m.group(2)} …>", text)
    text = _SPACE.sub(" ", text).strip()
    text = _PUNCT.sub(lambda m: m.group(1) or m.group(2), text)
    return text.rstrip(" .")


def _failing_element(tb: TracebackType | None) -> tuple[etree._Element | None, str | None]:
    """The XML element (and file) the reader was busy with, innermost first."""
    frames = []
    while tb is not None:
        frames.append(tb.tb_frame)
        tb = tb.tb_next
    for frame in reversed(frames):
        scope: dict[str, Any] = frame.f_locals
        owner = scope.get("self")
        for candidate in (scope.get("node"), getattr(owner, "node", None),
                          getattr(scope.get("task_parser"), "node", None)):
            if isinstance(candidate, etree._Element):
                file = getattr(owner, "filename", None) or getattr(
                    getattr(owner, "process_parser", None), "filename", None)
                return candidate, file
    return None, None


def _element_name(node: etree._Element) -> str:
    tag = etree.QName(node).localname
    return f"{tag} '{node.get('id', '')}'" if node.get("id") else tag


def problem_from(exc: BaseException, default_file: str,
                 trees: dict[str, etree._ElementTree]) -> Problem:
    """One located problem for any exception the reader raised."""
    text = str(exc.args[0]) if exc.args else str(exc)
    node, reader_file = _failing_element(exc.__traceback__)
    file = getattr(exc, "file_name", "") or reader_file or default_file
    node_id = getattr(exc, "id", "") or ""
    if node is None and node_id and file in trees:
        found = trees[file].xpath("//*[@id=$id]", id=node_id)
        node = found[0] if found else None
    tag = getattr(exc, "tag", "") or (node.tag if node is not None else "")
    message = _known(text, tag, exc)
    if node is None:
        node, file = _located(text, file, trees)
    if node is None:
        element = f"{_local(tag)} '{node_id}'" if node_id and tag else "definitions"
        return Problem(file, None, element, message)
    return Problem(file, node.sourceline, _element_name(node), message)


def _located(text: str, file: str, trees: dict[str, etree._ElementTree]
             ) -> tuple[etree._Element | None, str]:
    """The element a message without one is about, by the table's XPath."""
    rewrite = _matching(text)
    match = rewrite.pattern.search(text) if rewrite is not None else None
    if rewrite is None or match is None or not rewrite.locate:
        return None, file
    groups = {f"g{i + 1}": g or "" for i, g in enumerate(match.groups())}
    ordered = sorted(trees.items(), key=lambda item: item[0] != file)
    for name, tree in ordered:
        found = tree.xpath(rewrite.locate, **groups)
        if found:
            return found[0], name
    return None, file


def _local(tag: str) -> str:
    return etree.QName(tag).localname if tag.startswith("{") else tag.split(":")[-1]


def _matching(text: str) -> Rewrite | None:
    return next((r for r in REWRITES if r.pattern.search(text)), None)


def _known(text: str, tag: str, exc: BaseException) -> str:
    rewrite = _matching(text)
    if rewrite is not None:
        match = rewrite.pattern.search(text)
        groups = [readable(g) for g in match.groups()] if match else []
        return rewrite.message.format(*groups, kind=kind_in_words(tag) if tag else "element")
    if isinstance(exc, RecursionError):
        return ("the diagram is nested or chained too deeply to be read; split it into "
                "sub-processes or called processes")
    if isinstance(exc, KeyError) and text.startswith("{"):
        return (f"the element lacks the attribute {prefixed(text)}, which the reader "
                "of this file's vocabulary needs; add it, or write the element in the "
                "other vocabulary")
    cleaned = readable(text)
    if isinstance(exc, NotImplementedError):
        return f"motcua cannot run this element yet: {cleaned or 'not supported'}"
    if not cleaned or cleaned == "None":
        cleaned = type(exc).__name__
    return f"the BPMN reader could not read this element: {cleaned}"
