"""The reports, the event-log exports and the audit log's verification, each in one read
transaction with the office's clock and calendar.

The auditors' use cases (``auditing``) run these once they have let the caller in and
checked the period; the operator's commands (``motcua report``, ``export``, ``audit``) run
them directly: the shell on the server is their permission, and their periods have no
longest length. The report types and the table writers are re-exported here, so a door needs
nothing below the service layer.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date
from typing import IO

from engine.audit.files import verify_files
from engine.audit.verify import MAX_BREAKS, VerifyResult
from engine.audit.verify import verify_log as _verify_log
from engine.exports import events as _events
from engine.exports.events import ExportSummary
from engine.i18n import DEFAULT
from engine.reports import formats
from engine.reports import lateness as _lateness
from engine.reports import satisfaction as _satisfaction
from engine.reports import staff as _staff
from engine.reports import statistics as _statistics
from engine.reports import steps as _steps
from engine.reports.formats import FORMATS, Table
from engine.reports.lateness import LatenessReport, lateness_table
from engine.reports.periods import OfficialPeriod, free_range, has_ended, parse_period, presets
from engine.reports.satisfaction import SatisfactionReport, satisfaction_table
from engine.reports.staff import StaffReport, staff_table
from engine.reports.statistics import GROUPINGS, Named, Report, Scope, statistics_table
from engine.reports.steps import StepReport, step_table
from engine.service.office import Office
from engine.service.report_scope import form_scope
from engine.store import UnitOfWork

__all__ = [
    "FORMATS",
    "GROUPINGS",
    "ExportSummary",
    "LatenessReport",
    "Named",
    "OfficialPeriod",
    "Report",
    "SatisfactionReport",
    "StaffReport",
    "StepReport",
    "Table",
    "VerifyResult",
    "export_csv",
    "export_xes",
    "formats",
    "free_range",
    "has_ended",
    "lateness_sheet",
    "lateness_table",
    "named_period",
    "official_period",
    "period_presets",
    "satisfaction_sheet",
    "satisfaction_table",
    "scope_units",
    "staff_report",
    "staff_table",
    "statistics",
    "statistics_table",
    "step_report",
    "step_table",
    "verify_log",
]


def verify_log(office: Office, progress: Callable[[int], None] | None = None,
               max_breaks: int = MAX_BREAKS) -> VerifyResult:
    """Every chain of the audit log checked against its hashes and its head
    (``engine.audit.verify``); ``progress`` hears the number of events checked so far."""
    with office.db.unit_of_work(readonly=True) as uow:
        return check_log(office, uow, progress, max_breaks)


def check_log(office: Office, uow: UnitOfWork, progress: Callable[[int], None] | None = None,
              max_breaks: int = MAX_BREAKS) -> VerifyResult:
    """``verify_log`` in the caller's read transaction: the chains, then each attached file
    re-hashed against the sha256 its chained ``file_attached`` event recorded."""
    result = _verify_log(uow.reports, progress, max_breaks)
    if office.files is None:
        return result
    checked, problems = verify_files(uow.attachments.walk(), office.files)
    breaks = result.breaks + problems
    return replace(result, breaks=breaks[:max_breaks], files_checked=checked,
                   more_breaks=result.more_breaks or len(breaks) > max_breaks)


# ``units``: the dossiers (steps, for the staff and step reports) of these units only; None
# for every unit. The use cases in ``engine.service.auditing`` decide it from the reader.

def statistics(office: Office, date_from: date, date_to: date,
               group_by: str = "form", units: frozenset[str] | None = None, *,
               unit: str | None = None, consolidate: bool | None = None,
               readable: frozenset[str] | None = None,
               named: Named | None = None, lang: str = DEFAULT) -> Report:
    """Form 06 for the local dates [date_from, date_to], laid out as the form or one row per
    ``group_by`` value: for ``unit`` (the widest unit ``readable`` allows when None), or the
    unit and those below it when ``consolidate``. ``units`` instead counts the dossiers
    those units resolve, under no unit's name (the monthly figures of a chart)."""
    now = office.now()
    with office.db.unit_of_work(readonly=True) as uow:
        if units is not None:
            scope = Scope(units, "")
        else:
            scope = form_scope(office.units(uow), readable, unit, consolidate, date_from,
                               date_to, office.agency_code)
        report = _statistics.statistics(uow.reports, office.calendar.tz, now, date_from,
                                        date_to, group_by, scope=scope,
                                        early_rule=office.early_rule, named=named, lang=lang)
        if group_by == "department" and scope.units is not None and len(scope.units) == 1:
            # One unit's report names its departments as that unit does (each ward has its
            # own department of a code, and the store picks one name for every unit).
            unit_names = {d.code: d.name for d in uow.org.departments(next(iter(scope.units)))}
            report = replace(report, rows=[
                replace(row, label=unit_names.get(row.key, row.label)) if row.key else row
                for row in report.rows])
        return report


