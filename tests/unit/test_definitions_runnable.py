"""The validator refuses what the engine cannot run, and the documented procedure rules, each at
its element with what to write instead."""

from __future__ import annotations

import re

import pytest

from engine.calendar import WorkingCalendar
from engine.definitions import read_bundle
from engine.definitions.runnable import python_for_juel
from engine.errors import Problem
from engine.runtime.scripting import calendar_helpers
from engine.sandbox.allowed import OFFICE_HELPERS
from tests.bpmn_factory import FORMS, form, procedure

DEPTS = {"MOT_CUA", "TU_PHAP", "TC_KH", "QLDT", "LANH_DAO"}
CONDITION = 'ket_qua == "tu_choi"'


def problems(text: str, **extra: bytes) -> list[Problem]:
    return read_bundle({"thu.bpmn": text.encode(), **FORMS, **extra}, DEPTS).problems


def only(found: list[Problem]) -> Problem:
    assert len(found) == 1, "\n".join(map(str, found))
    return found[0]


def with_condition(condition: str) -> str:
    return procedure().replace(CONDITION, condition.replace("&", "&amp;").replace("<", "&lt;"))


def timer(expression: str, kind: str = "timeDuration") -> str:
    return procedure(extra_nodes=(
        '<bpmn:boundaryEvent id="nhac" attachedToRef="xu_ly" cancelActivity="false">'
        f"<bpmn:timerEventDefinition id=\"td\"><bpmn:{kind}>{expression}</bpmn:{kind}>"
        "</bpmn:timerEventDefinition></bpmn:boundaryEvent>"))


# --- expressions from other engines -------------------------------------------------------


def test_a_juel_condition_is_refused_once_with_its_python() -> None:
    found = only(problems(with_condition("${ket_qua == 'tu_choi' && !da_nop}")))
    assert found.element == "sequenceFlow 'f5'" and found.line == 15
    assert "is a Camunda (JUEL) expression; motcua evaluates Python" in str(found.message)
    assert str(found.message).endswith("write ket_qua == 'tu_choi' and not da_nop")


def test_a_juel_flag_becomes_a_comparison() -> None:
    assert python_for_juel("approved") == "approved == True"
    assert python_for_juel("a eq 'x' || b ne null") == "a == 'x' or b != None"


def test_a_feel_condition_is_refused() -> None:
    found = only(problems(with_condition('= ket_qua = "tu_choi"')))
    assert found.element == "sequenceFlow 'f5'"
    assert str(found.message).endswith(f"is a FEEL expression; motcua evaluates Python: write "
                                  f"{CONDITION}")


def test_feel_constants_are_named() -> None:
    found = only(problems(with_condition('ket_qua == "tu_choi" or da_nop == true')))
    assert found.element == "sequenceFlow 'f5'"
    assert "reads true, which Python does not know; write True" in str(found.message)


def test_a_script_in_another_language_is_refused_once() -> None:
    script = ('<bpmn:scriptTask id="tinh_phi" scriptFormat="javascript">'
              "<bpmn:script>var fee = 1000;</bpmn:script></bpmn:scriptTask>")
    found = only(problems(procedure(extra_nodes=script)))
    assert found.element == "scriptTask 'tinh_phi'"
    assert "scriptFormat 'javascript' cannot run: motcua runs Python scripts only" in \
        str(found.message)
    python = script.replace("javascript", "python").replace("var fee = 1000;", "fee = 1000")
    assert problems(procedure(extra_nodes=python)) == []


def test_a_service_task_is_refused_until_a_connector_exists() -> None:
    service = ('<bpmn:serviceTask id="tra_cuu" name="Tra cứu"><bpmn:extensionElements>'
               '<spiffworkflow:serviceTaskOperator id="http/GetRequest" resultVariable="r">'
               "<spiffworkflow:parameters/></spiffworkflow:serviceTaskOperator>"
               "</bpmn:extensionElements></bpmn:serviceTask>")
    found = only(problems(procedure(extra_nodes=service)))
    assert found.element == "serviceTask 'tra_cuu'"
    assert "cannot run (it asks for 'http/GetRequest'): motcua has no connector" in \
        str(found.message)
    assert "draw a user task" in str(found.message)


