"""Yearly official adjustments to the working calendar, kept as data.

Each year has one file ``vn-<year>.toml`` in the data directory: the days off the government
adds for state agencies (Tết days, swapped days, compensatory days) and the Saturdays worked
in exchange. The statutory holidays themselves come from the ``holidays`` package.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Any

DEFAULT_DATA_DIR = Path(__file__).resolve().parent.parent / "calendar_data"

UNCONFIRMED_PREFIX = "unconfirmed:"

_ENTRY_KEYS = frozenset({"date", "reason", "source"})
_TOML_LINE = re.compile(r"at line (\d+)")


class CalendarDataError(ValueError):
    """A yearly calendar file is malformed; the message names the file and the line."""


class AdjustmentKind(StrEnum):
    DAY_OFF = "day_off"
    WORKING_DAY = "working_day"


@dataclass(frozen=True)
class Adjustment:
    day: date
    kind: AdjustmentKind
    reason: str
    source: str
    line: int | None = None  # where the entry starts in its file, for error messages

    @property
    def confirmed(self) -> bool:
        return not self.source.lower().startswith(UNCONFIRMED_PREFIX)


@dataclass(frozen=True)
class YearAdjustments:
    year: int
    path: Path
    days_off: dict[date, Adjustment] = field(default_factory=dict)
    working_days: dict[date, Adjustment] = field(default_factory=dict)

    def entries(self) -> list[Adjustment]:
        return sorted([*self.days_off.values(), *self.working_days.values()], key=lambda a: a.day)

    def unconfirmed(self) -> list[Adjustment]:
        return [a for a in self.entries() if not a.confirmed]


def year_file(data_dir: Path, year: int) -> Path:
    return data_dir / f"vn-{year}.toml"


def load_year(data_dir: Path, year: int) -> YearAdjustments | None:
    """The adjustments for ``year``, or None when the year has no file (not an error)."""
    path = year_file(data_dir, year)
    if not path.is_file():
        return None
    return load_file(path, expected_year=year)


def load_file(path: Path, expected_year: int | None = None) -> YearAdjustments:
    text = _read(path)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        found = _TOML_LINE.search(str(exc))
        raise _error(path, int(found.group(1)) if found else None, str(exc)) from exc

    headers = _table_header_lines(text)
    year = data.get("year")
    if not isinstance(year, int) or isinstance(year, bool):
        raise _error(path, _key_line(text, "year"), "'year' must be an integer, e.g. year = 2025")
    if expected_year is not None and year != expected_year:
        raise _error(
            path, _key_line(text, "year"), f"year = {year} but the file name is for {expected_year}"
        )
    unknown = set(data) - {"year", *AdjustmentKind}
    if unknown:
        raise _error(
            path,
            _key_line(text, sorted(unknown)[0]),
            f"unknown key(s) {sorted(unknown)}; expected year, day_off, working_day",
        )

    parsed: list[Adjustment] = []
    for kind in AdjustmentKind:
        raw_entries = data.get(kind, [])
        if not isinstance(raw_entries, list):
            raise _error(path, _key_line(text, kind), f"'{kind}' must be an array of tables")
        lines = headers.get(kind, [])
        for index, raw in enumerate(raw_entries):
            line = lines[index] if index < len(lines) else _key_line(text, kind)
            parsed.append(_parse_entry(path, line, kind, year, raw))

    result = YearAdjustments(year=year, path=path)
    seen: dict[date, Adjustment] = {}
    # In file order, so a duplicate is reported where the reader meets it the second time.
    for entry in sorted(parsed, key=lambda a: a.line or 0):
        if entry.day in seen:
            first = seen[entry.day]
            raise _error(
                path,
                entry.line,
                f"{entry.day} is listed twice (first as {first.kind} at line {first.line})",
            )
        seen[entry.day] = entry
        target = result.days_off if entry.kind is AdjustmentKind.DAY_OFF else result.working_days
        target[entry.day] = entry
    return result


def _parse_entry(
    path: Path, line: int | None, kind: AdjustmentKind, year: int, raw: Any
) -> Adjustment:
    where = f"[[{kind}]]"
    if not isinstance(raw, dict):
        raise _error(path, line, f"each {kind} entry must be a table")
    unknown = set(raw) - _ENTRY_KEYS
    if unknown:
        raise _error(
            path, line, f"{where}: unknown key(s) {sorted(unknown)}; expected date, reason, source"
        )
    day = raw.get("date")
    # tomllib gives datetime for date-times and datetime is a date subclass: reject both it
    # and quoted strings, so a typo never silently shifts a day.
    if type(day) is not date:
        raise _error(
            path, line, f"{where}: 'date' must be a bare TOML date such as 2025-04-26, got {day!r}"
        )
    if day.year != year:
        raise _error(path, line, f"{where}: {day} is not in {year}; put it in vn-{day.year}.toml")
    for key in ("reason", "source"):
        value = raw.get(key)
        if not isinstance(value, str) or not value.strip():
            raise _error(path, line, f"{where} {day}: '{key}' must be a non-empty string")
    return Adjustment(
        day=day, kind=kind, reason=raw["reason"].strip(), source=raw["source"].strip(), line=line
    )


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise _error(path, None, f"not UTF-8 text ({exc.reason})") from exc


def _table_header_lines(text: str) -> dict[str, list[int]]:
    """Line numbers of each ``[[name]]`` header, in file order (tomllib keeps no positions)."""
    found: dict[str, list[int]] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        match = re.match(r"\s*\[\[\s*([A-Za-z0-9_-]+)\s*\]\]", line)
        if match:
            found.setdefault(match.group(1), []).append(number)
    return found


def _key_line(text: str, key: str) -> int | None:
    pattern = re.compile(rf"\s*(\[\[\s*)?{re.escape(key)}\b")
    for number, line in enumerate(text.splitlines(), start=1):
        if pattern.match(line):
            return number
    return None


def _error(path: Path, line: int | None, message: str) -> CalendarDataError:
    where = f"{path}, line {line}" if line is not None else str(path)
    return CalendarDataError(f"{where}: {message}")
