"""The auditors' use cases: verify the audit log, the reports and the event-log exports, each
behind the role that may read it.

Verification and the exports are for auditors (and admins); form 06 and the step report for
auditors and leaders; the staff report too, but a leader who is not also an auditor sees only
the departments they belong to. Times come out in the office's local time zone.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date, datetime
from typing import IO, Any, Literal

from engine.errors import InvalidInput, NotAllowed, NotFound
from engine.i18n import DEFAULT, msg, translate
from engine.model import User
from engine.reports.lateness import LatenessReport
from engine.reports.satisfaction import SatisfactionReport
from engine.reports.staff import StaffReport, StaffStats
from engine.reports.statistics import GROUPINGS, Report
from engine.reports.steps import LateStep, StepReport, StepStats
from engine.service import reporting
from engine.service.office import Office
from engine.service.permissions import (
    can_export_events,
    can_read_report,
    report_units,
    require_role,
)
from engine.service.reporting import ExportSummary

# Long enough for a multi-year comparison, short enough that one request stays cheap.
MAX_PERIOD_DAYS = 3 * 366
# The dates a report or an export may name: no dossier is older, and every such local day
# has UTC bounds (0001-01-01 at UTC+7 starts before the first representable moment).
FIRST_DATE = date(2000, 1, 1)
LAST_DATE = date(2100, 12, 31)
EventFormat = Literal["xes", "csv"]


def readers_units(office: Office, user: User) -> frozenset[str] | None:
    """The units a report counts for this reader (``permissions.report_units``): a ward's
    auditor or leader reads the ward, the city's inspector every unit below the city."""
    with office.db.unit_of_work(readonly=True) as uow:
        return report_units(user, office.units(uow).below_all)


def check_dates(date_from: date | None, date_to: date | None) -> None:
    """Local dates of a period (either end may be open): between ``FIRST_DATE`` and
    ``LAST_DATE``, not backwards."""
    for day in (date_from, date_to):
        if day is not None and not FIRST_DATE <= day <= LAST_DATE:
            raise InvalidInput(msg("err_date_between",
                                   day=day, first_date=FIRST_DATE, last_date=LAST_DATE))
    if date_from is not None and date_to is not None and date_from > date_to:
        raise InvalidInput(msg("err_period_ends_before_starts",
                               date_to=date_to, date_from=date_from))


def check_period(date_from: date, date_to: date) -> None:
    """A report's local dates, both included: as ``check_dates``, and at most
    ``MAX_PERIOD_DAYS``."""
    check_dates(date_from, date_to)
    if (date_to - date_from).days >= MAX_PERIOD_DAYS:
        raise InvalidInput(msg("err_report_covers_most_days",
                               max_period_days=MAX_PERIOD_DAYS, date_from=date_from,
                               date_to=date_to, value=(date_to - date_from).days + 1))


# ---- the audit log ----------------------------------------------------------------------

@dataclass(frozen=True)
class BreakView:
    chain: str
    seq: int
    reason: str
    dossier_code: str | None  # for a dossier's chain whose dossier row still exists


@dataclass(frozen=True)
class VerifyView:
    intact: bool
    events_checked: int
    chains_checked: int
    first_break: BreakView | None
    breaks: list[BreakView]  # the first break of each broken chain, at most 100
    more_breaks: bool  # more chains are broken than listed
    checked_at: datetime
    files_checked: int = 0  # attached files re-hashed against their recorded sha256


def verify(office: Office, user: User, lang: str = DEFAULT) -> VerifyView:
    """Walk every hash chain of the audit log (``engine.audit.verify``); the findings in the
    reader's language."""
    require_role(user, "auditor")
    with office.db.unit_of_work(readonly=True) as uow:
        result = reporting.check_log(office, uow)
        ids = {int(b.chain[2:]) for b in result.breaks
               if b.chain.startswith("d:") and b.chain[2:].isdigit()}
        codes = uow.lookups.dossier_codes(ids)
    breaks = [BreakView(b.chain, b.seq, translate(lang, b.reason),
                        codes.get(int(b.chain[2:])) if b.chain[2:].isdigit() else None)
              for b in result.breaks]
    return VerifyView(result.intact, result.events_checked, result.chains_checked,
                      breaks[0] if breaks else None, breaks, result.more_breaks,
                      office.calendar.local_time(office.now()), result.files_checked)


# ---- form 06 ----------------------------------------------------------------------------

