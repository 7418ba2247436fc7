"""The statistics pages: form 06 as a table and as a file (a workbook with its satisfaction and
lateness sheets), the units a reader may choose, and the monthly figures of its chart (the
reports themselves are ``auditing``'s use cases)."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from engine.i18n import DEFAULT, translate
from engine.model import User
from engine.reports.formats import CSV_LINE_END, Table, add_sheet, to_csv, write_sheet
from engine.reports.lateness import lateness_table
from engine.reports.satisfaction import satisfaction_table
from engine.reports.statistics import GROUPINGS, Named, Report, outside_group, statistics_table
from engine.service import submissions
from engine.service.auditing import (
    check_period,
    lateness_report,
    readers_units,
    satisfaction_report,
    statistics_report,
)
from engine.service.office import Office
from engine.service.permissions import REPORT_READERS, can_read_report, require_role
from engine.service.report_scope import LEVEL_ORDER
from engine.service.reporting import statistics
from engine.units.names import name_key

__all__ = ["GROUPINGS", "MonthFigures", "Report", "Table", "UnitChoice",
           "companion_tables", "monthly", "outside_group", "sheet_names", "statistics_file",
           "statistics_table", "unit_choices"]
# The workbook's sheets, in this order: the form, then the two that go with it (reports.po).
SHEETS = ("repsheet_form06", "repsheet_satisfaction", "repsheet_lateness")
CORRECTIONS = "repsheet_corrections"


def sheet_names(lang: str = DEFAULT) -> list[str]:
    return [translate(lang, key) for key in SHEETS]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class MonthFigures:
    month: date  # first day of the month
    received: int  # new in the month
    resolved: int  # resolved, refused or withdrawn in the month


@dataclass(frozen=True)
class ReportFile:
    body: bytes
    media_type: str


@dataclass(frozen=True)
class UnitChoice:
    code: str  # agency code
    name: str
    ended: date | None  # the last day of a unit that no longer exists
    consolidates: bool  # the reader reads units below it, so its form may consolidate them


def unit_choices(office: Office, user: User, date_from: date,
                 date_to: date) -> list[UnitChoice]:
    """The units whose form 06 the reader may ask for, among those that existed in the
    period (an administrator: every unit of the tree): the province first, then districts,
    then communes, each tier by name, the units still existing before those that ended."""
    can_read_report(user)
    readable = readers_units(office, user)
    with office.db.unit_of_work(readonly=True) as uow:
        tree = office.units(uow)
    known = tree.agency_codes()
    codes = known if readable is None else readable & known
    choices: list[tuple[tuple[int, bool, Any], UnitChoice]] = []
    for code in codes:
        unit = tree.unit(code, date_to) or tree.unit(code)
        if unit is None or unit.valid_from > date_to or \
                (unit.valid_to is not None and unit.valid_to < date_from):
            continue
        below = tree.below(code) & codes
        choice = UnitChoice(code, unit.name, unit.valid_to, len(below) > 1)
        choices.append(((LEVEL_ORDER.get(unit.level, 9), unit.valid_to is not None,
                         name_key(unit.name)), choice))
    return [choice for _, choice in sorted(choices, key=lambda pair: pair[0])]


def companion_tables(office: Office, user: User, report: Report,
                     lang: str = DEFAULT) -> tuple[Table, Table]:
    """The satisfaction and lateness sheets of the form's period, for the dossiers the form
    counts (never beyond the reader's units)."""
    span = report.period
    units = report.scope.units
    ratings = satisfaction_report(office, user, span.date_from, span.date_to, units)
    late = lateness_report(office, user, span.date_from, span.date_to, units)
    return satisfaction_table(ratings, lang), lateness_table(late, lang)


def statistics_file(office: Office, user: User, date_from: date, date_to: date,
                    group_by: str, fmt: str, unit: str | None = None,
                    consolidate: bool | None = None, named: Named | None = None,
                    lang: str = DEFAULT) -> ReportFile:
    """Form 06 as a workbook (``xlsx``: the form, then its satisfaction and lateness sheets)
    or the form alone as CSV with a byte-order mark, so Excel reads the diacritics."""
    report = statistics_report(office, user, date_from, date_to, group_by, unit, consolidate,
                               named, lang)
    table = statistics_table(report, lang)
    sent = submissions.as_sent(office, user, report)
    corrections: list[Table] = []
    if sent is not None:
        # A period already sent downloads as sent, with the corrections since apart.
        table = submissions.sent_table(office, sent.submitted, lang)
        if sent.differences:
            corrections.append(submissions.comparison_table(office, sent, lang))
    if fmt == "xlsx":
        names = sheet_names(lang)
        sheets = [(names[0], table), *((translate(lang, CORRECTIONS), c) for c in corrections),
                  *zip(names[1:], companion_tables(office, user, report, lang), strict=True)]
        return ReportFile(workbook(sheets), XLSX)
    text = io.StringIO()
    for number, each in enumerate([table, *corrections]):
        if number:
            text.write(CSV_LINE_END)
        to_csv(each, text)
    return ReportFile(text.getvalue().encode("utf-8-sig"), "text/csv; charset=utf-8")


def workbook(sheets: list[tuple[str, Table]]) -> bytes:
    """One sheet per (title, table), each laid out as ``formats.write_sheet`` lays out a form
    (A4 landscape, headers repeated on every page)."""
    from openpyxl import Workbook

    book = Workbook()
    first = book.active
    assert first is not None
    first.title = sheets[0][0]
    write_sheet(first, sheets[0][1])
    for title, table in sheets[1:]:
        add_sheet(book, title, table)
    binary = io.BytesIO()
    book.save(binary)
    return binary.getvalue()


def _month_start(day: date) -> date:
    return day.replace(day=1)


def _next_month(day: date) -> date:
    return (day.replace(day=28) + timedelta(days=4)).replace(day=1)


def monthly(office: Office, user: User, date_from: date, date_to: date,
            limit: int = 24, units: frozenset[str] | None = None) -> list[MonthFigures]:
    """Received and finished dossiers per calendar month of the period (at most ``limit``
    months, the latest ones), of the reader's units (within ``units``, when given: the
    form's scope)."""
    require_role(user, *REPORT_READERS)
    check_period(date_from, date_to)
    readable = readers_units(office, user)
    if units is not None:
        readable = units if readable is None else units & readable
    months: list[MonthFigures] = []
    first = date_to.year * 12 + date_to.month - limit  # months counted from year 0
    start = max(_month_start(date_from), date(first // 12, first % 12 + 1, 1))
    while start <= date_to:
        end = min(_next_month(start) - timedelta(days=1), date_to)
        total = statistics(office, max(start, date_from), end, "level", readable).total
        months.append(MonthFigures(start, total.new,
                                   total.resolved + total.refused + total.withdrawn))
        start = _next_month(start)
    return months
