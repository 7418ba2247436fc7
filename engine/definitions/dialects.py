"""Which SpiffWorkflow reader a bundle needs, decided by the extensions its files really use.

SpiffWorkflow has two readers for tool-specific extensions: the SpiffArena one reads
``spiffworkflow:`` elements (calledDecisionId, pre- and post-scripts, instructions), the Camunda
one reads ``camunda:`` attributes (decisionRef, a multi-instance collection, formKey). Modelers
declare both namespaces by default, so a declaration proves nothing: only elements and
attributes in use count. Our own vocabulary (``…:properties``) is read by us from either and
does not decide. A bundle that needs both readers cannot be read by either: that is a problem.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from lxml import etree

from engine.definitions.vocabulary import NS, prefixed
from engine.errors import Problem
from engine.i18n import msg


class Dialect(StrEnum):
    SPIFF = "spiffworkflow"
    CAMUNDA = "camunda"


# What each reader understands beyond plain BPMN (and beyond our properties).
_SPIFF_USES = (
    "//spiffworkflow:*[not(self::spiffworkflow:properties or self::spiffworkflow:property)]"
    " | //@spiffworkflow:*")
_CAMUNDA_USES = (
    "//bpmn:businessRuleTask/@camunda:decisionRef"
    " | //bpmn:multiInstanceLoopCharacteristics/@camunda:collection"
    " | //bpmn:multiInstanceLoopCharacteristics/@camunda:elementVariable"
    " | //bpmn:userTask/@camunda:formKey | //camunda:formData"
    " | //bpmn:messageEventDefinition/@camunda:expression"
    " | //bpmn:messageEventDefinition/@camunda:resultVariable")

# Camunda extensions that neither reader runs: accepted silently, they would change nothing,
# which is worse than a refusal. Each with what to write instead.
_CAMUNDA_IGNORED = (
    ("//camunda:executionListener | //camunda:taskListener", "err_camunda_listeners"),
    ("//camunda:inputOutput", "err_camunda_input_output"),
    ("//bpmn:callActivity/bpmn:extensionElements/camunda:in"
     " | //bpmn:callActivity/bpmn:extensionElements/camunda:out", "err_camunda_call_mappings"),
    ("//camunda:connector", "err_camunda_connectors"),
)


@dataclass(frozen=True)
class Use:
    file: str
    line: int | None
    what: str


def _uses(tree: etree._ElementTree, file: str, query: str) -> list[Use]:
    found = []
    for hit in tree.xpath(query, namespaces=NS):
        if isinstance(hit, etree._Element):
            node, what = hit, prefixed(hit.tag)
        else:  # an attribute (lxml "smart string")
            node = hit.getparent()
            what = f"{prefixed(node.tag)} @{prefixed(hit.attrname)}"
        found.append(Use(file, node.sourceline, what))
    return found


def choose(trees: dict[str, etree._ElementTree]) -> tuple[Dialect, list[Problem]]:
    """The reader for these files, and a problem if they need both."""
    spiff = [u for name, tree in sorted(trees.items()) for u in _uses(tree, name, _SPIFF_USES)]
    camunda = [u for name, tree in sorted(trees.items())
               for u in _uses(tree, name, _CAMUNDA_USES)]
    if spiff and camunda:
        first_spiff, first_camunda = spiff[0], camunda[0]
        return Dialect.SPIFF, [Problem(
            first_camunda.file, first_camunda.line, first_camunda.what,
            msg("err_uses_camunda_extension_but_uses",
                file=first_spiff.file, value=first_spiff.line or '', what=first_spiff.what))]
    return (Dialect.CAMUNDA if camunda else Dialect.SPIFF), []


def ignored_extensions(tree: etree._ElementTree, file: str) -> list[Problem]:
    """Camunda extensions the engine would silently skip, refused with what to do instead."""
    problems = []
    for query, advice in _CAMUNDA_IGNORED:
        for node in tree.xpath(query, namespaces=NS):
            owner = node
            while owner is not None and not owner.get("id"):
                owner = owner.getparent()
            where = owner if owner is not None else node
            problems.append(Problem(file, node.sourceline,
                                    f"{etree.QName(where).localname} '{where.get('id', '')}'",
                                    msg(advice)))
    return problems