@dataclass(frozen=True)
class Figures:
    """One row of form 06: its place on the form, the buckets and the derived columns."""

    key: str | None  # unit|level|field on the form, else the grouping's value; None: totals
    stt: str
    kind: str  # unit | level | field | row | total
    depth: int
    label: str
    # The form's columns.
    received: int
    new_online: int
    new_offline: int
    carried_over: int
    resolved: int
    resolved_early: int
    on_time: int  # on the due day, or without a statutory deadline
    resolved_late: int
    pending: int
    within: int
    overdue: int
    # Beside the form.
    awaiting_supplement: int
    resolved_no_deadline: int
    new_post: int
    refused: int
    withdrawn: int
    not_accepted: int
    online_rate: float | None  # new online / new
    on_time_rate: float | None  # (early + on time) / resolved
    # The disjoint buckets the columns are sums of.
    new: int
    new_desk: int
    resolved_on_time: int
    pending_within: int
    pending_overdue: int
    supplement_within: int
    supplement_overdue: int


@dataclass(frozen=True)
class FormView:
    code: str
    basis: str
    title: str
    period_line: str
    reporting_unit: str
    receiving_unit: str
    unit_of_measure: str
    place_date: str
    signers: list[tuple[str, str]]  # (role, how to sign) of the signature block
    notes: list[str]


@dataclass(frozen=True)
class StatisticsView:
    date_from: date
    date_to: date
    period_code: str | None  # the official period (2026-Q3), None for a free range
    period_label: str | None
    unit: str | None  # the reporting unit's agency code
    consolidated: bool
    early_rule: str  # day | moment (docs/auditing.md)
    group_by: str
    judged_at: datetime  # pending dossiers are judged here: the period's end, or now
    generated_at: datetime
    overlapping: bool  # by department a dossier counts in every department it went through
    form: FormView
    rows: list[Figures]
    totals: Figures
    # The report as the unit sent it, with the corrections since, once it has been sent.
    submission: Any = None


def statistics_report(office: Office, user: User, date_from: date, date_to: date,
                      group_by: str = "form", unit: str | None = None,
                      consolidate: bool | None = None,
                      named: reporting.Named | None = None, lang: str = DEFAULT) -> Report:
    """Form 06 for a reader: of ``unit`` (the widest unit they read when None), or of it
    and every unit below it they read when ``consolidate``."""
    can_read_report(user)
    check_period(date_from, date_to)
    if group_by not in GROUPINGS:
        raise InvalidInput(msg("err_group_by_one",
                               groupings=', '.join(GROUPINGS), group_by=group_by))
    return reporting.statistics(office, date_from, date_to, group_by, unit=unit,
                                consolidate=consolidate,
                                readable=readers_units(office, user), named=named,
                                lang=lang)


def statistics_view(office: Office, report: Report, lang: str = DEFAULT) -> StatisticsView:
    local = office.calendar.local_time
    table = reporting.statistics_table(report, lang)
    form = table.form
    assert form is not None
    named = report.named
    return StatisticsView(
        report.period.date_from, report.period.date_to,
        named.code if named else None, named.label if named else None, report.scope.unit,
        report.consolidated, report.early_rule, report.group_by,
        local(report.judged_at), local(report.generated_at), report.overlapping,
        FormView(form.code, form.basis, form.title, form.period_line, form.reporting_unit,
                 form.receiving_unit, form.unit_of_measure, form.place_date,
                 list(form.signers), table.notes),
        [_figures(row) for row in table.rows], _figures(table.totals or {}))


def _figures(row: dict[str, object]) -> Figures:
    names = Figures.__dataclass_fields__
    return Figures(**{k: v for k, v in row.items() if k in names})  # type: ignore[arg-type]


# ---- where time goes --------------------------------------------------------------------

@dataclass(frozen=True)
class StepsView:
    procedure: str
    procedure_name: str
    date_from: date
    date_to: date
    late_dossiers: int  # resolved late in the period
    steps: list[StepStats]  # in the order steps first appear
    late_steps: list[LateStep]  # the steps that most often make a dossier late, worst first


def steps_report(office: Office, user: User, procedure: str, date_from: date,
                 date_to: date) -> StepReport:
    can_read_report(user)
    check_period(date_from, date_to)
    return reporting.step_report(office, procedure, date_from, date_to,
                                 readers_units(office, user))


