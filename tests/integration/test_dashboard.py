"""The leader's dashboard counted on a small office of two wards with the clock moved by
hand: received, resolved early / on time / late, pending and overdue, the steps in hand
by department and person, at risk (due within one working day), the steps waiting for the
leader's signature, and each ward's leader seeing only their ward."""

from __future__ import annotations

from typing import Any

import pytest

from engine.errors import NotAllowed
from engine.model import User
from engine.runtime.clock import ManualClock
from engine.security import hash_password
from engine.service import dossiers, work
from engine.service.office import Office
from engine.service.views import dashboard, tasks
from tests.databases import local
from tests.helpers import do_step, members, the_item
from tests.integration.sheet_data import BUSINESS, COPY, WHO, finish_business, finish_copy, people


def _submit(office: Office, desk: User, key: str, form: dict[str, Any]) -> tuple[int, str]:
    receipt = dossiers.submit(office, key, WHO, "direct", form, desk)
    return receipt.dossier_id, receipt.code


@pytest.fixture
def ward(office: Office, clock: ManualClock) -> dict[str, Any]:
    """Tuesday 3 March 2026 in Hà Đông: A (copy) resolved on time, B (business) early, C
    (copy) left at the desk, D (business) held by the finance officer, F (copy) at the
    justice office, H (copy) at the leader's desk; in Dương Nội E (copy) at its desk."""
    here, there = people(office), people(office, "duongnoi")
    clock.set(local(2026, 3, 3, 9, 0))
    ids = {name: _submit(office, here["reception"], key, form) for name, key, form in (
        ("A", "chung_thuc_ban_sao", COPY), ("B", "dang_ky_ho_kinh_doanh", BUSINESS),
        ("C", "chung_thuc_ban_sao", COPY), ("D", "dang_ky_ho_kinh_doanh", BUSINESS),
        ("F", "chung_thuc_ban_sao", COPY), ("H", "chung_thuc_ban_sao", COPY))}
    ids["E"] = _submit(office, there["reception"], "chung_thuc_ban_sao", COPY)
    clock.set(local(2026, 3, 3, 9, 30))
    finish_copy(office, here, ids["A"][0])
    clock.set(local(2026, 3, 3, 10, 0))
    finish_business(office, here, ids["B"][0])
    do_step(office, ids["D"][0], here["reception"], {"ket_qua_kiem_tra": "hop_le"})
    work.claim(office, the_item(office, ids["D"][0]).id, here["finance"])
    clock.set(local(2026, 3, 3, 10, 30))  # F's justice step: due 13:30 + 1.5 h = 15:00
    do_step(office, ids["F"][0], here["reception"], {"ket_qua_kiem_tra": "hop_le"})
    clock.set(local(2026, 3, 3, 10, 45))
    do_step(office, ids["H"][0], here["reception"], {"ket_qua_kiem_tra": "hop_le"})
    do_step(office, ids["H"][0], here["justice"], {"ket_qua_xu_ly": "dat"})
    clock.set(local(2026, 3, 3, 11, 0))
    return {"here": here, "there": there, "ids": ids}


def test_the_leader_sees_today_s_figures_and_the_steps_in_hand(
        office: Office, ward: dict[str, Any]) -> None:
    here = ward["here"]
    view = dashboard.dashboard(office, here["leader"])
    today = view.today_figures
    # C is still being checked at the desk: not received yet (nor pending).
    assert (today.received, today.resolved, today.early, today.on_time, today.late) == \
        (5, 2, 1, 1, 0)
    assert (today.pending, today.overdue) == (3, 0)
    assert view.period_code == "2026-M3"
    assert view.period_figures.received == 5
    # C's desk step was due at 10:00; F's (15:00) and H's (14:15) fall within a working day;
    # D's appraisal (15:15 tomorrow) does not.
    assert (view.open_steps, view.claimed_steps, view.overdue_steps, view.at_risk_steps) == \
        (3, 1, 1, 2)
    by_department = {d.department_name: (d.open, d.claimed, d.overdue, d.at_risk)
                     for d in view.departments}
    assert by_department == {
        "Trung tâm Phục vụ hành chính công phường Hà Đông": (1, 0, 1, 0),
        "Văn phòng HĐND và UBND phường Hà Đông (tư pháp – hộ tịch)": (1, 0, 0, 1),
        "Lãnh đạo UBND phường Hà Đông": (1, 0, 0, 1),
        "Phòng Kinh tế, Hạ tầng và Đô thị phường Hà Đông (kinh tế)": (0, 1, 0, 0),
    }
    assert [(p.full_name, p.claimed, p.overdue) for p in view.people] == \
        [("Lê Thị Hoa", 1, 0)]
    h_code = ward["ids"]["H"][1]
    assert [(t.dossier_code, t.step_id, t.department_name) for t in view.awaiting_signature] \
        == [(h_code, "Task_KyChungThuc", "Lãnh đạo UBND phường Hà Đông")]
    assert [t.claimed_by_name for t in view.overdue] == [None]
    # The three copies are due at 17:00 today with no apology yet; D is due on Friday.
    codes = {ward["ids"][n][1] for n in ("C", "F", "H")}
    assert {d.code for d in view.needing_apology} == codes
    assert {d.deadline_status for d in view.needing_apology} == {"due_today"}


