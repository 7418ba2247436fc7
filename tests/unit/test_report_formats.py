"""Report arithmetic and writers, without a database."""

from __future__ import annotations

import csv
import io
import json

import pytest
from openpyxl import load_workbook
from rich.table import Table as RichTable

from engine.reports import percentile, share
from engine.reports.formats import (
    Column,
    Table,
    inert,
    shown,
    to_csv,
    to_json,
    to_rich,
    to_xlsx,
)
from engine.reports.statistics import Counts


def test_percentiles_interpolate_between_ranks() -> None:
    assert percentile([], 0.5) is None
    assert percentile([4.0], 0.9) == 4.0
    assert percentile([1.0, 2.0, 3.0, 4.0], 0.5) == 2.5
    assert percentile([1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0], 0.9) == \
        pytest.approx(9.1)
    assert percentile([0.5, 1.5], 1.0) == 1.5
    assert share(1, 0) is None and share(1, 4) == 0.25


def test_counts_add_up_and_derive_the_forms_figures() -> None:
    a = Counts(carried_over=2, new_online=1, new_desk=2, new_post=1, resolved_early=1,
               resolved_on_time=1, resolved_no_deadline=1, resolved_late=1, refused=1,
               pending_overdue=1)
    assert (a.received, a.new, a.new_offline, a.resolved, a.pending) == (6, 4, 3, 4, 1)
    assert a.on_time == 2  # the form's "đúng hạn" holds the dossiers without a deadline
    assert (a.within, a.overdue) == (0, 1)
    assert a.form_sums_hold() and a.reconciles()
    assert a.online_rate == 0.25 and a.on_time_rate == 0.75
    assert not Counts(new_online=1).reconciles()  # received, then in no outcome bucket
    # A desk refusal is outside every sum: it neither breaks nor makes the reconciliation.
    assert Counts(not_accepted=3).reconciles() and Counts(not_accepted=3).received == 0
    assert not (a + Counts(supplement_within=1)).reconciles()  # pending, never received
    total = a + Counts(new_desk=1, new_post=1, supplement_within=1, supplement_overdue=1)
    assert (total.received, total.pending, total.awaiting_supplement) == (8, 3, 2)
    assert (total.within, total.overdue) == (1, 2)  # awaiting the applicant is still pending
    assert total.reconciles()
    figures = total.figures()
    assert {k: figures[k] for k in ("received", "new_offline", "on_time", "resolved",
                                    "within", "overdue", "pending")} == {
        "received": 8, "new_offline": 5, "on_time": 2, "resolved": 4, "within": 1,
        "overdue": 2, "pending": 3}
    assert Counts().online_rate is None and Counts().on_time_rate is None


TABLE = Table(
    "Tình hình giải quyết", "Kỳ báo cáo: tháng 3",
    [Column("label", "Lĩnh vực", kind="text"), Column("received", "Tổng số", "Nhận"),
     Column("new", "Mới", "Nhận"), Column("rate", "Đúng hạn", kind="ratio"),
     Column("hours", "Giờ", kind="float")],
    [{"label": "Hộ tịch", "received": 3, "new": 2, "rate": 0.5, "hours": 1.25},
     {"label": "Chứng thực", "received": 1, "new": 1, "rate": None, "hours": None}],
    {"label": "Tổng cộng", "received": 4, "new": 3, "rate": 0.5, "hours": None},
    ["Ghi chú"])


def test_csv_shows_percent_and_grouped_headers() -> None:
    out = io.StringIO()
    to_csv(TABLE, out)
    rows = list(csv.reader(io.StringIO(out.getvalue())))
    assert rows[0] == ["Lĩnh vực", "Nhận – Tổng số", "Nhận – Mới", "Đúng hạn", "Giờ"]
    assert rows[1] == ["Hộ tịch", "3", "2", "50.0", "1.2"]
    assert rows[2] == ["Chứng thực", "1", "1", "", ""]
    assert rows[3][0] == "Tổng cộng" and len(rows) == 4


