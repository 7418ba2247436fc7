"""Loading the yearly adjustment files."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from engine.calendar import (
    AdjustmentKind,
    CalendarDataError,
    WorkingCalendar,
    load_file,
    load_year,
)
from engine.calendar.adjustments import DEFAULT_DATA_DIR

SHIPPED_YEARS = (2024, 2025, 2026)

GOOD = """\
year = 2030

[[day_off]]
date = 2030-01-02
reason = "Nghỉ hoán đổi"
source = "test notice 1"

[[working_day]]
date = 2030-01-05
reason = "Làm bù cho ngày 02/01/2030"
source = "test notice 1"
"""


def _write(tmp_path: Path, text: str, year: int = 2030) -> Path:
    path = tmp_path / f"vn-{year}.toml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("year", SHIPPED_YEARS)
def test_shipped_files_load_and_cite_a_source(year: int) -> None:
    adjustments = load_year(DEFAULT_DATA_DIR, year)
    assert adjustments is not None and adjustments.year == year
    for entry in adjustments.entries():
        assert entry.day.year == year
        assert entry.reason and entry.source
        assert entry.line is not None


def test_shipped_data_checks_out() -> None:
    assert WorkingCalendar().check_data_files() == list(SHIPPED_YEARS)


def test_check_data_files_reports_a_broken_year(tmp_path: Path) -> None:
    _write(tmp_path, GOOD)
    _write(tmp_path, "year = 2031\n[[working_day]]\ndate = 2031-01-05\n", year=2031)
    with pytest.raises(CalendarDataError, match=r"vn-2031\.toml, line 2: .*'reason'"):
        WorkingCalendar(data_dir=tmp_path).check_data_files()


def test_only_the_culture_day_is_unconfirmed() -> None:
    unconfirmed = [
        entry.day
        for year in SHIPPED_YEARS
        for entry in load_year(DEFAULT_DATA_DIR, year).unconfirmed()  # type: ignore[union-attr]
    ]
    assert unconfirmed == [date(2026, 11, 24)]


def test_missing_year_falls_back_to_the_holidays_package(tmp_path: Path) -> None:
    assert load_year(tmp_path, 2024) is None
    cal = WorkingCalendar(data_dir=tmp_path)
    assert cal.adjustments(2024) is None
    assert not cal.is_working_day(date(2024, 1, 1))  # statutory holiday, from `holidays`
    assert cal.is_working_day(date(2024, 3, 11))
    # Without the file the make-up Saturday is unknown: that is why the files exist.
    assert not cal.is_working_day(date(2024, 5, 4))


def test_good_file(tmp_path: Path) -> None:
    adjustments = load_file(_write(tmp_path, GOOD), expected_year=2030)
    assert list(adjustments.days_off) == [date(2030, 1, 2)]
    assert adjustments.days_off[date(2030, 1, 2)].kind is AdjustmentKind.DAY_OFF
    assert adjustments.days_off[date(2030, 1, 2)].line == 3
    assert adjustments.working_days[date(2030, 1, 5)].line == 8
    cal = WorkingCalendar(data_dir=tmp_path)
    assert not cal.is_working_day(date(2030, 1, 2))
    assert cal.day_off_reason(date(2030, 1, 2)) == "Nghỉ hoán đổi"
    assert cal.is_working_day(date(2030, 1, 5))


def test_working_day_can_withdraw_a_package_holiday(tmp_path: Path) -> None:
    # The way to overrule the `holidays` package, e.g. if 24/11 is not made a day off.
    _write(
        tmp_path,
        'year = 2026\n[[working_day]]\ndate = 2026-11-24\nreason = "x"\nsource = "y"\n',
        year=2026,
    )
    cal = WorkingCalendar(data_dir=tmp_path)
    assert cal.is_working_day(date(2026, 11, 24))
    assert cal.day_off_reason(date(2026, 11, 24)) is None


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ('year = 2030\n[[day_off]]\ndate = 2030-01-02\nreason = "x\n', 4, "line 4"),
        ("year = 2030\n\n[[day_off]]\ndate = 2030-13-02\n", 4, "line 4"),
        ("year = 2029\n", 1, "file name is for 2030"),
        ('year = "2030"\n', 1, "'year' must be an integer"),
        ("# no year\n[[day_off]]\n", None, "'year' must be an integer"),
        ("year = 2030\nholiday = []\n", 2, "unknown key"),
        (
            'year = 2030\n\n[[day_off]]\ndate = "2030-01-02"\nreason = "x"\nsource = "y"\n',
            3,
            "bare TOML date",
        ),
        (
            'year = 2030\n\n[[day_off]]\ndate = 2030-01-02T08:00:00\nreason = "x"\nsource = "y"\n',
            3,
            "bare TOML date",
        ),
        (
            'year = 2030\n\n[[day_off]]\ndate = 2031-01-02\nreason = "x"\nsource = "y"\n',
            3,
            "vn-2031.toml",
        ),
        ('year = 2030\n\n[[day_off]]\ndate = 2030-01-02\nreason = "x"\n', 3, "'source'"),
        (
            'year = 2030\n\n[[day_off]]\ndate = 2030-01-02\nreason = " "\nsource = "y"\n',
            3,
            "'reason'",
        ),
        (
            'year = 2030\n\n[[day_off]]\ndate = 2030-01-02\nreson = "x"\nsource = "y"\n',
            3,
            "unknown key",
        ),
        (
            GOOD + '\n[[day_off]]\ndate = 2030-01-05\nreason = "x"\nsource = "y"\n',
            13,
            "listed twice",
        ),
    ],
)
def test_malformed_file_names_file_and_line(
    tmp_path: Path, text: str, line: int | None, message: str
) -> None:
    path = _write(tmp_path, text)
    with pytest.raises(CalendarDataError) as caught:
        load_file(path, expected_year=2030)
    assert str(path) in str(caught.value)
    assert message in str(caught.value)
    if line is not None:
        assert f"line {line}" in str(caught.value)


def test_malformed_file_fails_when_the_year_is_used(tmp_path: Path) -> None:
    _write(tmp_path, "year = 2030\n[[day_off]\n")
    cal = WorkingCalendar(data_dir=tmp_path)
    assert cal.is_working_day(date(2029, 3, 1))  # other years are unaffected
    with pytest.raises(CalendarDataError, match=r"vn-2030\.toml, line 2"):
        cal.is_working_day(date(2030, 3, 1))


def test_make_up_day_on_an_open_weekday_is_rejected(tmp_path: Path) -> None:
    _write(
        tmp_path, 'year = 2030\n\n[[working_day]]\ndate = 2030-03-06\nreason = "x"\nsource = "y"\n'
    )
    cal = WorkingCalendar(data_dir=tmp_path)
    with pytest.raises(CalendarDataError, match=r"line 3: working_day 2030-03-06 is already"):
        cal.is_working_day(date(2030, 3, 6))


def test_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "vn-2030.toml"
    path.write_bytes("year = 2030\n# Tết\n".encode("utf-16"))
    with pytest.raises(CalendarDataError, match="UTF-8"):
        load_file(path)
