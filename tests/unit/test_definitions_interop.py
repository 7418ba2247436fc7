"""Named regressions from diagrams drawn in other tools: the step metadata of embedded
sub-processes, the parser chosen by what a file uses, the deadline check's cost and depth,
and parser failures turned into located problems."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

import pytest

from engine.definitions import read_bundle
from engine.model import ProcedureVersion
from engine.runtime import workflows
from engine.runtime.procedures import load
from engine.runtime.state import dump_state, load_state
from engine.sandbox import SandboxScriptEngine
from engine.sandbox.limits import Limits
from tests.bpmn_factory import HEADER, props

DEPTS = {"MOT_CUA", "TU_PHAP"}
# The documented rule wants a refused end too; these tests never reach it.
REFUSED_END = (f'<bpmn:endEvent id="tu_choi" name="Từ chối">{props(outcome="refused")}'
               "</bpmn:endEvent>")
FORM = "thu.buoc.json"
FORM_FILES = {FORM: b'{"type": "object", "properties": {}}'}
PROCESS_PROPS = props(procedure_code="1.000001", field="Thử nghiệm", level="commune",
                      deadline="3", deadline_unit="working_days")


def _user_task(task_id: str, name: str, incoming: str, outgoing: str,
               allowance: str = "1d") -> str:
    return (f'<bpmn:userTask id="{task_id}" name="{name}">'
            f"{props(allowance=allowance, form=FORM)}"
            f"<bpmn:incoming>{incoming}</bpmn:incoming><bpmn:outgoing>{outgoing}</bpmn:outgoing>"
            "</bpmn:userTask>")


def embedded_subprocess(list_inner_tasks_in_lane: bool) -> str:
    """Desk receives; the justice lane's sub-process holds the appraisal user task."""
    inner_refs = "<bpmn:flowNodeRef>tham_dinh</bpmn:flowNodeRef>" if list_inner_tasks_in_lane \
        else ""
    return HEADER + (
        f'<bpmn:process id="co_quy_trinh_con" name="Có quy trình con" isExecutable="true">'
        f"{PROCESS_PROPS}"
        '<bpmn:laneSet id="ls">'
        f'<bpmn:lane id="lane_mc" name="Một cửa">{props(department="MOT_CUA")}'
        "<bpmn:flowNodeRef>start</bpmn:flowNodeRef><bpmn:flowNodeRef>tiep_nhan</bpmn:flowNodeRef>"
        "<bpmn:flowNodeRef>end</bpmn:flowNodeRef></bpmn:lane>"
        f'<bpmn:lane id="lane_tp" name="Tư pháp">{props(department="TU_PHAP")}'
        f"<bpmn:flowNodeRef>sub</bpmn:flowNodeRef>{inner_refs}</bpmn:lane></bpmn:laneSet>"
        '<bpmn:startEvent id="start"><bpmn:outgoing>f1</bpmn:outgoing></bpmn:startEvent>'
        '<bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="tiep_nhan"/>'
        + _user_task("tiep_nhan", "Tiếp nhận", "f1", "f2", "0.5d") +
        '<bpmn:sequenceFlow id="f2" sourceRef="tiep_nhan" targetRef="sub"/>'
        '<bpmn:subProcess id="sub" name="Thẩm định">'
        "<bpmn:incoming>f2</bpmn:incoming><bpmn:outgoing>f3</bpmn:outgoing>"
        '<bpmn:startEvent id="sub_start"><bpmn:outgoing>s1</bpmn:outgoing></bpmn:startEvent>'
        '<bpmn:sequenceFlow id="s1" sourceRef="sub_start" targetRef="tham_dinh"/>'
        + _user_task("tham_dinh", "Thẩm định hồ sơ", "s1", "s2", "2d") +
        '<bpmn:sequenceFlow id="s2" sourceRef="tham_dinh" targetRef="sub_end"/>'
        '<bpmn:endEvent id="sub_end"><bpmn:incoming>s2</bpmn:incoming></bpmn:endEvent>'
        "</bpmn:subProcess>"
        '<bpmn:sequenceFlow id="f3" sourceRef="sub" targetRef="end"/>'
        '<bpmn:endEvent id="end"><bpmn:incoming>f3</bpmn:incoming></bpmn:endEvent>'
        f'{REFUSED_END}</bpmn:process></bpmn:definitions>')


def _version(files: dict[str, str], key: str) -> ProcedureVersion:
    return ProcedureVersion(1, key, 1, "0" * 64, datetime(2026, 1, 5, tzinfo=UTC), "test",
                            {}, files)


