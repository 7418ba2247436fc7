"""Form 06 sent upward: a unit's report for an ended period, stored as it was sent.

``submit`` keeps the figures with who sent them and when, and records one
``report_submitted`` event on the system audit chain (with the document's SHA-256) in the
same transaction. ``submitted`` opens a sent report by its key, in one keyed read: nothing is
counted again. ``compare`` puts it beside the live figures, so corrections made after
sending (a dossier finished late, one received with an earlier date) show as differences,
never as a rewritten report; a period is sent once per unit and scope.

Sending needs an administrator or a leader in that unit; reading a sent report, the report
readers of that unit (``auditing.readers_units``). The operator's commands pass a name
instead of a user: the shell on the server is their permission.
"""

from __future__ import annotations

import io
import json
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, Protocol

from engine.audit.chain import SYSTEM
from engine.errors import AlreadyDone, InvalidInput, NotAllowed, NotFound
from engine.i18n import DEFAULT, msg, translate
from engine.model import SubmittedReport, User
from engine.reports.formats import Table
from engine.reports.submitted import (
    CellDifference,
    RowDifference,
    differences,
    differences_table,
    document_digest,
    numeric_columns,
    submitted_table,
)
from engine.service import reporting
from engine.service.auditing import check_period
from engine.service.office import Office
from engine.service.permissions import can_read_report, can_submit_report, report_units
from engine.store import UnitOfWork

__all__ = [
    "EVENT_KIND",
    "CellDifference",
    "Comparison",
    "ReportingPeriod",
    "RowDifference",
    "SubmittedReport",
    "compare",
    "comparison_table",
    "differences",
    "differences_table",
    "sent_table",
    "submit",
    "submitted",
]

EVENT_KIND = "report_submitted"
PERIOD_CODE_MAX = 32  # submitted_reports.period_code
ACTOR_MAX = 64  # submitted_reports.submitted_by


class ReportingPeriod(Protocol):
    """A reporting period: its code (``2026-Q3``), its local dates (both included) and the
    name a person reads."""

    @property
    def code(self) -> str: ...

    @property
    def date_from(self) -> date: ...

    @property
    def date_to(self) -> date: ...

    @property
    def label(self) -> str: ...


@dataclass(frozen=True)
class StoredPeriod:
    """The period of a sent report, as its row keeps it."""

    code: str
    date_from: date
    date_to: date
    label: str


@dataclass(frozen=True)
class Comparison:
    """A sent report beside the figures as they stand now."""

    submitted: SubmittedReport
    live: dict[str, Any]  # the same table computed now
    differences: list[RowDifference]  # empty: nothing corrected since
    document_intact: bool  # the stored document hashes to what its audit event recorded
    compared_at: datetime


def submit(office: Office, user: User | str, period: ReportingPeriod, unit: str,
           consolidate: bool) -> SubmittedReport:
    """Send form 06 of ``unit`` for an ended ``period`` (with every unit below it when
    ``consolidate``). ``user`` is the person sending it, or the operator's name (the CLI)."""
    _check_period(period)
    actor = _actor(user, unit)
    today = office.calendar.local_time(office.now()).date()
    if period.date_to >= today:
        raise InvalidInput(msg("err_period_ends_report_can_sent",
                               period_code=period.code, date_to=period.date_to,
                               value=period.date_to + timedelta(days=1)))
    with office.db.unit_of_work(readonly=True) as uow:
        _check_unit(office, uow, unit)
        if uow.submissions.find(period.code, unit, consolidate) is not None:
            raise _already(period.code, unit, consolidate)
    # Counted before the writer lock is taken (a year of a big province takes a second).
    document = _live_document(office, period, unit, consolidate)
    with office.db.unit_of_work() as uow:
        if uow.submissions.find(period.code, unit, consolidate) is not None:
            raise _already(period.code, unit, consolidate)
        now = office.now()
        event = uow.audit.append(SYSTEM, EVENT_KIND, actor, now,
                                 _event_data(period, unit, consolidate, document))
        stored = uow.submissions.add(
            period_code=period.code, date_from=period.date_from, date_to=period.date_to,
            unit=unit, consolidated=consolidate, document=document, submitted_by=actor,
            submitted_at=now, event_seq=event.seq)
        uow.commit()
    return stored


