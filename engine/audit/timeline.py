"""The process control sheet (Phiếu kiểm soát quá trình giải quyết hồ sơ) of one dossier.

A pure function of the dossier's records (its row, work items, audit events and due-date
changes) and the working calendar, so the API, exports and reports all print the same sheet.
One row per work item, i.e. per hand-over; durations are counted in office hours; each step
is judged against its own allowance, the dossier against its statutory due date.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, tzinfo
from typing import Any

from engine.audit.status import judge_done, judge_pending
from engine.calendar import WorkingCalendar
from engine.model import (
    ACTIVE_ITEM_STATUSES,
    FINISHED_DOSSIER_STATUSES,
    AuditEvent,
    Dossier,
    DueDateChange,
    ItemStatus,
    WorkItem,
)

FINISHED = FINISHED_DOSSIER_STATUSES


@dataclass(frozen=True)
class SheetHeader:
    code: str
    procedure_key: str
    procedure_name: str | None
    version: int | None
    channel: str
    received_at: datetime
    received_by: str
    due_at: datetime | None  # the legal due date (moves only with clock pauses)
    appointment_at: datetime | None  # a later return date promised by an apology
    resolved_at: datetime | None
    status: str
    result: str | None  # early | on_time | late once finished, within | overdue before
    departments: list[str]  # every department that handled a step, in order of hand-over
    # The unit whose desk received it and the unit resolving it: agency codes, and the
    # names the caller knows them by (the code again when it knows none).
    receiving_unit: str = ""
    resolving_unit: str = ""
    receiving_unit_name: str = ""
    resolving_unit_name: str = ""
    # What people read: the full name of who received it, the departments by name.
    received_by_name: str = ""
    department_names: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class SheetRow:
    number: int
    item_id: int
    step_id: str
    step_name: str
    from_department: str | None  # who handed over; None when a timer did
    department: str
    department_name: str | None
    status: str  # open | claimed | completed | cancelled
    handed_over_at: datetime
    handed_over_by: str | None
    claimed_at: datetime | None
    claimed_by: str | None
    completed_at: datetime | None
    completed_by: str | None
    waiting_hours: float | None  # office hours from hand-over to claim
    working_hours: float | None  # office hours from claim to completion
    allowance_hours: float | None
    due_at: datetime | None
    result: str | None  # early | on_time | late when done, within | overdue while pending
    # The names people read for the codes and logins above (the code or login when unknown).
    from_department_name: str | None = None
    handed_over_by_name: str | None = None
    claimed_by_name: str | None = None
    completed_by_name: str | None = None


@dataclass(frozen=True)
class ClockPause:
    item_id: int | None
    step_id: str | None
    reason: str | None
    paused_at: datetime
    resumed_at: datetime | None  # None while the dossier still waits
    paused_hours: float  # office hours; counted up to now while still paused


@dataclass(frozen=True)
class DueChange:
    at: datetime
    actor: str | None
    kind: str  # received (the first due date) | pause (clock resumed) | apology (new date)
    previous_due_at: datetime | None
    due_at: datetime | None
    reason: str | None
    paused_hours: float | None = None


@dataclass(frozen=True)
class ControlSheet:
    header: SheetHeader
    rows: list[SheetRow]
    pauses: list[ClockPause]
    due_history: list[DueChange]


def control_sheet(
    dossier: Dossier,
    items: Sequence[WorkItem],
    events: Sequence[AuditEvent],
    due_changes: Sequence[DueDateChange],
    calendar: WorkingCalendar,
    now: datetime,
    *,
    reception_department: str,
    procedure_name: str | None = None,
    department_names: Mapping[str, str] | None = None,
    unit_names: Mapping[str, str] | None = None,
    people: Mapping[str, str] | None = None,
) -> ControlSheet:
    """Build the sheet; times come out in the calendar's local time zone. ``people`` maps
    logins to full names, ``department_names`` codes to names, for the ``*_name`` fields."""
    names = department_names or {}
    known = people or {}

    def person(login: str | None) -> str | None:
        return known.get(login, login) if login else None
    ordered = sorted(events, key=lambda e: e.seq)
    senders = _senders(ordered, {item.id: item for item in items}, reception_department)

    def local(moment: datetime | None) -> datetime | None:
        return calendar.local_time(moment) if moment is not None else None

    def hours(a: datetime | None, b: datetime | None) -> float | None:
        return round(calendar.working_hours_between(a, b), 2) if a and b else None

    rows: list[SheetRow] = []
    for number, item in enumerate(sorted(items, key=lambda i: (i.created_at, i.id)), 1):
        done = item.status == ItemStatus.COMPLETED
        rows.append(SheetRow(
            number=number, item_id=item.id, step_id=item.step_id, step_name=item.step_name,
            from_department=senders.get(item.id), department=item.department_code,
            department_name=names.get(item.department_code), status=item.status,
            handed_over_at=calendar.local_time(item.created_at),
            handed_over_by=item.handed_over_by,
            claimed_at=local(item.claimed_at), claimed_by=item.claimed_by,
            completed_at=local(item.completed_at) if done else None,
            completed_by=item.completed_by,
            waiting_hours=hours(item.created_at, item.claimed_at),
            working_hours=hours(item.claimed_at, item.completed_at) if done else None,
            allowance_hours=item.allowance_hours, due_at=local(item.due_at),
            result=_step_result(item, now, calendar.tz),
            from_department_name=(names.get(sender, sender)
                                  if (sender := senders.get(item.id)) else None),
            handed_over_by_name=person(item.handed_over_by),
            claimed_by_name=person(item.claimed_by), completed_by_name=person(item.completed_by),
        ))
    departments = list(dict.fromkeys(item.department_code for item in
                                     sorted(items, key=lambda i: (i.created_at, i.id))))
    if dossier.status in FINISHED and dossier.resolved_at is not None:
        result = dossier.timeliness or judge_done(dossier.resolved_at, dossier.due_at,
                                                  calendar.tz)
    else:
        result = judge_pending(now, dossier.due_at)
    header = SheetHeader(
        code=dossier.code, procedure_key=dossier.procedure_key, procedure_name=procedure_name,
        version=_version(ordered), channel=dossier.channel,
        received_at=calendar.local_time(dossier.received_at), received_by=dossier.received_by,
        due_at=local(dossier.due_at), appointment_at=local(dossier.appointment_at),
        resolved_at=local(dossier.resolved_at), status=dossier.status, result=result,
        departments=departments,
        received_by_name=person(dossier.received_by) or "",
        department_names=[names.get(code, code) for code in departments],
        receiving_unit=dossier.receiving_unit, resolving_unit=dossier.resolving_unit,
        receiving_unit_name=(unit_names or {}).get(dossier.receiving_unit,
                                                   dossier.receiving_unit),
        resolving_unit_name=(unit_names or {}).get(dossier.resolving_unit,
                                                   dossier.resolving_unit),
    )
    return ControlSheet(header, rows, _pauses(ordered, calendar, now),
                        _due_history(dossier, ordered, due_changes, calendar))


def _step_result(item: WorkItem, now: datetime, tz: tzinfo) -> str | None:
    if item.status == ItemStatus.COMPLETED and item.completed_at is not None:
        return item.timeliness or judge_done(item.completed_at, item.due_at, tz)
    if item.status in ACTIVE_ITEM_STATUSES:
        return judge_pending(now, item.due_at)
    return None  # cancelled: the step was taken away (e.g. by a timer), nothing to judge


def _senders(events: Sequence[AuditEvent], items: Mapping[int, WorkItem],
             reception: str) -> dict[int, str | None]:
    """The department that handed over each item.

    A use case appends its events together: the completion of a step comes right before the
    hand-overs it caused, the receipt before the first hand-over, a fired timer before the
    steps it opened. So the last such event seen tells who handed over.
    """
    sender: str | None = None
    found: dict[int, str | None] = {}
    for event in events:
        if event.kind == "dossier_submitted":
            sender = reception
        elif event.kind == "item_completed" and event.work_item_id is not None:
            done = items.get(event.work_item_id)
            sender = done.department_code if done else sender
        elif event.kind in ("timer_fired", "dossier_migrated"):
            sender = None  # the steps a timer or a move to a new version opened
        elif event.kind == "item_handed_over" and event.work_item_id is not None:
            found[event.work_item_id] = sender
    return found


def _pauses(events: Sequence[AuditEvent], calendar: WorkingCalendar,
            now: datetime) -> list[ClockPause]:
    open_pauses: dict[int | None, AuditEvent] = {}
    pauses: list[ClockPause] = []
    for event in events:
        if event.kind == "clock_paused":
            open_pauses[event.work_item_id] = event
        elif event.kind == "clock_resumed":
            start = open_pauses.pop(event.work_item_id, None)
            if start is None:
                continue
            recorded = event.data.get("paused_hours")
            paused = float(recorded) if isinstance(recorded, int | float) else \
                calendar.working_hours_between(start.at, event.at)
            pauses.append(_pause(start, calendar, calendar.local_time(event.at), paused))
    for start in open_pauses.values():
        pauses.append(_pause(start, calendar, None,
                             calendar.working_hours_between(start.at, now)))
    return sorted(pauses, key=lambda p: p.paused_at)


def _pause(start: AuditEvent, calendar: WorkingCalendar, resumed_at: datetime | None,
           hours: float) -> ClockPause:
    return ClockPause(item_id=start.work_item_id, step_id=_text(start.data.get("step")),
                      reason=_text(start.data.get("reason")),
                      paused_at=calendar.local_time(start.at), resumed_at=resumed_at,
                      paused_hours=round(hours, 2))


def _due_history(dossier: Dossier, events: Sequence[AuditEvent],
                 changes: Sequence[DueDateChange], calendar: WorkingCalendar) -> list[DueChange]:
    """The due date set at receipt, then every pause and apology that moved a date."""
    history: list[DueChange] = []
    received = next((e for e in events if e.kind == "dossier_submitted"), None)
    ordered = sorted(changes, key=lambda c: (c.at, c.id))
    first_due = ordered[0].previous_due_at if ordered else dossier.due_at
    if received is not None:
        first_due = _moment(received.data.get("due_at")) or first_due
    history.append(DueChange(
        at=calendar.local_time(dossier.received_at), actor=dossier.received_by,
        kind="received", previous_due_at=None,
        due_at=calendar.local_time(first_due) if first_due else None, reason=None))
    for change in ordered:
        history.append(DueChange(
            at=calendar.local_time(change.at), actor=change.actor, kind=change.kind,
            previous_due_at=calendar.local_time(change.previous_due_at)
            if change.previous_due_at else None,
            due_at=calendar.local_time(change.new_due_at), reason=change.reason,
            paused_hours=round(change.paused_hours, 2) if change.paused_hours is not None
            else None))
    return history


def _version(events: Sequence[AuditEvent]) -> int | None:
    for event in events:
        if event.kind == "dossier_submitted":
            value = event.data.get("version")
            return value if isinstance(value, int) else None
    return None


def _moment(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else None


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) else None
