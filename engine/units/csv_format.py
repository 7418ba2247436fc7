"""The units file: CSV, one unit version a row, so a person edits it in any spreadsheet or
text editor and a diff shows one changed unit as one changed line.

Columns (header on the first line, in any order)::

    code,agency_code,name,level,parent,valid_from,valid_to,successors,confirmed,source

``successors`` holds codes separated by spaces; ``valid_to`` is empty while the unit exists;
``confirmed`` is ``yes`` or ``no``. Empty lines and lines starting with ``#`` are comments.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from datetime import date

from engine.errors import Problem, UnitsInvalid
from engine.i18n import Message, msg
from engine.model import AdministrativeUnit, UnitLevel
from engine.units.checks import UnitRow, check_units

COLUMNS = ("code", "agency_code", "name", "level", "parent", "valid_from", "valid_to",
           "successors", "confirmed", "source")
REQUIRED = ("code", "agency_code", "name", "level", "valid_from")
_YES = {"yes": True, "no": False}


def read_units(file: str, text: str) -> list[AdministrativeUnit]:
    """The units of the file, or ``UnitsInvalid`` carrying every problem found."""
    rows, problems = parse_units(file, text)
    if not problems:
        problems = check_units(file, rows)
    if problems:
        raise UnitsInvalid(problems)
    return [r.unit for r in rows]


def parse_units(file: str, text: str) -> tuple[list[UnitRow], list[Problem]]:
    """Each row as a unit; a row that cannot be read becomes a problem instead."""
    lines = [(n, line) for n, line in enumerate(text.lstrip("\ufeff").splitlines(), start=1)
             if line.strip() and not line.lstrip().startswith("#")]
    if not lines:
        return [], [Problem(file, 1, "header", msg("err_file_empty_write_header_line",
                                                   columns=','.join(COLUMNS)))]
    header_line, header = lines[0]
    names = [c.strip() for c in next(csv.reader([header]))]
    problems = [Problem(file, header_line, "header",
                        msg("err_unknown_column_columns_are", c=c, columns=", ".join(COLUMNS)))
                for c in names if c not in COLUMNS]
    problems += [Problem(file, header_line, "header", msg("err_column_missing", c=c))
                 for c in REQUIRED if c not in names]
    if problems:
        return [], problems
    rows: list[UnitRow] = []
    for number, line in lines[1:]:
        cells = next(csv.reader(io.StringIO(line)))
        if len(cells) > len(names):
            code = cells[0].strip() if cells else ""
            problems.append(Problem(file, number, f"unit '{code}'",
                                    msg("err_cells_columns_quote_name_that",
                                        value=len(cells), value2=len(names))))
            continue
        values = dict(zip(names, (c.strip() for c in cells), strict=False))
        unit, found = _unit(file, number, values)
        problems += found
        if unit is not None:
            rows.append(UnitRow(number, unit))
    return rows, problems


def _unit(file: str, line: int, v: dict[str, str]) -> tuple[AdministrativeUnit | None,
                                                              list[Problem]]:
    code = v.get("code", "")
    where = f"unit '{code}'"
    problems: list[Problem] = []

    def say(message: Message) -> None:
        problems.append(Problem(file, line, where, message))

    for column in REQUIRED:
        if not v.get(column):
            say(msg("err_empty", column=column))
    level = None
    if v.get("level"):
        try:
            level = UnitLevel(v["level"])
        except ValueError:
            say(msg("err_level_one", value=v["level"], levels=", ".join(UnitLevel)))
    valid_from = _day(v.get("valid_from", ""), "valid_from", say)
    valid_to = _day(v.get("valid_to", ""), "valid_to", say)
    confirmed = _YES.get(v.get("confirmed", "yes").lower() or "yes")
    if confirmed is None:
        say(msg("err_confirmed_neither_yes_nor", value=v["confirmed"]))
    if problems or level is None or valid_from is None:
        return None, problems
    return AdministrativeUnit(
        code=code, agency_code=v["agency_code"], name=v["name"], level=level,
        parent=v.get("parent") or None, valid_from=valid_from, valid_to=valid_to,
        successors=tuple(v.get("successors", "").split()), confirmed=bool(confirmed),
        source=v.get("source", "")), []


def _day(text: str, column: str, say: Callable[[Message], None]) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        say(msg("err_date_write_yyyy_mm_dd", column=column, text=text))
        return None
