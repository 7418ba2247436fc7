"""Injectable time. SpiffWorkflow reads the wall clock inside its timer events; we route that
through the clock of the running use case so tests move time instead of sleeping."""

from __future__ import annotations

import contextvars
import time as _time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta, tzinfo
from typing import Any, Protocol

from SpiffWorkflow import task as _spiff_task
from SpiffWorkflow.bpmn.specs.event_definitions import timer as _spiff_timer


class Clock(Protocol):
    def now(self) -> datetime: ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


class ManualClock:
    """A clock tests set and advance by hand."""

    def __init__(self, start: datetime) -> None:
        if start.tzinfo is None:
            raise ValueError("ManualClock needs an aware datetime")
        self._now = start.astimezone(UTC)

    def now(self) -> datetime:
        return self._now

    def set(self, when: datetime) -> None:
        self._now = when.astimezone(UTC)

    def advance(self, **delta: float) -> datetime:
        self._now += timedelta(**delta)
        return self._now


_SYSTEM = SystemClock()
_current: contextvars.ContextVar[Clock | None] = contextvars.ContextVar("motcua_clock",
                                                                        default=None)


def _now() -> datetime:
    return (_current.get() or _SYSTEM).now()


def current_now() -> datetime:
    """The running use case's moment (the wall clock outside one)."""
    return _now()


class _ClockedDatetime(datetime):
    @classmethod
    def now(cls, tz: tzinfo | None = None) -> _ClockedDatetime:
        value = _now()
        value = value.astimezone(tz) if tz else value.astimezone(UTC).replace(tzinfo=None)
        return cls.fromtimestamp(value.timestamp(), tz) if tz else cls(*value.timetuple()[:6],
                                                                      value.microsecond)


_spiff_timer.datetime = _ClockedDatetime


class _TaskTime:
    """``time`` as SpiffWorkflow's task module uses it (a task's ``last_state_change``, which
    is stored): read from the use case's clock, so a replayed step stores the same value."""

    @staticmethod
    def time() -> float:
        return _now().timestamp()

    def __getattr__(self, name: str) -> Any:
        return getattr(_time, name)


_spiff_task.time = _TaskTime()


@contextmanager
def clock_scope(clock: Clock) -> Iterator[None]:
    token = _current.set(clock)
    try:
        yield
    finally:
        _current.reset(token)
