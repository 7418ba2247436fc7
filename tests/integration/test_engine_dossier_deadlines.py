"""A deadline chosen per dossier: birth registration with or without paternity recognition."""

from __future__ import annotations

import pytest

from engine.errors import InvalidInput
from engine.model import User
from engine.runtime.clock import ManualClock
from engine.service import deploy, dossiers
from engine.service.office import Office
from tests.bpmn_factory import FORMS, procedure
from tests.conftest import local
from tests.helpers import active_items, do_step, dossier

BIRTH = {"ho_ten_tre": "Nguyễn Minh Khôi", "ngay_sinh": "2026-02-20", "gioi_tinh": "nam",
         "noi_sinh": "Bệnh viện Đa khoa Hà Đông", "ho_ten_me": "Lê Thị Hoa",
         "ho_ten_cha": "Nguyễn Văn Nam"}
APPLICANT = {"name": "Lê Thị Hoa"}


def submit_birth(office: Office, users: dict[str, User], choice: str) -> dossiers.Receipt:
    return dossiers.submit(office, "dang_ky_khai_sinh", APPLICANT, "direct",
                           {**BIRTH, "nhan_cha_me_con": choice}, users["reception"])


def test_a_birth_registration_alone_is_due_the_same_day(
        office: Office, users: dict[str, User]) -> None:
    receipt = submit_birth(office, users, "khong")
    assert receipt.due_at == local(2026, 3, 3, 17, 0)


def test_after_the_cut_off_a_birth_registration_alone_is_due_the_next_day(
        office: Office, users: dict[str, User], clock: ManualClock) -> None:
    clock.set(local(2026, 3, 3, 15, 30))
    assert submit_birth(office, users, "khong").due_at == local(2026, 3, 4, 17, 0)


def test_with_paternity_recognition_it_is_due_in_three_working_days(
        office: Office, users: dict[str, User], clock: ManualClock) -> None:
    # Law on Civil Status 2014 art. 25: received Tuesday → Wed, Thu, Fri.
    receipt = submit_birth(office, users, "ket_hop")
    assert receipt.due_at == local(2026, 3, 6, 17, 0)
    clock.set(local(2026, 3, 6, 15, 30))  # a Friday afternoon: Mon, Tue, Wed
    assert submit_birth(office, users, "ket_hop").due_at == local(2026, 3, 11, 17, 0)


def test_the_paternity_path_verifies_first_and_resolves_on_time(
        office: Office, users: dict[str, User], clock: ManualClock) -> None:
    receipt = submit_birth(office, users, "ket_hop")
    do_step(office, receipt.dossier_id, users["reception"], {"ket_qua_kiem_tra": "hop_le"})
    (item,) = active_items(office, receipt.dossier_id)
    assert (item.step_id, item.department_code) == ("Task_XacMinh", "TU_PHAP")
    clock.set(local(2026, 3, 5, 10, 0))
    do_step(office, receipt.dossier_id, users["justice"],
            {"ket_qua_xac_minh": "dung", "chung_cu": "cam_doan_nguoi_lam_chung"})
    do_step(office, receipt.dossier_id, users["justice"], {"ket_qua_xu_ly": "dat"})
    do_step(office, receipt.dossier_id, users["leader"], {"y_kien_lanh_dao": "dong_y"})
    clock.set(local(2026, 3, 6, 9, 0))
    do_step(office, receipt.dossier_id, users["reception"], {"da_ky_so_ho_tich": True})
    # Three days after receipt: late against the same day, on time against its own deadline.
    assert dossier(office, receipt.dossier_id).timeliness == "on_time"


def test_the_same_day_path_skips_the_verification(
        office: Office, users: dict[str, User]) -> None:
    receipt = submit_birth(office, users, "khong")
    do_step(office, receipt.dossier_id, users["reception"], {"ket_qua_kiem_tra": "hop_le"})
    (item,) = active_items(office, receipt.dossier_id)
    assert item.step_id == "Task_GhiSoHoTich"


def test_the_desk_must_say_whether_paternity_is_recognised(
        office: Office, users: dict[str, User]) -> None:
    with pytest.raises(InvalidInput, match="nhan_cha_me_con"):
        dossiers.submit(office, "dang_ky_khai_sinh", APPLICANT, "direct", BIRTH,
                        users["reception"])


def _with_start_script(script: str, **knobs: object) -> dict[str, bytes]:
    text = procedure(**knobs).replace(  # type: ignore[arg-type]
        '<bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="tiep_nhan"/>',
        '<bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="thoi_han"/>'
        f'<bpmn:scriptTask id="thoi_han" name="Thời hạn"><bpmn:incoming>f1</bpmn:incoming>'
        f'<bpmn:outgoing>f0</bpmn:outgoing><bpmn:script>{script}</bpmn:script></bpmn:scriptTask>'
        '<bpmn:sequenceFlow id="f0" sourceRef="thoi_han" targetRef="tiep_nhan"/>')
    return {"thu.bpmn": text.encode(), **FORMS}


def test_a_designed_procedure_sets_a_longer_deadline_from_its_start_script(
        office: Office, users: dict[str, User]) -> None:
    deploy.deploy(office, _with_start_script("deadline_working_days = 5", allowance="4d"),
                  "designer")
    receipt = dossiers.submit(office, "thu_tuc_thu", APPLICANT, "direct", {},
                              users["reception"])
    assert receipt.due_at == local(2026, 3, 10, 17, 0)  # 5 working days, not the 3 it says
