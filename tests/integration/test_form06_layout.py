"""Form 06 laid out as Biểu số 06/VPCP/KSTT, on dossiers run through the engine: levels and
the fields under them, the form's sums on every row, the units a report counts and
consolidates, and the rule that tells early from on time."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

import pytest

from engine.reports.statistics import Counts, Report
from engine.runtime.clock import ManualClock
from engine.service.office import Office
from engine.service.reporting import statistics, statistics_table
from tests.integration.form06_data import (
    CITY,
    DUONG_NOI,
    FIRST_WARD,
    FORM_SUMS,
    KIEN_HUNG,
    UNITS_IN_ORDER,
    two_levels,
    wards,
)

FROM, TO = date(2026, 3, 5), date(2026, 3, 12)
Q1 = (date(2025, 12, 15), date(2026, 3, 14))
BUSINESS, BUILDING = "Thành lập và hoạt động của hộ kinh doanh", "Hoạt động xây dựng"


@pytest.fixture
def single(office: Office, clock: ManualClock) -> Office:
    two_levels(office, clock)
    return office


@pytest.fixture
def demo(office: Office, clock: ManualClock) -> Office:
    wards(office, clock)
    return office


def _layout(report: Report) -> list[tuple[str, str, int, str]]:
    return [(r.stt, r.kind, r.depth, r.label) for r in report.rows]


def _holds_the_forms_sums(row: dict[str, Any]) -> bool:
    return all(row[total] == sum(row[part] for part in parts)
               for total, parts in FORM_SUMS.items()) and \
        row["received"] == row["resolved"] + row["refused"] + row["withdrawn"] + row["pending"]


def test_levels_in_roman_numerals_with_their_fields_numbered_under_them(single: Office) -> None:
    report = statistics(single, FROM, TO)
    assert _layout(report) == [
        ("I", "level", 0, "Cấp huyện"),
        ("1", "field", 1, BUILDING),
        ("2", "field", 1, BUSINESS),
        ("II", "level", 0, "Cấp xã"),
        ("1", "field", 1, "Chứng thực"),
        ("2", "field", 1, "Hộ tịch"),
    ]
    rows = {(r.key or ""): r.counts for r in report.rows}
    assert rows[f"district|{BUSINESS}"] == Counts(
        carried_over=1, new_desk=1, resolved_early=1, resolved_late=1, not_accepted=1)
    assert rows[f"district|{BUILDING}"] == Counts(new_post=1, supplement_within=1)
    assert rows["commune|Chứng thực"] == Counts(carried_over=1, new_desk=1, resolved_on_time=1,
                                                pending_overdue=1)
    assert rows["commune|Hộ tịch"] == Counts(new_desk=1, resolved_on_time=1)
    # A level is the sum of its fields; the totals the sum of the field rows.
    assert rows["district"] == rows[f"district|{BUILDING}"] + rows[f"district|{BUSINESS}"]
    assert rows["commune"] == rows["commune|Chứng thực"] + rows["commune|Hộ tịch"]
    fields = [r.counts for r in report.rows if r.kind == "field"]
    assert report.total == sum(fields, Counts())
    total = report.total
    assert (total.received, total.carried_over, total.new_online, total.new_offline) == \
        (6, 2, 0, 4)
    assert (total.resolved, total.resolved_early, total.on_time, total.resolved_late) == \
        (4, 1, 2, 1)
    assert (total.pending, total.within, total.overdue) == (2, 1, 1)
    assert (total.awaiting_supplement, total.not_accepted) == (1, 1)

    table = statistics_table(report)
    assert [r["stt"] for r in table.rows] == ["I", "1", "2", "II", "1", "2"]
    assert table.totals is not None
    assert (table.totals["label"], table.totals["stt"]) == ("Tổng cộng", "")
    for row in [*table.rows, table.totals]:
        assert _holds_the_forms_sums(row), row["label"]
    form = table.form
    assert form is not None
    assert form.period_line == "(Từ ngày 05/03/2026 đến ngày 12/03/2026)"  # a free range


def test_the_early_rule_decides_a_result_ready_on_its_due_day(single: Office) -> None:
    """A copy and a birth registration finished at 11:00 on the day they were due by 17:00:
    on time when the day is compared, early when the moment is."""
    by_day = statistics(single, FROM, TO)
    by_moment = statistics(replace(single, early_rule="moment"), FROM, TO)
    day = {r.key: r.counts for r in by_day.rows}
    moment = {r.key: r.counts for r in by_moment.rows}
    for key in ("commune|Chứng thực", "commune|Hộ tịch"):
        assert (day[key].resolved_early, day[key].on_time) == (0, 1), key
        assert (moment[key].resolved_early, moment[key].on_time) == (1, 0), key
    # A result before the due day is early, one after the due moment late, by either rule.
    assert day[f"district|{BUSINESS}"] == moment[f"district|{BUSINESS}"]
    assert by_moment.total.resolved == by_day.total.resolved == 4
    assert by_moment.total.reconciles()
    assert (by_day.early_rule, by_moment.early_rule) == ("day", "moment")
    day_notes, moment_notes = statistics_table(by_day).notes, statistics_table(by_moment).notes
    assert any("(so theo ngày)" in note for note in day_notes)
    assert not any("so theo thời điểm" in note for note in day_notes)
    assert any("(so theo thời điểm)" in note for note in moment_notes)


def test_one_ward_counts_the_dossiers_it_resolves(demo: Office) -> None:
    duong_noi = statistics(demo, *Q1, unit=DUONG_NOI, consolidate=False)
    assert _layout(duong_noi) == [("I", "level", 0, "Cấp xã"), ("1", "field", 1, "Chứng thực"),
                                  ("2", "field", 1, BUSINESS)]
    # Its own desk's open copy, and the business registration the city's desk received for
    # it and the ward resolved.
    assert duong_noi.total == Counts(new_desk=2, resolved_early=1, pending_overdue=1)
    form = statistics_table(duong_noi).form
    assert form is not None
    assert (form.reporting_unit, form.receiving_unit) == (
        "Đơn vị báo cáo: Phường Dương Nội", "Đơn vị nhận báo cáo: Thành phố Hà Nội")
    # The city's desk only received that dossier: the city resolved nothing.
    city = statistics(demo, *Q1, unit=CITY, consolidate=False)
    assert city.rows == [] and city.total == Counts()
    here = statistics(demo, *Q1, unit=FIRST_WARD, consolidate=False)
    assert here.total == Counts(new_desk=2, resolved_early=1, resolved_on_time=1)
    # A desk refusal leaves the ward's form empty but for the column beside it.
    kien_hung = statistics(demo, *Q1, unit=KIEN_HUNG, consolidate=False)
    assert kien_hung.total == Counts(not_accepted=1)


def test_consolidated_from_the_city_one_row_group_per_unit(demo: Office) -> None:
    report = statistics(demo, *Q1, unit=CITY, consolidate=True)
    assert report.consolidated
    units = [r for r in report.rows if r.kind == "unit"]
    assert [u.label for u in units] == UNITS_IN_ORDER  # the city first, then wards by name
    assert [u.stt for u in units] == ["I", "II", "III", "IV", "V", "VI", "VII"]
    assert {u.depth for u in units} == {0}
    # Each unit's group: its levels (I.1) and fields (I.1.1) under it, summing to it.
    groups: dict[str, list[Any]] = {}
    for row in report.rows:
        if row.kind == "unit":
            groups[row.stt] = [row]
        else:
            groups[list(groups)[-1]].append(row)
    for stt, (unit, *below) in groups.items():
        assert all(r.stt.startswith(f"{stt}.") for r in below)
        assert [r.depth for r in below] == [1 if r.kind == "level" else 2 for r in below]
        assert unit.counts == sum((r.counts for r in below if r.kind == "field"), Counts())
        assert unit.counts == sum((r.counts for r in below if r.kind == "level"), Counts())
    by_unit = {u.key: u.counts for u in units}
    assert by_unit[CITY] == Counts()
    # Each unit's group holds what its own report counts.
    for code in (DUONG_NOI, FIRST_WARD, KIEN_HUNG):
        assert by_unit[code] == statistics(demo, *Q1, unit=code, consolidate=False).total
    assert report.total == sum((u.counts for u in units), Counts())
    assert report.total == Counts(new_desk=4, resolved_early=2, resolved_on_time=1,
                                  pending_overdue=1, not_accepted=1)
    assert all(r.counts.reconciles() for r in report.rows)
