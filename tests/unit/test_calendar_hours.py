"""Office-time arithmetic: adding and measuring working hours."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta, timezone
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from engine.calendar import OfficeHours, WorkingCalendar

VN = ZoneInfo("Asia/Ho_Chi_Minh")
CAL = WorkingCalendar.default()


def vn(y: int, mo: int, d: int, h: int = 0, mi: int = 0, s: int = 0) -> datetime:
    return datetime(y, mo, d, h, mi, s, tzinfo=VN)


def test_office_hours_defaults() -> None:
    hours = OfficeHours()
    assert hours.hours_per_day == 7.5
    assert hours.closing_time == time(17)
    assert OfficeHours(periods=((time(7, 30), time(11, 30)),)).hours_per_day == 4


@pytest.mark.parametrize(
    "periods",
    [
        (),
        ((time(12), time(8)),),
        ((time(13), time(17)), (time(8), time(12))),
        ((time(8), time(12, tzinfo=UTC)),),
    ],
)
def test_office_hours_rejects_bad_periods(periods: tuple[tuple[time, time], ...]) -> None:
    with pytest.raises(ValueError):
        OfficeHours(periods=periods)


def test_office_hours_rejects_bad_weekdays() -> None:
    with pytest.raises(ValueError):
        OfficeHours(weekdays=frozenset({7}))
    with pytest.raises(ValueError):
        OfficeHours(weekdays=frozenset())


@pytest.mark.parametrize(
    ("start", "hours", "expected"),
    [
        (vn(2024, 3, 11, 9), 2, vn(2024, 3, 11, 11)),
        (vn(2024, 3, 11, 11), 2, vn(2024, 3, 11, 14, 30)),  # across lunch
        (vn(2024, 3, 11, 8), 4, vn(2024, 3, 11, 12)),  # ends at closing, not after lunch
        (vn(2024, 3, 11, 12, 30), 1, vn(2024, 3, 11, 14, 30)),  # starts during lunch
        (vn(2024, 3, 11, 7), 1, vn(2024, 3, 11, 9)),  # before opening
        (vn(2024, 3, 11, 16), 1, vn(2024, 3, 11, 17)),
        (vn(2024, 3, 11, 18), 1, vn(2024, 3, 12, 9)),  # overnight
        (vn(2024, 3, 11, 16), 8, vn(2024, 3, 12, 16, 30)),
        (vn(2024, 3, 15, 16), 2, vn(2024, 3, 18, 9)),  # over the weekend
        (vn(2024, 3, 16, 10), 4, vn(2024, 3, 18, 12)),  # from a Saturday
        (vn(2024, 3, 11, 9), 37.5, vn(2024, 3, 18, 9)),  # one week
        (vn(2024, 2, 7, 16), 2, vn(2024, 2, 15, 9)),  # over Tết Giáp Thìn
        (vn(2024, 5, 3, 16), 2, vn(2024, 5, 4, 9)),  # onto the make-up Saturday
        (vn(2024, 4, 26, 16), 7.5, vn(2024, 5, 2, 16)),  # over 27/4–1/5/2024
        (vn(2025, 1, 24, 16), 1.5, vn(2025, 2, 3, 8, 30)),  # over Tết Ất Tỵ
        (vn(2025, 4, 4, 16, 30), 1, vn(2025, 4, 8, 8, 30)),  # Hùng Kings 2025
        (vn(2025, 12, 31, 16), 2, vn(2026, 1, 5, 9)),  # New Year 2026 bridge
        (vn(2026, 2, 13, 16), 1.25, vn(2026, 2, 23, 8, 15)),  # Tết Bính Ngọ
        (vn(2026, 8, 28, 16), 2, vn(2026, 9, 3, 9)),  # Quốc khánh 2026
        (vn(2024, 3, 11, 9), 0.001, vn(2024, 3, 11, 9, 0, 3) + timedelta(microseconds=600_000)),
    ],
    ids=str,
)
def test_add_working_hours(start: datetime, hours: float, expected: datetime) -> None:
    result = CAL.add_working_hours(start, hours)
    assert result == expected
    assert result.tzinfo is UTC


def test_add_zero_hours_keeps_the_moment() -> None:
    saturday = vn(2024, 3, 16, 10)
    assert CAL.add_working_hours(saturday, 0) == saturday
    assert CAL.add_working_hours(saturday, 0).tzinfo is UTC


def test_decimal_amounts_are_accepted() -> None:
    # Numeric database columns come back as Decimal.
    assert CAL.add_working_days(vn(2024, 3, 11, 10), Decimal("0.5")) == vn(2024, 3, 11, 15, 15)


def test_any_input_zone() -> None:
    start_utc = datetime(2024, 3, 11, 2, tzinfo=UTC)  # 09:00 in Hà Nội
    assert CAL.add_working_hours(start_utc, 1) == datetime(2024, 3, 11, 3, tzinfo=UTC)
    paris = datetime(2024, 3, 11, 3, tzinfo=ZoneInfo("Europe/Paris"))  # 09:00 in Hà Nội
    assert CAL.add_working_hours(paris, 3.5) == vn(2024, 3, 11, 14)


@pytest.mark.parametrize(
    ("start", "days", "expected"),
    [
        (vn(2024, 3, 11, 10), 1, vn(2024, 3, 12, 10)),
        (vn(2024, 3, 11, 10), 0.5, vn(2024, 3, 11, 15, 15)),  # 3.75 office hours
        (vn(2024, 3, 11, 10), 2.25, vn(2024, 3, 13, 11, 52, 30)),
        (vn(2024, 2, 2, 10), 5, vn(2024, 2, 16, 10)),  # Tết inside the allowance
        (vn(2024, 3, 16, 10), 1, vn(2024, 3, 18, 17)),  # from a Saturday: one full day
        (vn(2024, 3, 11, 17), 0.5, vn(2024, 3, 12, 11, 45)),
    ],
    ids=str,
)
def test_add_working_days(start: datetime, days: float, expected: datetime) -> None:
    assert CAL.add_working_days(start, days) == expected


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        (vn(2024, 3, 11, 9), vn(2024, 3, 11, 9), 0),
        (vn(2024, 3, 11, 10), vn(2024, 3, 11, 9), 0),  # b before a
        (vn(2024, 3, 11, 11), vn(2024, 3, 11, 14), 1.5),  # lunch excluded
        (vn(2024, 3, 11, 12), vn(2024, 3, 11, 13, 30), 0),
        (vn(2024, 3, 11, 17), vn(2024, 3, 12, 8), 0),  # night
        (vn(2024, 3, 11, 16), vn(2024, 3, 12, 9), 2),
        (vn(2024, 3, 15, 16), vn(2024, 3, 18, 9), 2),  # weekend
        (vn(2024, 3, 11), vn(2024, 3, 18), 37.5),
        (vn(2024, 2, 7, 16), vn(2024, 2, 15, 9), 2),  # Tết
        (vn(2024, 4, 26), vn(2024, 5, 6), 30),  # 26/4, 2/5, 3/5 and Saturday 4/5
        (vn(2025, 4, 25), vn(2025, 5, 5), 30),  # 25/4, Saturday 26/4, 28/4, 29/4
        (vn(2026, 11, 23, 16), vn(2026, 11, 25, 9), 2),  # 24/11/2026
        (vn(2024, 1, 1), vn(2025, 1, 1), 251 * 7.5),
    ],
    ids=str,
)
def test_working_hours_between(a: datetime, b: datetime, expected: float) -> None:
    assert CAL.working_hours_between(a, b) == pytest.approx(expected)


def test_between_mixed_zones() -> None:
    a = datetime(2024, 3, 11, 1, tzinfo=UTC)  # 08:00 local
    b = datetime(2024, 3, 11, 10, tzinfo=timezone(timedelta(hours=9)))  # 08:00 local
    assert CAL.working_hours_between(a, b) == 0
    assert CAL.working_hours_between(a, b + timedelta(hours=1)) == 1


@pytest.mark.parametrize(
    "call",
    [
        lambda: CAL.add_working_hours(datetime(2024, 3, 11, 9), 1),
        lambda: CAL.add_working_days(datetime(2024, 3, 11, 9), 1),
        lambda: CAL.working_hours_between(datetime(2024, 3, 11, 9), vn(2024, 3, 12)),
        lambda: CAL.working_hours_between(vn(2024, 3, 11), datetime(2024, 3, 12)),
        lambda: CAL.add_working_hours(vn(2024, 3, 11, 9), -1),
        lambda: CAL.add_working_days(vn(2024, 3, 11, 9), -0.5),
        lambda: CAL.add_working_hours(vn(2024, 3, 11, 9), float("nan")),
        lambda: CAL.add_working_hours(vn(2024, 3, 11, 9), float("inf")),
        lambda: CAL.add_working_hours(vn(2024, 3, 11, 9), 1e12),
        lambda: CAL.add_working_hours(vn(2024, 3, 11, 9), True),
        lambda: CAL.add_working_hours(vn(2024, 3, 11, 9), "2"),
        lambda: WorkingCalendar(tz="Asia/Nowhere"),
    ],
)
def test_invalid_input_raises_value_error(call: Callable[[], object]) -> None:
    with pytest.raises(ValueError):
        call()


# ---- properties -------------------------------------------------------------------------

DAY_RANGE = (date(2024, 1, 1), date(2026, 12, 31))


@st.composite
def office_moments(draw: st.DrawFn) -> datetime:
    """A moment inside office hours on a working day of 2024–2026."""
    day = draw(st.dates(*DAY_RANGE))
    assume(CAL.is_working_day(day))
    opens, closes = draw(st.sampled_from(CAL.hours.periods))
    span = (datetime.combine(day, closes) - datetime.combine(day, opens)).total_seconds()
    offset = draw(st.integers(min_value=0, max_value=int(span) * 1_000_000 - 1))
    return datetime.combine(day, opens, tzinfo=VN) + timedelta(microseconds=offset)


hour_amounts = st.floats(min_value=0, max_value=400, allow_nan=False, allow_infinity=False)


@given(start=office_moments(), hours=hour_amounts)
def test_add_then_measure_round_trip(start: datetime, hours: float) -> None:
    end = CAL.add_working_hours(start, hours)
    assert CAL.working_hours_between(start, end) == pytest.approx(hours, abs=1e-6)


@given(start=office_moments(), hours=hour_amounts)
def test_result_is_inside_office_time(start: datetime, hours: float) -> None:
    end = CAL.add_working_hours(start, hours).astimezone(VN)
    assert CAL.is_working_day(end.date())
    clock = end.time()
    assert any(opens <= clock <= closes for opens, closes in CAL.hours.periods)


@given(
    start=office_moments(),
    first=hour_amounts,
    second=hour_amounts,
)
def test_add_is_monotonic(start: datetime, first: float, second: float) -> None:
    low, high = sorted((first, second))
    assert CAL.add_working_hours(start, low) <= CAL.add_working_hours(start, high)


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        (datetime(2026, 3, 3, 10, 0, tzinfo=VN), datetime(2026, 3, 3, 10, 0, tzinfo=VN)),
        (datetime(2026, 3, 3, 12, 30, tzinfo=VN), datetime(2026, 3, 3, 12, 30, tzinfo=VN)),
        (datetime(2026, 3, 3, 6, 0, tzinfo=VN), datetime(2026, 3, 3, 8, 0, tzinfo=VN)),
        (datetime(2026, 3, 3, 21, 0, tzinfo=VN), datetime(2026, 3, 4, 8, 0, tzinfo=VN)),
        (datetime(2026, 3, 6, 17, 0, tzinfo=VN), datetime(2026, 3, 9, 8, 0, tzinfo=VN)),
        (datetime(2026, 4, 29, 20, 0, tzinfo=VN), datetime(2026, 5, 4, 8, 0, tzinfo=VN)),
    ],
    ids=["in-hours", "lunch", "early-morning", "night", "friday-close", "before-30-4"],
)
def test_next_opening(moment: datetime, expected: datetime) -> None:
    assert WorkingCalendar.default().next_opening(moment) == expected
