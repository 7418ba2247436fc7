"""Diagrams for the pages: code hidden from readers, problems placed on elements, and the
elements that changed between two versions."""

from __future__ import annotations

from lxml import etree

from engine.errors import Problem
from engine.i18n import translate
from engine.service.diagrams import compare, problem_element, without_code
from tests.conftest import PROCESSES

XML = (PROCESSES / "chung_thuc_ban_sao.bpmn").read_text(encoding="utf-8")


def test_scripts_and_conditions_are_emptied_for_readers() -> None:
    shown = without_code(XML)
    assert "phi_mot_ban * copies" not in shown
    assert 'ket_qua_xu_ly == "tu_choi"' not in shown
    assert 'id="Task_TinhTongPhi"' in shown and "BPMNShape" in shown


def test_problems_point_at_their_element() -> None:
    lane = Problem("f.bpmn", 34, "lane 'Lane_TuPhap'", "department unknown")
    process = Problem("f.bpmn", 9, "process 'chung_thuc_ban_sao'", "no code")
    schema = Problem("f.bpmn", 104, "schema", "bad element")
    assert problem_element(lane, XML) == "Lane_TuPhap"
    assert problem_element(process, XML) == "Participant_chung_thuc_ban_sao"
    assert problem_element(schema, XML) == "Task_XuLy"
    assert problem_element(Problem("f.bpmn", None, "file", "x"), "not xml") is None


def test_a_problem_in_a_form_or_a_fee_table_is_on_no_diagram_element() -> None:
    for name in ("phi.dmn", "chung_thuc_ban_sao.xu_ly.json"):
        assert problem_element(Problem(name, 34, "inputEntry 'Lane_TuPhap'", "x"), XML) is None


def test_compare_finds_added_removed_and_changed_elements() -> None:
    changed = XML.replace('name="allowance" value="3h"', 'name="allowance" value="2h"')
    changed = changed.replace('name="Trả kết quả, thu phí"', 'name="Trả kết quả"')
    changed = changed.replace(
        '<bpmn:sequenceFlow id="Flow_DaTraKetQua" sourceRef="Task_TraKetQua" '
        'targetRef="End_DaTraKetQua"/>',
        '<bpmn:sequenceFlow id="Flow_Moi" sourceRef="Task_TraKetQua" '
        'targetRef="End_DaTraKetQua"/>')
    result = compare(XML, changed)
    assert [c.id for c in result.added] == ["Flow_Moi"]
    assert [c.id for c in result.removed] == ["Flow_DaTraKetQua"]
    vi = {c.id: [translate("vi", d) for d in c.details] for c in result.changed}
    assert vi["Task_XuLy"] == ["thời gian xử lý: 3 giờ → 2 giờ"]
    assert vi["Task_TraKetQua"] == ["tên: Trả kết quả, thu phí → Trả kết quả"]
    en = {c.id: [translate("en", d) for d in c.details] for c in result.changed}
    assert en["Task_XuLy"] == ["time allowed: 3 h → 2 h"]
    assert en["Task_TraKetQua"] == ["name: Trả kết quả, thu phí → Trả kết quả"]
    assert compare(XML, XML).same


def test_a_step_moved_by_drawing_into_another_lane_inside_a_sub_process_is_a_lane_change(
        ) -> None:
    """bpmn-js lists only the sub-process in its lane; the step's lane is where it is drawn,
    as the engine reads it, so the comparison shows the move."""
    from pathlib import Path

    camunda = (Path(__file__).resolve().parents[1] / "data"
               / "camunda_modeler_tham_dinh.bpmn").read_text(encoding="utf-8")
    tree = etree.fromstring(camunda.encode())
    ns = {"bpmndi": "http://www.omg.org/spec/BPMN/20100524/DI",
          "dc": "http://www.omg.org/spec/DD/20100524/DC",
          "bpmn": "http://www.omg.org/spec/BPMN/20100524/MODEL"}
    # the sign-off inside the sub-process, moved up into the justice officer's lane
    signed = tree.xpath("//bpmn:subProcess//bpmn:userTask", namespaces=ns)[-1].get("id")
    first = tree.xpath("//bpmn:subProcess//bpmn:userTask", namespaces=ns)[0].get("id")
    to = tree.xpath(f"//bpmndi:BPMNShape[@bpmnElement='{first}']/dc:Bounds", namespaces=ns)[0]
    moved = tree.xpath(f"//bpmndi:BPMNShape[@bpmnElement='{signed}']/dc:Bounds",
                       namespaces=ns)[0]
    moved.set("y", to.get("y"))
    result = compare(camunda, etree.tostring(tree, encoding="unicode"))
    changed = {c.id: c for c in result.changed}
    assert signed in changed, result
    assert any(translate("vi", line).startswith("làn: ")
               for line in changed[signed].details), changed[signed]


def test_compared_values_are_shown_by_their_meaning_as_the_reader_writes_them() -> None:
    changed = XML.replace('name="allowance" value="3h"', 'name="allowance" value="3.5h"')
    [item] = [c for c in compare(XML, changed).changed if c.id == "Task_XuLy"]
    assert [translate("vi", d) for d in item.details] == ["thời gian xử lý: 3 giờ → 3,5 giờ"]
    assert [translate("en", d) for d in item.details] == ["time allowed: 3 h → 3.5 h"]