def submitted(office: Office, user: User | None, period_code: str, unit: str,
              consolidate: bool) -> SubmittedReport | None:
    """The report ``unit`` sent for the period, as sent; None if it sent none. One read by
    the key, whatever the number of dossiers or reports. ``user`` None: the operator."""
    if user is not None:
        can_read_report(user)
    with office.db.unit_of_work(readonly=True) as uow:
        if user is not None:
            _check_reader(office, uow, user, unit)
        return uow.submissions.find(period_code, unit, consolidate)


def compare(office: Office, user: User | None, period_code: str, unit: str,
            consolidate: bool, live: dict[str, Any] | None = None) -> Comparison | None:
    """The sent report, the same report counted now and what differs; None if none was
    sent. This one counts the period again, unless given ``live``, the same report already
    counted (the sent report alone is ``submitted``)."""
    report = submitted(office, user, period_code, unit, consolidate)
    if report is None:
        return None
    with office.db.unit_of_work(readonly=True) as uow:
        event = uow.audit.event(SYSTEM, report.event_seq)
    intact = (event is not None and event.kind == EVENT_KIND
              and event.data.get("sha256") == document_digest(report.document))
    if live is None:
        label = str(event.data.get("label") or report.period_code) if event \
            else report.period_code
        period = StoredPeriod(report.period_code, report.date_from, report.date_to, label)
        live = _live_document(office, period, unit, consolidate)
    return Comparison(report, live, differences(report.document, live), intact, office.now())


def as_sent(office: Office, user: User | None,
            report: reporting.Report) -> Comparison | None:
    """The form a door has just counted, as its unit sent it, if it did: None for a free
    range, another layout, or a period not sent. The door's own figures are the live ones
    when they count the same units as the sent report (not a reader who sees only part of
    the units below), so the period is not counted a second time."""
    named = report.named
    if named is None or report.group_by != "form" or report.scope.unit is None:
        return None
    unit, consolidate = report.scope.unit, report.consolidated
    span = report.period
    same = report.scope.units == reporting.scope_units(office, span.date_from, span.date_to,
                                                       unit, consolidate)
    return compare(office, user, named.code, unit, consolidate,
                   _document(report) if same else None)


def just_sent(office: Office, report: SubmittedReport) -> Comparison:
    """A report as ``submit`` stored it a moment ago: nothing corrected since."""
    return Comparison(report, report.document, [], True, office.now())


def sender(office: Office, report: SubmittedReport) -> str:
    """Who sent it, by full name (an operator's name as the command was given it)."""
    with office.db.unit_of_work(readonly=True) as uow:
        names = uow.lookups.full_names([report.submitted_by])
    return names.get(report.submitted_by) or report.submitted_by


def sent_table(office: Office, report: SubmittedReport, lang: str = DEFAULT) -> Table:
    """The sent report as a table for any writer, marked with who sent it and when (its
    figures and words as sent; the mark in ``lang``)."""
    return submitted_table(report.document, sender(office, report), report.submitted_at,
                           office.calendar.tz, lang)


def comparison_table(office: Office, comparison: Comparison, lang: str = DEFAULT) -> Table:
    """The second table: the figures changed since sending, labelled as such."""
    local = office.calendar.local_time
    sent = comparison.submitted
    subtitle = translate(lang, "repsent_subtitle",
                         sent=f"{local(sent.submitted_at):%H:%M %d/%m/%Y}",
                         by=sender(office, sent),
                         now=f"{local(comparison.compared_at):%H:%M %d/%m/%Y}")
    return differences_table(comparison.differences, subtitle, lang)


