"""The official reporting periods of form 06: codes, cut-off dates, labels and their source.

The expected dates are written from Decree 09/2019/NĐ-CP article 12 (the 15th of the month
before to the 14th), not from the code.
"""

from __future__ import annotations

from datetime import date, timedelta
from itertools import pairwise
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from engine.errors import InvalidInput
from engine.reports import periods
from engine.reports.period_rules import DEFAULT_PATH, PeriodRulesError, load_rules, rules
from engine.reports.periods import (
    OfficialPeriod,
    PeriodKind,
    containing,
    free_range,
    has_ended,
    month,
    parse_period,
    presets,
    quarter,
)

TODAY = date(2026, 12, 2)
D = date


def span(period: OfficialPeriod) -> tuple[date, date]:
    return period.date_from, period.date_to


@pytest.mark.parametrize(("code", "kind", "year", "date_from", "date_to", "label"), [
    ("2026", "year", 2026, D(2025, 12, 15), D(2026, 12, 14), "Năm 2026"),
    ("2026-Q1", "quarter", 2026, D(2025, 12, 15), D(2026, 3, 14), "Quý I năm 2026"),
    ("2026-Q2", "quarter", 2026, D(2026, 3, 15), D(2026, 6, 14), "Quý II năm 2026"),
    ("2026-Q3", "quarter", 2026, D(2026, 6, 15), D(2026, 9, 14), "Quý III năm 2026"),
    ("2026-Q4", "quarter", 2026, D(2026, 9, 15), D(2026, 12, 14), "Quý IV năm 2026"),
    ("2026-6M", "half", 2026, D(2025, 12, 15), D(2026, 6, 14), "6 tháng đầu năm 2026"),
    ("2026-9M", "nine_months", 2026, D(2025, 12, 15), D(2026, 9, 14), "9 tháng năm 2026"),
    ("2026-M1", "month", 2026, D(2025, 12, 15), D(2026, 1, 14), "Tháng 1 năm 2026"),
    ("2026-M2", "month", 2026, D(2026, 1, 15), D(2026, 2, 14), "Tháng 2 năm 2026"),
    ("2026-M3", "month", 2026, D(2026, 2, 15), D(2026, 3, 14), "Tháng 3 năm 2026"),
    ("2026-M11", "month", 2026, D(2026, 10, 15), D(2026, 11, 14), "Tháng 11 năm 2026"),
    ("2026-M12", "month", 2026, D(2026, 11, 15), D(2026, 12, 14), "Tháng 12 năm 2026"),
    ("2027-M1", "month", 2027, D(2026, 12, 15), D(2027, 1, 14), "Tháng 1 năm 2027"),
    ("2027-Q1", "quarter", 2027, D(2026, 12, 15), D(2027, 3, 14), "Quý I năm 2027"),
    ("2027", "year", 2027, D(2026, 12, 15), D(2027, 12, 14), "Năm 2027"),
    ("2026-YTD-M11", "year_to_date", 2026, D(2025, 12, 15), D(2026, 11, 14),
     "Từ đầu năm đến tháng 11 năm 2026"),
    ("2026-YTD-M1", "year_to_date", 2026, D(2025, 12, 15), D(2026, 1, 14),
     "Từ đầu năm đến tháng 1 năm 2026"),
])
def test_each_kind_has_the_decrees_dates(code: str, kind: str, year: int, date_from: date,
                                         date_to: date, label: str) -> None:
    period = parse_period(code, TODAY)
    assert (period.code, period.kind, period.year) == (code, kind, year)
    assert span(period) == (date_from, date_to)
    assert period.label == label
    assert period.period_line == \
        f"(Từ ngày {date_from:%d/%m/%Y} đến ngày {date_to:%d/%m/%Y})"


def test_the_period_line_is_the_forms() -> None:
    assert parse_period("2026-Q3", TODAY).period_line == \
        "(Từ ngày 15/06/2026 đến ngày 14/09/2026)"