def test_late_and_overdue_are_counted_the_next_day(
        office: Office, clock: ManualClock, ward: dict[str, Any]) -> None:
    here = ward["here"]
    clock.set(local(2026, 3, 4, 10, 0))
    finish_copy(office, here, ward["ids"]["C"][0])
    view = dashboard.dashboard(office, here["leader"])
    today, month = view.today_figures, view.period_figures
    assert (today.received, today.resolved, today.late) == (0, 1, 1)
    # F and H were due yesterday at 17:00; D is due on Friday.
    assert (today.pending, today.overdue) == (3, 2)
    assert (month.received, month.resolved, month.early, month.on_time, month.late) == \
        (6, 3, 1, 1, 1)
    assert month.on_time_rate == pytest.approx(2 / 3)
    assert {d.deadline_status for d in view.needing_apology} == {"overdue"}


def test_a_ward_s_leader_never_sees_another_ward(office: Office, ward: dict[str, Any]) -> None:
    there = ward["there"]
    view = dashboard.dashboard(office, there["leader"])
    assert view.today_figures.received == 0  # E is still being checked at its desk
    assert [name for _, name in view.units] == ["Phường Dương Nội"]
    assert [d.department_name for d in view.departments] == \
        ["Trung tâm Phục vụ hành chính công phường Dương Nội"]
    assert view.awaiting_signature == []
    assert view.people == []
    assert {d.code for d in view.needing_apology} == {ward["ids"]["E"][1]}


def test_staff_have_no_dashboard(office: Office, ward: dict[str, Any]) -> None:
    with pytest.raises(NotAllowed):
        dashboard.dashboard(office, ward["here"]["justice"])


def test_my_work_lists_the_steps_waiting_for_my_signature(
        office: Office, ward: dict[str, Any]) -> None:
    here = ward["here"]
    h_code = ward["ids"]["H"][1]
    mine = tasks.task_page(office, here["leader"], scope="mine")
    assert mine.items == []
    assert [t.dossier_code for t in mine.awaiting_signature] == [h_code]
    # The justice officer signs for nothing; the other ward's leader not for this ward.
    assert tasks.task_page(office, here["justice"], scope="mine").awaiting_signature == []
    assert tasks.task_page(office, ward["there"]["leader"],
                           scope="mine").awaiting_signature == []


def test_a_department_s_leader_sees_the_load_of_that_department(
        office: Office, ward: dict[str, Any]) -> None:
    """The head of the justice office: the ward's dossier figures, but only the justice
    office's steps, and no signature (its staff sign nothing for the ward's leaders)."""
    with office.db.unit_of_work() as uow:
        uow.org.upsert_user("truong_tu_phap", "Nguyễn Văn Tư", hash_password("demo"), (),
                            members({"leader"}, {"TU_PHAP"}))
        head = uow.org.user("truong_tu_phap")
        uow.commit()
    assert head is not None
    view = dashboard.dashboard(office, head)
    assert view.today_figures.received == 5
    assert [(d.department, d.open, d.at_risk) for d in view.departments] == \
        [("TU_PHAP", 1, 1)]
    assert view.awaiting_signature == [] and view.people == []
    # F is at the justice office, H went through it; C has not reached it yet.
    assert {d.code for d in view.needing_apology} == {ward["ids"][n][1] for n in ("F", "H")}
