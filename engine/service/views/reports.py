"""The statistics pages: form 06 as a table and as a file, and the monthly figures of its
chart (the reports themselves are ``auditing``'s use cases)."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date, timedelta

from engine.model import User
from engine.reports.formats import to_csv, to_xlsx
from engine.reports.statistics import GROUPINGS, Report, statistics_table
from engine.service.auditing import check_period, statistics_report
from engine.service.office import Office
from engine.service.permissions import REPORT_READERS, require_role
from engine.service.reporting import statistics

__all__ = ["GROUPINGS", "MonthFigures", "Report", "monthly", "statistics_file",
           "statistics_table"]
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


def statistics_file(office: Office, user: User, date_from: date, date_to: date,
                    group_by: str, fmt: str) -> ReportFile:
    """Form 06 as a spreadsheet (``xlsx``) or as CSV with a byte-order mark, so Excel reads
    the diacritics."""
    table = statistics_table(statistics_report(office, user, date_from, date_to, group_by))
    if fmt == "xlsx":
        binary = io.BytesIO()
        to_xlsx(table, binary)
        return ReportFile(binary.getvalue(), XLSX)
    text = io.StringIO()
    to_csv(table, text)
    return ReportFile(text.getvalue().encode("utf-8-sig"), "text/csv; charset=utf-8")


def _month_start(day: date) -> date:
    return day.replace(day=1)


def _next_month(day: date) -> date:
    return (day.replace(day=28) + timedelta(days=4)).replace(day=1)


def monthly(office: Office, user: User, date_from: date, date_to: date,
            limit: int = 24) -> list[MonthFigures]:
    """Received and finished dossiers per calendar month of the period (at most ``limit``
    months, the latest ones)."""
    require_role(user, *REPORT_READERS)
    check_period(date_from, date_to)
    months: list[MonthFigures] = []
    first = date_to.year * 12 + date_to.month - limit  # months counted from year 0
    start = max(_month_start(date_from), date(first // 12, first % 12 + 1, 1))
    while start <= date_to:
        end = min(_next_month(start) - timedelta(days=1), date_to)
        total = statistics(office, max(start, date_from), end, "level").total
        months.append(MonthFigures(start, total.new,
                                   total.resolved + total.refused + total.withdrawn))
        start = _next_month(start)
    return months
