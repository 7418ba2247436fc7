"""A report as it was sent upward, beside the figures as they stand now.

Both are documents as ``formats.to_json`` writes a table (title, subtitle, notes, columns,
rows, totals). Nothing here knows form 06's layout: rows are matched by their ``key`` and
compared on every numeric column (kind int, ratio or float), so the same functions serve the
form however its rows are laid out.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime, tzinfo
from typing import Any, Literal

from engine.i18n import DEFAULT, translate
from engine.reports.formats import Column, FormHeader, Table

NUMERIC_KINDS = ("int", "ratio", "float")
# The words are in reports.po. The document sent keeps the words it was sent with.
DIFFERENCES_TITLE = "repsent_differences"
TOTALS_LABEL = "rep_totals"

Status = Literal["added", "removed", "changed"]


def document_digest(document: dict[str, Any]) -> str:
    """SHA-256 of the document's canonical JSON (sorted keys, no spaces, UTF-8): what the
    submission's audit event records, so the stored document can be checked against it."""
    text = json.dumps(document, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class CellDifference:
    column: str  # the column's key
    header: str
    group: str  # the column's group header ("" when none)
    kind: str  # int | ratio | float
    submitted: float | None  # None: no value (a rate of nothing, a column not there)
    live: float | None
    change: float | None  # live - submitted; None when either has no value


@dataclass(frozen=True)
class RowDifference:
    key: str | None  # the row's key; None also for the totals (see ``totals``)
    label: str
    status: Status  # added after submission, removed since, or changed figures
    totals: bool  # the totals row
    cells: tuple[CellDifference, ...]  # the numeric columns whose value differs


def numeric_columns(document: dict[str, Any]) -> list[dict[str, Any]]:
    return [c for c in document.get("columns") or [] if c.get("kind") in NUMERIC_KINDS]


def differences(submitted: dict[str, Any], live: dict[str, Any],
                lang: str = DEFAULT) -> list[RowDifference]:
    """What changed since the submission: per row key, rows added, removed or with changed
    figures (in the submitted order, then the added ones in the live order), then the
    totals. A row that is not there counts zero dossiers (an int column is 0) and no rate
    (a ratio is None). Unchanged rows are left out: an empty list means nothing changed."""
    columns = _columns(submitted, live)
    label_of = _label_key(submitted, live)
    before, after = _rows_by_key(submitted), _rows_by_key(live)
    found: list[RowDifference] = []
    for key in [*before, *(k for k in after if k not in before)]:
        old, new = before.get(key), after.get(key)
        status: Status = "added" if old is None else "removed" if new is None else "changed"
        cells = _cells(columns, old, new)
        if cells or status != "changed":
            row = new if new is not None else old
            assert row is not None
            found.append(RowDifference(key, _label(row, label_of, key), status, False, cells))
    old_totals, new_totals = submitted.get("totals"), live.get("totals")
    if old_totals is not None or new_totals is not None:
        cells = _cells(columns, old_totals, new_totals)
        if cells:
            found.append(RowDifference(None, translate(lang, TOTALS_LABEL), "changed", True,
                                       cells))
    return found


def differences_table(found: list[RowDifference], subtitle: str = "",
                      lang: str = DEFAULT) -> Table:
    """The differences laid out for any writer in ``formats``: three lines per changed row
    (the figures sent, those now, the change), under the columns that changed anywhere."""
    shown: dict[str, CellDifference] = {}
    for row in found:
        for cell in row.cells:
            shown.setdefault(cell.column, cell)
    def t(key: str) -> str:
        return translate(lang, key)

    columns = [Column("label", t("repsent_row"), kind="text"),
               Column("figures", t("repsent_figures"), kind="text"),
               *(Column(c.column, c.header, c.group, c.kind) for c in shown.values())]
    rows: list[dict[str, Any]] = []
    for row in found:
        label = row.label if row.status == "changed" else \
            f"{row.label} ({t('repsent_added' if row.status == 'added' else 'repsent_removed')})"
        cells = {c.column: c for c in row.cells}
        for figures, part in ((t("repsent_sent"), "submitted"), (t("repsent_live"), "live"),
                              (t("repsent_change"), "change")):
            rows.append({"key": row.key, "label": label, "figures": figures,
                         **{k: getattr(c, part) for k, c in cells.items()}})
    notes = [] if found else [t("repsent_no_differences")]
    return Table(t(DIFFERENCES_TITLE), subtitle, columns, rows, None, notes, lang=lang)


def submitted_table(document: dict[str, Any], submitted_by: str, submitted_at: datetime,
                    tz: tzinfo, lang: str = DEFAULT) -> Table:
    """The stored document as a table again, marked as the figures sent (who, when)."""
    columns = [Column(c["key"], c["header"], c.get("group") or "", c.get("kind") or "int",
                      c.get("short") or "")
               for c in document.get("columns") or []]
    mark = translate(lang, "repsent_mark", at=f"{submitted_at.astimezone(tz):%H:%M %d/%m/%Y}",
                     by=submitted_by)
    form = document.get("form")
    header = None if not form else FormHeader(
        **{**form, "signers": tuple(tuple(pair) for pair in form.get("signers") or ())})
    return Table(document.get("title") or "", document.get("subtitle") or "", columns,
                 [dict(r) for r in document.get("rows") or []],
                 None if document.get("totals") is None else dict(document["totals"]),
                 [mark, *(document.get("notes") or [])], header, lang)


def _columns(submitted: dict[str, Any], live: dict[str, Any]) -> list[dict[str, Any]]:
    """The submitted document's numeric columns, then any the live one adds."""
    found: dict[str, dict[str, Any]] = {}
    for column in [*numeric_columns(submitted), *numeric_columns(live)]:
        found.setdefault(column["key"], column)
    return list(found.values())


def _label_key(submitted: dict[str, Any], live: dict[str, Any]) -> str | None:
    """The first text column: what a person reads a row by."""
    for document in (live, submitted):
        for column in document.get("columns") or []:
            if column.get("kind") == "text":
                return str(column["key"])
    return None


def _label(row: dict[str, Any], label_key: str | None, key: str | None) -> str:
    value = row.get(label_key) if label_key else None
    return str(value) if value is not None else str(key)


def _rows_by_key(document: dict[str, Any]) -> dict[str | None, dict[str, Any]]:
    rows: dict[str | None, dict[str, Any]] = {}
    for row in document.get("rows") or []:
        if "key" not in row:
            raise ValueError("a report row has no key")
        if row["key"] in rows:
            raise ValueError(f"two report rows have the key {row['key']!r}")
        rows[row["key"]] = row
    return rows


def _value(row: dict[str, Any] | None, column: dict[str, Any]) -> float | None:
    if row is None:
        return 0 if column["kind"] == "int" else None
    value = row.get(column["key"])
    return value if isinstance(value, int | float) else None


def _cells(columns: list[dict[str, Any]], old: dict[str, Any] | None,
           new: dict[str, Any] | None) -> tuple[CellDifference, ...]:
    cells = []
    for column in columns:
        before, after = _value(old, column), _value(new, column)
        if before == after:
            continue
        change = None if before is None or after is None else after - before
        cells.append(CellDifference(column["key"], column["header"], column.get("group") or "",
                                    column["kind"], before, after, change))
    return tuple(cells)