@pytest.mark.parametrize("listed", [True, False], ids=["inner-task-listed", "only-sub-listed"])
def test_a_step_inside_an_embedded_subprocess_keeps_its_lane_allowance_and_form(
        listed: bool) -> None:
    xml = embedded_subprocess(listed)
    loaded = load(_version({"p.bpmn": xml}, "co_quy_trinh_con"))
    workflow = workflows.start(loaded, {})
    (desk,) = workflows.ready_steps(workflow, loaded)
    assert desk.meta is not None and desk.meta.department == "MOT_CUA"
    workflows.complete(workflow, desk.task_uuid, {})
    (inner,) = workflows.ready_steps(workflow, loaded)
    assert inner.step_id == "tham_dinh"
    assert inner.process_id == "sub"  # SpiffWorkflow names the inner workflow after it
    assert inner.meta is not None
    assert inner.meta.department == "TU_PHAP"
    assert str(inner.meta.allowance) == "2d"


CAMUNDA_FILE = Path(__file__).resolve().parents[1] / "data" / "camunda_modeler_tham_dinh.bpmn"
INNER_DRAWING = re.compile(r'\s*<bpmndi:BPMNShape id="Event_BatDauThamDinh_di".*?'
                           r'<bpmndi:BPMNEdge id="Flow_DaKy_di".*?</bpmndi:BPMNEdge>', re.S)


def _departments(xml: str) -> dict[str, str | None]:
    from engine.definitions.vocabulary import NS, read_procedure
    from engine.definitions.xml import safe_parse

    [process] = safe_parse(xml.encode(), "f.bpmn").xpath("//bpmn:process", namespaces=NS)
    return {s.id: s.department for s in read_procedure(process, "f.bpmn").steps.values()}


def test_a_step_in_a_subprocess_no_lane_lists_takes_the_lane_it_is_drawn_in() -> None:
    """bpmn-js lists only the sub-process in its lane; the leader signs in the leader's."""
    assert _departments(CAMUNDA_FILE.read_text()) == {
        "Task_TiepNhan": "MOT_CUA", "Task_ThamDinh": "TU_PHAP",
        "Task_KyGiayChungNhan": "LANH_DAO"}


def test_a_lane_that_lists_the_step_wins_over_the_drawing() -> None:
    xml = CAMUNDA_FILE.read_text().replace(
        "<bpmn:flowNodeRef>SubProcess_ThamDinh</bpmn:flowNodeRef>",
        "<bpmn:flowNodeRef>SubProcess_ThamDinh</bpmn:flowNodeRef>"
        "<bpmn:flowNodeRef>Task_KyGiayChungNhan</bpmn:flowNodeRef>")
    assert _departments(xml)["Task_KyGiayChungNhan"] == "TU_PHAP"


def test_a_collapsed_subprocess_drawn_on_its_own_plane_gives_its_steps_its_lane() -> None:
    """Its inside has coordinates of its own plane, which say nothing about the lanes."""
    xml = CAMUNDA_FILE.read_text()
    inner = INNER_DRAWING.search(xml)
    assert inner
    plane = ('<bpmndi:BPMNDiagram id="BPMNDiagram_sub"><bpmndi:BPMNPlane id="BPMNPlane_sub" '
             f'bpmnElement="SubProcess_ThamDinh">{inner.group(0)}</bpmndi:BPMNPlane>'
             "</bpmndi:BPMNDiagram>")
    xml = (xml[:inner.start()] + xml[inner.end():]).replace('isExpanded="true"',
                                                           'isExpanded="false"')
    xml = xml.replace("</bpmn:definitions>", plane + "</bpmn:definitions>")
    assert _departments(xml)["Task_KyGiayChungNhan"] == "TU_PHAP"


def test_a_subprocess_without_a_drawing_gives_its_steps_its_lane() -> None:
    xml = CAMUNDA_FILE.read_text()
    xml = xml[:xml.index("<bpmndi:BPMNDiagram")] + "</bpmn:definitions>"
    assert _departments(xml)["Task_KyGiayChungNhan"] == "TU_PHAP"


def test_the_deadline_check_counts_the_steps_inside_a_subprocess() -> None:
    xml = embedded_subprocess(True).replace('value="2d"', 'value="3d"')
    problems = read_bundle({"p.bpmn": xml.encode(), **FORM_FILES}, DEPTS).problems
    fit = [p for p in problems if "add up to" in str(p.message)]
    assert fit, problems
    assert "Tiếp nhận → Thẩm định hồ sơ" in str(fit[0].message)
    assert "26.25 working hours" in str(fit[0].message)


