"""Office hours of a one-stop desk."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time


def _span_hours(start: time, end: time) -> float:
    day = date(2000, 1, 1)
    return (datetime.combine(day, end) - datetime.combine(day, start)).total_seconds() / 3600


@dataclass(frozen=True)
class OfficeHours:
    """Daily opening periods (local wall-clock times) and the weekdays they apply to.

    Weekdays use ``date.weekday()`` numbering: Monday is 0, Sunday is 6.
    """

    periods: tuple[tuple[time, time], ...] = ((time(8), time(12)), (time(13, 30), time(17)))
    weekdays: frozenset[int] = frozenset({0, 1, 2, 3, 4})

    def __post_init__(self) -> None:
        # Checked once here so the arithmetic can assume sorted, disjoint, naive periods.
        if not self.periods:
            raise ValueError("OfficeHours needs at least one period")
        previous_end: time | None = None
        for start, end in self.periods:
            if start.tzinfo is not None or end.tzinfo is not None:
                raise ValueError("office periods are local wall-clock times: no tzinfo")
            if not start < end:
                raise ValueError(f"office period {start}–{end} must end after it starts")
            if previous_end is not None and start < previous_end:
                raise ValueError("office periods must be in order and must not overlap")
            previous_end = end
        if not self.weekdays or not self.weekdays <= frozenset(range(7)):
            raise ValueError("weekdays must be a non-empty subset of 0 (Monday) .. 6 (Sunday)")

    @property
    def hours_per_day(self) -> float:
        """Office hours in one full working day (7.5 by default)."""
        return sum(_span_hours(start, end) for start, end in self.periods)

    @property
    def closing_time(self) -> time:
        """End of the last period: what "end of the working day" means for deadlines."""
        return self.periods[-1][1]
