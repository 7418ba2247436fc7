"""One table shape for every report, and its writers: terminal, CSV, JSON and Excel.

Headers are Vietnamese, as on the official forms; a column may sit under a group header
(form 06 prints two header rows). JSON keeps machine keys and ratios as fractions; the other
writers show ratios as percentages.

Spreadsheets run a cell that starts with ``= + - @`` (or a tab or carriage return) as a
formula, and text in reports comes from people (procedure and step names, usernames). So text
that starts that way is made inert (OWASP, "CSV injection"): in CSV it gets a leading ``'``;
in XLSX it is written as a text cell (never a formula) with the quote-prefix style, so it
reads exactly as typed. Numbers are not text and stay numbers, a negative one included.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import IO, Any

from rich.table import Table as RichTable

FORMATS = ("table", "csv", "json", "xlsx")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# RFC 4180's line end: with it the csv module also quotes a field holding a bare carriage
# return (with "\n" alone it leaves one unquoted, and readers split the row there).
CSV_LINE_END = "\r\n"


def inert(text: str) -> str:
    """Text for a CSV cell that no spreadsheet runs as a formula."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    group: str = ""
    kind: str = "int"  # int | float (hours) | ratio (0..1) | text
    short: str = ""  # a narrower header for the terminal


@dataclass
class Table:
    title: str
    subtitle: str
    columns: list[Column]
    rows: list[dict[str, Any]]
    totals: dict[str, Any] | None = None
    notes: list[str] = field(default_factory=list)

    def body(self) -> Iterator[dict[str, Any]]:
        yield from self.rows
        if self.totals is not None:
            yield self.totals


def shown(value: Any, kind: str) -> str:
    """A value as a person reads it: empty for none, hours to one decimal, ratios in %."""
    if value is None:
        return ""
    if kind == "ratio":
        return f"{value * 100:.1f}"
    if kind == "float":
        return f"{value:.1f}"
    return str(value)


def _headers(table: Table) -> list[str]:
    return [f"{c.group} – {c.header}" if c.group else c.header for c in table.columns]


def to_rich(table: Table) -> RichTable:
    out = RichTable(title=table.title, caption="\n".join([table.subtitle, *table.notes]),
                    show_lines=False)
    for column, header in zip(table.columns, _headers(table), strict=True):
        out.add_column(column.short or header,
                       justify="left" if column.kind == "text" else "right", overflow="fold")
    for row in table.rows:
        out.add_row(*(shown(row.get(c.key), c.kind) for c in table.columns))
    if table.totals is not None:
        out.add_section()
        out.add_row(*(shown(table.totals.get(c.key), c.kind) for c in table.columns),
                    style="bold")
    return out


def to_csv(table: Table, out: IO[str]) -> None:
    """Percentages and hours as plain numbers; write with encoding ``utf-8-sig`` so Excel
    reads the diacritics."""
    writer = csv.writer(out, lineterminator=CSV_LINE_END)
    writer.writerow([inert(header) for header in _headers(table)])
    for row in table.body():
        writer.writerow([_csv_cell(row.get(c.key), c.kind) for c in table.columns])


def _csv_cell(value: Any, kind: str) -> str:
    text = shown(value, kind)
    return inert(text) if isinstance(value, str) else text


def _json_value(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def to_json(table: Table, out: IO[str]) -> None:
    document = {
        "title": table.title,
        "subtitle": table.subtitle,
        "notes": table.notes,
        "columns": [{"key": c.key, "header": c.header, "group": c.group or None,
                     "kind": c.kind} for c in table.columns],
        "rows": [{c.key: _json_value(row.get(c.key)) for c in table.columns}
                 for row in table.rows],
        "totals": None if table.totals is None else
        {c.key: _json_value(table.totals.get(c.key)) for c in table.columns},
    }
    json.dump(document, out, ensure_ascii=False, indent=2)
    out.write("\n")


def to_xlsx(table: Table, out: IO[bytes]) -> None:
    """A sheet laid out like the paper form: title, period, grouped headers, totals in bold."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, Side
    from openpyxl.utils import get_column_letter

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Báo cáo"
    width = len(table.columns) + 1
    sheet.cell(1, 1, table.title).font = Font(bold=True, size=13)
    sheet.cell(2, 1, table.subtitle).font = Font(italic=True)
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    sheet.merge_cells(start_row=2, start_column=1, end_row=2, end_column=width)
    top, bottom = 4, 5
    thin = Side(style="thin")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)
    centred = Alignment(horizontal="center", vertical="center", wrap_text=True)
    headers = [Column("_stt", "STT", kind="int"), *table.columns]
    for index, column in enumerate(headers, start=1):
        if column.group:
            sheet.cell(top, index, column.group)
            sheet.cell(bottom, index, column.header)
        else:
            sheet.cell(top, index, column.header)
            sheet.merge_cells(start_row=top, start_column=index, end_row=bottom,
                              end_column=index)
        sheet.column_dimensions[get_column_letter(index)].width = \
            28 if column.kind == "text" else 13
    _merge_groups(sheet, headers, top)
    for r in (top, bottom):
        for index in range(1, width + 1):
            cell = sheet.cell(r, index)
            cell.font, cell.alignment, cell.border = Font(bold=True), centred, box
    line = bottom + 1
    for number, row in enumerate(table.rows, start=1):
        _data_row(sheet, line, number, row, table.columns, box, bold=False)
        line += 1
    if table.totals is not None:
        _data_row(sheet, line, None, table.totals, table.columns, box, bold=True)
        line += 1
    for note in table.notes:
        line += 1
        sheet.cell(line, 1, note).font = Font(italic=True)
    sheet.freeze_panes = sheet.cell(bottom + 1, 3)
    _text_stays_text(sheet)
    book.save(out)


def _text_stays_text(sheet: Any) -> None:
    """openpyxl stores a string that starts with '=' as a formula; this workbook has none."""
    for row in sheet.iter_rows():
        for cell in row:
            if isinstance(cell.value, str) and cell.value.startswith(FORMULA_STARTS):
                cell.data_type = "s"
                cell.quotePrefix = True


def _merge_groups(sheet: Any, headers: list[Column], row: int) -> None:
    index = 0
    while index < len(headers):
        group = headers[index].group
        end = index
        while end + 1 < len(headers) and group and headers[end + 1].group == group:
            end += 1
        if group and end > index:
            sheet.merge_cells(start_row=row, start_column=index + 1, end_row=row,
                              end_column=end + 1)
        index = end + 1


def _data_row(sheet: Any, line: int, number: int | None, row: dict[str, Any],
              columns: list[Column], box: Any, bold: bool) -> None:
    from openpyxl.styles import Font

    sheet.cell(line, 1, number)
    for index, column in enumerate(columns, start=2):
        value = row.get(column.key)
        cell = sheet.cell(line, index, value)
        if column.kind == "ratio" and value is not None:
            cell.number_format = "0.0%"
        elif column.kind == "float" and value is not None:
            cell.number_format = "0.0"
    for index in range(1, len(columns) + 2):
        cell = sheet.cell(line, index)
        cell.border = box
        if bold:
            cell.font = Font(bold=True)
