"""The lateness sheet that goes with form 06: every dossier behind the "Quá hạn" columns of the
period, with the apologies issued for it.

Two kinds of dossier, exactly those form 06 counts as late: resolved late in the period
(against the legal due date, which an apology does not move) and pending overdue at the
judging moment (the period's end, or now). Working days late are counted on the office's
calendar: the working days after the due date's day up to the day of the result (or of the
judging moment), at least one for a dossier late on its due day itself.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from engine.calendar import WorkingCalendar
from engine.i18n import DEFAULT, translate
from engine.reports import Period, period
from engine.reports.formats import Column, Table
from engine.reports.ports import SheetReads
from engine.store.report_sheets import ApologyLetter, LateDossier

# A sheet to read and print, not an export: past this many dossiers the rest are counted, not
# listed (the table says so).
MAX_ROWS = 5000


@dataclass(frozen=True)
class LateRow:
    code: str
    procedure_key: str
    procedure_name: str
    unit: str
    unit_name: str
    received_at: datetime
    due_at: datetime
    resolved_at: datetime | None  # None: still pending, overdue at the judging moment
    working_days_late: int
    apologies: tuple[ApologyLetter, ...]  # oldest first

    @property
    def pending(self) -> bool:
        return self.resolved_at is None

    @property
    def appointment_at(self) -> datetime | None:
        """The latest return date an apology promised."""
        return self.apologies[-1].new_due_at if self.apologies else None


@dataclass(frozen=True)
class LatenessReport:
    period: Period
    generated_at: datetime
    judged_at: datetime  # pending dossiers are judged here: the period's end, or now
    rows: list[LateRow]  # by unit, due date; at most ``MAX_ROWS``
    resolved_late: int  # every one of the period, listed or not
    pending_overdue: int
    with_apology: int

    @property
    def dossiers(self) -> int:
        return self.resolved_late + self.pending_overdue

    @property
    def complete(self) -> bool:
        return len(self.rows) == self.dossiers


def working_days_late(calendar: WorkingCalendar, due_at: datetime, until: datetime) -> int:
    """Working days from the due date's day to ``until``'s (local days), at least one."""
    due_day = calendar.local_time(due_at).date()
    return max(1, calendar.working_days_between(due_day, calendar.local_time(until).date()))


def lateness(reads: SheetReads, calendar: WorkingCalendar, now: datetime, period_from: date,
             period_to: date, units: frozenset[str] | None = None,
             unit_names: Callable[[str], str | None] | None = None,
             limit: int = MAX_ROWS) -> LatenessReport:
    """The late dossiers of the local dates [period_from, period_to], resolved by ``units``
    (every unit when None), the first ``limit`` of them listed."""
    span = period(calendar.tz, period_from, period_to)
    window = span.window(now, units)
    rows: list[LateRow] = []
    resolved = pending = apologised = 0
    for found in reads.late_dossiers(window):
        resolved += found.resolved_at is not None
        pending += found.resolved_at is None
        apologised += bool(found.apologies)
        if len(rows) < limit:
            rows.append(_row(calendar, found, window.as_of, unit_names))
    return LatenessReport(span, now, window.as_of, rows, resolved, pending, apologised)


def _row(calendar: WorkingCalendar, found: LateDossier, as_of: datetime,
         unit_names: Callable[[str], str | None] | None) -> LateRow:
    # The judging moment of a past period is the instant after its last day: count to that day.
    until = found.resolved_at or as_of - timedelta(microseconds=1)
    return LateRow(found.code, found.procedure_key, found.procedure_name, found.unit,
                   (unit_names(found.unit) if unit_names else None) or found.unit,
                   found.received_at, found.due_at, found.resolved_at,
                   working_days_late(calendar, found.due_at, until), found.apologies)


_COLUMNS = (  # (key, header id, kind, short header id)
    ("code", "rep_code", "text", ""), ("procedure_name", "rep_procedure", "text", ""),
    ("unit_name", "rep_unit", "text", ""), ("received", "replate_received", "text", ""),
    ("due", "replate_due", "text", ""), ("resolved", "replate_resolved", "text", ""),
    ("working_days_late", "replate_days_late", "int", "replate_days_late_short"),
    ("reasons", "replate_reasons", "text", ""), ("letters", "replate_letters", "text", ""),
    ("appointment", "replate_appointment", "text", ""),
)


def columns(lang: str = DEFAULT) -> list[Column]:
    return [Column(key, translate(lang, header), "", kind, translate(lang, short) if short else "")
            for key, header, kind, short in _COLUMNS]


def lateness_table(report: LatenessReport, lang: str = DEFAULT) -> Table:
    """The sheet for any writer in ``formats``; dates as dd/mm/YYYY in the office's zone."""
    tz = report.period.tz

    def day(moment: datetime | None) -> str | None:
        return None if moment is None else f"{moment.astimezone(tz):%d/%m/%Y}"

    rows = [{
        "code": r.code, "procedure_key": r.procedure_key, "procedure_name": r.procedure_name,
        "unit": r.unit, "unit_name": r.unit_name, "received": day(r.received_at),
        "due": day(r.due_at), "resolved": day(r.resolved_at),
        "working_days_late": r.working_days_late,
        "reasons": "; ".join(a.reason for a in r.apologies) or None,
        "letters": (f"{len(r.apologies)} ({', '.join(str(day(a.at)) for a in r.apologies)})"
                    if r.apologies else None),
        "appointment": day(r.appointment_at),
    } for r in report.rows]
    p = report.period
    judged = report.judged_at.astimezone(tz)
    subtitle = translate(lang, "replate_subtitle", start=f"{p.date_from:%d/%m/%Y}",
                         end=f"{p.date_to:%d/%m/%Y}", judged=f"{judged:%H:%M %d/%m/%Y}")
    totals = {"code": translate(lang, "rep_totals"),
              "procedure_name": translate(lang, "replate_totals", late=report.resolved_late,
                                          overdue=report.pending_overdue),
              "letters": translate(lang, "replate_with_apology", count=report.with_apology)}
    notes = [] if report.complete else [
        translate(lang, "replate_capped", shown=len(report.rows), count=report.dossiers)]
    return Table(translate(lang, "replate_title"), subtitle, columns(lang), rows, totals, notes,
                 lang=lang)
