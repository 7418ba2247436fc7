"""BPMN XML as the pages need it: code left out for readers, problems placed on elements,
and what changed between two versions of a diagram."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from lxml import etree

from engine.definitions.bundle import BPMN_SUFFIXES
from engine.definitions.compare_words import changed as changed_line
from engine.definitions.vocabulary import BPMN_NS, NS, properties_of, read_procedure
from engine.definitions.xml import safe_parse
from engine.errors import Problem
from engine.i18n import Message

# What a clerk's diagram does not need to show: the code the engine runs.
_CODE = ("//bpmn:script", "//bpmn:conditionExpression", "//spiffworkflow:preScript",
         "//spiffworkflow:postScript")
_QUOTED_ID = re.compile(r"'([^']+)'")


def _tree(xml: str, name: str = "diagram.bpmn") -> etree._ElementTree:
    return safe_parse(xml.encode(), name)


def without_code(xml: str) -> str:
    """The diagram with script bodies and conditions emptied (the shapes stay)."""
    tree = _tree(xml)
    for path in _CODE:
        for node in tree.xpath(path, namespaces=NS):
            node.text = ""
    return etree.tostring(tree, encoding="unicode")


def _ids(tree: etree._ElementTree) -> set[str]:
    return {str(i) for i in tree.xpath("//@id")}


def _element_at_line(tree: etree._ElementTree, line: int) -> str | None:
    """The innermost model element (not diagram interchange) that starts at or before
    ``line`` and contains it."""
    best: str | None = None
    for node in tree.iter():
        if not isinstance(node.tag, str) or node.get("id") is None:
            continue
        if etree.QName(node).namespace != BPMN_NS or node.sourceline is None:
            continue
        if node.sourceline <= line:
            best = node.get("id")
        else:
            break
    return best


def problem_element(problem: Problem, xml: str) -> str | None:
    """The diagram element a problem is about: the id quoted in its element text, else the
    element on its line. A problem in a form or a DMN file is in no diagram: its line numbers
    are that file's, not the diagram's."""
    if not problem.file.lower().endswith(BPMN_SUFFIXES):
        return None
    try:
        tree = _tree(xml)
    except Exception:  # an unreadable file has no elements to point at
        return None
    ids = _ids(tree)
    for found in _QUOTED_ID.findall(problem.element):
        if found in ids:
            return _shape_of(tree, found)
    if problem.line:
        found_id = _element_at_line(tree, problem.line)
        return _shape_of(tree, found_id) if found_id else None
    return None


def _shape_of(tree: etree._ElementTree, element_id: str) -> str:
    """A process is not drawn in a collaboration: point at its participant instead."""
    participant = tree.xpath("//bpmn:participant[@processRef=$id]/@id", namespaces=NS,
                             id=element_id)
    return str(participant[0]) if participant else element_id


# ---- comparing two versions ---------------------------------------------------------------

@dataclass(frozen=True)
class Change:
    id: str  # the element to mark on the diagram
    label: str
    kind: str  # userTask, lane, sequenceFlow, …
    details: list[Message] = field(default_factory=list)  # translated at the door


@dataclass(frozen=True)
class Comparison:
    added: list[Change]
    removed: list[Change]
    changed: list[Change]

    @property
    def same(self) -> bool:
        return not (self.added or self.removed or self.changed)


def _text(node: etree._Element, path: str) -> str:
    return " ".join(" ".join(t.split()) for t in node.xpath(path, namespaces=NS))


def _signature(node: etree._Element, lanes: dict[str, str]) -> dict[str, str]:
    sig = {f"property {k}": v for k, v in properties_of(node).items()}
    sig["name"] = (node.get("name") or "").strip()
    for attr in ("sourceRef", "targetRef", "attachedToRef", "calledElement", "default"):
        if node.get(attr):
            sig[attr] = node.get(attr) or ""
    for key, path in (("condition", "./bpmn:conditionExpression/text()"),
                      ("script", "./bpmn:script/text()"),
                      ("decision", "./bpmn:extensionElements/spiffworkflow:calledDecisionId"
                                   "/text() | ./@camunda:decisionRef"),
                      ("timer", "./bpmn:timerEventDefinition/*/text()")):
        value = _text(node, path)
        if value:
            sig[key] = value
    if node.get("id") in lanes:
        sig["lane"] = lanes[node.get("id") or ""]
    return sig


def _elements(xml: str) -> tuple[dict[str, tuple[str, dict[str, str]]], etree._ElementTree]:
    tree = _tree(xml)
    lanes: dict[str, str] = {}
    for lane in tree.xpath("//bpmn:lane", namespaces=NS):
        for ref in lane.xpath("./bpmn:flowNodeRef/text()", namespaces=NS):
            lanes[str(ref).strip()] = (lane.get("name") or lane.get("id") or "").strip()
    # A step's lane as the engine reads it: inside a sub-process, where it is drawn.
    for process in tree.xpath("//bpmn:process", namespaces=NS):
        meta = read_procedure(process, "")
        for step in meta.steps.values():
            if step.lane_id in meta.lanes:
                lanes[step.id] = meta.lanes[step.lane_id][0]
    found: dict[str, tuple[str, dict[str, str]]] = {}
    skip = {"laneSet", "extensionElements", "definitions", "collaboration", "documentation"}
    for node in tree.xpath("//bpmn:process | //bpmn:process//*[@id] | //bpmn:participant",
                           namespaces=NS):
        kind = etree.QName(node).localname
        if kind in skip or etree.QName(node).namespace != BPMN_NS:
            continue
        if kind.endswith("EventDefinition"):
            continue
        found[node.get("id")] = (kind, _signature(node, lanes))
    return found, tree


def _label(element_id: str, signature: dict[str, str]) -> str:
    return signature.get("name") or element_id


def compare(old_xml: str, new_xml: str) -> Comparison:
    """Elements added, removed and changed (names, properties, flows, scripts, lanes) from
    ``old_xml`` to ``new_xml``; ids identify elements across versions."""
    old, old_tree = _elements(old_xml)
    new, new_tree = _elements(new_xml)
    added = [Change(_shape_of(new_tree, i), _label(i, new[i][1]), new[i][0])
             for i in new if i not in old]
    removed = [Change(_shape_of(old_tree, i), _label(i, old[i][1]), old[i][0])
               for i in old if i not in new]
    changed: list[Change] = []
    for element_id in new:
        if element_id not in old or old[element_id][1] == new[element_id][1]:
            continue
        before, after = old[element_id][1], new[element_id][1]
        details = []
        for key in sorted(set(before) | set(after)):
            a, b = before.get(key), after.get(key)
            if a != b:
                details.append(changed_line(key, a, b))
        changed.append(Change(_shape_of(new_tree, element_id), _label(element_id, after),
                              new[element_id][0], details))
    return Comparison(added, removed, changed)