def steps_view(report: StepReport) -> StepsView:
    return StepsView(report.procedure, report.procedure_name, report.period.date_from,
                     report.period.date_to, report.late_dossiers, report.steps,
                     report.late_steps)


# ---- staff ------------------------------------------------------------------------------

@dataclass(frozen=True)
class StaffView:
    date_from: date
    date_to: date
    departments: list[str] | None  # the departments counted; None for the whole office
    people: list[StaffStats]  # busiest first


@dataclass(frozen=True)
class ScopedStaffReport:
    report: StaffReport
    departments: list[str] | None  # None for the whole office


def staff_scope(office: Office, user: User, department: str | None) -> frozenset[str] | None:
    """The departments the caller may see in the staff report; None for the whole office."""
    can_read_report(user)
    with office.db.unit_of_work(readonly=True) as uow:
        known = uow.org.department_codes()
    if department is not None and department not in known:
        raise NotFound(msg("err_department", department=department))
    if user.has_role("auditor", "admin"):
        return None if department is None else frozenset({department})
    mine = frozenset(d for _, d in user.places("leader", "staff")) | (
        known if user.unit_wide("leader", "staff") else frozenset())
    if department is not None:
        if department not in mine:
            raise NotAllowed(msg("err_member_department",
                                 user=user.name_shown, department=department))
        return frozenset({department})
    mine &= known
    return None if mine == known else mine


def staff(office: Office, user: User, date_from: date, date_to: date,
          department: str | None = None) -> ScopedStaffReport:
    """Per person: steps completed in the period, early / on time / late and the median
    working hours, within the departments the caller may see."""
    scope = staff_scope(office, user, department)
    check_period(date_from, date_to)
    units = readers_units(office, user)
    report = reporting.staff_report(office, date_from, date_to, departments=scope, units=units)
    return ScopedStaffReport(report, None if scope is None else sorted(scope))


def staff_view(scoped: ScopedStaffReport) -> StaffView:
    span = scoped.report.period
    return StaffView(span.date_from, span.date_to, scoped.departments, scoped.report.people)


# ---- event logs -------------------------------------------------------------------------

def export_events(office: Office, user: User, fmt: EventFormat, stream: IO[bytes],
                  date_from: date | None = None, date_to: date | None = None) -> ExportSummary:
    """Write the event log (XES, or CSV in UTF-8) of the dossiers received in the local
    dates [date_from, date_to] (either end open) to a binary stream. No longest period: the
    log is written as it is read, whatever its length."""
    can_export_events(user)
    check_dates(date_from, date_to)
    units = readers_units(office, user)
    if fmt == "xes":
        return reporting.export_xes(office, stream, date_from, date_to, units)
    text = io.TextIOWrapper(stream, encoding="utf-8", newline="", write_through=True)
    try:
        summary = reporting.export_csv(office, text, date_from, date_to, units)
        text.flush()
    finally:
        text.detach()
    return summary


# ---- the sheets that go with form 06 ----------------------------------------------------

def satisfaction_report(office: Office, user: User, date_from: date, date_to: date,
                        units: frozenset[str] | None = None) -> SatisfactionReport:
    """The ratings of the period, for whoever may read form 06, within the reader's units
    (and within ``units``, when given: the scope of the form they go with)."""
    can_read_report(user)
    check_period(date_from, date_to)
    return reporting.satisfaction_sheet(office, date_from, date_to,
                                        _narrowed(readers_units(office, user), units))


def lateness_report(office: Office, user: User, date_from: date, date_to: date,
                    units: frozenset[str] | None = None) -> LatenessReport:
    """The late dossiers of the period with their apologies, as ``satisfaction_report``."""
    can_read_report(user)
    check_period(date_from, date_to)
    return reporting.lateness_sheet(office, date_from, date_to,
                                    _narrowed(readers_units(office, user), units))


def _narrowed(readable: frozenset[str] | None,
              units: frozenset[str] | None) -> frozenset[str] | None:
    """What a reader asked for, never more than they read (None: every unit)."""
    if units is None:
        return readable
    return units if readable is None else units & readable


def sheet_units(office: Office, user: User, date_from: date, date_to: date,
                unit: str | None = None, consolidate: bool | None = None
                ) -> frozenset[str] | None:
    """The units the companion sheets count when a reader names a unit (and those below it),
    as form 06 would: never a unit they may not read."""
    can_read_report(user)
    check_period(date_from, date_to)
    return reporting.scope_units(office, date_from, date_to, unit, consolidate,
                                 readers_units(office, user))
