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

import jsonschema
from lxml import etree
from SpiffWorkflow.spiff.parser import VALIDATOR

from engine.definitions import dialects
from engine.definitions.expressions import lint_bpmn_expressions, lint_dmn_expressions
from engine.definitions.lint import lint_chains, lint_procedure, lint_timers
from engine.definitions.parser_problems import problem_from
from engine.definitions.parsing import build_specs
from engine.definitions.vocabulary import (
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
            bundle.problems.extend(lint_dmn_expressions(tree, name))
        if kind == "bpmn":
            if root_ns != NS["bpmn"]:
                bundle.problems.append(Problem(name, 1, "definitions",
                                               f"not a BPMN 2.0 file (namespace {root_ns})"))
                continue
            xsd = _xsd_problems(tree, name)
            if xsd:
                bundle.problems.extend(xsd)
                continue
            bundle.problems.extend(dialects.ignored_extensions(tree, name))
            bundle.problems.extend(lint_chains(tree, name))
            timer_problems = lint_timers(tree, name)
            bundle.problems.extend(timer_problems)
            if not timer_problems:  # a bare timer is also not valid Python: say it once
                bundle.problems.extend(lint_bpmn_expressions(tree, name))
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
    """SpiffWorkflow reads the procedure as the engine will; whatever it raises becomes a
    located problem (its reader raises more than its own exception types)."""
    mine = {name: trees[name] for name in procedure.files if name in trees}
    _dialect, mixed = dialects.choose(mine)
    if mixed:
        return mixed
    try:
        build_specs(procedure.files, procedure.meta.key)
    except UnsafeXml as exc:
        return list(exc.problems)
    except Exception as exc:  # any reader failure is the file's problem
        return [problem_from(exc, procedure.meta.file, trees)]
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