def test_each_period_carries_its_legal_basis_and_nine_months_is_unconfirmed() -> None:
    for code in ("2026", "2026-Q2", "2026-6M", "2026-M5", "2026-YTD-M4"):
        period = parse_period(code, TODAY)
        assert "Nghị định 09/2019/NĐ-CP" in period.source and "Điều 12" in period.source
        assert period.confirmed, code
    assert "ngày 14 của tháng cuối quý" in parse_period("2026-Q2", TODAY).source
    nine = parse_period("2026-9M", TODAY)
    assert not nine.confirmed
    assert nine.source.startswith("Chưa xác nhận")


@pytest.mark.parametrize(("text", "code"), [
    ("2026-q3", "2026-Q3"),
    ("  2026-Q3\t", "2026-Q3"),
    (" 2026 ", "2026"),
    ("2026-6m", "2026-6M"),
    ("2026-9m", "2026-9M"),
    ("2026-m1", "2026-M1"),
    ("2026-M01", "2026-M1"),
    ("2026-M09", "2026-M9"),
    ("2026-m12", "2026-M12"),
    ("2026-ytd-m11", "2026-YTD-M11"),
    ("2026-YTD-M05", "2026-YTD-M5"),
    ("2026-ytd", "2026-YTD-M11"),
])
def test_codes_are_read_case_insensitively_with_spaces_and_a_leading_zero(text: str,
                                                                          code: str) -> None:
    assert parse_period(text, TODAY) == parse_period(code, TODAY)
    assert parse_period(text, TODAY).code == code


