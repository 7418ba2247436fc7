"""Turn a set of uploaded files (BPMN, DMN, JSON forms) into validated, versionable procedures.

A procedure's content is its BPMN file plus every file it depends on (the BPMN files of the
processes it calls, the DMN files of its decisions, its forms); the sha256 of that content is
what decides whether a deploy makes a new version.
"""

from __future__ import annotations

import copy
import hashlib
import json
import re
from dataclasses import dataclass, field
from typing import Any

import jsonschema
from lxml import etree
from SpiffWorkflow.spiff.parser import VALIDATOR

from engine.definitions import dialects
from engine.definitions.expressions import lint_bpmn_expressions, lint_dmn_expressions
from engine.definitions.lint import lint_chains, lint_procedure, lint_steps, lint_timers
from engine.definitions.parser_problems import problem_from
from engine.definitions.parsing import build_specs, strip_drawing_extensions
from engine.definitions.references import deploy_path, resolve
from engine.definitions.rules import check_procedure, user_task_forms
from engine.definitions.runnable import check_bpmn, check_dmn, not_repeated
from engine.definitions.vocabulary import (
    DMN_NAMESPACES,
    NS,
    ProcedureMeta,
    is_procedure,
    read_procedure,
)
from engine.definitions.xml import safe_parse
from engine.errors import DefinitionInvalid, Problem, UnsafeXml
from engine.i18n import msg

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
class LibraryFile:
    """A file with no procedure in it (called processes, shared sub-processes, decision
    tables): deployed so that procedures of later deploys can call what it provides."""

    path: str
    files: dict[str, str]  # the file, and the forms, tables and processes its processes need
    provides: list[str]  # ids of its executable processes and of its decisions
    sha256: str


@dataclass
class Bundle:
    procedures: list[Procedure] = field(default_factory=list)
    library: list[LibraryFile] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


VOCABULARY_HINT = (
    "a procedure is an executable bpmn:process with the properties procedure_code, field, "
    "level, deadline and deadline_unit; a 'department' on each lane; an 'allowance' on each "
    "user and manual task; a 'form' on each user task (docs/authoring.md)")


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


_CLARK = re.compile(r"\{([^}]*)\}")


def _xsd_problems(tree: etree._ElementTree, file: str) -> list[Problem]:
    VALIDATOR.preprocess(tree.getroot())
    schema = VALIDATOR.validator
    if schema.validate(tree):
        return []
    # Modelers keep their own data in di:extension, which the DI schema declares strict;
    # it is drawing data, so it is not the designer's problem.
    stripped = copy.deepcopy(tree)
    if strip_drawing_extensions(stripped) and schema.validate(stripped):
        return []
    prefixes = {uri: prefix for prefix, uri in (tree.getroot().nsmap or {}).items() if prefix}
    prefixes.update({uri: prefix for prefix, uri in NS.items()})

    def readable(message: str) -> str:  # {uri}name as the file writes it: prefix:name
        return _CLARK.sub(lambda m: f"{prefixes[m.group(1)]}:" if m.group(1) in prefixes
                          else "", message).rstrip(". ")

    return [Problem(file, err.line, "schema", readable(err.message)) for err in schema.error_log]


