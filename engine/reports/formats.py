"""One table shape for every report, and its writers: terminal, CSV, JSON and Excel.

Headers are in the table's language (by default Vietnamese, as on the official forms); a
column may sit under a group header (form 06 prints two header rows). JSON keeps machine
keys and ratios as fractions; the other writers show ratios as percentages.

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
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from typing import IO, Any

from babel.numbers import format_decimal
from rich import box
from rich.table import Table as RichTable

from engine.i18n import DEFAULT, translate

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


@dataclass(frozen=True)
class FormHeader:
    """What an official form prints around its table: code and legal basis (top left),
    title, period, reporting unit, unit of measure; place, date and signatures below."""

    code: str
    basis: str
    title: str
    period_line: str
    reporting_unit: str
    receiving_unit: str
    unit_of_measure: str
    place_date: str
    signers: tuple[tuple[str, str], ...]

    def top(self) -> list[str]:
        """The lines above the table, a blank one after the form's code and basis; a unit
        line the report has no value for is left out."""
        below = (self.title.upper(), self.period_line, self.reporting_unit,
                 self.receiving_unit, self.unit_of_measure)
        return [self.code, self.basis, "", *(line for line in below if line)]

    def bottom(self) -> list[str]:
        return [self.place_date, *("   ".join(parts) for parts in self.signers)]


@dataclass
class Table:
    title: str
    subtitle: str
    columns: list[Column]
    rows: list[dict[str, Any]]
    totals: dict[str, Any] | None = None
    notes: list[str] = field(default_factory=list)
    form: FormHeader | None = None
    lang: str = DEFAULT  # the language of its words and of its numbers on a terminal

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


def to_rich(table: Table, width: int | None = None) -> RichTable | list[Any]:
    """The table for a terminal. Given a ``width`` (an 80-column terminal), the columns are
    cut into blocks that each fit it, every block repeating the leading text columns, and
    the form's header and signature lines come before and after."""
    if width is None:
        return _rich_block(table, table.columns, table.title)
    lead = [c for c in table.columns if c.kind == "text"][:2]
    figures = [c for c in table.columns if c not in lead]
    label_width = min(24, max([len(str(r.get("label", ""))) for r in table.body()] + [8]))
    stt_width = max([len(str(r.get("stt", ""))) for r in table.body()] + [3])
    room = width - (stt_width + 2 if len(lead) > 1 else 0) - label_width - 2
    blocks: list[list[Column]] = [[]]
    used = 0
    for column in figures:
        need = max(len(column.short or column.header), 6) + 2
        if blocks[-1] and used + need > room:
            blocks.append([])
            used = 0
        blocks[-1].append(column)
        used += need
    out: list[Any] = []
    if table.form is not None:
        out.extend(line for line in table.form.top() if line)
    for number, block in enumerate(blocks, start=1):
        groups = ", ".join(dict.fromkeys(c.group for c in block if c.group))
        title = f"({number}/{len(blocks)}) {groups}" if len(blocks) > 1 else table.title
        out.append(_rich_block(table, [*lead, *block], title, label_width, caption=False))
    out.extend([table.subtitle, *table.notes])
    if table.form is not None:
        out.extend(table.form.bottom())
    return out


def _rich_block(table: Table, columns: list[Column], title: str, label_width: int = 0,
                caption: bool = True) -> RichTable:
    out = RichTable(title=title, show_lines=False, pad_edge=False, box=box.SIMPLE_HEAD,
                    caption="\n".join([table.subtitle, *table.notes]) if caption else None)
    for column in columns:
        header = f"{column.group} – {column.header}" if column.group else column.header
        limit = label_width if column.key == "label" and label_width else None
        out.add_column(column.short or header,
                       justify="left" if column.kind == "text" else "right", overflow="fold",
                       max_width=limit, no_wrap=False)
    for row in table.rows:
        out.add_row(*(_terminal(row, c, table.lang) for c in columns))
    if table.totals is not None:
        out.add_section()
        out.add_row(*(_terminal(table.totals, c, table.lang) for c in columns), style="bold")
    return out


