"""Where time goes, per step and per person, in working hours."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from engine.errors import NotFound
from engine.model import User
from engine.runtime.clock import ManualClock
from engine.service import dossiers, work
from engine.service.office import Office
from engine.service.reporting import staff_report, staff_table, step_report, step_table
from tests.conftest import local
from tests.helpers import the_item

BUSINESS = {"ten_ho_kinh_doanh": "Tạp hóa Minh Anh", "nganh_nghe": "Bán lẻ",
            "dia_chi": "Số 5 Quang Trung, Hà Đông", "von_kinh_doanh": 50_000_000}
ANSWERS: dict[str, tuple[str, dict[str, Any]]] = {
    "Task_TiepNhan": ("reception", {"ket_qua_kiem_tra": "hop_le"}),
    "Task_ThamDinh": ("finance", {"ket_qua_tham_dinh": "dat"}),
    "Task_PheDuyet": ("leader", {"y_kien_lanh_dao": "dong_y"}),
    "Task_TraKetQua": ("reception", {"hinh_thuc_tra": "truc_tiep"}),
}


def step(office: Office, users: dict[str, User], clock: ManualClock, dossier_id: int,
         claimed: tuple[int, ...], completed: tuple[int, ...]) -> None:
    item = the_item(office, dossier_id)
    who, answer = ANSWERS[item.step_id]
    clock.set(local(*claimed))
    work.claim(office, item.id, users[who])
    clock.set(local(*completed))
    work.complete(office, item.id, users[who], answer)


@pytest.fixture
def timed(office: Office, users: dict[str, User], clock: ManualClock) -> Office:
    """Two registrations received Tuesday 3 March 08:00: one done by noon, one whose appraisal
    waited until the next Monday and made it late (due Friday 6 March)."""
    clock.set(local(2026, 3, 3, 8, 0))
    quick = dossiers.submit(office, "dang_ky_ho_kinh_doanh", {"name": "An"}, "direct",
                            BUSINESS, users["reception"]).dossier_id
    slow = dossiers.submit(office, "dang_ky_ho_kinh_doanh", {"name": "Bình"}, "direct",
                           BUSINESS, users["reception"]).dossier_id
    day = (2026, 3, 3)
    step(office, users, clock, quick, (*day, 8, 30), (*day, 9, 30))
    step(office, users, clock, quick, (*day, 10, 0), (*day, 11, 0))
    step(office, users, clock, quick, (*day, 11, 0), (*day, 11, 30))
    step(office, users, clock, quick, (*day, 13, 30), (*day, 14, 0))
    step(office, users, clock, slow, (*day, 9, 30), (*day, 10, 0))
    monday = (2026, 3, 9)
    step(office, users, clock, slow, (*monday, 8, 0), (*monday, 10, 0))
    step(office, users, clock, slow, (*monday, 10, 0), (*monday, 10, 30))
    step(office, users, clock, slow, (*monday, 10, 30), (*monday, 11, 0))
    return office


def test_waiting_and_working_hours_per_step(timed: Office) -> None:
    report = step_report(timed, "dang_ky_ho_kinh_doanh", date(2026, 3, 1), date(2026, 3, 31))
    steps = {s.step_id: s for s in report.steps}
    assert list(steps) == ["Task_TiepNhan", "Task_ThamDinh", "Task_PheDuyet", "Task_TraKetQua"]
    reception = steps["Task_TiepNhan"]
    assert (reception.department, reception.completed) == ("MOT_CUA", 2)
    assert (reception.waiting.median, reception.waiting.p90, reception.waiting.max) == \
        pytest.approx((1.0, 1.4, 1.5))
    assert reception.working.median == pytest.approx(0.75)
    appraisal = steps["Task_ThamDinh"]
    # 10:00 Tuesday to 08:00 Monday: 5.5 hours that day and three full days of 7.5.
    assert appraisal.waiting.max == pytest.approx(28.0)
    assert appraisal.working.max == pytest.approx(2.0)
    assert (appraisal.late, appraisal.late_share, appraisal.late_dossiers) == (1, 0.5, 1)
    # Lunch is not working time: handed over 11:30, claimed 13:30.
    assert steps["Task_TraKetQua"].waiting.median == pytest.approx((0.5 + 0.0) / 2)


def test_the_steps_that_make_dossiers_late(timed: Office) -> None:
    report = step_report(timed, "dang_ky_ho_kinh_doanh", date(2026, 3, 1), date(2026, 3, 31))
    assert report.late_dossiers == 1
    assert [(s.step_id, s.department, s.dossiers, s.share) for s in report.late_steps] == [
        ("Task_ThamDinh", "TC_KH", 1, 1.0)]
    table = step_table(report)
    assert [r["step_id"] for r in table.rows][1] == "Task_ThamDinh"
    assert "Thẩm định hồ sơ (1)" in table.notes[0]


def test_a_period_without_steps_and_an_unknown_procedure(timed: Office) -> None:
    empty = step_report(timed, "dang_ky_ho_kinh_doanh", date(2026, 2, 1), date(2026, 2, 28))
    assert (empty.steps, empty.late_dossiers, empty.late_steps) == ([], 0, [])
    with pytest.raises(NotFound):
        step_report(timed, "khong_co", date(2026, 3, 1), date(2026, 3, 31))


def test_per_person(timed: Office) -> None:
    report = staff_report(timed, date(2026, 3, 1), date(2026, 3, 31))
    people = {p.username: p for p in report.people}
    assert [p.username for p in report.people] == ["reception", "finance", "leader"]
    finance = people["finance"]
    assert (finance.full_name, finance.departments, finance.completed) == (
        "Lê Thị Hoa", ["TC_KH"], 2)
    assert (finance.early, finance.late, finance.on_time_share) == (1, 1, 0.5)
    assert finance.median_working_hours == pytest.approx(1.5)
    only = staff_report(timed, date(2026, 3, 1), date(2026, 3, 31), "TC_KH")
    assert [p.username for p in only.people] == ["finance"]
    # The table prints the department as the reader's unit names it.
    assert staff_table(only).rows[0]["departments"] == \
        "Phòng Kinh tế, Hạ tầng và Đô thị phường Hà Đông (kinh tế)"
    first_day = staff_report(timed, date(2026, 3, 3), date(2026, 3, 3))
    assert {p.username: p.completed for p in first_day.people} == {
        "reception": 3, "finance": 1, "leader": 1}
