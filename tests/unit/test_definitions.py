"""Validation and lint of procedure definitions: every problem located as file:line."""

from __future__ import annotations

import pytest

from engine.definitions import read_bundle
from engine.definitions.dossier_deadline import dossier_deadline
from engine.definitions.xml import safe_parse
from engine.errors import Problem, UnsafeXml
from tests.bpmn_factory import FORMS, procedure
from tests.conftest import PROCESSES, definition_files

DEPTS = {"MOT_CUA", "TU_PHAP", "TC_KH", "QLDT", "LANH_DAO"}


def problems(text: str, name: str = "thu.bpmn", departments: set[str] | None = None,
             extra: dict[str, bytes] | None = None) -> list[Problem]:
    files = {name: text.encode(), **FORMS, **(extra or {})}
    return read_bundle(files, DEPTS if departments is None else departments).problems


def messages(found: list[Problem]) -> str:
    return "\n".join(str(p) for p in found)


def test_the_shipped_procedures_are_valid() -> None:
    bundle = read_bundle(definition_files(PROCESSES), DEPTS)
    assert bundle.problems == []
    keys = {p.meta.key for p in bundle.procedures}
    assert {"chung_thuc_ban_sao", "dang_ky_ho_kinh_doanh", "dang_ky_khai_sinh",
            "cap_phep_xay_dung"} <= keys
    copy = next(p for p in bundle.procedures if p.meta.key == "chung_thuc_ban_sao")
    assert any(name.endswith(".dmn") for name in copy.files)
    assert copy.meta.deadline_unit == "same_day" and copy.meta.level == "commune"


def test_a_clean_procedure_has_no_problems() -> None:
    assert problems(procedure()) == []


def test_a_lane_without_a_department_is_reported_at_its_line() -> None:
    found = problems(procedure(department=None))
    assert len(found) == 1
    assert found[0].file == "thu.bpmn" and found[0].line == 5
    assert "lane 'Một cửa' has no 'department'" in str(found[0].message)


def test_an_unknown_department_is_named() -> None:
    found = problems(procedure(department="PHONG_MA"))
    assert "department 'PHONG_MA' is not known" in messages(found)


def test_user_tasks_outside_a_lane() -> None:
    found = problems(procedure(in_lane=False))
    text = messages(found)
    assert "task 'Tiếp nhận' is outside every lane" in text
    assert "draw one lane per department" in text


def test_a_missing_or_malformed_allowance() -> None:
    assert "task 'Tiếp nhận' has no 'allowance'" in messages(problems(procedure(allowance=None)))
    assert "should look like '0.5d'" in messages(problems(procedure(allowance="ba ngày")))


def test_allowances_that_exceed_the_statutory_deadline() -> None:
    found = problems(procedure(allowance="2d", second_allowance="1.5d"))
    assert len(found) == 1
    assert "add up to 26.25 working hours on the path Tiếp nhận → Xử lý" in str(found[0].message)
    assert "(22.5 working hours)" in str(found[0].message)


def test_same_day_procedures_fit_in_one_working_day() -> None:
    same_day = {"deadline_unit": "same_day", "deadline": "0"}
    assert problems(procedure(process_props=same_day, allowance="4h",
                              second_allowance="3.5h")) == []
    assert problems(procedure(process_props=same_day, allowance="4h", second_allowance="4h"))


def test_bad_process_metadata() -> None:
    text = messages(problems(procedure(process_props={"deadline_unit": "weeks",
                                                      "level": "ward"})))
    assert "deadline_unit 'weeks' must be one of" in text
    assert "level 'ward' must be one of province, district, commune" in text


def test_unquoted_timer_expressions() -> None:
    boundary = (
        '<bpmn:boundaryEvent id="nhac" attachedToRef="xu_ly" cancelActivity="false">'
        "<bpmn:timerEventDefinition><bpmn:timeDuration>P3D</bpmn:timeDuration>"
        "</bpmn:timerEventDefinition></bpmn:boundaryEvent>"
    )
    found = problems(procedure(extra_nodes=boundary))
    assert len(found) == 1
    assert found[0].element == "boundaryEvent 'nhac'"
    assert 'quote it: "P3D"' in str(found[0].message)
    assert problems(procedure(extra_nodes=boundary.replace("P3D", '"P3D"'))) == []


def test_call_activity_with_a_missing_target() -> None:
    call = '<bpmn:callActivity id="goi" calledElement="khong_ton_tai"/>'
    found = problems(procedure(extra_nodes=call))
    assert "calls process 'khong_ton_tai', which is neither in these files nor deployed" in \
        messages(found)


def test_a_missing_form_file() -> None:
    text = procedure(second_form="khong_co.json")
    assert "form file 'khong_co.json' is not among the deployed files" in messages(
        problems(text))


def test_schema_violations_are_reported_with_their_line() -> None:
    broken = procedure().replace('<bpmn:endEvent id="end">', '<bpmn:endEvent id="end" bad="1">')
    found = problems(broken)
    assert found and found[0].element == "schema" and found[0].line == 12
    assert "bpmn:endEvent', attribute 'bad': The attribute 'bad' is not allowed" in \
        str(found[0].message)


def test_malformed_xml_names_file_and_line() -> None:
    found = problems(procedure().replace("</bpmn:process>", ""), name="hong.bpmn")
    assert len(found) == 1 and found[0].file == "hong.bpmn" and found[0].line
    assert "not well-formed XML" in str(found[0].message)