def _terminal(row: dict[str, Any], column: Column, lang: str) -> str:
    """As people write numbers in ``lang``: 66.305 and 33,1 in Vietnamese (docs/web.md)."""
    value = row.get(column.key)
    if column.key == "label" and row.get("depth"):
        return "  " * int(row["depth"]) + str(value)
    if value is None or isinstance(value, bool | str):
        return shown(value, column.kind)
    if isinstance(value, int) and column.kind == "int":
        return format_decimal(value, format="#,##0", locale=lang)
    if column.kind in ("ratio", "float"):
        number = value * 100 if column.kind == "ratio" else value
        return format_decimal(number, format="#,##0.0", locale=lang)
    return shown(value, column.kind)


def to_csv(table: Table, out: IO[str]) -> None:
    """Percentages and hours as plain numbers; write with encoding ``utf-8-sig`` so Excel
    reads the diacritics."""
    writer = csv.writer(out, lineterminator=CSV_LINE_END)
    if table.form is not None:
        for line in table.form.top():
            writer.writerow([inert(line)])
        writer.writerow([inert(table.subtitle)])
    writer.writerow([inert(header) for header in _headers(table)])
    for row in table.body():
        writer.writerow([_csv_cell(row.get(c.key), c.kind) for c in table.columns])
    if table.form is not None:
        writer.writerow([])
        for line in [*table.notes, *table.form.bottom()]:
            writer.writerow([inert(line)])


def _csv_cell(value: Any, kind: str) -> str:
    text = shown(value, kind)
    return inert(text) if isinstance(value, str) else text


