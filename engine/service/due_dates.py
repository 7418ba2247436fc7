"""When a dossier of a deployed procedure would be due, for ``motcua calendar due``: counted
from the moment the engine counts from (``counting_start``, the rule ``dossiers.submit``
uses), with the days on the way that the calendar data marks unconfirmed."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from engine.calendar import WorkingCalendar
from engine.errors import NotFound
from engine.i18n import msg
from engine.model import Channel
from engine.service.office import Office


def counting_start(calendar: WorkingCalendar, channel: str, moment: datetime) -> datetime:
    """The moment a dossier's deadline counts from. An online filing at night or on a day
    off counts from the next opening (the desk cannot receive it earlier); at the desk or
    by post the moment of receipt is the counting point."""
    return calendar.next_opening(moment) if channel == Channel.ONLINE else moment


@dataclass(frozen=True)
class UnconfirmedDay:
    """A day off or a make-up working day the calendar data has not confirmed yet."""

    day: date
    reason: str
    source: str


@dataclass(frozen=True)
class DueDate:
    procedure: str
    due_at: datetime  # office local time
    deadline: float | None  # the statutory amount; None or 0 when the unit says it all
    unit: str  # the procedure's deadline_unit
    counted_from: datetime | None = None  # office local time
    unconfirmed: list[UnconfirmedDay] = field(default_factory=list)  # crossed on the way


def unconfirmed_days(calendar: WorkingCalendar, first: date, last: date) -> list[UnconfirmedDay]:
    """The unconfirmed entries of the calendar data from ``first`` to ``last``, included:
    a due date that crosses one may move when the day is confirmed or withdrawn."""
    found: list[UnconfirmedDay] = []
    for year in range(first.year, last.year + 1):
        data = calendar.adjustments(year)
        if data is None:
            continue
        found.extend(UnconfirmedDay(a.day, a.reason, a.source) for a in data.unconfirmed()
                     if first <= a.day <= last)
    return found


def statutory_due(office: Office, procedure: str, received: datetime,
                  channel: str = Channel.DIRECT) -> DueDate:
    """The statutory due date of a dossier of ``procedure`` received at ``received`` (an
    aware moment) through ``channel``, on the version in force on the day it counts from."""
    calendar = office.calendar
    start = counting_start(calendar, channel, received)
    with office.db.unit_of_work(readonly=True) as uow:
        newest = uow.catalog.latest_id(procedure)
        if newest is None:
            raise NotFound(msg("err_procedure_deployed", procedure=procedure))
        # A day before any version was in force: the rules of the last one to come.
        chosen = uow.catalog.in_force_id(procedure, calendar.local_time(start).date()) \
            or uow.catalog.in_force_id(procedure, date.max) or newest
        version = uow.catalog.by_id(chosen[0])
    assert version is not None
    meta = version.meta
    due = calendar.statutory_due(start, meta.get("deadline") or 0, meta["deadline_unit"])
    local_start, local_due = calendar.local_time(start), calendar.local_time(due)
    # The day of receipt is not counted, but a day off on it moves the next opening.
    crossed = unconfirmed_days(calendar, calendar.local_time(received).date(),
                               local_due.date())
    return DueDate(procedure, local_due, meta.get("deadline"), meta["deadline_unit"],
                   local_start, crossed)
