"""Each event that concerns the applicant queues its message in its own transaction, once:
received, supplement (at the desk and at a department), apology, result ready, refused."""

from __future__ import annotations

from typing import Any

import pytest

from engine.errors import StepFailed
from engine.model import User
from engine.runtime.clock import ManualClock
from engine.service import apologies, deploy, desk, dossiers
from engine.service.office import Office
from tests import failing_procedures
from tests.conftest import local
from tests.helpers import do_step

COPY = {"ten_giay_to": "Bằng tốt nghiệp", "pages": 2, "copies": 1}
ORIGINAL = [{"code": "ban_chinh", "form": "original", "count": 1}]
BUSINESS = {"ten_ho_kinh_doanh": "Tạp hóa Minh Anh", "nganh_nghe": "Bán lẻ",
            "dia_chi": "Số 5 Quang Trung, Hà Đông", "von_kinh_doanh": 50_000_000}
PERSON: dict[str, Any] = {"name": "Lê Minh Anh", "phone": "0987654321", "email": "anh@example.com"}
SMS_ONLY: dict[str, Any] = {**PERSON, "notify": ["sms"]}


def _kinds(office: Office, dossier_id: int) -> list[tuple[str, str]]:
    with office.db.unit_of_work(readonly=True) as uow:
        return [(m.kind, m.channel) for m in uow.outbox.for_dossier(dossier_id)]


def _copy(office: Office, users: dict[str, User], who: dict[str, Any]) -> dossiers.Receipt:
    return dossiers.submit(office, "chung_thuc_ban_sao", who, "direct", COPY, users["reception"])


def test_a_copy_is_received_at_the_desk_check_and_its_result_ready_once(
        office: Office, users: dict[str, User]) -> None:
    receipt = _copy(office, users, SMS_ONLY)
    assert _kinds(office, receipt.dossier_id) == []  # filed, not yet accepted by the desk
    desk.check(office, users["reception"], receipt.code, ORIGINAL, "accept")
    assert _kinds(office, receipt.dossier_id) == [("received", "sms")]
    do_step(office, receipt.dossier_id, users["justice"],
            {"ket_qua_xu_ly": "dat", "so_chung_thuc": "123/2026"})
    assert len(_kinds(office, receipt.dossier_id)) == 1
    do_step(office, receipt.dossier_id, users["leader"], {"y_kien_lanh_dao": "dong_y"})
    assert _kinds(office, receipt.dossier_id)[1:] == [("result_ready", "sms")]
    do_step(office, receipt.dossier_id, users["reception"], {"hinh_thuc_tra": "truc_tiep"})
    # Resolved when the result is handed over: no second "result ready".
    assert _kinds(office, receipt.dossier_id) == [("received", "sms"), ("result_ready", "sms")]


def test_the_desk_asks_for_a_supplement_and_refuses(
        office: Office, users: dict[str, User]) -> None:
    receipt = _copy(office, users, PERSON)
    desk.check(office, users["reception"], receipt.code, [], "supplement")
    assert _kinds(office, receipt.dossier_id) == [("supplement", "email"), ("supplement", "sms")]
    desk.check(office, users["reception"], receipt.code, ORIGINAL, "refuse", "Bản chính bị tẩy xóa")
    assert _kinds(office, receipt.dossier_id)[2:] == [("refused", "email"), ("refused", "sms")]


def test_the_desk_step_done_by_its_plain_form_receives_and_an_apology_tells_the_date(
        office: Office, users: dict[str, User], clock: ManualClock) -> None:
    receipt = dossiers.submit(office, "dang_ky_ho_kinh_doanh", SMS_ONLY, "direct", BUSINESS,
                              users["reception"])
    assert _kinds(office, receipt.dossier_id) == []
    do_step(office, receipt.dossier_id, users["reception"], {"ket_qua_kiem_tra": "hop_le"})
    assert _kinds(office, receipt.dossier_id) == [("received", "sms")]
    clock.set(local(2026, 3, 6, 8, 30))
    apologies.record_apology(office, receipt.code, users["leader"], local(2026, 3, 10, 17, 0),
                             "Cần xác minh địa điểm kinh doanh")
    with office.db.unit_of_work(readonly=True) as uow:
        last = uow.outbox.for_dossier(receipt.dossier_id)[-1]
    assert last.kind == "apology" and "10/03/2026" in last.body
    do_step(office, receipt.dossier_id, users["finance"], {"ket_qua_tham_dinh": "tu_choi",
                                                           "ly_do_tu_choi": "Ngành nghề cấm"})
    assert _kinds(office, receipt.dossier_id)[-1] == ("refused", "sms")


def test_a_department_s_supplement_step_tells_the_applicant(
        office: Office, users: dict[str, User]) -> None:
    building = {"chu_dau_tu": "Phạm Văn Hùng", "dia_chi_cong_trinh": "Số 9 Lê Lợi",
                "dien_tich_xay_dung": 80, "so_tang": 3}
    receipt = dossiers.submit(office, "cap_phep_xay_dung", SMS_ONLY, "direct", building,
                              users["reception"])
    do_step(office, receipt.dossier_id, users["reception"], {"ket_qua_kiem_tra": "hop_le"})
    do_step(office, receipt.dossier_id, users["urban"],
            {"ket_qua_tham_dinh": "bo_sung", "noi_dung_bo_sung": "Bản vẽ mặt cắt"})
    assert _kinds(office, receipt.dossier_id) == [("received", "sms"), ("supplement", "sms")]


def test_a_filing_without_a_desk_check_is_received_when_filed_and_a_failing_one_never(
        office: Office, users: dict[str, User]) -> None:
    deploy.deploy(office, failing_procedures.divide_at_submit(), "designer")
    with office.db.unit_of_work(readonly=True) as uow:
        before = uow.outbox.counts()
    with pytest.raises(StepFailed):
        dossiers.submit(office, "thu_chia_khi_nop", PERSON, "direct", {"copies": 0},
                        users["reception"])
    with office.db.unit_of_work(readonly=True) as uow:
        assert uow.outbox.counts() == before
    done = dossiers.submit(office, "thu_chia_khi_nop", PERSON, "direct", {"copies": 2},
                           users["reception"])
    assert _kinds(office, done.dossier_id) == [("received", "email"), ("received", "sms")]
