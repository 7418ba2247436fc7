"""Per person: steps completed in a period, the share done in time, and the median working
hours from claim to completion."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime

from engine.calendar import WorkingCalendar
from engine.i18n import DEFAULT, translate
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
    department_names: list[str] = field(default_factory=list)  # filled by the caller


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


def staff_table(report: StaffReport, lang: str = DEFAULT) -> Table:
    def t(key: str, **values: object) -> str:
        return translate(lang, key, **values)

    columns = [
        Column("full_name", t("repstaff_person"), kind="text"),
        Column("username", t("repstaff_username"), kind="text"),
        Column("departments", t("rep_department"), kind="text"),
        Column("completed", t("repstaff_completed")),
        Column("early", t("rep06_early")),
        Column("on_time", t("rep06_on_time")),
        Column("late", t("rep06_late")),
        Column("on_time_share", t("repstaff_on_time_share"), kind="ratio"),
        Column("median_working_hours", t("repstaff_median"), kind="float"),
    ]
    rows = [{**p.__dict__, "departments": ", ".join(p.department_names or p.departments)}
            for p in report.people]
    p = report.period
    days = {"start": f"{p.date_from:%d/%m/%Y}", "end": f"{p.date_to:%d/%m/%Y}"}
    subtitle = t("repstaff_subtitle_department", department=report.department, **days) \
        if report.department else t("repstaff_subtitle", **days)
    return Table(t("repstaff_title"), subtitle, columns, rows, lang=lang)
