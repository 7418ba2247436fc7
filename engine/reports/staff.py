"""Per person: steps completed in a period, the share done in time, and the median working
hours from claim to completion."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime

from engine.calendar import WorkingCalendar
from engine.reports import Period, percentile, period, share, working_hours
from engine.reports.formats import Column, Table
from engine.reports.ports import ReportUnit


@dataclass(frozen=True)
class StaffStats:
    username: str
    full_name: str
    departments: list[str]
    completed: int
    early: int
    on_time: int
    late: int
    on_time_share: float | None  # (early + on time) / completed
    median_working_hours: float | None


@dataclass(frozen=True)
class StaffReport:
    period: Period
    department: str | None
    people: list[StaffStats]


@dataclass
class _Acc:
    departments: set[str] = field(default_factory=set)
    judged: Counter[str] = field(default_factory=Counter)
    hours: list[float] = field(default_factory=list)


def staff_report(uow: ReportUnit, calendar: WorkingCalendar, now: datetime, date_from: date,
                 date_to: date, department: str | None = None, *,
                 departments: frozenset[str] | None = None,
                 units: frozenset[str] | None = None) -> StaffReport:
    """Everyone who completed a step in the local dates [date_from, date_to] (in
    ``department``, or in ``departments``, only, when given), busiest first."""
    if department is not None:
        departments = frozenset({department})
    span = period(calendar.tz, date_from, date_to)
    window = span.window(now, units)
    acc: dict[str, _Acc] = {}
    names = uow.lookups.full_names()
    for r in uow.reports.completed_items(window, departments=departments):
        a = acc.setdefault(r.completed_by or "?", _Acc())
        a.departments.add(r.department_code)
        a.judged[r.timeliness or "none"] += 1
        a.hours.append(working_hours(calendar, r.claimed_at, r.completed_at))
    people = []
    for username, a in acc.items():
        done = len(a.hours)
        people.append(StaffStats(
            username, names.get(username, username), sorted(a.departments), done,
            a.judged["early"], a.judged["on_time"], a.judged["late"],
            share(a.judged["early"] + a.judged["on_time"], done),
            percentile(sorted(a.hours), 0.5)))
    people.sort(key=lambda p: (-p.completed, p.username))
    label = ", ".join(sorted(departments)) if departments is not None else None
    return StaffReport(span, label, people)


def staff_table(report: StaffReport) -> Table:
    columns = [
        Column("full_name", "Cán bộ", kind="text"),
        Column("username", "Tài khoản", kind="text"),
        Column("departments", "Phòng ban", kind="text"),
        Column("completed", "Số bước đã xử lý"),
        Column("early", "Trước hạn"),
        Column("on_time", "Đúng hạn"),
        Column("late", "Quá hạn"),
        Column("on_time_share", "Tỷ lệ đúng hạn (%)", kind="ratio"),
        Column("median_working_hours", "Thời gian xử lý – trung vị (giờ làm việc)",
               kind="float"),
    ]
    rows = [{**p.__dict__, "departments": ", ".join(p.departments)} for p in report.people]
    p = report.period
    scope = f"; phòng ban {report.department}" if report.department else ""
    return Table("Kết quả xử lý theo cán bộ",
                 f"Từ ngày {p.date_from:%d/%m/%Y} đến ngày {p.date_to:%d/%m/%Y}{scope}",
                 columns, rows)