def _decisions(count: int, hours: float = 1.0) -> str:
    """`count` yes/no decisions in a row, each branch a one-hour step; then one end."""
    body = ['<bpmn:startEvent id="start"><bpmn:outgoing>in0</bpmn:outgoing></bpmn:startEvent>']
    refs = ["start", "end"]
    for i in range(count):
        body.append(f'<bpmn:exclusiveGateway id="g{i}" default="no{i}"/>')
        body.append(f'<bpmn:sequenceFlow id="in{i}" sourceRef="{"start" if i == 0 else f"j{i-1}"}"'
                    f' targetRef="g{i}"/>')
        for branch in ("a", "b"):
            task = f"t{i}{branch}"
            body.append(f'<bpmn:manualTask id="{task}" name="Bước {i}{branch}">'
                        f'{props(allowance=f"{hours:g}h")}</bpmn:manualTask>')
            flow = f"no{i}" if branch == "b" else f"yes{i}"
            cond = ("" if branch == "b" else
                    '<bpmn:conditionExpression>x == 1</bpmn:conditionExpression>')
            body.append(f'<bpmn:sequenceFlow id="{flow}" sourceRef="g{i}" targetRef="{task}">'
                        f"{cond}</bpmn:sequenceFlow>")
            body.append(f'<bpmn:sequenceFlow id="o{i}{branch}" sourceRef="{task}" '
                        f'targetRef="j{i}"/>')
            refs.append(task)
        body.append(f'<bpmn:exclusiveGateway id="j{i}"/>')
        refs += [f"g{i}", f"j{i}"]
    body.append(f'<bpmn:sequenceFlow id="last" sourceRef="j{count - 1}" targetRef="end"/>')
    body.append('<bpmn:endEvent id="end"/>')
    lane = (f'<bpmn:laneSet id="ls"><bpmn:lane id="l" name="Một cửa">{props(department="MOT_CUA")}'
            + "".join(f"<bpmn:flowNodeRef>{r}</bpmn:flowNodeRef>" for r in refs)
            + "</bpmn:lane></bpmn:laneSet>")
    pp = props(procedure_code="1.000001", field="Thử nghiệm", level="commune",
               deadline="250", deadline_unit="working_hours")
    return HEADER + (f'<bpmn:process id="nhieu_quyet_dinh" name="Nhiều quyết định" '
                     f'isExecutable="true">{pp}{lane}{"".join(body)}{REFUSED_END}'
                     "</bpmn:process></bpmn:definitions>")


def _fit_problems(xml: str) -> list[str]:
    from lxml import etree

    from engine.definitions.lint import lint_procedure
    from engine.definitions.vocabulary import NS, read_procedure

    proc = etree.fromstring(xml.encode()).xpath("//bpmn:process", namespaces=NS)[0]
    meta = read_procedure(proc, "p.bpmn")
    return [str(p.message) for p in lint_procedure(meta, proc, DEPTS, set(), set())
            if "add up to" in str(p.message)]


def test_the_deadline_check_is_linear_in_the_number_of_decisions() -> None:
    """Forty decisions in a row are 2**40 paths; the check weighs each element once. (The
    time it takes lives in make bench.)"""
    from lxml import etree

    from engine.definitions.paths import HeaviestPath
    from engine.definitions.vocabulary import NS

    proc = etree.fromstring(_decisions(40).encode()).xpath("//bpmn:process", namespaces=NS)[0]
    weighed: list[str] = []

    def weight(node: etree._Element) -> tuple[float, str]:
        weighed.append(node.get("id"))
        return (1.0, node.get("id")) if node.get("id").startswith("t") else (0.0, "")

    path = HeaviestPath(weight, {}).of(proc)
    assert path.hours == 40
    assert len(path.steps) == 40
    assert sorted(weighed) == sorted(set(weighed))  # every element once
    assert len(weighed) == 3 + 4 * 40  # start, refused end, end; four per decision
    assert _fit_problems(_decisions(40)) == []


def test_the_deadline_check_has_no_depth_cap() -> None:
    """300 one-hour decisions in a row against a 250-working-hour deadline."""
    (message,) = _fit_problems(_decisions(300))
    assert "300 working hours" in message
    assert "more than the statutory deadline (250 working hours)" in message


def test_a_loop_back_is_counted_once() -> None:
    xml = _decisions(2).replace(
        '<bpmn:sequenceFlow id="last"',
        '<bpmn:sequenceFlow id="back" sourceRef="j1" targetRef="g0">'
        "<bpmn:conditionExpression>x == 2</bpmn:conditionExpression></bpmn:sequenceFlow>"
        '<bpmn:sequenceFlow id="last"').replace('deadline" value="250"', 'deadline" value="1"')
    (message,) = _fit_problems(xml)
    assert "add up to 2 working hours" in message