def _live_document(office: Office, period: ReportingPeriod, unit: str,
                   consolidate: bool) -> dict[str, Any]:
    """Form 06 of the unit (and those below it) for the period, counted now, as the JSON
    document ``formats.to_json`` writes. The one place that knows which report is sent."""
    named = reporting.Named(period.code, period.label, getattr(period, "source", ""))
    return _document(reporting.statistics(office, period.date_from, period.date_to, "form",
                                          unit=unit, consolidate=consolidate, named=named))


def _document(report: reporting.Report) -> dict[str, Any]:
    """The form as its JSON document (each row with its ``key``, as the form's writer
    gives it)."""
    out = io.StringIO()
    reporting.formats.to_json(reporting.statistics_table(report), out)
    document: dict[str, Any] = json.loads(out.getvalue())
    return document


def _event_data(period: ReportingPeriod, unit: str, consolidate: bool,
                document: dict[str, Any]) -> dict[str, Any]:
    totals = document.get("totals") or {}
    return {"period": period.code, "label": period.label,
            "date_from": period.date_from.isoformat(), "date_to": period.date_to.isoformat(),
            "unit": unit, "consolidated": consolidate, "sha256": document_digest(document),
            "rows": len(document.get("rows") or []),
            "totals": {c["key"]: totals.get(c["key"]) for c in numeric_columns(document)}}


def _check_period(period: ReportingPeriod) -> None:
    code = period.code
    if not code or len(code) > PERIOD_CODE_MAX or not code.isprintable() or code != code.strip():
        raise InvalidInput(msg("err_period_code_has_1_printable",
                               period_code_max=PERIOD_CODE_MAX, code=code))
    check_period(period.date_from, period.date_to)


def _actor(user: User | str, unit: str) -> str:
    if isinstance(user, str):
        name = user.strip()
        if not name or len(name) > ACTOR_MAX or not name.isprintable():
            raise InvalidInput(msg("err_operator_s_name_has_1", actor_max=ACTOR_MAX))
        return name
    can_submit_report(user, unit)
    return user.username


def _check_unit(office: Office, uow: UnitOfWork, unit: str) -> None:
    tree = office.units(uow)
    # An installation that imported no units is the one unit of its agency code.
    if unit not in tree and (tree or unit != office.agency_code):
        raise NotFound(msg("err_there_administrative_unit", unit=unit))


def _check_reader(office: Office, uow: UnitOfWork, user: User, unit: str) -> None:
    units = report_units(user, office.units(uow).below_all)
    if units is not None and unit not in units:
        raise NotAllowed(msg("err_does_read_reports_unit", user=user.name_shown, unit=unit))


def _already(period_code: str, unit: str, consolidate: bool) -> AlreadyDone:
    scope = "with the units below it" if consolidate else "alone"
    return AlreadyDone(msg("err_form_06_unit_was_already",
                           period_code=period_code, unit=unit, scope=scope))


@dataclass(frozen=True)
class SubmissionView:
    """A sent report as the API answers it: who sent it and when, the table as sent, and the
    figures corrected since (empty when none)."""

    period_code: str
    unit: str
    consolidated: bool
    submitted_by: str
    submitted_at: datetime  # local time
    event_seq: int
    intact: bool  # the stored figures hash to what the audit event recorded
    document: dict[str, Any]
    corrections: list[dict[str, Any]]


def submission_view(office: Office, comparison: Comparison) -> SubmissionView:
    sent = comparison.submitted
    corrections = [{"key": d.key, "label": d.label, "status": d.status, "totals": d.totals,
                    "cells": [{"column": c.column, "submitted": c.submitted, "live": c.live,
                               "change": c.change} for c in d.cells]}
                   for d in comparison.differences]
    return SubmissionView(sent.period_code, sent.unit, sent.consolidated, sent.submitted_by,
                          office.calendar.local_time(sent.submitted_at), sent.event_seq,
                          comparison.document_intact, sent.document, corrections)
