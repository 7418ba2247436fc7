"""The validator's check of the online-supplement properties of a step that waits for the
applicant: the answer the applicant's supplement gives, the way the dossier is returned,
and the time limit (docs/authoring.md §6)."""

from __future__ import annotations

import pytest

from engine.definitions import read_bundle
from engine.definitions.supplement import Answer, applicant_step
from engine.errors import Problem
from tests.conftest import PROCESSES, definition_files

DEPTS = {"MOT_CUA", "TU_PHAP", "TC_KH", "QLDT", "LANH_DAO"}
ANSWER = '<spiffworkflow:property name="applicant_answer" value="ket_qua_bo_sung=da_bo_sung"/>'
RETURN = '<spiffworkflow:property name="return_answer" value="ket_qua_bo_sung=rut_ho_so"/>'


def _problems(old: str, new: str) -> list[Problem]:
    files = definition_files(PROCESSES)
    text = files["cap_phep_xay_dung.bpmn"].decode()
    assert old in text
    files["cap_phep_xay_dung.bpmn"] = text.replace(old, new).encode()
    return read_bundle(files, DEPTS).problems


def _said(found: list[Problem], lang: str = "vi") -> str:
    return "\n".join(p.text(lang) for p in found)


def test_the_shipped_step_is_answered_online_and_returned_by_its_withdraw_path() -> None:
    bundle = read_bundle(definition_files(PROCESSES), DEPTS)
    permit = next(p for p in bundle.procedures if p.meta.key == "cap_phep_xay_dung")
    rule = applicant_step(permit.meta, permit.meta.steps["Task_TiepNhanBoSung"])
    assert rule.answer == Answer("ket_qua_bo_sung", "da_bo_sung")
    assert rule.on_return == Answer("ket_qua_bo_sung", "rut_ho_so")
    assert rule.missing_field == "noi_dung_bo_sung" and rule.limit_days is None


@pytest.mark.parametrize(("new", "said"), [
    ('<spiffworkflow:property name="applicant_answer" value="ket_qua_bo_sung"/>',
     "trường=giá_trị"),
    ('<spiffworkflow:property name="applicant_answer" value="ket_qua=da_bo_sung"/>',
     "không có trường này"),
    ('<spiffworkflow:property name="applicant_answer" value="ket_qua_bo_sung=xong"/>',
     "da_bo_sung, rut_ho_so"),
])
def test_a_wrong_applicant_answer_is_refused_at_its_step(new: str, said: str) -> None:
    found = _problems(ANSWER, new)
    assert len(found) == 1 and found[0].element == "userTask 'Task_TiepNhanBoSung'"
    assert said in _said(found) and found[0].line is not None


def test_a_time_limit_needs_a_positive_number_and_a_way_to_return() -> None:
    bad = _problems(RETURN, RETURN + '<spiffworkflow:property name="supplement_limit_days" '
                    'value="0"/>')
    assert "supplement_limit_days" in _said(bad, "en") and len(bad) == 1
    found = _problems(RETURN, '<spiffworkflow:property name="supplement_limit_days" '
                      'value="10"/>')
    assert len(found) == 1 and "return_answer" in _said(found)


def test_a_process_wide_limit_applies_to_every_waiting_step() -> None:
    prop = '<spiffworkflow:property name="deadline" value="15"/>'
    limit = '<spiffworkflow:property name="supplement_limit_days" value="20"/>'
    assert _problems(prop, prop + limit) == []
    assert _problems(RETURN, "") == []  # no limit, no return needed
    files = definition_files(PROCESSES)
    text = files["cap_phep_xay_dung.bpmn"].decode().replace(prop, prop + limit)
    files["cap_phep_xay_dung.bpmn"] = text.replace(RETURN, "").encode()
    [found] = read_bundle(files, DEPTS).problems
    assert found.element == "userTask 'Task_TiepNhanBoSung'"


def test_the_properties_belong_on_a_waiting_step_only() -> None:
    moved = _problems('<spiffworkflow:property name="allowance" value="5d"/>',
                      '<spiffworkflow:property name="allowance" value="5d"/>' + ANSWER)
    assert len(moved) == 1 and moved[0].element == "userTask 'Task_ThamDinh'"
    assert "pauses_clock" in _said(moved, "en")
