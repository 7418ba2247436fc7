"""Legal working-day calendar: office hours, holidays and statutory due dates."""

from engine.calendar.adjustments import (
    Adjustment,
    AdjustmentKind,
    CalendarDataError,
    YearAdjustments,
    load_file,
    load_year,
)
from engine.calendar.deadlines import DeadlineUnit, parse_unit
from engine.calendar.hours import OfficeHours
from engine.calendar.working_time import WEEKEND, WorkingCalendar

__all__ = [
    "WEEKEND",
    "Adjustment",
    "AdjustmentKind",
    "CalendarDataError",
    "DeadlineUnit",
    "OfficeHours",
    "WorkingCalendar",
    "YearAdjustments",
    "load_file",
    "load_year",
    "parse_unit",
]
