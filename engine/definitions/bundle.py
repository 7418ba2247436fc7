"""Turn a set of uploaded files (BPMN, DMN, JSON forms) into validated, versionable procedures.

A procedure's content is its BPMN file plus every file it depends on (the BPMN files of the
processes it calls, the DMN files of its decisions, its forms); the sha256 of that content is
what decides whether a deploy makes a new version.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Any

import jsonschema
from lxml import etree
from SpiffWorkflow.bpmn.parser.ValidationException import ValidationException
from SpiffWorkflow.bpmn.specs.bpmn_process_spec import BpmnProcessSpec
from SpiffWorkflow.camunda.parser import CamundaParser
from SpiffWorkflow.dmn.parser.BpmnDmnParser import BpmnDmnParser
from SpiffWorkflow.exceptions import SpiffWorkflowException
from SpiffWorkflow.spiff.parser import VALIDATOR, SpiffBpmnParser

from engine.definitions.expressions import lint_bpmn_expressions, lint_dmn_expressions
from engine.definitions.lint import lint_procedure, lint_timers
from engine.definitions.rules import check_procedure
from engine.definitions.runnable import check_bpmn, check_dmn, not_repeated
from engine.definitions.vocabulary import (
    CAMUNDA_NS,
    DMN_NAMESPACES,
    NS,
    ProcedureMeta,
    is_procedure,
    read_procedure,
)
from engine.definitions.xml import safe_parse
from engine.errors import DefinitionInvalid, Problem, UnsafeXml

BPMN_SUFFIXES = (".bpmn", ".bpmn20.xml")
DMN_SUFFIXES = (".dmn",)
FORM_SUFFIXES = (".json",)


@dataclass
class Procedure:
    """One deployable procedure: metadata, the exact files it needs, their combined hash."""

    meta: ProcedureMeta
    files: dict[str, str]
    sha256: str


@dataclass
class Bundle:
    procedures: list[Procedure] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def _kind(name: str) -> str | None:
    lower = name.lower()
    if lower.endswith(BPMN_SUFFIXES):
        return "bpmn"
    if lower.endswith(DMN_SUFFIXES):
        return "dmn"
    if lower.endswith(FORM_SUFFIXES):
        return "form"
    return None


def content_hash(files: dict[str, str]) -> str:
    digest = hashlib.sha256()
    for name in sorted(files):
        digest.update(name.encode())
        digest.update(b"\0")
        digest.update(hashlib.sha256(files[name].encode()).digest())
    return digest.hexdigest()


def _new_parser(uses_camunda: bool) -> BpmnDmnParser:
    parser = CamundaParser(validator=VALIDATOR) if uses_camunda else \
        SpiffBpmnParser(validator=VALIDATOR)
    parser.dmn_schemas = {}  # DMN files are schema-checked when read (runnable.check_dmn)
    return parser


def _xsd_problems(tree: etree._ElementTree, file: str) -> list[Problem]:
    VALIDATOR.preprocess(tree.getroot())
    schema = VALIDATOR.validator
    if schema.validate(tree):
        return []
    prefixes = {f"{{{uri}}}": f"{prefix}:" for prefix, uri in NS.items()}

    def readable(message: str) -> str:
        for uri, prefix in prefixes.items():
            message = message.replace(uri, prefix)
        return message

    return [Problem(file, err.line, "schema", readable(err.message)) for err in schema.error_log]


def _spiff_problem(exc: SpiffWorkflowException, file: str, trees: dict[str, Any]) -> Problem:
    node_id = getattr(exc, "id", "") or ""
    tag = getattr(exc, "tag", "") or "process"
    line = getattr(exc, "line_number", None) or None
    source = getattr(exc, "file_name", "") or file
    tree = trees.get(source)
    if line is None and node_id and tree is not None:
        found = tree.xpath("//*[@id=$id]", id=node_id)
        line = found[0].sourceline if found else None
    element = f"{tag.removeprefix('bpmn:')} '{node_id}'" if node_id else tag
    return Problem(source, int(line) if line else None, element, str(exc).split("\n")[0])


def build_specs(
    files: dict[str, str], key: str
) -> tuple[BpmnProcessSpec, dict[str, BpmnProcessSpec]]:
    """Parse stored (already validated) files into SpiffWorkflow specs for one procedure."""
    uses_camunda = any(CAMUNDA_NS in text for text in files.values())
    parser = _new_parser(uses_camunda)
    for name, text in sorted(files.items()):
        kind = _kind(name)
        if kind == "bpmn":
            parser.add_bpmn_xml(safe_parse(text.encode(), name).getroot(), name)
        elif kind == "dmn":
            parser.add_dmn_xml(safe_parse(text.encode(), name).getroot(), name)
    return parser.get_spec(key), parser.get_subprocess_specs(key)


def read_bundle(
    uploads: dict[str, bytes],
    known_departments: set[str] | None,
    deployed_files: dict[str, dict[str, str]] | None = None,
) -> Bundle:
    """Validate every file and procedure; collect all problems instead of stopping at the first.

    ``deployed_files`` maps already-deployed procedure keys to their files, so a call activity
    may target a procedure deployed earlier.
    """
    bundle = Bundle()
    texts: dict[str, str] = {}
    trees: dict[str, etree._ElementTree] = {}
    forms: dict[str, str] = {}
    for path, data in sorted(uploads.items()):
        name = PurePath(path).name
        kind = _kind(name)
        if kind is None:
            bundle.problems.append(Problem(name, None, "file",
                                           "unknown file type; expected .bpmn, .dmn or .json"))
            continue
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            bundle.problems.append(Problem(name, None, "file", f"not UTF-8 text: {exc.reason}"))
            continue
        if kind == "form":
            problem = _check_form(name, text)
            if problem:
                bundle.problems.append(problem)
            else:
                forms[name] = text
            continue
        try:
            tree = safe_parse(data, name)
        except UnsafeXml as exc:
            bundle.problems.extend(exc.problems)
            continue
        root_ns = etree.QName(tree.getroot()).namespace
        if kind == "dmn" and root_ns not in DMN_NAMESPACES:
            bundle.problems.append(Problem(name, 1, "definitions",
                                           f"not a DMN file (namespace {root_ns})"))
            continue
        if kind == "dmn":
            foreign = check_dmn(tree, name)
            bundle.problems.extend(foreign)
            bundle.problems.extend(not_repeated(lint_dmn_expressions(tree, name), foreign))
        if kind == "bpmn":
            if root_ns != NS["bpmn"]:
                bundle.problems.append(Problem(name, 1, "definitions",
                                               f"not a BPMN 2.0 file (namespace {root_ns})"))
                continue
            xsd = _xsd_problems(tree, name)
            if xsd:
                bundle.problems.extend(xsd)
                continue
            foreign = check_bpmn(tree, name)
            bundle.problems.extend(foreign)
            timer_problems = not_repeated(lint_timers(tree, name), foreign)
            bundle.problems.extend(timer_problems)
            if not timer_problems:  # a bare timer is also not valid Python: say it once
                bundle.problems.extend(not_repeated(lint_bpmn_expressions(tree, name), foreign))
        texts[name] = text
        trees[name] = tree
    if bundle.problems:
        return bundle

    # Which file defines which process / decision, to gather each procedure's dependencies.
    process_file: dict[str, str] = {}
    decision_file: dict[str, str] = {}
    for name, tree in trees.items():
        if _kind(name) == "bpmn":
            for proc in tree.xpath("//bpmn:process", namespaces=NS):
                process_file[proc.get("id")] = name
        else:
            for dec in tree.xpath("//*[local-name()='decision']"):
                decision_file[dec.get("id")] = name
    deployed = deployed_files or {}
    for name, tree in trees.items():
        if _kind(name) != "bpmn":
            continue
        for proc in tree.xpath("//bpmn:process", namespaces=NS):
            if not is_procedure(proc):
                continue
            meta = read_procedure(proc, name)
            available = set(process_file) | set(deployed)
            bundle.problems.extend(lint_procedure(meta, proc, known_departments, available,
                                                  set(forms)))
            bundle.problems.extend(check_procedure(meta, proc, forms, set(decision_file)))
            files = _dependencies(proc, meta, process_file, decision_file, texts, trees, forms,
                                  deployed)
            bundle.procedures.append(Procedure(meta, files, content_hash(files)))
    if not bundle.procedures and not bundle.problems:
        bundle.problems.append(Problem(
            ", ".join(sorted(uploads)) or "(no files)", None, "process",
            "no procedure found: a procedure is a bpmn:process with a 'deadline_unit' property"))
    if bundle.problems:
        return bundle
    for procedure in bundle.procedures:
        bundle.problems.extend(_spiff_check(procedure, trees))
    return bundle


def _dependencies(
    proc: etree._Element,
    meta: ProcedureMeta,
    process_file: dict[str, str],
    decision_file: dict[str, str],
    texts: dict[str, str],
    trees: dict[str, etree._ElementTree],
    forms: dict[str, str],
    deployed: dict[str, dict[str, str]],
) -> dict[str, str]:
    files: dict[str, str] = {meta.file: texts[meta.file]}
    pending = [meta.file]
    while pending:
        tree = trees[pending.pop()]
        for call in tree.xpath("//bpmn:callActivity", namespaces=NS):
            target = call.get("calledElement")
            if target in process_file and process_file[target] not in files:
                files[process_file[target]] = texts[process_file[target]]
                pending.append(process_file[target])
            elif target in deployed and target not in process_file:
                files.update(deployed[target])
        refs = tree.xpath(
            "//spiffworkflow:calledDecisionId/text()"
            " | //bpmn:businessRuleTask/@camunda:decisionRef",
            namespaces=NS)
        for ref in refs:
            dmn = decision_file.get(str(ref).strip())
            if dmn:
                files[dmn] = texts[dmn]
        for form_ref in tree.xpath(
            "//spiffworkflow:property[@name='form']/@value"
            " | //camunda:property[@name='form']/@value", namespaces=NS):
            if str(form_ref) in forms:
                files[str(form_ref)] = forms[str(form_ref)]
    return files


def _spiff_check(procedure: Procedure, trees: dict[str, etree._ElementTree]) -> list[Problem]:
    try:
        build_specs(procedure.files, procedure.meta.key)
    except ValidationException as exc:
        return [_spiff_problem(exc, procedure.meta.file, trees)]
    except SpiffWorkflowException as exc:
        return [_spiff_problem(exc, procedure.meta.file, trees)]
    except UnsafeXml as exc:
        return list(exc.problems)
    return []


def _check_form(name: str, text: str) -> Problem | None:
    try:
        schema = json.loads(text)
    except json.JSONDecodeError as exc:
        return Problem(name, exc.lineno, "form", f"not valid JSON: {exc.msg}")
    try:
        jsonschema.Draft202012Validator.check_schema(schema)
    except jsonschema.SchemaError as exc:
        return Problem(name, None, "form", f"not a valid JSON Schema: {exc.message}")
    if schema.get("type") != "object":
        return Problem(name, None, "form", "a form schema must have \"type\": \"object\"")
    return None


def raise_if_invalid(bundle: Bundle) -> None:
    if bundle.problems:
        raise DefinitionInvalid(bundle.problems)
