"""Differences between a report as sent and as it stands now, matched by row key on every
numeric column, whatever else the rows hold."""

from __future__ import annotations

import io
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from engine.i18n import translate
from engine.reports.formats import to_csv, to_json
from engine.reports.submitted import (
    DIFFERENCES_TITLE,
    differences,
    differences_table,
    document_digest,
    submitted_table,
)

COLUMNS = [{"key": "label", "header": "Lĩnh vực", "group": None, "kind": "text"},
           {"key": "received", "header": "Tổng số", "group": "Số hồ sơ nhận", "kind": "int"},
           {"key": "late", "header": "Quá hạn", "group": "Đã giải quyết", "kind": "int"},
           {"key": "on_time_rate", "header": "Đúng hạn", "group": "Tỷ lệ", "kind": "ratio"}]


def document(rows: list[dict[str, Any]], totals: dict[str, Any] | None) -> dict[str, Any]:
    return {"title": "Biểu 06", "subtitle": "Kỳ", "notes": [], "columns": COLUMNS,
            "rows": rows, "totals": totals}


def row(key: str | None, label: str, received: int, late: int,
        rate: float | None) -> dict[str, Any]:
    return {"key": key, "label": label, "received": received, "late": late,
            "on_time_rate": rate}


SENT = document([row("ho_tich", "Hộ tịch", 4, 1, 0.75), row("chung_thuc", "Chứng thực", 2, 0, 1.0),
                 row(None, "(chưa phân loại)", 1, 0, None)],
                row(None, "Tổng cộng", 7, 1, 0.8))


def test_the_same_figures_have_no_differences() -> None:
    assert differences(SENT, SENT) == []
    table = differences_table([])
    assert table.title == translate("vi", DIFFERENCES_TITLE) and table.rows == []
    assert table.notes == ["Số liệu hiện tại trùng với số liệu đã gửi."]


def test_changed_added_and_removed_rows_then_the_totals() -> None:
    live = document([row("ho_tich", "Hộ tịch", 5, 2, 0.6),  # one more, received and late
                     row(None, "(chưa phân loại)", 1, 0, None),  # unchanged
                     row("dat_dai", "Đất đai", 1, 0, None)],  # new since; chứng thực gone
                    row(None, "Tổng cộng", 7, 2, 0.6))
    found = differences(SENT, live)
    assert [(d.key, d.status, d.totals) for d in found] == [
        ("ho_tich", "changed", False), ("chung_thuc", "removed", False),
        ("dat_dai", "added", False), (None, "changed", True)]
    changed, removed, added, totals = found
    assert [(c.column, c.submitted, c.live, c.change) for c in changed.cells] == [
        ("received", 4, 5, 1), ("late", 1, 2, 1), ("on_time_rate", 0.75, 0.6, 0.6 - 0.75)]
    assert (changed.label, removed.label, added.label) == ("Hộ tịch", "Chứng thực", "Đất đai")
    # A row not there counts no dossiers and has no rate.
    assert [(c.column, c.submitted, c.live, c.change) for c in removed.cells] == [
        ("received", 2, 0, -2), ("on_time_rate", 1.0, None, None)]
    assert [(c.column, c.submitted, c.live) for c in added.cells] == [("received", 0, 1)]
    assert [(c.column, c.change) for c in totals.cells] == [
        ("late", 1), ("on_time_rate", 0.6 - 0.8)]
    assert changed.cells[0].header == "Tổng số" and changed.cells[0].group == "Số hồ sơ nhận"


def test_the_differences_table_has_three_lines_per_row_under_the_changed_columns() -> None:
    live = document([row("ho_tich", "Hộ tịch", 5, 1, 0.75), *SENT["rows"][1:]],
                    row(None, "Tổng cộng", 8, 1, 0.8))
    table = differences_table(differences(SENT, live), "Đã gửi 03/03/2026")
    assert [c.key for c in table.columns] == ["label", "figures", "received"]
    assert [(r["label"], r["figures"], r["received"]) for r in table.rows] == [
        ("Hộ tịch", "Số đã gửi", 4), ("Hộ tịch", "Số hiện tại", 5), ("Hộ tịch", "Chênh lệch", 1),
        ("Tổng cộng", "Số đã gửi", 7), ("Tổng cộng", "Số hiện tại", 8),
        ("Tổng cộng", "Chênh lệch", 1)]
    assert table.subtitle == "Đã gửi 03/03/2026"
    out = io.StringIO()
    to_csv(table, out)  # the writers take it as any report
    assert out.getvalue().splitlines()[1] == "Hộ tịch,Số đã gửi,4"


def test_added_and_removed_rows_are_labelled_so() -> None:
    live = document(SENT["rows"][:1], SENT["totals"])
    table = differences_table(differences(SENT, live))
    labels = {r["label"] for r in table.rows}
    assert labels == {"Chứng thực (dòng không còn trong số liệu hiện tại)",
                      "(chưa phân loại) (dòng không còn trong số liệu hiện tại)"}


def test_rows_need_a_unique_key() -> None:
    twice = document([row("a", "A", 1, 0, None), row("a", "A again", 2, 0, None)], None)
    with pytest.raises(ValueError, match="two report rows"):
        differences(twice, SENT)
    keyless = document([{"label": "A", "received": 1}], None)
    with pytest.raises(ValueError, match="no key"):
        differences(SENT, keyless)


def test_a_column_only_one_side_has_is_compared_as_no_value() -> None:
    wider = {**SENT, "columns": [*COLUMNS, {"key": "refused", "header": "Từ chối",
                                            "group": None, "kind": "int"}],
             "rows": [{**r, "refused": 1 if r["key"] == "ho_tich" else None}
                      for r in SENT["rows"]]}
    found = differences(SENT, wider)
    assert [(d.key, [(c.column, c.submitted, c.live, c.change) for c in d.cells])
            for d in found] == [("ho_tich", [("refused", None, 1, None)])]


def test_the_digest_is_of_the_canonical_json() -> None:
    reordered = dict(reversed(list(SENT.items())))
    assert document_digest(reordered) == document_digest(SENT)
    assert len(document_digest(SENT)) == 64
    changed = {**SENT, "totals": {**SENT["totals"], "received": 8}}
    assert document_digest(changed) != document_digest(SENT)


def test_the_sent_document_becomes_a_marked_table_again() -> None:
    at = datetime(2026, 3, 3, 2, 0, tzinfo=UTC)
    table = submitted_table(SENT, "leader", at, ZoneInfo("Asia/Ho_Chi_Minh"))
    assert table.notes[0] == ("ĐÃ GỬI: số liệu đã gửi cấp trên lúc 09:00 03/03/2026, người gửi: "
                              "leader; giữ nguyên như khi gửi.")
    assert [c.kind for c in table.columns] == ["text", "int", "int", "ratio"]
    out = io.StringIO()
    to_json(table, out)
    assert '"received": 7' in out.getvalue()
