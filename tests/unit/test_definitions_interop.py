"""Named regressions from diagrams drawn in other tools: the step metadata of embedded
sub-processes, the parser chosen by what a file uses, the deadline check's cost and depth,
and parser failures turned into located problems."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from engine.definitions import read_bundle
from engine.model import ProcedureVersion
from engine.runtime import workflows
from engine.runtime.procedures import load
from tests.bpmn_factory import HEADER, props

DEPTS = {"MOT_CUA", "TU_PHAP"}
PROCESS_PROPS = props(procedure_code="1.000001", field="Thử nghiệm", level="commune",
                      deadline="3", deadline_unit="working_days")


def _user_task(task_id: str, name: str, incoming: str, outgoing: str,
               allowance: str = "1d") -> str:
    return (f'<bpmn:userTask id="{task_id}" name="{name}">{props(allowance=allowance)}'
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
        "</bpmn:process></bpmn:definitions>")


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


def test_the_deadline_check_counts_the_steps_inside_a_subprocess() -> None:
    xml = embedded_subprocess(True).replace('value="2d"', 'value="3d"')
    problems = read_bundle({"p.bpmn": xml.encode()}, DEPTS).problems
    fit = [p for p in problems if "add up to" in p.message]
    assert fit, problems
    assert "Tiếp nhận → Thẩm định hồ sơ" in fit[0].message
    assert "26.25 working hours" in fit[0].message


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
                     f'isExecutable="true">{pp}{lane}{"".join(body)}'
                     "</bpmn:process></bpmn:definitions>")


def _fit_problems(xml: str) -> list[str]:
    from lxml import etree

    from engine.definitions.lint import lint_procedure
    from engine.definitions.vocabulary import NS, read_procedure

    proc = etree.fromstring(xml.encode()).xpath("//bpmn:process", namespaces=NS)[0]
    meta = read_procedure(proc, "p.bpmn")
    return [p.message for p in lint_procedure(meta, proc, DEPTS, set(), set())
            if "add up to" in p.message]


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
    assert len(weighed) == 2 + 4 * 40
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