# --- timers ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("expression", "kind", "says"), [
    ("timedelta(hours=1)", "timeDuration", 'a timedelta value, not an ISO 8601 duration as '
                                           'text; write "PT1H"'),
    ("timedelta(days=2, minutes=30)", "timeDuration", 'write "P2DT30M"'),
    ("get_current_user()", "timeDuration", "timer calls get_current_user(), which motcua "
                                           "does not provide"),
    ("time.time()", "timeDuration", "timer uses time, which motcua does not provide"),
    ('"5 minutes"', "timeDuration", 'timer gives "5 minutes", which is not an ISO 8601 '
                                    'duration; write "PT1H" or "P3D"'),
    ("3600", "timeDuration", "timer gives 3600, a number"),
    ('"P1D"', "timeDate", 'timer gives "P1D", which is not an ISO 8601 date-time'),
    ('"PT1H"', "timeCycle", "not an ISO 8601 repetition"),
    ("${han}", "timeDuration", "timer ${han} is a Camunda (JUEL) expression"),
])
def test_timers_that_give_no_iso_8601_text(expression: str, kind: str, says: str) -> None:
    found = only(problems(timer(expression.replace('"', "&quot;"), kind)))
    assert found.element == "boundaryEvent 'nhac'"
    assert says in str(found.message)


@pytest.mark.parametrize(("expression", "kind"), [
    ('"PT1H"', "timeDuration"), ('"P3D"', "timeDuration"),
    ('"2026-03-10T09:00:00+07:00"', "timeDate"),
    ("add_working_days(date.today(), 2).isoformat()", "timeDate"),
    ("han_xu_ly", "timeDate"), ('"R3/PT1H"', "timeCycle"),
])
def test_timers_the_engine_can_read(expression: str, kind: str) -> None:
    assert problems(timer(expression.replace('"', "&quot;"), kind)) == []


def test_a_bare_timer_is_still_told_to_quote_it() -> None:
    found = only(problems(timer("PT1H")))
    assert 'quote it: "PT1H"' in str(found.message)


def test_the_validator_knows_the_office_helpers() -> None:
    assert set(calendar_helpers(WorkingCalendar.default())) == OFFICE_HELPERS


# --- the procedure rules ----------------------------------------------------------------------


def test_a_user_task_without_a_form_is_refused() -> None:
    found = only(problems(procedure(second_form=None)))
    assert found.element == "userTask 'xu_ly'"
    assert "user task 'Xử lý' has no 'form' property" in str(found.message)
    assert 'name="form" value="thu_tuc_thu.<step>.json"' in str(found.message)


def test_what_cannot_run_and_the_procedure_rules_are_reported_in_one_validation() -> None:
    """The missing form was once found only after the JUEL condition had been fixed."""
    text = procedure(second_form=None).replace(CONDITION, "${ket_qua == 'tu_choi'}")
    found = problems(text)
    assert [p.element for p in found] == ["sequenceFlow 'f5'", "userTask 'xu_ly'"], found
    assert "<spiffworkflow:property name=\"form\"" in str(found[1].message)


def test_a_file_that_is_not_valid_bpmn_stops_at_its_schema_problems() -> None:
    text = procedure(second_form=None).replace("<bpmn:laneSet", "<bpmn:laneSett", 1)
    text = text.replace("</bpmn:laneSet>", "</bpmn:laneSett>", 1)
    assert {p.element for p in problems(text)} == {"schema"}


def test_a_manual_task_needs_no_form() -> None:
    text = procedure(second_form=None).replace(
        '<bpmn:userTask id="xu_ly" name="Xử lý">', '<bpmn:manualTask id="xu_ly" name="Xử lý">')
    text = text[::-1].replace("</bpmn:userTask>"[::-1], "</bpmn:manualTask>"[::-1], 1)[::-1]
    assert problems(text) == []


def test_the_decision_variable_must_be_required_by_the_step_before() -> None:
    found = only(problems(procedure(), **{"thu.xu_ly.json": form("Xử lý")}))
    assert found.element == "sequenceFlow 'f5'"
    assert (f"condition {CONDITION} of gateway 'Kết quả?' reads ket_qua, which the form "
            "thu.xu_ly.json of the step 'Xử lý' just before it does not require "
            '(required: none); add "ket_qua"') in str(found.message)


def test_a_business_rule_task_names_a_decision_of_these_files() -> None:
    nameless = '<bpmn:businessRuleTask id="tinh_phi" name="Tính phí"/>'
    found = only(problems(procedure(extra_nodes=nameless)))
    assert found.element == "businessRuleTask 'tinh_phi'"
    assert "names no decision: add <spiffworkflow:calledDecisionId>" in str(found.message)
    unknown = ('<bpmn:businessRuleTask id="tinh_phi" name="Tính phí"><bpmn:extensionElements>'
               "<spiffworkflow:calledDecisionId>phi_khong_co</spiffworkflow:calledDecisionId>"
               "</bpmn:extensionElements></bpmn:businessRuleTask>")
    found = only(problems(procedure(extra_nodes=unknown)))
    assert "calls decision 'phi_khong_co', which no DMN file among these files defines" in \
        str(found.message)


def test_a_procedure_has_a_resolved_and_a_refused_end() -> None:
    found = only(problems(procedure().replace('value="refused"', 'value="resolved"')))
    assert found.element == "process 'thu_tuc_thu'" and found.line == 3
    assert "no end event has outcome 'refused'" in str(found.message)
    assert 'name="outcome" value="refused"' in str(found.message)