PROCESSES = __import__("pathlib").Path(__file__).resolve().parents[2] / "processes"
CAMUNDA_DECLARED = 'xmlns:camunda="http://camunda.org/schema/1.0/bpmn" '


def _copy_certification(edit: str = "") -> dict[str, bytes]:
    """The shipped copy-certification bundle, its BPMN declaring the Camunda namespace as
    bpmn-js and older SpiffArena write it, plus ``edit`` inserted before the first task."""
    files = {p.name: p.read_bytes() for p in (PROCESSES / "forms").glob("chung_thuc_ban_sao.*")}
    files["phi_chung_thuc_ban_sao.dmn"] = (PROCESSES / "phi_chung_thuc_ban_sao.dmn").read_bytes()
    xml = (PROCESSES / "chung_thuc_ban_sao.bpmn").read_text()
    xml = xml.replace("<bpmn:definitions ", "<bpmn:definitions " + CAMUNDA_DECLARED, 1)
    if edit:
        xml = xml.replace('<bpmn:businessRuleTask id="Task_TinhPhiMotBan"', edit, 1)
    files["chung_thuc_ban_sao.bpmn"] = xml.encode()
    return files


def test_a_declared_camunda_namespace_does_not_choose_the_camunda_reader() -> None:
    """It once did: then spiffworkflow:calledDecisionId raised KeyError (a 500)."""
    bundle = read_bundle(_copy_certification(), {"MOT_CUA", "TU_PHAP", "LANH_DAO"})
    assert bundle.problems == []
    assert [p.meta.key for p in bundle.procedures] == ["chung_thuc_ban_sao"]


def test_camunda_and_spiffworkflow_extensions_in_one_procedure_are_refused_located() -> None:
    edit = ('<bpmn:businessRuleTask id="other" camunda:decisionRef="phi_chung_thuc_ban_sao"/>'
            '<bpmn:businessRuleTask id="Task_TinhPhiMotBan"')
    problems = read_bundle(_copy_certification(edit), {"MOT_CUA", "TU_PHAP", "LANH_DAO"}).problems
    mixed = [p for p in problems if "one vocabulary" in str(p.message)]
    assert len(mixed) == 1, problems
    assert mixed[0].element == "bpmn:businessRuleTask @camunda:decisionRef"
    assert mixed[0].line is not None
    assert "spiffworkflow:calledDecisionId" in str(mixed[0].message)


def test_camunda_listeners_are_refused_not_silently_skipped() -> None:
    edit = ('<bpmn:manualTask id="nghe"><bpmn:extensionElements><camunda:executionListener '
            'event="start"><camunda:script scriptFormat="groovy">x</camunda:script>'
            "</camunda:executionListener></bpmn:extensionElements></bpmn:manualTask>"
            '<bpmn:businessRuleTask id="Task_TinhPhiMotBan"')
    problems = read_bundle(_copy_certification(edit), {"MOT_CUA", "TU_PHAP", "LANH_DAO"}).problems
    listener = [p for p in problems if "listeners" in str(p.message)]
    assert [p.element for p in listener] == ["manualTask 'nghe'"], problems
    assert "script task" in str(listener[0].message)


def _chain(count: int) -> str:
    """Desk step, then ``count`` script tasks in a row."""
    nodes = ['<bpmn:startEvent id="start"/>',
             _user_task("tiep_nhan", "Tiếp nhận", "f_start", "f0", "1h").replace(
                 "<bpmn:userTask", "<bpmn:manualTask").replace("</bpmn:userTask>",
                                                               "</bpmn:manualTask>"),
             '<bpmn:sequenceFlow id="f_start" sourceRef="start" targetRef="tiep_nhan"/>']
    previous = "tiep_nhan"
    for i in range(count):
        nodes.append(f'<bpmn:scriptTask id="s{i}"><bpmn:script>n = {i}</bpmn:script>'
                     "</bpmn:scriptTask>")
        nodes.append(f'<bpmn:sequenceFlow id="c{i}" sourceRef="{previous}" targetRef="s{i}"/>')
        previous = f"s{i}"
    nodes.append(f'<bpmn:sequenceFlow id="last" sourceRef="{previous}" targetRef="end"/>')
    nodes.append('<bpmn:endEvent id="end"/>')
    refs = "".join(f"<bpmn:flowNodeRef>{n}</bpmn:flowNodeRef>" for n in
                   ["start", "tiep_nhan", "end", *(f"s{i}" for i in range(count))])
    return HEADER + (
        f'<bpmn:process id="chuoi_dai" name="Chuỗi dài" isExecutable="true">{PROCESS_PROPS}'
        f'<bpmn:laneSet id="ls"><bpmn:lane id="l" name="Một cửa">{props(department="MOT_CUA")}'
        f"{refs}</bpmn:lane></bpmn:laneSet>{''.join(nodes)}{REFUSED_END}"
        "</bpmn:process></bpmn:definitions>")


