"""SpiffWorkflow specs from stored files: the reader their extensions need, and enough
recursion for long chains (SpiffWorkflow's reader follows each flow with a nested call)."""

from __future__ import annotations

import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from lxml import etree
from SpiffWorkflow.bpmn.specs.bpmn_process_spec import BpmnProcessSpec
from SpiffWorkflow.camunda.parser import CamundaParser
from SpiffWorkflow.dmn.parser.BpmnDmnParser import BpmnDmnParser
from SpiffWorkflow.spiff.parser import VALIDATOR, SpiffBpmnParser

from engine.definitions import dialects
from engine.definitions.xml import safe_parse

BPMN_SUFFIXES = (".bpmn", ".bpmn20.xml")
DMN_SUFFIXES = (".dmn",)
# About three nested calls per element in a chain; files are at most 5 MiB (xml.py), so this
# bounds the depth. Since Python 3.11 those calls do not use the C stack.
_FRAMES_PER_ELEMENT = 4
_MAX_RECURSION = 200_000

_depth_lock = threading.Lock()
_depth_users = 0
_saved_limit = 0


@contextmanager
def recursion_for(elements: int) -> Iterator[None]:
    """Raise the recursion limit while any thread reads a diagram of ``elements`` elements;
    the last reader out restores it."""
    global _depth_users, _saved_limit
    wanted = min(_MAX_RECURSION, 1000 + _FRAMES_PER_ELEMENT * elements)
    with _depth_lock:
        if _depth_users == 0:
            _saved_limit = sys.getrecursionlimit()
        _depth_users += 1
        if wanted > sys.getrecursionlimit():
            sys.setrecursionlimit(wanted)
    try:
        yield
    finally:
        with _depth_lock:
            _depth_users -= 1
            if _depth_users == 0:
                sys.setrecursionlimit(_saved_limit)


DI_NS = "http://www.omg.org/spec/DD/20100524/DI"
_DI_EXTENSION = "//*[local-name()='extension' and namespace-uri()=$di]"


def strip_drawing_extensions(tree: etree._ElementTree) -> bool:
    """Remove what modelers keep in di:extension (drawing data the DI schema declares
    strict, so SpiffWorkflow's schema check refuses any tool's own); True if any was there."""
    found = tree.xpath(_DI_EXTENSION, di=DI_NS)
    for node in found:
        node.getparent().remove(node)
    return bool(found)


def new_parser(dialect: dialects.Dialect) -> BpmnDmnParser:
    parser: BpmnDmnParser = CamundaParser(validator=VALIDATOR) \
        if dialect is dialects.Dialect.CAMUNDA else SpiffBpmnParser(validator=VALIDATOR)
    # DMN files are schema-checked when read (runnable.check_dmn): SpiffWorkflow's own DMN 1.2
    # schema does not compile, and it refuses the DMNDI part of 1.2 and 1.3 files.
    parser.dmn_schemas = {}
    return parser


def is_bpmn(name: str) -> bool:
    return name.lower().endswith(BPMN_SUFFIXES)


def is_dmn(name: str) -> bool:
    return name.lower().endswith(DMN_SUFFIXES)


def build_specs(
    files: dict[str, str], key: str
) -> tuple[BpmnProcessSpec, dict[str, BpmnProcessSpec]]:
    """Parse stored (already validated) files into SpiffWorkflow specs for one procedure."""
    trees = {name: safe_parse(text.encode(), name) for name, text in sorted(files.items())
             if is_bpmn(name) or is_dmn(name)}
    dialect, _mixed = dialects.choose(trees)
    parser = new_parser(dialect)
    elements = 0
    for name, tree in trees.items():
        strip_drawing_extensions(tree)
        elements += sum(1 for _ in tree.iter(etree.Element))
        if is_bpmn(name):
            parser.add_bpmn_xml(tree.getroot(), name)
        else:
            parser.add_dmn_xml(tree.getroot(), name)
    with recursion_for(elements):
        return parser.get_spec(key), parser.get_subprocess_specs(key)
