"""Every expression in a BPMN or DMN file, compiled under the sandbox's rules at deploy time,
so a designer learns of a refused construct at once, at its file and line."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator

from lxml import etree

from engine.definitions.vocabulary import NS
from engine.errors import Problem
from engine.sandbox import check
from engine.sandbox.policy import Mode

# (XPath, mode): where SpiffWorkflow finds code it will run, in the dialects it reads.
_BPMN_CODE: tuple[tuple[str, Mode], ...] = (
    ("//bpmn:scriptTask/bpmn:script", "exec"),
    ("//spiffworkflow:preScript", "exec"),
    ("//spiffworkflow:postScript", "exec"),
    ("//camunda:script", "exec"),
    ("//bpmn:conditionExpression", "eval"),
    ("//bpmn:conditionalEventDefinition/bpmn:condition", "eval"),
    ("//bpmn:timerEventDefinition/*", "eval"),
    ("//bpmn:loopCardinality", "eval"),
    ("//bpmn:completionCondition", "eval"),
    ("//spiffworkflow:parameter/@value", "eval"),
)
_DMN_INPUT_EXPRESSION = "//*[local-name()='inputExpression']/*[local-name()='text']"
_DMN_INPUT_ENTRY = "//*[local-name()='inputEntry']/*[local-name()='text']"
_DMN_OUTPUT_ENTRY = "//*[local-name()='outputEntry']/*[local-name()='text']"
# SpiffWorkflow's DMN engine replaces a ``?`` outside quotes by the input's value.
_QUESTION = re.compile(r"(\?)(?=(?:[^'\"]|['\"][^'\"]*['\"])*$)")


def _owner(node: etree._Element) -> str:
    """The nearest enclosing element with an id, as a designer finds it in the modeler."""
    current: etree._Element | None = node
    while current is not None:
        if current.get("id"):
            return f"{etree.QName(current).localname} '{current.get('id')}'"
        current = current.getparent()
    return etree.QName(node).localname


def _problems(file: str, node: etree._Element, line: int | None, source: str,
              mode: Mode) -> Iterator[Problem]:
    if not source.strip():
        return
    # A script's text starts on its element's line; its own line N is N - 1 further down.
    offset = (line or 1) - 1
    for refusal in check(source, mode):
        yield Problem(file, offset + refusal.line if line else None, _owner(node),
                      refusal.message)


def lint_bpmn_expressions(tree: etree._ElementTree, file: str) -> list[Problem]:
    found: list[Problem] = []
    for path, mode in _BPMN_CODE:
        for hit in tree.xpath(path, namespaces=NS):
            if isinstance(hit, str):  # an attribute value (lxml's smart string)
                owner = hit.getparent()  # type: ignore[attr-defined]
                found.extend(_problems(file, owner, owner.sourceline, str(hit), mode))
            else:
                found.extend(_problems(file, hit, hit.sourceline, hit.text or "", mode))
    return found


def _entry_source(text: str) -> str:
    """The expression SpiffWorkflow's DMN engine evaluates for an input entry."""
    replaced = _QUESTION.sub("dmninputexpr", text)
    if "dmninputexpr" in replaced:
        return replaced
    try:
        ast.parse(text.strip(), mode="eval")
        return text.strip()  # compared for equality with the input
    except SyntaxError:
        return f"dmninputexpr {text.strip()}"  # an operator and a value: ``>= 198``


def lint_dmn_expressions(tree: etree._ElementTree, file: str) -> list[Problem]:
    found: list[Problem] = []
    for node in tree.xpath(_DMN_INPUT_EXPRESSION):
        found.extend(_problems(file, node, node.sourceline, node.text or "", "eval"))
    for node in tree.xpath(_DMN_INPUT_ENTRY):
        text = (node.text or "").strip()
        if text and text != "-":
            found.extend(_problems(file, node, node.sourceline, _entry_source(text), "eval"))
    for node in tree.xpath(_DMN_OUTPUT_ENTRY):
        found.extend(_problems(file, node, node.sourceline, node.text or "", "eval"))
    return found