def _json_value(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def to_json(table: Table, out: IO[str]) -> None:
    document: dict[str, Any] = {
        "title": table.title,
        "subtitle": table.subtitle,
        "notes": table.notes,
        "columns": [{"key": c.key, "header": c.header, "group": c.group or None,
                     "kind": c.kind, **({"short": c.short} if c.short else {})}
                    for c in table.columns],
        "rows": [{c.key: _json_value(row.get(c.key)) for c in table.columns}
                 for row in table.rows],
        "totals": None if table.totals is None else
        {c.key: _json_value(table.totals.get(c.key)) for c in table.columns},
    }
    if table.form is not None:
        document["form"] = asdict(table.form)
        for row, source in zip(document["rows"], table.rows, strict=True):
            row.update({k: source[k] for k in ("key", "kind", "depth") if k in source})
    json.dump(document, out, ensure_ascii=False, indent=2)
    out.write("\n")


def to_xlsx(table: Table, out: IO[bytes]) -> None:
    """A sheet laid out like the paper form: its header lines, grouped column headers, the
    rows (a form's units and levels in bold), totals in bold, the notes and the signature
    block; printed on A4 landscape, one page wide, the column headers on every page."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = translate(table.lang, "rep_sheet")
    write_sheet(sheet, table)
    book.save(out)


def add_sheet(book: Any, title: str, table: Table) -> None:
    """Another sheet of the same workbook (a report's companion tables)."""
    write_sheet(book.create_sheet(title[:31]), table)


def write_sheet(sheet: Any, table: Table) -> None:
    from openpyxl.styles import Alignment, Border, Font, Side
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.page import PageMargins

    numbered = not any(c.key == "stt" for c in table.columns)
    headers = [Column("_stt", translate(table.lang, "rep_stt"), kind="int"), *table.columns] \
        if numbered \
        else list(table.columns)
    width = len(headers)
    centred = Alignment(horizontal="center", vertical="center", wrap_text=True)
    line = 1
    if table.form is not None:
        form = table.form
        half = max(2, width // 3)
        for text, bold in ((form.code, True), (form.basis, False)):
            sheet.cell(line, 1, text).font = Font(bold=bold, italic=not bold)
            sheet.merge_cells(start_row=line, start_column=1, end_row=line, end_column=half)
            line += 1
        line += 1
        for text, font in ((form.title.upper(), Font(bold=True, size=13)),
                           (form.period_line, Font(italic=True)),
                           (form.reporting_unit, Font()), (form.receiving_unit, Font())):
            if not text:
                continue
            cell = sheet.cell(line, 1, text)
            cell.font, cell.alignment = font, Alignment(horizontal="center", wrap_text=True)
            sheet.merge_cells(start_row=line, start_column=1, end_row=line, end_column=width)
            line += 1
        cell = sheet.cell(line, max(1, width - 3), form.unit_of_measure)
        cell.font = Font(italic=True)
        line += 1
    else:
        sheet.cell(line, 1, table.title).font = Font(bold=True, size=13)
        sheet.merge_cells(start_row=line, start_column=1, end_row=line, end_column=width)
        line += 1
    sheet.cell(line, 1, table.subtitle).font = Font(italic=True)
    sheet.merge_cells(start_row=line, start_column=1, end_row=line, end_column=width)
    top, bottom = line + 2, line + 3
    thin = Side(style="thin")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)
    for index, column in enumerate(headers, start=1):
        if column.group:
            sheet.cell(top, index, column.group)
            sheet.cell(bottom, index, column.header)
        else:
            sheet.cell(top, index, column.header)
            sheet.merge_cells(start_row=top, start_column=index, end_row=bottom,
                              end_column=index)
        sheet.column_dimensions[get_column_letter(index)].width = \
            6 if column.key in ("_stt", "stt") else 30 if column.kind == "text" else 11
    _merge_groups(sheet, headers, top)
    for r in (top, bottom):
        for index in range(1, width + 1):
            cell = sheet.cell(r, index)
            cell.font, cell.alignment, cell.border = Font(bold=True), centred, box
    sheet.row_dimensions[bottom].height = 60
    line = bottom + 1
    for number, row in enumerate(table.rows, start=1):
        _data_row(sheet, line, number if numbered else None, row, table.columns, box,
                  bold=row.get("kind") in ("unit", "level"), offset=2 if numbered else 1)
        line += 1
    if table.totals is not None:
        _data_row(sheet, line, None, table.totals, table.columns, box, bold=True,
                  offset=2 if numbered else 1)
        line += 1
    for note in table.notes:
        line += 1
        sheet.cell(line, 1, note).font = Font(italic=True)
    if table.form is not None:
        line += 2
        right = max(1, width - 4)
        sheet.cell(line, right, table.form.place_date).font = Font(italic=True)
        line += 1
        for index, (role, hint) in enumerate(table.form.signers):
            at = 2 if index == 0 else right
            sheet.cell(line, at, role).font = Font(bold=True)
            sheet.cell(line + 1, at, hint).font = Font(italic=True)
    sheet.freeze_panes = sheet.cell(bottom + 1, 3)
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.page_margins = PageMargins(left=0.4, right=0.4, top=0.5, bottom=0.5)
    sheet.print_title_rows = f"{top}:{bottom}"
    _text_stays_text(sheet)


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
              columns: list[Column], box: Any, bold: bool, offset: int = 2) -> None:
    from openpyxl.styles import Alignment, Font

    if offset == 2:
        sheet.cell(line, 1, number)
    for index, column in enumerate(columns, start=offset):
        value = row.get(column.key)
        cell = sheet.cell(line, index, value)
        if column.kind == "ratio" and value is not None:
            cell.number_format = "0.0%"
        elif column.kind == "float" and value is not None:
            cell.number_format = "0.0"
        elif column.key == "label" and row.get("depth"):
            cell.alignment = Alignment(indent=2 * int(row["depth"]))
    for index in range(1, len(columns) + offset):
        cell = sheet.cell(line, index)
        cell.border = box
        if bold:
            cell.font = Font(bold=True)