def official_period(office: Office, code: str) -> OfficialPeriod:
    """A period code (``2026-Q3``, ``2026-6M``, ``2026``, ``2026-M11``, ``2026-YTD``) as of
    the office's today."""
    return parse_period(code, office.calendar.local_time(office.now()).date())


def period_presets(office: Office) -> list[OfficialPeriod]:
    return presets(office.calendar.local_time(office.now()).date())


def named_period(period: OfficialPeriod) -> Named:
    return Named(period.code, period.label, period.source)


def step_report(office: Office, procedure: str, date_from: date, date_to: date,
                units: frozenset[str] | None = None) -> StepReport:
    """Where time goes in the steps of ``procedure`` completed in the period."""
    now = office.now()
    with office.db.unit_of_work(readonly=True) as uow:
        report = _steps.step_report(uow.reports, office.calendar, now, procedure, date_from,
                                    date_to, units)
        # Departments by name, as the one unit read names them (else the home unit).
        one = next(iter(units)) if units is not None and len(units) == 1 else office.agency_code
        names = {d.code: d.name for d in uow.org.departments()} | \
            {d.code: d.name for d in uow.org.departments(one)}
    return replace(report, steps=[replace(s, department_name=names.get(s.department))
                                  for s in report.steps])


def staff_report(office: Office, date_from: date, date_to: date,
                 department: str | None = None, *,
                 departments: frozenset[str] | None = None,
                 units: frozenset[str] | None = None) -> StaffReport:
    """Per person, the steps completed in the period (in ``department``, or ``departments``,
    only, when given)."""
    now = office.now()
    with office.db.unit_of_work(readonly=True) as uow:
        return _staff.staff_report(uow, office.calendar, now, date_from, date_to, department,
                                   departments=departments, units=units)


def export_xes(office: Office, stream: IO[bytes], date_from: date | None = None,
               date_to: date | None = None,
               units: frozenset[str] | None = None) -> ExportSummary:
    """The XES event log of the dossiers received in the local dates (either end open),
    written to a binary stream as the rows are read."""
    with office.db.unit_of_work(readonly=True) as uow:
        return _events.export_xes(uow.reports, office.calendar.tz, office.agency_code, stream,
                                  date_from, date_to, units)


def export_csv(office: Office, stream: IO[str], date_from: date | None = None,
               date_to: date | None = None,
               units: frozenset[str] | None = None) -> ExportSummary:
    """The same events as CSV, one row per event, written to a text stream."""
    with office.db.unit_of_work(readonly=True) as uow:
        return _events.export_csv(uow.reports, office.calendar.tz, stream, date_from, date_to,
                                  units)


# ---- the sheets that go with form 06 ----------------------------------------------------

def satisfaction_sheet(office: Office, date_from: date, date_to: date,
                       units: frozenset[str] | None = None) -> SatisfactionReport:
    """The applicants' ratings given in the period, per resolving unit and procedure."""
    now = office.now()
    with office.db.unit_of_work(readonly=True) as uow:
        names = office.units(uow).name
        return _satisfaction.satisfaction(uow.sheets, office.calendar.tz, now, date_from,
                                          date_to, units, names)


def lateness_sheet(office: Office, date_from: date, date_to: date,
                   units: frozenset[str] | None = None) -> LatenessReport:
    """The dossiers resolved late in the period or pending overdue at its end, with their
    apologies."""
    now = office.now()
    with office.db.unit_of_work(readonly=True) as uow:
        names = office.units(uow).name
        return _lateness.lateness(uow.sheets, office.calendar, now, date_from, date_to, units,
                                  names)


def scope_units(office: Office, date_from: date, date_to: date, unit: str | None = None,
                consolidate: bool | None = None,
                readable: frozenset[str] | None = None) -> frozenset[str] | None:
    """The units a report on ``unit`` counts (with those below it when ``consolidate``), as
    form 06 chooses them; None: every unit."""
    with office.db.unit_of_work(readonly=True) as uow:
        return form_scope(office.units(uow), readable, unit, consolidate, date_from, date_to,
                          office.agency_code).units