def test_json_keeps_keys_and_fractions() -> None:
    out = io.StringIO()
    to_json(TABLE, out)
    document = json.loads(out.getvalue())
    assert document["rows"][0] == {"label": "Hộ tịch", "received": 3, "new": 2, "rate": 0.5,
                                   "hours": 1.25}
    assert document["totals"]["received"] == 4
    assert document["columns"][1] == {"key": "received", "header": "Tổng số", "group": "Nhận",
                                      "kind": "int"}


def test_xlsx_has_the_forms_two_header_rows() -> None:
    out = io.BytesIO()
    to_xlsx(TABLE, out)
    sheet = load_workbook(io.BytesIO(out.getvalue())).active
    assert sheet is not None
    assert sheet["A1"].value == "Tình hình giải quyết"
    assert [sheet.cell(4, c).value for c in range(1, 7)] == [
        "STT", "Lĩnh vực", "Nhận", None, "Đúng hạn", "Giờ"]
    assert [sheet.cell(5, c).value for c in (3, 4)] == ["Tổng số", "Mới"]
    assert "C4:D4" in {str(r) for r in sheet.merged_cells.ranges}
    assert [sheet.cell(6, c).value for c in range(1, 7)] == [1, "Hộ tịch", 3, 2, 0.5, 1.25]
    assert sheet.cell(6, 5).number_format == "0.0%"
    assert sheet.cell(8, 2).value == "Tổng cộng" and sheet.cell(8, 2).font.bold
    assert sheet.cell(10, 1).value == "Ghi chú"


def test_terminal_table_and_shown_values() -> None:
    rendered = to_rich(TABLE)  # no width: one table, as the reports without a form print
    assert isinstance(rendered, RichTable) and rendered.row_count == 3
    assert (shown(None, "int"), shown(0.123, "ratio"), shown(2, "int")) == ("", "12.3", "2")


# Text people typed (procedure and step names, usernames) that a spreadsheet would run.
INJECTED = ["=HYPERLINK(\"http://evil.example\",\"x\")", "+1+1", "-2+3", "@SUM(A1)",
            "\tTab", "\rReturn"]
HOSTILE = Table(
    "=1+1", "Kỳ: -", [Column("label", "@Tên", kind="text"), Column("delta", "Chênh lệch"),
                      Column("hours", "Giờ", kind="float")],
    [{"label": text, "delta": -5, "hours": -1.5} for text in INJECTED]
    + [{"label": "Hộ tịch – 3", "delta": 0, "hours": 2.0}])


def test_csv_text_that_would_be_a_formula_gets_a_quote_and_numbers_stay_numbers() -> None:
    out = io.StringIO()
    to_csv(HOSTILE, out)
    rows = list(csv.reader(io.StringIO(out.getvalue(), newline="")))
    assert rows[0] == ["'@Tên", "Chênh lệch", "Giờ"]
    assert [r[0] for r in rows[1:7]] == ["'" + text for text in INJECTED]
    assert {(r[1], r[2]) for r in rows[1:7]} == {("-5", "-1.5")}  # numbers, not text
    assert rows[7] == ["Hộ tịch – 3", "0", "2.0"]
    assert (inert("a=b"), inert("0-1"), inert("")) == ("a=b", "0-1", "")


def test_xlsx_text_that_would_be_a_formula_is_a_text_cell_and_numbers_stay_numbers() -> None:
    out = io.BytesIO()
    to_xlsx(HOSTILE, out)
    sheet = load_workbook(io.BytesIO(out.getvalue())).active
    assert sheet is not None
    assert (sheet["A1"].value, sheet["A1"].data_type, sheet["A1"].quotePrefix) == \
        ("=1+1", "s", True)
    labels = [sheet.cell(line, 2) for line in range(6, 6 + len(INJECTED))]
    assert [c.value for c in labels] == INJECTED  # exactly as typed ...
    assert {(c.data_type, c.quotePrefix) for c in labels} == {("s", True)}  # ... never run
    delta = sheet.cell(6, 3)
    assert (delta.value, delta.data_type, delta.quotePrefix) == (-5, "n", False)
    assert sheet.cell(6, 4).value == -1.5
    plain = sheet.cell(6 + len(INJECTED), 2)
    assert (plain.value, plain.quotePrefix) == ("Hộ tịch – 3", False)