def test_a_chain_longer_than_the_engine_follows_is_refused_located() -> None:
    (problem,) = read_bundle({"chuoi.bpmn": _chain(1000).encode(), **FORM_FILES},
                             DEPTS).problems
    assert problem.element == "process 'chuoi_dai'"
    assert problem.line == 3
    assert str(problem.message).startswith("1,003 elements follow each other here")
    assert "sub-process" in str(problem.message)


def test_a_chain_of_six_hundred_tasks_is_read_and_run_without_a_recursion_error() -> None:
    """Python's default recursion limit once stopped the reader at about 480."""
    xml = _chain(600)
    bundle = read_bundle({"chuoi.bpmn": xml.encode(), **FORM_FILES}, DEPTS)
    assert bundle.problems == []
    loaded = load(_version({"chuoi.bpmn": xml}, "chuoi_dai"))
    # The office's 2 s for the automatic steps of one action is not what is tested here.
    scripts = SandboxScriptEngine(Limits(step_ms=600_000))
    workflow = workflows.start(loaded, {}, scripts)
    workflow = load_state(dump_state(workflow), loaded.spec, loaded.subprocess_specs, scripts)
    (desk,) = workflows.ready_steps(workflow, loaded)
    workflows.complete(workflow, desk.task_uuid, {})
    assert workflow.completed
    assert workflows.current_data(workflow)["n"] == 599


def test_a_data_store_the_engine_lacks_is_located_and_says_what_to_do() -> None:
    xml = embedded_subprocess(True).replace(
        '<bpmn:process id="co_quy_trinh_con"',
        '<bpmn:dataStore id="kho" name="so_ho_tich"/>\n<bpmn:process id="co_quy_trinh_con"')
    (problem,) = read_bundle({"p.bpmn": xml.encode(), **FORM_FILES}, DEPTS).problems
    assert problem.file == "p.bpmn"
    assert problem.line == xml[:xml.index("<bpmn:dataStore")].count("\n") + 1
    assert problem.element == "dataStore 'kho'"
    assert "no data store 'so_ho_tich'" in str(problem.message)


@pytest.mark.parametrize(("raised", "expected"), [
    ("Multiple outgoing flows are not supported for tasks of type",
     "a user task may have only one outgoing flow; put an exclusive or parallel gateway "
     "after it"),
    ("Error at <Element {http://www.omg.org/spec/BPMN/20100524/MODEL}userTask at 0x7f3a2b>..",
     "the BPMN reader could not read this element: Error at bpmn:userTask"),
    ("NotImplementedError(b'<bpmn:boundaryEvent id=\"x\" cancelActivity=\"false\"/>')",
     "the BPMN reader could not read this element: NotImplementedError(<bpmn:boundaryEvent …>)"),
])
def test_reader_texts_reach_designers_rewritten_without_reprs(raised: str, expected: str) -> None:
    from lxml import etree

    from engine.definitions.parser_problems import problem_from

    node = etree.fromstring(
        '<bpmn:userTask xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="t"/>')

    def reader() -> None:
        assert node is not None
        raise ValueError(raised)

    try:
        reader()
    except ValueError as exc:
        problem = problem_from(exc, "p.bpmn", {})
    assert str(problem.message) == expected
    assert problem.element == "userTask 't'"


def test_a_call_activity_naming_no_process_says_so_not_none() -> None:
    xml = embedded_subprocess(True).replace(
        '<bpmn:subProcess id="sub" name="Thẩm định">',
        '<bpmn:callActivity id="goi" name="Gọi"/><bpmn:subProcess id="sub" name="Thẩm định">')
    problems = read_bundle({"p.bpmn": xml.encode(), **FORM_FILES}, DEPTS).problems
    called = [p for p in problems if p.element == "callActivity 'goi'"]
    assert [str(p.message) for p in called] == [
        "the call activity names no process; set calledElement to the id of the process it "
        "calls"]
    assert all("None" not in str(p.message) for p in problems)
