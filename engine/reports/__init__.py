"""Reports for auditors: form-06 statistics, where time goes per step, staff throughput.

Periods are local dates (the office's time zone), both ends included; the store works on the
UTC bounds [start of ``date_from``, start of the day after ``date_to``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo

from engine.calendar import WorkingCalendar
from engine.errors import InvalidInput
from engine.i18n import msg
from engine.store.reports import Window


@dataclass(frozen=True)
class Period:
    date_from: date
    date_to: date
    start: datetime  # UTC, included
    end: datetime  # UTC, excluded
    tz: tzinfo  # the office's zone the dates are local to

    def window(self, now: datetime, units: frozenset[str] | None = None) -> Window:
        return Window(self.start, self.end, min(self.end, now), units)


def period(tz: tzinfo, date_from: date, date_to: date) -> Period:
    """The local dates [date_from, date_to] of the time zone ``tz``."""
    start, end = bounds(tz, date_from, date_to)
    assert start is not None and end is not None
    return Period(date_from, date_to, start, end, tz)


def bounds(tz: tzinfo, date_from: date | None,
           date_to: date | None) -> tuple[datetime | None, datetime | None]:
    """UTC [start, end) of local dates, either end open when its date is None."""
    if date_from is not None and date_to is not None and date_from > date_to:
        raise InvalidInput(msg("err_period_starts_after_ends",
                               date_from=date_from, date_to=date_to))
    start = None if date_from is None else \
        datetime.combine(date_from, time(), tzinfo=tz).astimezone(UTC)
    end = None if date_to is None else \
        datetime.combine(date_to + timedelta(days=1), time(), tzinfo=tz).astimezone(UTC)
    return start, end


def percentile(ordered: list[float], q: float) -> float | None:
    """Linear interpolation between closest ranks (numpy's default) over sorted values."""
    if not ordered:
        return None
    rank = (len(ordered) - 1) * q
    low = int(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def share(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def working_hours(calendar: WorkingCalendar, start: datetime | None,
                  end: datetime | None) -> float:
    """Office hours between two moments; 0 when either is missing."""
    if start is None or end is None or end <= start:
        return 0.0
    return calendar.working_hours_between(start, end)
