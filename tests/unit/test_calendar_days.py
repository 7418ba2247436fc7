"""Which days the office is open, 2024–2026, checked against the official schedules.

The tables below are written from the government notices (see engine/calendar_data), not
from the code, so they also catch a change in the ``holidays`` package.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from engine.calendar import WEEKEND, OfficeHours, WorkingCalendar

# Weekdays (Mon–Fri) the office is closed, per year.
WEEKDAYS_OFF: dict[int, dict[date, str]] = {
    2024: {
        date(2024, 1, 1): "Tết Dương lịch",
        # Tết Giáp Thìn, off Thu 08/02 – Wed 14/02 (5015/TB-LĐTBXH).
        date(2024, 2, 8): "Tết",
        date(2024, 2, 9): "Tết",
        date(2024, 2, 12): "Tết",
        date(2024, 2, 13): "Tết",
        date(2024, 2, 14): "Tết",
        date(2024, 4, 18): "Hùng Vương",
        # 30/4–1/5: Mon 29/04 swapped with Sat 04/05 (2450/VPCP-KGVX).
        date(2024, 4, 29): "hoán đổi",
        date(2024, 4, 30): "Chiến thắng",
        date(2024, 5, 1): "Lao động",
        date(2024, 9, 2): "Quốc khánh",
        date(2024, 9, 3): "Quốc khánh",
    },
    2025: {
        date(2025, 1, 1): "Tết Dương lịch",
        # Tết Ất Tỵ, off Sat 25/01 – Sun 02/02 (6150/TB-BLĐTBXH).
        date(2025, 1, 27): "Tết",
        date(2025, 1, 28): "Tết",
        date(2025, 1, 29): "Tết",
        date(2025, 1, 30): "Tết",
        date(2025, 1, 31): "Tết",
        date(2025, 4, 7): "Hùng Vương",
        date(2025, 4, 30): "Chiến thắng",
        date(2025, 5, 1): "Lao động",
        # Fri 02/05 swapped with Sat 26/04.
        date(2025, 5, 2): "hoán đổi",
        date(2025, 9, 1): "Quốc khánh",
        date(2025, 9, 2): "Quốc khánh",
    },
    2026: {
        date(2026, 1, 1): "Tết Dương lịch",
        # Fri 02/01 swapped with Sat 10/01 (12729/VPCP-KGVX).
        date(2026, 1, 2): "hoán đổi",
        # Tết Bính Ngọ, off Sat 14/02 – Sun 22/02 (9441/TB-BNV).
        date(2026, 2, 16): "Tết",
        date(2026, 2, 17): "Tết",
        date(2026, 2, 18): "Tết",
        date(2026, 2, 19): "Tết",
        date(2026, 2, 20): "Tết",
        # Hùng Kings on Sunday 26/04, compensatory day Monday 27/04.
        date(2026, 4, 27): "Hùng Vương",
        date(2026, 4, 30): "Chiến thắng",
        date(2026, 5, 1): "Lao động",
        # Mon 31/08 swapped with Sat 22/08 (9441/TB-BNV).
        date(2026, 8, 31): "hoán đổi",
        date(2026, 9, 1): "Quốc khánh",
        date(2026, 9, 2): "Quốc khánh",
        # Unconfirmed in law so far, see vn-2026.toml.
        date(2026, 11, 24): "Văn hóa",
    },
}

# Saturdays worked in exchange for a weekday off.
MAKE_UP_DAYS: dict[int, set[date]] = {
    2024: {date(2024, 5, 4)},
    2025: {date(2025, 4, 26)},
    2026: {date(2026, 1, 10), date(2026, 8, 22)},
}

# Weekend days inside a holiday that carry the holiday's name, not "weekend".
WEEKEND_HOLIDAYS = [
    (date(2024, 2, 10), "Tết"),
    (date(2024, 2, 11), "Tết"),
    (date(2025, 2, 1), "Tết"),
    (date(2026, 4, 26), "Hùng Vương"),
]


@pytest.fixture(scope="module")
def cal() -> WorkingCalendar:
    return WorkingCalendar.default()


def _days_of(year: int) -> list[date]:
    first = date(year, 1, 1)
    return [first + timedelta(days=i) for i in range((date(year + 1, 1, 1) - first).days)]


@pytest.mark.parametrize("year", [2024, 2025, 2026])
def test_every_day_of_the_year(cal: WorkingCalendar, year: int) -> None:
    wrong = []
    for d in _days_of(year):
        expected = (d.weekday() < 5 and d not in WEEKDAYS_OFF[year]) or d in MAKE_UP_DAYS[year]
        if cal.is_working_day(d) != expected:
            wrong.append(f"{d} {d:%a}: expected {'working' if expected else 'off'}")
    assert wrong == []


@pytest.mark.parametrize(
    ("day", "fragment"),
    [(d, fragment) for year in WEEKDAYS_OFF.values() for d, fragment in year.items()],
    ids=str,
)
def test_weekday_off_has_its_reason(cal: WorkingCalendar, day: date, fragment: str) -> None:
    assert not cal.is_working_day(day)
    reason = cal.day_off_reason(day)
    assert reason is not None and fragment in reason


@pytest.mark.parametrize("day", sorted(d for days in MAKE_UP_DAYS.values() for d in days), ids=str)
def test_make_up_saturday_is_a_working_day(cal: WorkingCalendar, day: date) -> None:
    assert day.weekday() == 5
    assert cal.is_working_day(day)
    assert cal.day_off_reason(day) is None
    assert day in cal.make_up_working_days(day.year)


@pytest.mark.parametrize(("day", "fragment"), WEEKEND_HOLIDAYS, ids=str)
def test_holiday_on_a_weekend_is_named(cal: WorkingCalendar, day: date, fragment: str) -> None:
    reason = cal.day_off_reason(day)
    assert reason is not None and fragment in reason


@pytest.mark.parametrize(
    ("day", "reason"),
    [
        (date(2024, 3, 9), WEEKEND),
        (date(2025, 4, 27), WEEKEND),  # the Sunday after the make-up Saturday
        (date(2024, 3, 11), None),
        (date(2027, 7, 14), None),  # a year without a data file still works
    ],
    ids=str,
)
def test_ordinary_days(cal: WorkingCalendar, day: date, reason: str | None) -> None:
    assert cal.day_off_reason(day) == reason
    assert cal.is_working_day(day) is (reason is None)


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2024, 2, 7), date(2024, 2, 15)),  # eve of Tết Giáp Thìn
        (date(2024, 4, 26), date(2024, 5, 2)),
        (date(2024, 5, 3), date(2024, 5, 4)),  # make-up Saturday
        (date(2024, 8, 30), date(2024, 9, 4)),
        (date(2024, 12, 31), date(2025, 1, 2)),  # across the year and New Year's Day
        (date(2025, 1, 24), date(2025, 2, 3)),
        (date(2025, 4, 4), date(2025, 4, 8)),  # Hùng Kings on Monday
        (date(2025, 4, 25), date(2025, 4, 26)),
        (date(2025, 4, 29), date(2025, 5, 5)),
        (date(2025, 8, 29), date(2025, 9, 3)),
        (date(2025, 12, 31), date(2026, 1, 5)),
        (date(2026, 1, 9), date(2026, 1, 10)),
        (date(2026, 2, 13), date(2026, 2, 23)),
        (date(2026, 4, 24), date(2026, 4, 28)),
        (date(2026, 4, 29), date(2026, 5, 4)),
        (date(2026, 8, 21), date(2026, 8, 22)),
        (date(2026, 8, 28), date(2026, 9, 3)),
        (date(2026, 11, 23), date(2026, 11, 25)),
    ],
    ids=str,
)
def test_next_working_day(cal: WorkingCalendar, day: date, expected: date) -> None:
    assert cal.next_working_day(day) == expected


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        (date(2024, 3, 11), date(2024, 3, 11), 0),
        (date(2024, 3, 11), date(2024, 3, 8), 0),
        (date(2024, 3, 8), date(2024, 3, 11), 1),  # (Fri, Mon]
        (date(2024, 3, 11), date(2024, 3, 18), 5),
        (date(2024, 2, 7), date(2024, 2, 15), 1),  # all of Tết
        (date(2024, 4, 26), date(2024, 5, 6), 4),  # 2, 3, 4 (Saturday) and 6 May
        (date(2025, 4, 25), date(2025, 5, 5), 4),  # 26 (Saturday), 28, 29 April, 5 May
        (date(2026, 8, 21), date(2026, 9, 4), 8),
        (date(2024, 1, 1), date(2024, 12, 31), 251),
    ],
    ids=str,
)
def test_working_days_between(cal: WorkingCalendar, a: date, b: date, expected: int) -> None:
    assert cal.working_days_between(a, b) == expected


def test_working_days_per_year(cal: WorkingCalendar) -> None:
    # Weekdays minus weekday days off plus make-up Saturdays: a cross-check of the tables.
    for year in (2024, 2025, 2026):
        weekdays = sum(1 for d in _days_of(year) if d.weekday() < 5)
        expected = weekdays - len(WEEKDAYS_OFF[year]) + len(MAKE_UP_DAYS[year])
        assert cal.working_days_between(date(year - 1, 12, 31), date(year, 12, 31)) == expected


def test_default_is_shared() -> None:
    assert WorkingCalendar.default() is WorkingCalendar.default()


def test_office_on_saturdays() -> None:
    saturday_office = WorkingCalendar(hours=OfficeHours(weekdays=frozenset({0, 1, 2, 3, 4, 5})))
    assert saturday_office.is_working_day(date(2024, 3, 9))
    assert not saturday_office.is_working_day(date(2024, 2, 10))  # Tết still applies