@pytest.mark.parametrize("text", [
    "", "   ", "26", "26-Q1", "02026", "2026Q1", "2026-", "2026-Q0", "2026-Q5", "2026-M0",
    "2026-M00", "2026-M13", "2026-M001", "2026-H1", "2026-6", "2026-12M", "2026-YTD-M13",
    "2026-YTD-", "2026-YTD-Q3", "2026-Q1-M1", "2026-01-01..2026-03-31", "Q3-2026",
    "２０２６", "2026 -Q1", "quý 3 năm 2026",
])
def test_anything_else_is_refused_saying_what_is_accepted(text: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        parse_period(text, TODAY)
    message = refused.value.detail
    assert message.startswith(f"unknown reporting period {text!r}: use YYYY (the year), ")
    for form in ("YYYY-Q1 to YYYY-Q4", "YYYY-6M", "YYYY-9M", "YYYY-M1 to YYYY-M12",
                 "YYYY-YTD (the year to date)", "YYYY-YTD-M1 to YYYY-YTD-M12"):
        assert form in message
    assert message.endswith("e.g. 2026-Q3")


@pytest.mark.parametrize("text", ["0000", "0001-Q1"])
def test_a_year_without_real_dates_is_refused(text: str) -> None:
    with pytest.raises(InvalidInput, match=rf"^reporting period '{text}': the year must be "
                                           r"from 2 to 9999$"):
        parse_period(text, TODAY)


@pytest.mark.parametrize(("today", "through"), [
    (D(2026, 1, 15), 1),  # month 1 ended on 14/01
    (D(2026, 2, 14), 1),  # on the 14th month 2 is still running
    (D(2026, 2, 15), 2),
    (D(2026, 11, 14), 10),
    (D(2026, 11, 15), 11),
    (D(2026, 12, 2), 11),
    (D(2026, 12, 14), 11),
    (D(2026, 12, 15), 12),  # the year is over: all of it
    (D(2027, 6, 1), 12),
    (D(2035, 1, 1), 12),
])
def test_the_year_to_date_runs_to_the_last_ended_month(today: date, through: int) -> None:
    period = parse_period("2026-YTD", today)
    assert period.code == f"2026-YTD-M{through}"
    assert span(period) == (D(2025, 12, 15), month(2026, through).date_to)
    assert has_ended(period, today)


@pytest.mark.parametrize("today", [D(2026, 1, 14), D(2026, 1, 1), D(2025, 12, 15),
                                   D(2025, 6, 1)])
def test_the_year_to_date_is_refused_before_the_first_month_ends(today: date) -> None:
    with pytest.raises(InvalidInput) as refused:
        parse_period(" 2026-ytd ", today)
    assert refused.value.detail == (
        f"'2026-ytd': no month of 2026 has ended by {today:%d/%m/%Y} (its first, 2026-M1, "
        "ends on 14/01/2026); ask for a month such as 2026-M1, or for 2025-YTD")


def test_late_december_belongs_to_the_next_year_so_its_year_to_date_waits() -> None:
    with pytest.raises(InvalidInput, match="no month of 2027 has ended by 20/12/2026"):
        parse_period("2027-YTD", D(2026, 12, 20))
    assert parse_period("2026-YTD", D(2026, 12, 20)).code == "2026-YTD-M12"


def test_a_free_range_is_its_dates() -> None:
    period = free_range(D(2026, 1, 1), D(2026, 3, 31))
    assert period == OfficialPeriod(
        code="2026-01-01..2026-03-31", kind=PeriodKind.RANGE, year=2026,
        date_from=D(2026, 1, 1), date_to=D(2026, 3, 31),
        label="Từ ngày 01/01/2026 đến ngày 31/03/2026", source="", confirmed=True)
    assert period.kind == "range"
    assert period.period_line == "(Từ ngày 01/01/2026 đến ngày 31/03/2026)"
    assert span(free_range(D(2026, 5, 5), D(2026, 5, 5))) == (D(2026, 5, 5), D(2026, 5, 5))
    assert free_range(D(2025, 12, 20), D(2026, 1, 10)).year == 2026


def test_a_free_range_ending_before_it_starts_is_refused() -> None:
    with pytest.raises(InvalidInput, match=r"^the period starts after it ends: "
                                           r"31/03/2026 > 01/01/2026$"):
        free_range(D(2026, 3, 31), D(2026, 1, 1))


def test_a_period_has_ended_once_its_last_day_is_over() -> None:
    q3 = parse_period("2026-Q3", TODAY)
    assert not has_ended(q3, D(2026, 6, 15))
    assert not has_ended(q3, D(2026, 9, 14))
    assert has_ended(q3, D(2026, 9, 15))
    assert not has_ended(free_range(D(2026, 1, 1), D(2026, 1, 31)), D(2026, 1, 31))


@pytest.mark.parametrize(("day", "kind", "code"), [
    (D(2026, 12, 20), "month", "2027-M1"),
    (D(2026, 12, 20), "quarter", "2027-Q1"),
    (D(2026, 12, 20), "half", "2027-6M"),
    (D(2026, 12, 20), "nine_months", "2027-9M"),
    (D(2026, 12, 20), "year", "2027"),
    (D(2026, 12, 20), "year_to_date", "2027-YTD-M1"),
    (D(2026, 12, 15), "year", "2027"),
    (D(2026, 12, 31), "month", "2027-M1"),
    (D(2026, 12, 14), "month", "2026-M12"),
    (D(2026, 12, 14), "quarter", "2026-Q4"),
    (D(2026, 12, 14), "year", "2026"),
    (D(2027, 1, 1), "year", "2027"),
    (D(2027, 1, 14), "month", "2027-M1"),
    (D(2027, 1, 15), "month", "2027-M2"),
    (D(2026, 3, 14), "quarter", "2026-Q1"),
    (D(2026, 3, 15), "quarter", "2026-Q2"),
    (D(2026, 6, 14), "half", "2026-6M"),
    (D(2026, 9, 14), "nine_months", "2026-9M"),
    (D(2026, 11, 20), "year_to_date", "2026-YTD-M12"),
    (D(2026, 2, 28), "month", "2026-M3"),
    (D(2024, 2, 29), "quarter", "2024-Q1"),
    (D(2026, 5, 1), PeriodKind.MONTH, "2026-M5"),
])
def test_the_period_containing_a_day(day: date, kind: str, code: str) -> None:
    period = containing(kind, day)
    assert period.code == code
    assert period.date_from <= day <= period.date_to


@pytest.mark.parametrize(("day", "kind", "message"), [
    (D(2026, 6, 15), "half",
     "15/06/2026 is in no half period: 2026-6M runs from 15/12/2025 to 14/06/2026"),
    (D(2026, 12, 14), "nine_months",
     "14/12/2026 is in no nine_months period: 2026-9M runs from 15/12/2025 to 14/09/2026"),
    (D(2026, 5, 1), "range",
     "a free range is not a fixed period: give its dates to free_range"),
    (D(2026, 5, 1), "week",
     "unknown kind of period 'week': use one of month, quarter, half, nine_months, year, "
     "year_to_date, range"),
])
def test_no_period_of_a_kind_contains_the_day(day: date, kind: str, message: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        containing(kind, day)
    assert refused.value.detail == message


def codes(found: list[OfficialPeriod]) -> list[str]:
    return [period.code for period in found]


@pytest.mark.parametrize(("today", "expected"), [
    (D(2026, 12, 2), ["2026-M12", "2026-M11", "2026-Q4", "2026-Q3", "2026-6M", "2026-9M",
                      "2026", "2025", "2026-YTD-M11"]),
    # 15–31 December: the new reporting year has begun, nothing of it has ended.
    (D(2026, 12, 20), ["2027-M1", "2026-M12", "2027-Q1", "2026-Q4", "2027-6M", "2027-9M",
                       "2027", "2026", "2026-YTD-M12"]),
    (D(2026, 1, 14), ["2026-M1", "2025-M12", "2026-Q1", "2025-Q4", "2026-6M", "2026-9M",
                      "2026", "2025", "2025-YTD-M12"]),
    (D(2026, 1, 15), ["2026-M2", "2026-M1", "2026-Q1", "2025-Q4", "2026-6M", "2026-9M",
                      "2026", "2025", "2026-YTD-M1"]),
    (D(2026, 6, 15), ["2026-M7", "2026-M6", "2026-Q3", "2026-Q2", "2026-6M", "2026-9M",
                      "2026", "2025", "2026-YTD-M6"]),
])
def test_presets_offer_the_running_and_the_last_ended_periods(today: date,
                                                              expected: list[str]) -> None:
    found = presets(today)
    assert codes(found) == expected
    this_month, last_month, this_quarter, last_quarter = found[:4]
    for running in (this_month, this_quarter):
        assert running.date_from <= today <= running.date_to
    for ended in (last_month, last_quarter, found[7], found[8]):
        assert has_ended(ended, today)


def test_presets_on_the_day_six_months_end_and_the_day_after() -> None:
    assert not has_ended(presets(D(2026, 6, 14))[4], D(2026, 6, 14))
    assert has_ended(presets(D(2026, 6, 15))[4], D(2026, 6, 15))


# --- properties -------------------------------------------------------------------------------

years = st.integers(min_value=1990, max_value=2200)
days = st.dates(min_value=D(1990, 1, 1), max_value=D(2200, 12, 14))


def tiles(parts: list[OfficialPeriod], whole: OfficialPeriod) -> bool:
    """The parts follow each other day after day and cover exactly the whole."""
    return (parts[0].date_from == whole.date_from and parts[-1].date_to == whole.date_to
            and all(a.date_to + timedelta(days=1) == b.date_from
                    for a, b in pairwise(parts)))


@settings(max_examples=200, deadline=None)
@given(years)
def test_the_twelve_months_tile_the_year_and_quarters_are_their_months(year: int) -> None:
    months = [month(year, number) for number in range(1, 13)]
    assert tiles(months, parse_period(str(year), TODAY))
    for number in range(1, 5):
        assert tiles(months[3 * number - 3:3 * number], quarter(year, number))
    quarters = [quarter(year, number) for number in range(1, 5)]
    assert tiles(quarters[:2], parse_period(f"{year}-6M", TODAY))
    assert tiles(quarters[:3], parse_period(f"{year}-9M", TODAY))
    assert tiles(months[:11], parse_period(f"{year}-YTD-M11", TODAY))
    # Years follow each other too: no day of the calendar is in two years or in none.
    assert tiles([parse_period(str(year), TODAY), parse_period(str(year + 1), TODAY)],
                 OfficialPeriod("", PeriodKind.RANGE, year, D(year - 1, 12, 15),
                                D(year + 1, 12, 14), "", "", True))


@settings(max_examples=300, deadline=None)
@given(days, st.sampled_from(["month", "quarter", "year", "year_to_date"]))
def test_the_period_containing_a_day_contains_it_and_its_code_reads_back(day: date,
                                                                         kind: str) -> None:
    period = containing(kind, day)
    assert period.date_from <= day <= period.date_to
    assert parse_period(period.code.lower(), TODAY) == period
    if kind == "month":
        assert containing("month", period.date_from) == period == \
            containing("month", period.date_to)
        assert containing("year", day).date_from <= period.date_from
        assert period.date_to <= containing("year", day).date_to


@settings(max_examples=300, deadline=None)
@given(years, days)
def test_the_year_to_date_ends_with_the_last_ended_month(year: int, today: date) -> None:
    ended = [number for number in range(1, 13) if has_ended(month(year, number), today)]
    if not ended:
        with pytest.raises(InvalidInput, match=f"no month of {year} has ended"):
            parse_period(f"{year}-YTD", today)
        return
    period = parse_period(f"{year}-YTD", today)
    assert period == parse_period(f"{year}-YTD-M{max(ended)}", today)


# --- the data ---------------------------------------------------------------------------------


def test_the_packaged_data_holds_the_decrees_cut_off_days() -> None:
    loaded = rules()
    assert (loaded.start_day, loaded.end_day) == (15, 14)
    assert [(q.first_month, q.last_month) for q in loaded.quarters] == \
        [(1, 3), (4, 6), (7, 9), (10, 12)]
    assert (loaded.half.first_month, loaded.half.last_month) == (1, 6)
    assert (loaded.nine_months.last_month, loaded.nine_months.basis.confirmed) == (9, False)
    assert DEFAULT_PATH.name == "report_periods.toml"
    assert DEFAULT_PATH.parent.name == "calendar_data"


def test_the_dates_come_from_the_data(tmp_path: Path,
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    text = DEFAULT_PATH.read_text(encoding="utf-8")
    text = text.replace("start_day = 15", "start_day = 21").replace("end_day = 14",
                                                                    "end_day = 20")
    path = tmp_path / "report_periods.toml"
    path.write_text(text, encoding="utf-8")
    monkeypatch.setattr(periods, "rules", lambda: load_rules(path))
    assert span(parse_period("2026-Q3", TODAY)) == (D(2026, 6, 21), D(2026, 9, 20))
    assert containing("year", D(2026, 12, 20)).code == "2026"
    assert containing("year", D(2026, 12, 21)).code == "2027"


@pytest.mark.parametrize(("edit", "message"), [
    (("start_day = 15", "start_day = 16"),
     "report_periods.toml: cut_off: start_day (16) must be end_day + 1 (15)"),
    (("end_day = 14", "end_day = 30"),
     "report_periods.toml: cut_off.end_day: must be a whole number from 1 to 27, got 30"),
    (("[[1, 3], [4, 6], [7, 9], [10, 12]]", "[[1, 3], [4, 6], [7, 10], [11, 12]]"),
     "report_periods.toml: quarter.months: must be [[1, 3], [4, 6], [7, 9], [10, 12]]"),
    (("months = [1, 6]", "months = [6, 1]"),
     "report_periods.toml: half.months: must be [first month, last month] within 1–12, "
     "got [6, 1]"),
    (("months = [1, 9]\nsource", "months = [1, 9]\nxsource"),
     "report_periods.toml: nine_months.source: the legal basis is required"),
    (("confirmed = false", 'confirmed = "no"'),
     "report_periods.toml: nine_months.confirmed: must be true or false"),
    (("[year_to_date]", "[year_to_date_]"),
     "report_periods.toml: year_to_date: the table is missing"),
    (("[cut_off]", "[cut_off"), "report_periods.toml: "),
])
def test_a_broken_data_file_is_refused_naming_the_key(tmp_path: Path, edit: tuple[str, str],
                                                      message: str) -> None:
    text = DEFAULT_PATH.read_text(encoding="utf-8")
    assert edit[0] in text
    path = tmp_path / "report_periods.toml"
    path.write_text(text.replace(edit[0], edit[1], 1), encoding="utf-8")
    with pytest.raises(PeriodRulesError) as refused:
        load_rules(path)
    assert str(refused.value).startswith(message)
