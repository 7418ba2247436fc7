"""Real files from other modelers (tests/data/interop, sources in SOURCES.md) through the
validator: whatever a designer brings, validation ends in a Bundle whose problems a person can
act on (``file:line: element: message``), never in an exception or an internal message.

Each file has an expected verdict:

- ``procedure``: deploys as a procedure;
- ``library``: callable processes or decisions only, deploys as a library file;
- ``not_executable``: a documentation-only model, refused with one clear message;
- ``refused``: one of the problems is at ``element`` and says ``message`` (both regular
  expressions, searched case-insensitively).

A second pass gives every BPMN file our vocabulary (procedure properties, a department per
lane, an allowance per user task), so it gets past the procedure gate and meets the deeper
checks; there only the absolute rules are asserted.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from lxml import etree

from engine.definitions import Bundle, read_bundle
from engine.definitions.vocabulary import BPMN_NS, CAMUNDA_NS, SPIFF_NS
from engine.definitions.xml import safe_parse
from engine.errors import Problem

CORPUS = Path(__file__).resolve().parents[1] / "data" / "interop"
SOURCES = CORPUS / "SOURCES.md"
MAX_FILE_BYTES = 64 * 1024
MAX_CORPUS_BYTES = 1_500_000


@dataclass(frozen=True)
class Expect:
    verdict: str  # procedure | library | not_executable | refused
    element: str = ""
    message: str = ""


def refused(element: str, message: str) -> Expect:
    return Expect("refused", element, message)


LIBRARY = Expect("library")
# Steps of a process with no procedure are answered like any other: they need forms too.
NO_FORM = Expect("refused", r"userTask", r"has no 'form'")
NOT_EXECUTABLE = Expect("not_executable", message=r"isExecutable")

# Each file uploaded alone. A "refused" names one problem that must be among those reported;
# others may be reported too.
ALONE: dict[str, Expect] = {
    # MIWG reference models (made with Trisotech): drawn for exchange, not to run.
    "miwg_A.1.0_reference.bpmn": NOT_EXECUTABLE,
    "miwg_A.2.0_reference.bpmn": NOT_EXECUTABLE,
    "miwg_A.3.0_reference.bpmn": NOT_EXECUTABLE,
    "miwg_A.4.0_reference.bpmn": NOT_EXECUTABLE,
    "miwg_B.1.0_reference.bpmn": NOT_EXECUTABLE,
    # Camunda 8 (zeebe) models: a user task with no form, FEEL conditions.
    "miwg_C.9.1_reference.bpmn": refused(r"sendTask 'SendTask_RequestDocument'",
                                         r"send task cannot run"),
    "miwg_C.9.2_reference.bpmn": refused(r"sequenceFlow|conditionExpression", r"FEEL"),
    # MIWG files exported by other modelers.
    "miwg_A.2.0_camunda.bpmn": NOT_EXECUTABLE,
    "miwg_A.4.1_camunda.bpmn": LIBRARY,  # one executable pool of plain tasks
    "miwg_B.1.0_camunda.bpmn": refused(r"serviceTask", r"service task"),
    "miwg_C.1.0_camunda.bpmn": refused(r"serviceTask 'Activity_0abfolp'", r"service task"),
    "miwg_C.3.0_camunda.bpmn": refused(r"userTask 'Activity_175emni'", r"form"),
    "miwg_A.1.0_signavio.bpmn": NOT_EXECUTABLE,
    "miwg_A.2.1_signavio.bpmn": NOT_EXECUTABLE,
    "miwg_C.1.1_signavio.bpmn": NOT_EXECUTABLE,
    "miwg_A.1.0_adonis.bpmn": NOT_EXECUTABLE,
    "miwg_A.3.0_trisotech.bpmn": refused(r"subProcess '_e0ea8426", r"start event"),
    "miwg_A.2.0_camunda_eclipse.bpmn": NOT_EXECUTABLE,
    # No isExecutable (executable by default) and an exclusive split without conditions.
    "miwg_A.2.0_aris.bpmn": refused(r"exclusiveGateway|sequenceFlow", r"condition"),
    "miwg_A.2.0_yaoqiang.bpmn": refused(r"exclusiveGateway|sequenceFlow", r"condition"),
    # The tool's own diagram-interchange extension does not stop a model that runs.
    "miwg_A.1.0_omnitracker.bpmn": LIBRARY,
    # One pool documented, the other an empty black box.
    # Executable by default, but drawn without a start event.
    "miwg_A.1.0_bizagi.bpmn": refused(r"process 'Id_d710d4f4", r"no start event"),
    # SpiffWorkflow's own test models.
    "spiff_lanes.bpmn": NO_FORM,
    "spiff_timer-non-interrupt-boundary.bpmn": NO_FORM,
    "spiff_business_rule_task.bpmn": refused(r"businessRuleTask 'Activity_0diq2z1'",
                                             r"decision_1"),
    "spiff_business_rules.dmn": LIBRARY,
    "spiff_service_task.bpmn": refused(r"serviceTask", r"service task"),
    "spiff_Scripts.bpmn20.xml": refused(r"scriptTask 'sid-26E89636", r"not allowed"),
    "spiff_Parallel.camunda.bpmn20.xml": NO_FORM,
    "spiff_dmn_version_20151101_test.dmn": LIBRARY,
    "spiff_human_task_metadata.bpmn": refused(r"userTask 'Activity_1gqykqt'", r"form"),
    # SpiffArena models.
    "spiffarena_coin_gecko_simpleprice.bpmn": refused(r"serviceTask 'Activity_1b0bnuo'",
                                                      r"service task"),
    "spiffarena_submit-invoice.bpmn": refused(r"serviceTask", r"service task"),
    "spiffarena_check-amounts.dmn": LIBRARY,
    # Camunda 7 examples: JUEL, Java delegates, external tasks, cron timers, JavaScript.
    "camunda7_twitter_demo.bpmn": refused(r"FormalExpression_1|SequenceFlow", r"JUEL|#\{"),
    "camunda7_loan_granting.bpmn": refused(r"startEvent 'StartEvent_1'", r"ISO 8601|cron"),
    "camunda7_retry_example.bpmn": refused(r"serviceTask 'service-fetch-data'", r"service task"),
    "camunda7_customer_data_json.bpmn": refused(r"SequenceFlow_4", r"JUEL|\$\{"),
    "camunda7_shared_main_process.bpmn": refused(r"callActivity", r"'subProcess'"),
    "camunda7_shared_sub_process.bpmn": refused(r"userTask 'UserTask_0zlyiaz'", r"form"),
    "camunda7_spin_javascript_script.bpmn": refused(r"scriptTask 'ScriptTask_1'",
                                                    r"javascript"),
    "camunda7_dinner_decisions_dmn11.dmn": refused(r"UnaryTests_1lt4o3q|inputEntry", r"FEEL"),
    "camunda7_dish_decision_dmn11.dmn": refused(r"UnaryTests_0c60gjz|inputEntry", r"FEEL"),
    # bpmn-js examples.
    "bpmnjs_pizza_collaboration.bpmn": NOT_EXECUTABLE,
    "bpmnjs_nested_subprocesses.bpmn": refused(r"userTask", r"form"),
    "bpmnjs_transaction_boundaries.bpmn": NOT_EXECUTABLE,
    "bpmnjs_new_diagram.bpmn": NOT_EXECUTABLE,
    # dmn-js fixtures: DMN 1.1 (FEEL), 1.2 and 1.3 with DMNDI.
    "dmnjs_dmn-11.dmn": refused(r"UnaryTests_1a0imxy|inputEntry", r"FEEL"),
    # FEEL's true where Python reads True; a business knowledge model motcua does not run.
    "dmnjs_dmn-12.dmn": refused(r"inputEntry", r"write True"),
    "dmnjs_di-1-3.dmn": refused(r"businessKnowledgeModel|knowledgeRequirement",
                                r"decision tables only"),
}

# Files that belong together, uploaded at once.
GROUPS: dict[str, tuple[tuple[str, ...], Expect]] = {
    "a business rule task with its decision": (
        ("spiff_business_rule_task.bpmn", "spiff_business_rules.dmn"), LIBRARY),
    "a call activity with the process it calls": (
        ("camunda7_shared_main_process.bpmn", "camunda7_shared_sub_process.bpmn"),
        refused(r"userTask 'UserTask_0zlyiaz'", r"form")),
    "a SpiffArena process with its decision table": (
        ("spiffarena_submit-invoice.bpmn", "spiffarena_check-amounts.dmn"),
        refused(r"serviceTask", r"service task")),
    "a Camunda 8 process with the process it calls": (
        ("miwg_C.9.2_reference.bpmn", "miwg_C.9.1_reference.bpmn"),
        refused(r"sequenceFlow|conditionExpression", r"FEEL")),
    "every DMN table at once": (
        ("spiff_business_rules.dmn", "spiffarena_check-amounts.dmn",
         "spiff_dmn_version_20151101_test.dmn"), LIBRARY),
}

# What an internal failure looks like when it leaks into a message.
_INTERNAL = re.compile(
    r"Traceback|Exception\b|Error\(|KeyError|TypeError|AttributeError|IndexError|ValueError"
    r"|NoneType|object has no attribute|not subscriptable|is not iterable|unexpected keyword"
    r"|internal error|unexpected error|\{https?://",
    re.IGNORECASE)
_REPRS = ("<Element", "0x7f", "b'<", "<lxml", "<_Element")
_ELEMENT_ID = re.compile(r"'([^']+)'")


def _read(name: str) -> bytes:
    return (CORPUS / name).read_bytes()


def _bpmn_files() -> list[str]:
    return sorted(n for n in ALONE if not n.endswith(".dmn"))


def _ids_and_lines(data: bytes) -> tuple[set[str], int]:
    tree = safe_parse(data, "corpus")
    return {str(i) for i in tree.xpath("//@id")}, data.count(b"\n") + 1


def _report(problems: list[Problem]) -> str:
    return "\n".join(str(p) for p in problems) or "(no problems)"


def assert_actionable(bundle: object, uploads: dict[str, bytes]) -> None:
    """The rules that hold whatever the verdict: a Bundle, and problems a person can act on."""
    assert isinstance(bundle, Bundle)
    for problem in bundle.problems:
        text = f"{problem.element}: {problem.message}"
        shown = str(problem)
        assert problem.file in uploads, f"problem names no uploaded file: {shown}"
        ids, lines = _ids_and_lines(uploads[problem.file])
        named = [i for i in _ELEMENT_ID.findall(problem.element) if i in ids]
        if named:
            assert problem.line is not None, f"element exists but no line: {shown}"
        if problem.line is not None:
            assert 1 <= problem.line <= lines, f"line outside the file: {shown}"
        assert str(problem.message).strip(), f"empty message: {shown}"
        for repr_text in _REPRS:
            assert repr_text not in text, f"a Python repr in: {shown}"
        # A FEEL range quoted from the file ([5..8]) is the designer's text, not punctuation.
        prose = re.sub(r"\[[^\]\s]*\.\.[^\]\s]*\]", "[range]", text.replace("...", "…"))
        assert ".." not in prose and not re.search(r"\s\.(\s|$)", prose), (
            f"doubled punctuation in: {shown}")
        if not any(b"None" in data for data in uploads.values()):
            assert not re.search(r"\bNone\b", text), f"'None' for a missing name: {shown}"
        assert not _INTERNAL.search(text), f"an internal message leaked: {shown}"


def assert_verdict(bundle: Bundle, expect: Expect) -> None:
    report = _report(bundle.problems)
    if expect.verdict == "procedure":
        assert not bundle.problems and bundle.procedures, report
    elif expect.verdict == "library":
        assert not bundle.problems, report
        assert not bundle.procedures, [p.meta.key for p in bundle.procedures]
    elif expect.verdict == "not_executable":
        assert len(bundle.problems) == 1, report
        message = str(bundle.problems[0].message)
        assert re.search(r"not executable", message, re.IGNORECASE), report
        assert re.search(expect.message, message, re.IGNORECASE), report
    else:
        assert expect.verdict == "refused", expect
        assert any(re.search(expect.element, p.element, re.IGNORECASE)
                   and re.search(expect.message, str(p.message), re.IGNORECASE)
                   for p in bundle.problems), (
            f"expected {expect.element!r}: {expect.message!r} among:\n{report}")


# ---- the corpus itself --------------------------------------------------------------------

def test_every_file_has_an_expectation_and_a_source() -> None:
    files = sorted(p.name for p in CORPUS.iterdir() if p.name != SOURCES.name)
    assert files == sorted(ALONE)
    sources = SOURCES.read_text(encoding="utf-8")
    for name in files:
        assert f"| `{name}` |" in sources, f"{name} is not in SOURCES.md"
    assert 30 <= len(files) <= 50


def test_the_corpus_stays_small() -> None:
    sizes = {p.name: p.stat().st_size for p in CORPUS.iterdir()}
    assert max(sizes.values()) <= MAX_FILE_BYTES, max(sizes, key=lambda n: sizes[n])
    assert sum(sizes.values()) <= MAX_CORPUS_BYTES


def test_groups_name_corpus_files() -> None:
    for names, _ in GROUPS.values():
        assert set(names) <= set(ALONE)


# ---- each file alone, then in groups ------------------------------------------------------

@pytest.mark.parametrize("name", sorted(ALONE))
def test_a_file_alone_ends_in_an_actionable_bundle(name: str) -> None:
    uploads = {name: _read(name)}
    bundle = read_bundle(uploads, set())
    assert_actionable(bundle, uploads)


@pytest.mark.parametrize("name", sorted(ALONE))
def test_a_file_alone_gets_its_verdict(name: str) -> None:
    bundle = read_bundle({name: _read(name)}, set())
    assert_verdict(bundle, ALONE[name])


@pytest.mark.parametrize("group", sorted(GROUPS))
def test_files_that_belong_together(group: str) -> None:
    names, expect = GROUPS[group]
    uploads = {name: _read(name) for name in names}
    bundle = read_bundle(uploads, set())
    assert_actionable(bundle, uploads)
    assert_verdict(bundle, expect)


# ---- given our vocabulary -----------------------------------------------------------------

_FLOW_NODE = re.compile(r"(Task|task|Event|Gateway|subProcess|callActivity|transaction"
                        r"|SubProcess)$")
# Children of a process that come before its lanes in the BPMN schema.
_BEFORE_LANES = {"documentation", "extensionElements", "auditing", "monitoring",
                 "categoryValueRef", "property", "laneSet"}


def _q(tag: str) -> str:
    return f"{{{BPMN_NS}}}{tag}"


def _set_properties(node: etree._Element, values: dict[str, str], ns: str) -> None:
    """Add name/value properties in the dialect ``ns`` (Spiff or Camunda) to ``node``."""
    ext = node.find(_q("extensionElements"))
    if ext is None:
        ext = etree.Element(_q("extensionElements"))
        docs = node.findall(_q("documentation"))
        node.insert(node.index(docs[-1]) + 1 if docs else 0, ext)
    props = ext.find(f"{{{ns}}}properties")
    if props is None:
        props = etree.SubElement(ext, f"{{{ns}}}properties")
    for key, value in values.items():
        etree.SubElement(props, f"{{{ns}}}property", name=key, value=value)


def _add_one_lane(process: etree._Element, code: str) -> None:
    """A lane holding every flow node of a process drawn without lanes."""
    lane_set = etree.Element(_q("laneSet"), id=f"{process.get('id')}_lanes")
    lane = etree.SubElement(lane_set, _q("lane"), id=f"{process.get('id')}_lane",
                            name="Một cửa")
    for node in process:
        if (isinstance(node.tag, str) and etree.QName(node).namespace == BPMN_NS
                and _FLOW_NODE.search(etree.QName(node).localname) and node.get("id")):
            etree.SubElement(lane, _q("flowNodeRef")).text = node.get("id")
    position = 0
    for index, child in enumerate(process):
        if isinstance(child.tag, str) and etree.QName(child).localname in _BEFORE_LANES:
            position = index + 1
    process.insert(position, lane_set)
    _set_properties(lane, {"department": code}, _dialect(process))


def _dialect(node: etree._Element) -> str:
    """Camunda properties in a file that speaks Camunda only, else Spiff properties."""
    spaces = set(node.getroottree().getroot().nsmap.values())
    return CAMUNDA_NS if CAMUNDA_NS in spaces and SPIFF_NS not in spaces else SPIFF_NS


def with_our_vocabulary(data: bytes) -> tuple[bytes, set[str]]:
    """The file made executable and given what a procedure needs, and its departments."""
    tree = safe_parse(data, "corpus")
    departments: set[str] = set()
    processes = tree.xpath("//bpmn:process", namespaces={"bpmn": BPMN_NS})
    for number, process in enumerate(processes, start=1):
        ns = _dialect(process)
        process.set("isExecutable", "true")
        _set_properties(process, {"deadline_unit": "working_days", "deadline": "1000",
                                  "procedure_code": f"INTEROP.{number:02d}",
                                  "field": "interop", "level": "commune"}, ns)
        lanes = process.xpath(".//bpmn:lane", namespaces={"bpmn": BPMN_NS})
        if not lanes:
            code = f"DEPT_{number}_1"
            _add_one_lane(process, code)
            departments.add(code)
        for index, lane in enumerate(lanes, start=1):
            code = f"DEPT_{number}_{index}"
            _set_properties(lane, {"department": code}, ns)
            departments.add(code)
        for task in process.xpath(".//bpmn:userTask | .//bpmn:manualTask",
                                  namespaces={"bpmn": BPMN_NS}):
            _set_properties(task, {"allowance": "0.5d"}, ns)
    return etree.tostring(tree, xml_declaration=True, encoding="UTF-8"), departments


def test_our_vocabulary_makes_a_procedure_of_a_plain_process() -> None:
    """The helper itself: a file of plain tasks becomes a procedure once given it."""
    data, departments = with_our_vocabulary(_read("miwg_A.4.1_camunda.bpmn"))
    bundle = read_bundle({"miwg_A.4.1_camunda.bpmn": data}, departments)
    keys = {p.meta.key for p in bundle.procedures}
    assert "Process_0h42ymn" in keys
    meta = next(p.meta for p in bundle.procedures if p.meta.key == "Process_0h42ymn")
    assert meta.deadline_unit == "working_days" and meta.level == "commune"
    assert all(dept in departments for _, dept in meta.lanes.values())


@pytest.mark.parametrize("name", _bpmn_files())
def test_a_file_given_our_vocabulary_ends_in_an_actionable_bundle(name: str) -> None:
    data, departments = with_our_vocabulary(_read(name))
    uploads = {name: data}
    bundle = read_bundle(uploads, departments)
    assert_actionable(bundle, uploads)


# Files whose user or manual tasks sit inside embedded sub-processes drawn in a lane.
SUB_PROCESS_TASKS = ("spiff_lanes.bpmn", "spiff_timer-non-interrupt-boundary.bpmn",
                     "bpmnjs_nested_subprocesses.bpmn")


@pytest.mark.parametrize("name", SUB_PROCESS_TASKS)
def test_a_task_inside_a_sub_process_is_in_the_lane_of_its_sub_process(name: str) -> None:
    data, departments = with_our_vocabulary(_read(name))
    bundle = read_bundle({name: data}, departments)
    outside = [p for p in bundle.problems if "outside every lane" in str(p.message)]
    assert not outside, _report(outside)
