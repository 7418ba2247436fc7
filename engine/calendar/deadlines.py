"""Statutory due dates (Civil Code 2015 arts. 147–148; Decree 61/2018/NĐ-CP).

- ``working_days``: the day of receipt is not counted; due at the close of office hours of
  the Nth working day after it. A fractional amount counts its whole part that way, then the
  fraction as office time (fraction × hours_per_day) after it; below one day it is office
  time from the moment of receipt.
- ``days``: calendar days; due at the close of the Nth day after receipt, or of the next
  working day when that day is not one.
- ``working_hours``: N office hours from the moment of receipt (from the next opening when
  received outside office hours).
- ``same_day``: received on a working day at or before the cut-off (15:00) → the close of
  that day; later, or on a day off → the close of the next working day. The amount is not
  used.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from enum import StrEnum
from typing import TYPE_CHECKING

from engine.calendar.checks import as_amount

if TYPE_CHECKING:
    from engine.calendar.working_time import WorkingCalendar


class DeadlineUnit(StrEnum):
    WORKING_DAYS = "working_days"
    DAYS = "days"
    WORKING_HOURS = "working_hours"
    SAME_DAY = "same_day"


def parse_unit(unit: str) -> DeadlineUnit:
    try:
        return DeadlineUnit(unit)
    except ValueError:
        allowed = ", ".join(u.value for u in DeadlineUnit)
        raise ValueError(f"unknown deadline unit {unit!r}; expected one of: {allowed}") from None


def statutory_due(
    calendar: WorkingCalendar, received_at: datetime, amount: float, unit: str
) -> datetime:
    local = calendar.local_time(received_at)
    kind = parse_unit(unit)
    amount = as_amount(amount, "deadline amount")

    if kind is DeadlineUnit.WORKING_HOURS:
        return calendar.add_working_hours(received_at, amount)

    if kind is DeadlineUnit.SAME_DAY:
        day = local.date()
        if calendar.is_working_day(day) and local.time() <= calendar.same_day_cutoff:
            return calendar.end_of_day(day)
        return calendar.end_of_day(calendar.next_working_day(day))

    if kind is DeadlineUnit.DAYS:
        if amount != int(amount):
            raise ValueError(f"a deadline in calendar days must be whole, got {amount!r}")
        day = local.date() + timedelta(days=int(amount))
        if not calendar.is_working_day(day):
            day = calendar.next_working_day(day)
        return calendar.end_of_day(day)

    whole = int(amount)
    fraction = amount - whole
    if whole == 0:
        # Under one working day there is no "Nth day" to close on: count office time.
        return calendar.add_working_hours(received_at, fraction * calendar.hours.hours_per_day)
    day = local.date()
    for _ in range(whole):
        day = calendar.next_working_day(day)
    due = calendar.end_of_day(day)
    if fraction:
        due = calendar.add_working_hours(due, fraction * calendar.hours.hours_per_day)
    return due