def read_bundle(
    uploads: dict[str, bytes],
    known_departments: set[str] | None,
    deployed_files: dict[str, dict[str, str]] | None = None,
) -> Bundle:
    """Validate every file and procedure; collect all problems instead of stopping at the first.

    ``uploads`` are keyed by their path inside the deploy. ``deployed_files`` maps the ids of
    what is already deployed (procedure keys, library processes and decisions) to the files
    that define them, so a call activity or a decision may target them.
    """
    bundle = Bundle()
    texts: dict[str, str] = {}
    trees: dict[str, etree._ElementTree] = {}
    forms: dict[str, str] = {}
    in_elements: list[Problem] = []  # problems of files that could be read
    for raw, data in sorted(uploads.items()):
        name = deploy_path(raw)
        if name is None:
            bundle.problems.append(Problem(raw, None, "file",
                                           msg("err_give_file_plain_relative_name")))
            continue
        kind = _kind(name)
        if kind is None:
            bundle.problems.append(Problem(
                name, None, "file", msg("err_unknown_file_type_expected_bpmn")))
            continue
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            bundle.problems.append(Problem(name, None, "file", msg("err_utf_8_text",
                                                                   reason=exc.reason)))
            continue
        if kind == "form":
            _schema, problem = read_form(name, text)
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
        if kind == "bpmn" and _documentation_only(tree):
            bundle.problems.append(_not_executable(tree, name))
            continue
        unreadable = _unreadable(tree, name, kind)
        if unreadable:
            bundle.problems.extend(unreadable)
            continue
        in_elements.extend(_element_problems(tree, name, kind))
        texts[name] = text
        trees[name] = tree
    # A file that cannot be read stops here. The problems of readable files are located at
    # their elements and leave the procedure readable, so its rules are checked too: the
    # designer sees every problem of a file in one validation, not one layer per upload.
    bundle.problems.extend(in_elements)
    if len(bundle.problems) > len(in_elements):
        return bundle

    # Which file defines which process / decision, to gather each procedure's dependencies.
    process_file: dict[str, str] = {}
    decision_file: dict[str, str] = {}
    for name, tree in trees.items():
        defines = (process_file, "process", tree.xpath("//bpmn:process", namespaces=NS)) \
            if _kind(name) == "bpmn" else \
            (decision_file, "decision", tree.xpath("//*[local-name()='decision']"))
        found, kind_name, nodes = defines
        for node in nodes:
            ident = node.get("id")
            if ident in found:  # folders let two files define one id: which one runs?
                bundle.problems.append(Problem(
                    name, node.sourceline, f"{kind_name} '{ident}'",
                    msg("err_defines_too_keep_one_them", value=found[ident], kind_name=kind_name)))
            found[ident] = name
    if len(bundle.problems) > len(in_elements):  # which file defines what is unclear
        return bundle
    deployed = deployed_files or {}
    called = {proc.get("id"): (proc, read_procedure(proc, name))
              for name, tree in trees.items() if _kind(name) == "bpmn"
              for proc in tree.xpath("//bpmn:process", namespaces=NS)}
    available = set(process_file) | set(deployed)
    for name, tree in trees.items():
        if _kind(name) != "bpmn":
            continue
        for proc in tree.xpath("//bpmn:process", namespaces=NS):
            if not is_procedure(proc):
                continue
            meta = called[proc.get("id")][1]
            refs = _form_refs(meta, forms, bundle.problems)
            bundle.problems.extend(lint_procedure(meta, proc, known_departments, available,
                                                  set(refs), called=called))
            bundle.problems.extend(check_procedure(
                meta, proc, {ref: forms[path] for ref, path in refs.items() if path},
                set(decision_file) | set(deployed)))
            files = _dependencies(meta, process_file, decision_file, texts, trees, forms,
                                  deployed)
            bundle.procedures.append(Procedure(meta, files, content_hash(files)))
    for name in sorted(set(trees) - {p.meta.file for p in bundle.procedures}):
        if _kind(name) == "bpmn":  # a called process's steps are done like any other
            for proc in trees[name].xpath("//bpmn:process", namespaces=NS):
                meta = called[proc.get("id")][1]
                if not meta.steps:  # no person works in it: its lanes are only drawing
                    continue
                refs = _form_refs(meta, forms, bundle.problems)
                bundle.problems.extend(lint_steps(meta, proc, known_departments, set(refs)))
                bundle.problems.extend(user_task_forms(name, proc))
        processes = sorted(pid for pid, file in process_file.items()
                           if file == name and _executable(called[pid][0]))
        provides = processes + sorted(did for did, file in decision_file.items() if file == name)
        needs = {name: texts[name]}
        for pid in processes:
            needs.update(_dependencies(called[pid][1], process_file, decision_file, texts, trees,
                                       forms, deployed))
        bundle.library.append(LibraryFile(name, needs, provides, content_hash(needs)))
    if not bundle.procedures and not bundle.library and not bundle.problems:
        bundle.problems.append(Problem(
            ", ".join(sorted(uploads)) or "(no files)", None, "process",
            msg("err_procedure_found", vocabulary_hint=VOCABULARY_HINT)))
    if bundle.problems:
        return bundle
    for procedure in bundle.procedures:
        bundle.problems.extend(_spiff_check(procedure.files, procedure.meta.key,
                                            procedure.meta.file, trees))
    for library in bundle.library:
        for pid in library.provides:
            if pid in called:  # a process (decisions are read with the procedures using them)
                bundle.problems.extend(_spiff_check(library.files, pid, library.path, trees))
    return bundle


def _executable(process: etree._Element) -> bool:
    return process.get("isExecutable", "true").strip().lower() != "false"


def _documentation_only(tree: etree._ElementTree) -> bool:
    return not any(_executable(p) for p in tree.xpath("//bpmn:process", namespaces=NS)) \
        and etree.QName(tree.getroot()).namespace == NS["bpmn"]


def _not_executable(tree: etree._ElementTree, name: str) -> Problem:
    """The one problem of a model drawn for documentation: nothing else about it matters
    (its timers and scripts will never run)."""
    processes = tree.xpath("//bpmn:process", namespaces=NS)
    first = processes[0] if processes else tree.getroot()
    where = f"process '{first.get('id', '')}'" if processes else "definitions"
    return Problem(name, first.sourceline, where,
                   msg("err_executable_model_drawn_documentation_run",
                       vocabulary_hint=VOCABULARY_HINT))


