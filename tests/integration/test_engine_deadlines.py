"""Deadlines on dossiers and steps: timeliness, clock pauses, apologies, at-risk flags."""

from __future__ import annotations

import pytest

from engine.errors import InvalidInput, NotAllowed
from engine.model import User
from engine.runtime.clock import ManualClock
from engine.service import apologies, dossiers
from engine.service.office import Office
from tests.conftest import local
from tests.helpers import all_items, do_step, dossier

BUSINESS = {"ten_ho_kinh_doanh": "Tạp hóa Minh Anh", "nganh_nghe": "Bán lẻ",
            "dia_chi": "Số 5 Quang Trung, Hà Đông", "von_kinh_doanh": 50_000_000}
APPLICANT = {"name": "Lê Minh Anh"}


def submit_business(office: Office, users: dict[str, User]) -> dossiers.Receipt:
    return dossiers.submit(office, "dang_ky_ho_kinh_doanh", APPLICANT, "direct", BUSINESS,
                           users["reception"])


def finish_business(office: Office, users: dict[str, User], dossier_id: int) -> None:
    do_step(office, dossier_id, users["reception"], {"ket_qua_kiem_tra": "hop_le"})
    do_step(office, dossier_id, users["finance"], {"ket_qua_tham_dinh": "dat"})
    do_step(office, dossier_id, users["leader"], {"y_kien_lanh_dao": "dong_y"})
    do_step(office, dossier_id, users["reception"], {"hinh_thuc_tra": "truc_tiep"})


def test_each_step_and_the_dossier_are_judged_when_done(
        office: Office, users: dict[str, User], clock: ManualClock) -> None:
    receipt = submit_business(office, users)
    assert receipt.due_at == local(2026, 3, 6, 17, 0)  # Tue + 3 working days
    do_step(office, receipt.dossier_id, users["reception"], {"ket_qua_kiem_tra": "hop_le"})
    clock.set(local(2026, 3, 5, 16, 0))  # appraisal took longer than its 1.5 days
    do_step(office, receipt.dossier_id, users["finance"], {"ket_qua_tham_dinh": "dat"})
    do_step(office, receipt.dossier_id, users["leader"], {"y_kien_lanh_dao": "dong_y"})
    clock.set(local(2026, 3, 6, 10, 0))
    do_step(office, receipt.dossier_id, users["reception"], {"hinh_thuc_tra": "truc_tiep"})
    steps = [(i.step_id, i.timeliness) for i in all_items(office, receipt.dossier_id)]
    # Same-day work is "on time" by the legal definition: early means an earlier day.
    assert steps == [("Task_TiepNhan", "on_time"), ("Task_ThamDinh", "late"),
                     ("Task_PheDuyet", "early"), ("Task_TraKetQua", "on_time")]
    assert dossier(office, receipt.dossier_id).timeliness == "on_time"


def test_a_dossier_resolved_after_its_due_date_is_late(
        office: Office, users: dict[str, User], clock: ManualClock) -> None:
    receipt = submit_business(office, users)
    clock.set(local(2026, 3, 9, 9, 0))
    finish_business(office, users, receipt.dossier_id)
    assert dossier(office, receipt.dossier_id).timeliness == "late"


def test_at_risk_dossiers_are_flagged_once_and_a_leader_apologises(
        office: Office, users: dict[str, User], clock: ManualClock) -> None:
    receipt = submit_business(office, users)
    clock.set(local(2026, 3, 5, 16, 0))  # 8.5 working hours left: still a working day
    assert apologies.flag_at_risk(office) == []
    clock.set(local(2026, 3, 6, 8, 30))  # less than one working day before Fri 17:00
    assert apologies.flag_at_risk(office) == [receipt.code]
    assert apologies.flag_at_risk(office) == []
    assert [d.code for d in apologies.needing_apology(office, users["leader"])] == [receipt.code]
    with pytest.raises(NotAllowed):
        apologies.record_apology(office, receipt.code, users["reception"],
                                 local(2026, 3, 10, 17, 0), "Chờ xác minh")
    with pytest.raises(InvalidInput):
        apologies.record_apology(office, receipt.code, users["leader"],
                                 local(2026, 3, 6, 12, 0), "Chờ xác minh")
    apology = apologies.record_apology(
        office, receipt.code, users["leader"], local(2026, 3, 10, 17, 0),
        "Cần xác minh địa điểm kinh doanh với UBND phường")
    assert apology.original_due_at == local(2026, 3, 6, 17, 0)
    assert apologies.needing_apology(office, users["leader"]) == []
    late = dossier(office, receipt.dossier_id)
    assert (late.due_at, late.appointment_at) == (local(2026, 3, 6, 17, 0),
                                                  local(2026, 3, 10, 17, 0))
    clock.set(local(2026, 3, 10, 9, 0))
    finish_business(office, users, receipt.dossier_id)
    # Kept its new promise, but reported late against the legal due date.
    assert dossier(office, receipt.dossier_id).timeliness == "late"
    _, letters = apologies.apologies(office, receipt.code)
    assert [a.new_due_at for a in letters] == [local(2026, 3, 10, 17, 0)]


def test_an_online_filing_at_night_counts_from_the_next_opening(
        office: Office, clock: ManualClock) -> None:
    clock.set(local(2026, 3, 3, 21, 30))
    receipt = dossiers.submit(office, "dang_ky_ho_kinh_doanh", APPLICANT, "online", BUSINESS,
                              None)
    # Counted from Wed 08:00, so the receipt day is Wednesday: Thu, Fri, Mon.
    assert receipt.due_at == local(2026, 3, 9, 17, 0)
    assert receipt.received_at == local(2026, 3, 3, 21, 30)
    assert receipt.fee == 0