def test_a_department_has_one_lane() -> None:
    second = ('<bpmn:lane id="lane_b" name="Một cửa (trả kết quả)"><bpmn:extensionElements>'
              '<spiffworkflow:properties><spiffworkflow:property name="department" '
              'value="MOT_CUA"/></spiffworkflow:properties></bpmn:extensionElements>'
              "</bpmn:lane></bpmn:laneSet>")
    found = only(problems(procedure().replace("</bpmn:laneSet>", second)))
    assert found.element == "lane 'lane_b'"
    assert "department 'MOT_CUA' already has the lane 'Một cửa' (lane_a)" in str(found.message)


# --- DMN ----------------------------------------------------------------------------------------

DMN13 = "https://www.omg.org/spec/DMN/20191111/MODEL/"
DMN12 = "http://www.omg.org/spec/DMN/20180521/MODEL/"


def dmn(namespace: str = DMN13, entry: str = "&lt;= 2", diagram: bool = True,
        decision: str = "phi_thu") -> bytes:
    di = namespace.replace("MODEL", "DMNDI")
    drawing = (f'<dmndi:DMNDI><dmndi:DMNDiagram id="dg"><dmndi:DMNShape id="sh" '
               f'dmnElementRef="{decision}"><dc:Bounds height="80" width="180" x="160" y="100"/>'
               "</dmndi:DMNShape></dmndi:DMNDiagram></dmndi:DMNDI>") if diagram else ""
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n<definitions xmlns="{namespace}" '
            f'xmlns:dmndi="{di}" xmlns:dc="http://www.omg.org/spec/DMN/20180521/DC/" '
            'id="d_phi" name="Phí" namespace="urn:motcua:test">\n'
            f'<decision id="{decision}" name="Phí thử">\n'
            '<decisionTable id="bang" hitPolicy="UNIQUE">\n'
            '<input id="i1" label="Số trang"><inputExpression id="ie1" typeRef="integer">'
            "<text>pages</text></inputExpression></input>\n"
            '<output id="o1" label="Phí" name="fee" typeRef="integer"/>\n'
            f'<rule id="r1"><inputEntry id="e1"><text>{entry}</text></inputEntry>\n'
            '<outputEntry id="x1"><text>2000</text></outputEntry></rule>\n'
            f"</decisionTable>\n</decision>\n{drawing}\n</definitions>\n").encode()


def with_decision(decision: str = "phi_thu") -> str:
    task = ('<bpmn:businessRuleTask id="tinh_phi" name="Tính phí"><bpmn:extensionElements>'
            f"<spiffworkflow:calledDecisionId>{decision}</spiffworkflow:calledDecisionId>"
            "</bpmn:extensionElements><bpmn:incoming>f1</bpmn:incoming>"
            "<bpmn:outgoing>f0</bpmn:outgoing></bpmn:businessRuleTask>"
            '<bpmn:sequenceFlow id="f0" sourceRef="tinh_phi" targetRef="tiep_nhan"/>')
    return procedure(extra_nodes=task).replace(
        '<bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="tiep_nhan"/>',
        '<bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="tinh_phi"/>')


@pytest.mark.parametrize("namespace", [DMN13, DMN12], ids=["dmn-1.3", "dmn-1.2"])
def test_dmn_files_with_their_diagram_validate_and_build(namespace: str) -> None:
    bundle = read_bundle({"thu.bpmn": with_decision().encode(), **FORMS,
                          "phi_thu.dmn": dmn(namespace)}, DEPTS)
    assert bundle.problems == []
    [built] = bundle.procedures
    assert "phi_thu.dmn" in built.files


def test_a_dmn_file_no_procedure_uses_is_schema_checked() -> None:
    broken = dmn(DMN12).replace(b'hitPolicy="UNIQUE"', b'hitPolicy="SOMETIMES"')
    found = only(problems(procedure(), **{"le.dmn": broken}))
    assert (found.file, found.element, found.line) == ("le.dmn", "schema", 4)
    assert "hitPolicy" in str(found.message) and "SOMETIMES" in str(found.message)


@pytest.mark.parametrize(("entry", "write"), [
    ("[3..197]", "write 3 &lt;= ? &lt;= 197"), ("]3..10[", "write 3 &lt; ? &lt; 10"),
    ('"direct","post"', 'write ? in ("direct","post")'),
    ('not("online")', 'write ? not in ("online",)'),
])
def test_feel_input_entries_are_refused_with_their_python(entry: str, write: str) -> None:
    found = only(problems(procedure(), **{"phi_thu.dmn": dmn(entry=entry)}))
    assert (found.file, found.element) == ("phi_thu.dmn", "inputEntry 'e1'")
    assert re.sub("&lt;", "<", write) in str(found.message)