def _unreadable(tree: etree._ElementTree, name: str, kind: str) -> list[Problem]:
    """Why a BPMN or DMN file cannot be read at all: not the format it claims, or not valid
    against its schema."""
    root_ns = etree.QName(tree.getroot()).namespace
    if kind == "dmn":
        if root_ns not in DMN_NAMESPACES:
            return [Problem(name, 1, "definitions", msg("err_dmn_file_namespace", root_ns=root_ns))]
        return []
    if root_ns != NS["bpmn"]:
        return [Problem(name, 1, "definitions", msg("err_bpmn_2_0_file_namespace",
                                                    root_ns=root_ns))]
    return _xsd_problems(tree, name)


def _element_problems(tree: etree._ElementTree, name: str, kind: str) -> list[Problem]:
    """What is wrong at the elements of one readable BPMN or DMN file on its own."""
    if kind == "dmn":
        foreign = check_dmn(tree, name)
        return foreign + not_repeated(lint_dmn_expressions(tree, name), foreign)
    foreign = check_bpmn(tree, name)
    problems = dialects.ignored_extensions(tree, name) + lint_chains(tree, name) + foreign
    timer_problems = not_repeated(lint_timers(tree, name), foreign)
    problems += timer_problems
    if not timer_problems:  # a bare timer is also not valid Python: say it once
        problems += not_repeated(lint_bpmn_expressions(tree, name), foreign)
    return problems


def _form_refs(meta: ProcedureMeta, forms: dict[str, str],
               problems: list[Problem]) -> dict[str, str]:
    """Each form a procedure names, resolved to its path in the deploy (ambiguity is a
    problem; a missing form is lint's)."""
    refs: dict[str, str] = {}
    named = [(s.form, s.line) for s in meta.steps.values() if s.form]
    if meta.start_form:
        named.append((meta.start_form, None))
    for ref, line in named:
        assert ref is not None
        found = resolve(ref, meta.file, forms)
        if found.path is not None:
            refs[ref] = found.path
        elif found.candidates:
            refs[ref] = ""  # said here; lint need not call it missing too
            problems.append(Problem(meta.file, line, f"process '{meta.key}'",
                                    msg("err_form_could_any_write_path",
                                        ref=ref, candidates=', '.join(found.candidates))))
    return refs


def _dependencies(
    meta: ProcedureMeta,
    process_file: dict[str, str],
    decision_file: dict[str, str],
    texts: dict[str, str],
    trees: dict[str, etree._ElementTree],
    forms: dict[str, str],
    deployed: dict[str, dict[str, str]],
) -> dict[str, str]:
    """The files a process needs: its own, those of the processes it calls (from this deploy
    or deployed before), its decision tables and its forms."""
    files: dict[str, str] = {meta.file: texts[meta.file]}
    pending = [meta.file]
    while pending:
        current = pending.pop()
        tree = trees[current]
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
            decision = str(ref).strip()
            if decision in decision_file:
                files[decision_file[decision]] = texts[decision_file[decision]]
            elif decision in deployed:
                files.update(deployed[decision])
        for form_ref in tree.xpath(
            "//spiffworkflow:property[@name='form']/@value"
            " | //camunda:property[@name='form']/@value", namespaces=NS):
            found = resolve(str(form_ref), current, forms)
            if found.path is not None:
                files[found.path] = forms[found.path]
    return files


def _spiff_check(files: dict[str, str], key: str, file: str,
                 trees: dict[str, etree._ElementTree]) -> list[Problem]:
    """SpiffWorkflow reads the process as the engine will; whatever it raises becomes a
    located problem (its reader raises more than its own exception types)."""
    mine = {name: trees[name] for name in files if name in trees}
    _dialect, mixed = dialects.choose(mine)
    if mixed:
        return mixed
    try:
        build_specs(files, key)
    except UnsafeXml as exc:
        return list(exc.problems)
    except Exception as exc:  # any reader failure is the file's problem
        return [problem_from(exc, file, trees)]
    return []


def read_form(name: str, text: str) -> tuple[dict[str, Any] | None, Problem | None]:
    """A form file's schema, or the problem that keeps it from being one. Deploys and the
    designer's live preview both ask this, so a preview shows what a deploy would accept."""
    try:
        schema = json.loads(text)
    except json.JSONDecodeError as exc:
        return None, Problem(name, exc.lineno, "form", msg("err_valid_json", msg=exc.msg))
    except ValueError as exc:  # an integer of more digits than Python converts
        return None, Problem(name, None, "form", msg("err_valid_json_2", exc=exc))
    except RecursionError:
        return None, Problem(name, None, "form", msg("err_valid_json_nested_too_deeply"))
    try:
        jsonschema.Draft202012Validator.check_schema(schema)
    except jsonschema.SchemaError as exc:
        return None, Problem(name, None, "form", msg("err_valid_json_schema", message=exc.message))
    except RecursionError:
        return None, Problem(name, None, "form", msg("err_valid_json_schema_nested_too"))
    if not isinstance(schema, dict) or schema.get("type") != "object":  # `true` is a schema
        return None, Problem(name, None, "form", msg("err_form_schema_must_have_type"))
    return schema, None


def raise_if_invalid(bundle: Bundle) -> None:
    if bundle.problems:
        raise DefinitionInvalid(bundle.problems)
