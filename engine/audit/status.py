"""Early / on time / late, and within deadline / overdue (definitions in the domain notes).

One function each, used by timelines, queues and reports alike so they always agree.
"""

from __future__ import annotations

from datetime import datetime, tzinfo

from engine.model import DeadlineState, Timeliness


def judge_done(done_at: datetime, due_at: datetime | None, tz: tzinfo) -> str | None:
    """``early`` before the due date's day, ``on_time`` on that day by the due moment,
    ``late`` after it (days in the office's zone ``tz``); None when there is no deadline."""
    if due_at is None:
        return None
    if done_at > due_at:
        return Timeliness.LATE
    if done_at.astimezone(tz).date() < due_at.astimezone(tz).date():
        return Timeliness.EARLY
    return Timeliness.ON_TIME


def judge_pending(now: datetime, due_at: datetime | None) -> str | None:
    """``within`` while the due moment has not passed, ``overdue`` after; None if no deadline."""
    if due_at is None:
        return None
    return DeadlineState.OVERDUE if now > due_at else DeadlineState.WITHIN
