"""Statutory due dates around weekends, holidays and the same-day cut-off."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from engine.calendar import DeadlineUnit, WorkingCalendar

VN = ZoneInfo("Asia/Ho_Chi_Minh")
CAL = WorkingCalendar.default()


def vn(y: int, mo: int, d: int, h: int = 0, mi: int = 0, s: int = 0) -> datetime:
    return datetime(y, mo, d, h, mi, s, tzinfo=VN)


def close(y: int, mo: int, d: int) -> datetime:
    """17:00 local: the end of office hours, where day-counted deadlines fall."""
    return vn(y, mo, d, 17)


WORKING_DAYS = [
    # plain weeks
    (vn(2024, 3, 11, 10), 3, close(2024, 3, 14)),
    (vn(2024, 3, 11, 10), 1, close(2024, 3, 12)),
    (vn(2024, 3, 15, 16), 1, close(2024, 3, 18)),  # Friday → Monday
    (vn(2024, 3, 16, 10), 1, close(2024, 3, 18)),  # received Saturday
    (vn(2024, 3, 17, 10), 3, close(2024, 3, 20)),  # received Sunday
    (vn(2024, 3, 11, 20), 1, close(2024, 3, 12)),  # after hours: still Monday's receipt
    (vn(2024, 3, 11, 6), 1, close(2024, 3, 12)),  # before opening
    # New Year
    (vn(2023, 12, 29, 10), 1, close(2024, 1, 2)),
    (vn(2024, 12, 31, 14), 1, close(2025, 1, 2)),
    (vn(2025, 12, 31, 9), 2, close(2026, 1, 6)),  # 1–4/1/2026 off
    (vn(2026, 1, 8, 9), 2, close(2026, 1, 10)),  # make-up Saturday 10/1/2026
    # Tết
    (vn(2024, 2, 7, 9), 3, close(2024, 2, 19)),  # household business, eve of Tết Giáp Thìn
    (vn(2024, 2, 6, 9), 3, close(2024, 2, 16)),
    (vn(2024, 2, 10, 9), 1, close(2024, 2, 15)),  # received on mùng 1 (online)
    (vn(2025, 1, 24, 10), 3, close(2025, 2, 5)),
    (vn(2025, 1, 22, 10), 3, close(2025, 2, 3)),
    (vn(2026, 2, 12, 10), 3, close(2026, 2, 24)),
    # Hùng Kings
    (vn(2024, 4, 17, 10), 1, close(2024, 4, 19)),
    (vn(2025, 4, 4, 10), 1, close(2025, 4, 8)),
    (vn(2026, 4, 24, 10), 1, close(2026, 4, 28)),  # compensatory Monday 27/4/2026
    # 30/4–1/5
    (vn(2024, 4, 26, 10), 2, close(2024, 5, 3)),
    (vn(2024, 4, 26, 10), 3, close(2024, 5, 4)),  # make-up Saturday
    (vn(2025, 4, 25, 10), 1, close(2025, 4, 26)),  # make-up Saturday
    (vn(2025, 4, 29, 10), 1, close(2025, 5, 5)),
    (vn(2026, 4, 29, 10), 1, close(2026, 5, 4)),
    # 2/9
    (vn(2024, 8, 30, 10), 1, close(2024, 9, 4)),
    (vn(2025, 8, 29, 10), 1, close(2025, 9, 3)),
    (vn(2026, 8, 21, 10), 1, close(2026, 8, 22)),  # make-up Saturday
    (vn(2026, 8, 28, 10), 1, close(2026, 9, 3)),
    # 24/11/2026 (unconfirmed in law, see vn-2026.toml)
    (vn(2026, 11, 23, 10), 1, close(2026, 11, 25)),
    # fractions: whole days by the Civil Code, then the fraction as office time
    (vn(2024, 3, 11, 9), 0.5, vn(2024, 3, 11, 14, 15)),
    (vn(2024, 3, 11, 9), 1.5, vn(2024, 3, 13, 11, 45)),
    (vn(2024, 2, 7, 16), 0.5, vn(2024, 2, 15, 10, 45)),
    (vn(2024, 3, 11, 9), 0, vn(2024, 3, 11, 9)),
]

CALENDAR_DAYS = [
    (vn(2024, 3, 11, 10), 15, close(2024, 3, 26)),  # construction permit, ends on a Tuesday
    (vn(2024, 3, 13, 10), 3, close(2024, 3, 18)),  # ends on Saturday → Monday
    (vn(2024, 1, 25, 10), 15, close(2024, 2, 15)),  # ends on 30 Tết → after Tết
    (vn(2025, 1, 16, 10), 15, close(2025, 2, 3)),  # ends on Friday 31/1 (Tết)
    (vn(2025, 4, 11, 10), 15, close(2025, 4, 26)),  # ends on the make-up Saturday
    (vn(2025, 4, 15, 10), 15, close(2025, 5, 5)),  # ends on 30/4
    (vn(2025, 3, 31, 10), 7, close(2025, 4, 8)),  # ends on Hùng Kings day
    (vn(2025, 8, 17, 10), 15, close(2025, 9, 3)),  # ends on 1/9
    (vn(2025, 12, 17, 10), 15, close(2026, 1, 5)),  # ends on 1/1/2026
    (vn(2026, 8, 16, 10), 15, close(2026, 9, 3)),  # ends on the swapped Monday 31/8
    (vn(2026, 11, 9, 10), 15, close(2026, 11, 25)),  # ends on 24/11/2026
    (vn(2024, 3, 11, 10), 0, close(2024, 3, 11)),
    (vn(2024, 3, 16, 10), 0, close(2024, 3, 18)),
]

WORKING_HOURS = [
    (vn(2024, 3, 11, 16), 8, vn(2024, 3, 12, 16, 30)),
    (vn(2024, 3, 16, 10), 4, vn(2024, 3, 18, 12)),  # Saturday: from Monday's opening
    (vn(2024, 3, 11, 20), 1, vn(2024, 3, 12, 9)),  # after hours: from the next opening
    (vn(2024, 5, 3, 20), 2, vn(2024, 5, 4, 10)),  # onto the make-up Saturday
    (vn(2025, 1, 24, 16), 2, vn(2025, 2, 3, 9)),
]

SAME_DAY = [
    (vn(2024, 3, 11, 10), close(2024, 3, 11)),
    (vn(2024, 3, 11, 7, 30), close(2024, 3, 11)),  # before opening
    (vn(2024, 3, 11, 15), close(2024, 3, 11)),  # at the cut-off
    (vn(2024, 3, 11, 15, 0, 1), close(2024, 3, 12)),  # just after
    (vn(2024, 3, 11, 16, 30), close(2024, 3, 12)),
    (vn(2024, 3, 15, 16), close(2024, 3, 18)),  # Friday after the cut-off
    (vn(2024, 3, 16, 9), close(2024, 3, 18)),  # Saturday
    (vn(2024, 2, 7, 15, 30), close(2024, 2, 15)),  # before Tết
    (vn(2024, 2, 12, 9), close(2024, 2, 15)),  # during Tết
    (vn(2024, 4, 18, 9), close(2024, 4, 19)),  # Hùng Kings 2024
    (vn(2025, 4, 25, 15, 30), close(2025, 4, 26)),  # make-up Saturday next
    (vn(2025, 4, 26, 10), close(2025, 4, 26)),  # on the make-up Saturday
    (vn(2025, 9, 1, 9), close(2025, 9, 3)),
    (vn(2025, 12, 31, 16), close(2026, 1, 5)),
    (vn(2026, 11, 23, 16), close(2026, 11, 25)),
    (datetime(2024, 3, 11, 7, 59, tzinfo=UTC), close(2024, 3, 11)),  # 14:59 local
    (datetime(2024, 3, 11, 8, 1, tzinfo=UTC), close(2024, 3, 12)),  # 15:01 local
]


@pytest.mark.parametrize(("received", "amount", "expected"), WORKING_DAYS, ids=str)
def test_working_days(received: datetime, amount: float, expected: datetime) -> None:
    due = CAL.statutory_due(received, amount, "working_days")
    assert due == expected
    assert due.tzinfo is UTC


@pytest.mark.parametrize(("received", "amount", "expected"), CALENDAR_DAYS, ids=str)
def test_calendar_days(received: datetime, amount: int, expected: datetime) -> None:
    assert CAL.statutory_due(received, amount, "days") == expected


@pytest.mark.parametrize(("received", "amount", "expected"), WORKING_HOURS, ids=str)
def test_working_hours(received: datetime, amount: float, expected: datetime) -> None:
    assert CAL.statutory_due(received, amount, DeadlineUnit.WORKING_HOURS) == expected


@pytest.mark.parametrize(("received", "expected"), SAME_DAY, ids=str)
def test_same_day(received: datetime, expected: datetime) -> None:
    due = CAL.statutory_due(received, 0, "same_day")
    assert due == expected
    assert due.tzinfo is UTC


def test_same_day_cutoff_is_configurable() -> None:
    early = WorkingCalendar(same_day_cutoff=time(11))
    assert early.statutory_due(vn(2024, 3, 11, 11, 30), 1, "same_day") == close(2024, 3, 12)
    assert early.statutory_due(vn(2024, 3, 11, 10, 30), 1, "same_day") == close(2024, 3, 11)


@pytest.mark.parametrize(
    ("received", "amount", "unit", "message"),
    [
        (vn(2024, 3, 11, 9), 3, "weeks", "unknown deadline unit 'weeks'"),
        (vn(2024, 3, 11, 9), 3, "", "unknown deadline unit"),
        (vn(2024, 3, 11, 9), -1, "working_days", ">= 0"),
        (vn(2024, 3, 11, 9), -0.5, "same_day", ">= 0"),
        (vn(2024, 3, 11, 9), float("nan"), "days", ">= 0"),
        (vn(2024, 3, 11, 9), 1.5, "days", "whole"),
        (datetime(2024, 3, 11, 9), 3, "working_days", "timezone-aware"),
    ],
)
def test_invalid_requests(received: datetime, amount: float, unit: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        CAL.statutory_due(received, amount, unit)


quarter_days = st.integers(min_value=0, max_value=120).map(lambda q: q / 4)


@given(
    received=st.datetimes(
        min_value=datetime(2024, 1, 1), max_value=datetime(2026, 11, 30), timezones=st.just(VN)
    ),
    first=quarter_days,
    second=quarter_days,
)
def test_more_working_days_never_come_due_earlier(
    received: datetime, first: float, second: float
) -> None:
    low, high = sorted((first, second))
    assert CAL.statutory_due(received, low, "working_days") <= CAL.statutory_due(
        received, high, "working_days"
    )


@given(
    received=st.datetimes(
        min_value=datetime(2024, 1, 1), max_value=datetime(2026, 11, 30), timezones=st.just(VN)
    ),
    amount=st.integers(min_value=1, max_value=30),
)
def test_day_counted_deadlines_fall_at_closing_on_a_working_day(
    received: datetime, amount: int
) -> None:
    for unit in ("working_days", "days", "same_day"):
        due = CAL.statutory_due(received, amount, unit).astimezone(VN)
        assert CAL.is_working_day(due.date())
        assert due.time() == time(17)
        assert due.date() > received.date() or unit == "same_day"


@given(
    received=st.datetimes(
        min_value=datetime(2024, 1, 1), max_value=datetime(2026, 11, 30), timezones=st.just(VN)
    ),
    amount=st.integers(min_value=1, max_value=30),
)
def test_working_days_count_matches(received: datetime, amount: int) -> None:
    # The due day is exactly `amount` working days after the day of receipt.
    due = CAL.statutory_due(received, amount, "working_days").astimezone(VN)
    assert CAL.working_days_between(received.date(), due.date()) == amount


def test_statutory_due_on_a_date_without_data_file() -> None:
    received = vn(2027, 7, 13, 10)  # Tuesday, no vn-2027.toml
    assert CAL.statutory_due(received, 3, "working_days") == close(2027, 7, 16)
    assert date(2027, 7, 16).weekday() == 4
