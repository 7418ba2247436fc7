"""The script engine of an office: the sandbox with its limits and the documented helpers
expressions may call (working-day arithmetic on the office's calendar)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from engine.calendar import WorkingCalendar
from engine.i18n import msg
from engine.sandbox import Limits, SandboxScriptEngine
from engine.sandbox.errors import LimitExceeded, NotAllowedInExpression

MAX_WORKING_DAYS = 3650  # ten years of counting is more than any procedure needs


def _day(value: Any, name: str) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value[:10])
        except ValueError:
            pass
    raise NotAllowedInExpression(msg("err_needs_date_yyyy_mm_dd", name=name, value=value))


def calendar_helpers(calendar: WorkingCalendar) -> dict[str, Callable[..., Any]]:
    """Working-day helpers, named as docs/authoring.md documents them."""

    def is_working_day(day: Any) -> bool:
        return calendar.is_working_day(_day(day, "is_working_day"))

    def working_days_between(start: Any, end: Any) -> int:
        a, b = _day(start, "working_days_between"), _day(end, "working_days_between")
        if abs((b - a).days) > MAX_WORKING_DAYS * 2:
            raise LimitExceeded(msg("err_working_days_between_counts_most"))
        return calendar.working_days_between(a, b)

    def add_working_days(start: Any, days: Any) -> Any:
        """A date moves by whole working days; an aware datetime by office time."""
        if not isinstance(days, (int, float)) or abs(days) > MAX_WORKING_DAYS:
            raise LimitExceeded(msg("err_add_working_days_takes_most",
                                    max_working_days=MAX_WORKING_DAYS))
        if isinstance(start, datetime) and start.tzinfo is not None:
            return calendar.add_working_days(start, float(days))
        day = _day(start, "add_working_days")
        for _ in range(int(days)):
            day = calendar.next_working_day(day)
        return day

    def next_working_day(day: Any) -> date:
        return calendar.next_working_day(_day(day, "next_working_day"))

    return {"is_working_day": is_working_day, "working_days_between": working_days_between,
            "add_working_days": add_working_days, "next_working_day": next_working_day}


def office_script_engine(calendar: WorkingCalendar, limits: Limits | None = None) \
        -> SandboxScriptEngine:
    return SandboxScriptEngine(limits or Limits(), calendar_helpers(calendar))
