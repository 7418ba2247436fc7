"""The lateness sheet on dossiers run through the engine: resolved late with their apologies,
pending overdue, the judging moment of a past period, the reader's units, every writer."""

from __future__ import annotations

from datetime import date, datetime, time

import pytest

from engine.runtime.clock import ManualClock
from engine.service import auditing, deadlines
from engine.service.demo import FIRST_WARD
from engine.service.office import Office
from engine.service.reporting import lateness_sheet, lateness_table, statistics
from tests.conftest import local
from tests.helpers import do_step, dossier
from tests.integration.sheet_data import (
    BUILDING,
    BUSINESS,
    COPY,
    DUONG_NOI,
    finish_business,
    finish_copy,
    people,
    submit,
    written,
)

MARCH = (date(2026, 3, 1), date(2026, 3, 31))
BUSINESS_KEY = "dang_ky_ho_kinh_doanh"
WAITING = "Chờ ý kiến của cơ quan thuế"
OUTAGE = "Hệ thống phần mềm bị gián đoạn"


@pytest.fixture
def late(office: Office, clock: ManualClock) -> dict[str, str]:
    """Business registrations received Tuesday 3 March, due Friday 6 March 17:00: one
    resolved late on Thursday 12 March after two apologies, one still open, one resolved
    early; a Dương Nội copy due 3 March resolved on the 4th. The clock stops on 12 March."""
    here, there = people(office), people(office, "duongnoi")
    clock.set(local(2026, 3, 3, 9, 0))
    apologised = submit(office, here, BUSINESS_KEY, BUSINESS)
    pending = submit(office, here, BUSINESS_KEY, BUSINESS)
    early = submit(office, here, BUSINESS_KEY, BUSINESS)
    copy = submit(office, there, "chung_thuc_ban_sao", COPY)
    # Accepted at the desk, then left with the finance office: pending, and overdue later.
    do_step(office, pending.dossier_id, here["reception"], {"ket_qua_kiem_tra": "hop_le"})
    clock.set(local(2026, 3, 4, 10, 0))
    finish_business(office, here, early.dossier_id)
    finish_copy(office, there, copy.dossier_id)
    clock.set(local(2026, 3, 9, 8, 0))
    deadlines.apologise(office, here["leader"], apologised.code, date(2026, 3, 11), WAITING)
    clock.set(local(2026, 3, 11, 16, 0))
    deadlines.apologise(office, here["leader"], apologised.code, date(2026, 3, 13), OUTAGE)
    clock.set(local(2026, 3, 12, 10, 0))
    finish_business(office, here, apologised.dossier_id)
    return {"apologised": apologised.code, "pending": pending.code, "early": early.code,
            "copy": copy.code}


def test_late_and_overdue_dossiers_with_their_apologies(office: Office,
                                                        late: dict[str, str]) -> None:
    report = lateness_sheet(office, *MARCH)
    rows = {r.code: r for r in report.rows}
    assert set(rows) == {late["apologised"], late["pending"], late["copy"]}  # not the early one
    assert (report.resolved_late, report.pending_overdue, report.with_apology) == (2, 1, 1)
    done = rows[late["apologised"]]
    assert (done.unit, done.unit_name) == (FIRST_WARD, "Phường Hà Đông")
    assert done.procedure_key == BUSINESS_KEY
    assert done.due_at == local(2026, 3, 6, 17, 0)  # the legal date: apologies do not move it
    assert done.resolved_at == local(2026, 3, 12, 10, 0)
    assert done.working_days_late == 4  # Monday 9 to Thursday 12 March
    assert [(a.reason, a.actor) for a in done.apologies] == [(WAITING, "leader"),
                                                             (OUTAGE, "leader")]
    assert done.appointment_at == local(2026, 3, 13, 17, 0)
    open_one = rows[late["pending"]]
    assert open_one.pending and open_one.resolved_at is None
    assert (open_one.working_days_late, open_one.apologies) == (4, ())
    copy = rows[late["copy"]]
    assert (copy.unit, copy.working_days_late) == (DUONG_NOI, 1)  # late on the next day
    # Exactly the dossiers form 06 counts as late.
    total = statistics(office, *MARCH).total
    assert report.dossiers == total.resolved_late + total.pending_overdue == 3


def test_a_past_period_is_judged_at_its_end(office: Office, late: dict[str, str]) -> None:
    report = lateness_sheet(office, date(2026, 3, 1), date(2026, 3, 10))
    rows = {r.code: r for r in report.rows}
    assert report.judged_at == local(2026, 3, 11, 0, 0)
    # On 10 March both were open and overdue; the second apology came on the 11th.
    assert set(rows) == {late["apologised"], late["pending"], late["copy"]}
    then = rows[late["apologised"]]
    assert then.pending and then.working_days_late == 2
    assert [a.reason for a in then.apologies] == [WAITING]
    assert (report.resolved_late, report.pending_overdue) == (1, 2)
    before = lateness_sheet(office, date(2026, 3, 1), date(2026, 3, 3))
    # By the end of 3 March only the copy, due at 17:00 that day, was overdue.
    assert [(r.code, r.pending, r.working_days_late) for r in before.rows] == [
        (late["copy"], True, 1)]


