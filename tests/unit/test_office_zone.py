"""The office's time zone is read from the settings once, and everything asks the calendar."""

from __future__ import annotations

from datetime import UTC, datetime

from engine.audit.status import judge_done
from engine.bootstrap import office_calendar
from engine.calendar import WorkingCalendar
from engine.calendar.working_time import DEFAULT_TIMEZONE
from engine.documents import render
from engine.model import Timeliness
from engine.service.dossiers import format_code
from engine.settings import Settings


def test_the_settings_zone_is_the_calendars() -> None:
    assert Settings().timezone == DEFAULT_TIMEZONE == "Asia/Ho_Chi_Minh"
    tokyo = office_calendar(Settings(timezone="Asia/Tokyo"))
    assert tokyo.tz.key == "Asia/Tokyo"
    assert office_calendar(Settings()).tz.key == DEFAULT_TIMEZONE
    assert WorkingCalendar.default().tz.key == DEFAULT_TIMEZONE


def test_local_days_follow_the_zone_given() -> None:
    """16:30 UTC is 23:30 in Hà Nội and 01:30 the next day in Tokyo."""
    moment = datetime(2026, 3, 3, 16, 30, tzinfo=UTC)
    hanoi = office_calendar(Settings()).tz
    tokyo = office_calendar(Settings(timezone="Asia/Tokyo")).tz
    assert format_code("000.00.20.H26", moment, 7, hanoi) == "000.00.20.H26-260303-0007"
    assert format_code("000.00.20.H26", moment, 7, tokyo) == "000.00.20.H26-260304-0007"
    due = datetime(2026, 3, 4, 9, 0, tzinfo=UTC)
    assert judge_done(moment, due, hanoi) == Timeliness.EARLY
    assert judge_done(moment, due, tokyo) == Timeliness.ON_TIME
    assert render.local(moment, tokyo, "%d/%m %H:%M") == "04/03 01:30"