def test_every_problem_is_reported_not_only_the_first() -> None:
    found = problems(procedure(department=None, allowance=None, second_allowance=None))
    assert len(found) == 3


def test_a_bad_form_file_is_reported() -> None:
    found = problems(procedure(), extra={"x.json": b'{"type": "object", "properties": 3}'})
    assert found[0].file == "x.json" and "not a valid JSON Schema" in str(found[0].message)


def test_odd_form_files_are_problems_not_crashes() -> None:
    """`true` is a JSON Schema but no form; Python's parser gives up on deep nesting and on
    integers of thousands of digits with errors that are not JSONDecodeError."""
    odd = {"a.json": b"true", "b.json": b"[" * 50_000 + b"]" * 50_000,
           "c.json": b'{"type": "object", "minimum": ' + b"9" * 5000 + b"}"}
    found = problems(procedure(), extra=odd)
    assert [(p.file, p.element) for p in found] == [("a.json", "form"), ("b.json", "form"),
                                                    ("c.json", "form")]
    assert "\"type\": \"object\"" in str(found[0].message)
    assert all("not valid JSON" in str(p.message) for p in found[1:])


XXE = b"""<?xml version="1.0"?>
<!DOCTYPE d [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL">&xxe;</bpmn:definitions>
"""
LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL">&lol3;</bpmn:definitions>
"""


@pytest.mark.parametrize("payload", [XXE, LAUGHS], ids=["external-entity", "entity-bomb"])
def test_entities_and_doctypes_are_refused_before_spiffworkflow_sees_them(payload: bytes) -> None:
    with pytest.raises(UnsafeXml) as exc:
        safe_parse(payload, "bad.bpmn")
    assert exc.value.problems[0].line == 2
    assert "DOCTYPE and ENTITY declarations are not allowed" in exc.value.detail
    found = read_bundle({"bad.bpmn": payload}, DEPTS).problems
    assert found[0].file == "bad.bpmn" and "not allowed" in str(found[0].message)


def test_a_file_that_is_not_bpmn() -> None:
    found = problems("<html><body/></html>", name="page.bpmn")
    assert "not a BPMN 2.0 file" in str(found[0].message)


def _with_start_script(script: str, **knobs: object) -> str:
    return procedure(**knobs).replace(  # type: ignore[arg-type]
        '<bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="tiep_nhan"/>',
        '<bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="thoi_han"/>'
        '<bpmn:scriptTask id="thoi_han" name="Thời hạn"><bpmn:incoming>f1</bpmn:incoming>'
        f'<bpmn:outgoing>f0</bpmn:outgoing><bpmn:script>{script}</bpmn:script></bpmn:scriptTask>'
        '<bpmn:sequenceFlow id="f0" sourceRef="thoi_han" targetRef="tiep_nhan"/>')


@pytest.mark.parametrize("script", [
    "deadline_working_days = 3",
    "deadline_working_days = 3 if ket_qua == 'dat' else 1.5",
    "fee = 0\nif so_tang &gt; 3:\n    deadline_working_days = 3",
])
def test_a_per_dossier_deadline_written_as_a_number_is_accepted(script: str) -> None:
    assert problems(_with_start_script(script)) == []


@pytest.mark.parametrize("script", [
    "deadline_working_days = so_ngay",
    "deadline_working_days = 0",
    "deadline_working_days = '3'",
    "deadline_working_days = True",
    "deadline_working_days += 1",
    "deadline_working_days = 3 if ket_qua == 'dat' else so_ngay",
])
def test_a_per_dossier_deadline_that_is_not_a_number_is_refused(script: str) -> None:
    (found,) = problems(_with_start_script(script))
    assert found.element == "scriptTask 'thoi_han'"
    assert "deadline_working_days must be set to a positive number of working days" \
        in str(found.message)


def test_the_allowances_may_use_the_longest_deadline_a_dossier_can_get() -> None:
    too_long = problems(procedure(allowance="4d"))
    assert "more than the statutory deadline (22.5 working hours)" in messages(too_long)
    assert problems(_with_start_script("deadline_working_days = 5", allowance="4d")) == []
    still = problems(_with_start_script("deadline_working_days = 4", allowance="4d"))
    assert "more than the statutory deadline (30 working hours)" in messages(still)


def test_procedure_code_confirmed_is_true_or_false() -> None:
    found = problems(procedure(process_props={"procedure_code_confirmed": "maybe"}))
    assert "procedure_code_confirmed 'maybe' must be 'true'" in messages(found)
    assert problems(procedure(process_props={"procedure_code_confirmed": "false",
                                             "legal_source": "Nghị định 1/2025"})) == []


@pytest.mark.parametrize(("data", "expected"), [
    ({}, None), ({"deadline_working_days": 3}, 3.0), ({"deadline_working_days": 1.5}, 1.5)])
def test_the_deadline_a_dossier_got(data: dict[str, object], expected: float | None) -> None:
    assert dossier_deadline(data) == expected


@pytest.mark.parametrize("value", ["3", 0, -1, True, None, float("nan")])
def test_a_deadline_a_decision_table_set_wrongly_is_refused(value: object) -> None:
    with pytest.raises(ValueError, match="positive number of working days"):
        dossier_deadline({"deadline_working_days": value})