def test_a_reader_sees_the_units_of_their_scope_only(office: Office,
                                                     late: dict[str, str]) -> None:
    ward = auditing.lateness_report(office, people(office)["auditor"], *MARCH)
    assert {r.code for r in ward.rows} == {late["apologised"], late["pending"]}
    theirs = auditing.lateness_report(office, people(office, "duongnoi")["auditor"], *MARCH)
    assert [r.code for r in theirs.rows] == [late["copy"]]


def test_a_limited_list_counts_every_late_dossier(office: Office,
                                                  late: dict[str, str]) -> None:
    from engine.reports.lateness import lateness

    with office.db.unit_of_work(readonly=True) as uow:
        report = lateness(uow.sheets, office.calendar, office.now(), *MARCH, limit=1)
    assert len(report.rows) == 1 and report.dossiers == 3 and not report.complete
    assert lateness_table(report).notes == ["Chỉ liệt kê 1 trong số 3 hồ sơ quá hạn."]


def test_the_table_in_every_format(office: Office, late: dict[str, str]) -> None:
    table = lateness_table(lateness_sheet(office, *MARCH))
    assert table.title == "Danh sách hồ sơ quá hạn"
    assert [c.header for c in table.columns] == [
        "Mã hồ sơ", "Thủ tục", "Đơn vị", "Ngày nhận", "Hạn giải quyết", "Ngày có kết quả",
        "Số ngày làm việc quá hạn", "Lý do", "Phiếu xin lỗi", "Hẹn lại"]
    out = written(table)
    header, *lines = out["csv"]
    by_code = {line[0]: dict(zip(header, line, strict=True)) for line in lines}
    done = by_code[late["apologised"]]
    assert done["Ngày nhận"] == "03/03/2026" and done["Hạn giải quyết"] == "06/03/2026"
    assert done["Ngày có kết quả"] == "12/03/2026"
    assert done["Số ngày làm việc quá hạn"] == "4"
    assert done["Lý do"] == f"{WAITING}; {OUTAGE}"
    assert done["Phiếu xin lỗi"] == "2 (09/03/2026, 11/03/2026)"
    assert done["Hẹn lại"] == "13/03/2026"
    assert by_code[late["pending"]]["Ngày có kết quả"] == ""
    assert by_code["Tổng cộng"]["Thủ tục"] == "2 đã giải quyết quá hạn, 1 đang giải quyết quá hạn"
    document = out["json"]
    assert {r["code"] for r in document["rows"]} == {late["apologised"], late["pending"],
                                                      late["copy"]}
    assert document["totals"]["letters"] == "1 hồ sơ có phiếu xin lỗi"
    cells = out["xlsx"]
    assert cells[0][0] == "Danh sách hồ sơ quá hạn"
    assert [late["apologised"], "Đăng ký hộ kinh doanh"] in [row[1:3] for row in cells]


def test_a_stopped_clock_is_judged_as_form_06_judges_it(office: Office,
                                                       clock: ManualClock) -> None:
    """A construction permit overdue at the desk, then waiting for a supplement (the clock
    stopped), then resumed with its due date moved by the pause."""
    here, calendar = people(office), office.calendar
    clock.set(local(2026, 3, 3, 9, 0))
    permit = submit(office, here, "cap_phep_xay_dung", BUILDING)
    assert permit.due_at is not None
    do_step(office, permit.dossier_id, here["reception"], {"ket_qua_kiem_tra": "hop_le"})
    due_day = calendar.local_time(permit.due_at).date()
    overdue_day = calendar.next_working_day(due_day)
    asked = calendar.next_working_day(overdue_day)
    clock.set(datetime.combine(asked, time(9, 0), tzinfo=calendar.tz))
    do_step(office, permit.dossier_id, here["urban"],
            {"ket_qua_tham_dinh": "bo_sung", "noi_dung_bo_sung": "Bản vẽ mặt cắt"})
    waiting = calendar.next_working_day(asked)
    clock.set(datetime.combine(calendar.next_working_day(waiting), time(9, 0),
                               tzinfo=calendar.tz))
    do_step(office, permit.dossier_id, here["reception"], {"ket_qua_bo_sung": "da_bo_sung"})
    moved = dossier(office, permit.dossier_id).due_at
    assert moved is not None and moved > permit.due_at

    def listed(last_day: date) -> list[tuple[str, datetime, int]]:
        report = lateness_sheet(office, date(2026, 3, 1), last_day)
        form06 = statistics(office, date(2026, 3, 1), last_day).total
        assert report.dossiers == form06.resolved_late + form06.pending_overdue
        return [(r.code, r.due_at, r.working_days_late) for r in report.rows]

    # Overdue by the end of the day after its due date, on the date it had then, although a
    # later pause has moved it since.
    assert listed(overdue_day) == [(permit.code, permit.due_at, 1)]
    assert listed(waiting) == []  # the clock was stopped for the applicant
