"""The rules a set of units must keep before it is stored.

- a unit's validity is an interval: ``valid_to`` (if any) is not before ``valid_from``;
- codes are digits of the length of the level (province 2, district 3, commune 5), agency
  codes in the pattern ``000.00.20.H26``;
- no two versions of one code overlap in time, nor two units share an agency code at once
  (it starts their dossier codes);
- a district ends by 30 June 2025 (there are none after the reform);
- a province has no parent; any other unit's parent exists over the unit's whole interval
  and is of a higher level; parent links form no cycle;
- a successor exists from the day after its predecessor ends, and only a unit that ended
  has successors. Successors begin after their predecessors, so successor links always go
  forward in time and cannot loop back.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import pairwise

from engine.errors import Problem
from engine.model import UNIT_LEVEL_RANK, AdministrativeUnit, UnitLevel

CODE_DIGITS = {UnitLevel.PROVINCE: 2, UnitLevel.DISTRICT: 3, UnitLevel.COMMUNE: 5}
LAST_DAY_OF_DISTRICTS = date(2025, 6, 30)
_ONE_DAY = timedelta(days=1)
# The agency codes of the e-government catalogue, e.g. 000.00.20.H26: three levels of two or
# three digits and the province's letter and number.
AGENCY_CODE = re.compile(r"\d{3}\.\d{2}\.\d{2}\.[A-Z]\d{2}")


@dataclass(frozen=True)
class UnitRow:
    """A unit and the line it was read from (for the problems found later)."""

    line: int
    unit: AdministrativeUnit


_Say = Callable[["UnitRow", str], None]


def check_units(file: str, rows: list[UnitRow]) -> list[Problem]:
    problems: list[Problem] = []

    def say(row: UnitRow, message: str) -> None:
        problems.append(Problem(file, row.line, f"unit '{row.unit.code}'", message))

    versions: dict[str, list[UnitRow]] = defaultdict(list)
    for row in rows:
        versions[row.unit.code].append(row)
    for row in rows:
        for message in _own_problems(row.unit):
            say(row, message)
    for found in versions.values():
        _overlaps(found, "code", found[0].unit.code, say)
    by_agency: dict[str, list[UnitRow]] = defaultdict(list)
    for row in rows:
        by_agency[row.unit.agency_code].append(row)
    for found in by_agency.values():
        if len({r.unit.code for r in found}) > 1:
            _overlaps(found, "agency code", found[0].unit.agency_code, say)
    in_cycle = _parent_cycles(rows, say)
    for row in rows:
        if row.unit.code not in in_cycle:
            _parent(row, versions, say)
        _successors(row, versions, say)
    return sorted(problems, key=lambda p: (p.line or 0, p.message))


def _own_problems(unit: AdministrativeUnit) -> list[str]:
    found = []
    digits = CODE_DIGITS[unit.level]
    if not (unit.code.isdigit() and len(unit.code) == digits):
        found.append(f"a {unit.level}'s code is {digits} digits (the national "
                     f"administrative-unit code), not '{unit.code}'")
    if not AGENCY_CODE.fullmatch(unit.agency_code):
        found.append(f"agency code '{unit.agency_code}' is not in the pattern 000.00.20.H26")
    if unit.valid_to is not None and unit.valid_to < unit.valid_from:
        found.append(f"valid_to {unit.valid_to} is before valid_from {unit.valid_from}")
    if unit.level is UnitLevel.DISTRICT and (unit.valid_to is None
                                             or unit.valid_to > LAST_DAY_OF_DISTRICTS):
        found.append(f"districts ended on {LAST_DAY_OF_DISTRICTS}; write valid_to "
                     f"{LAST_DAY_OF_DISTRICTS} or earlier")
    if unit.level is UnitLevel.PROVINCE and unit.parent is not None:
        found.append(f"a province has no parent; leave parent empty, not '{unit.parent}'")
    if unit.level is not UnitLevel.PROVINCE and unit.parent is None:
        found.append(f"a {unit.level} needs a parent; write the code of its "
                     + ("province" if unit.level is UnitLevel.DISTRICT
                        else "province or district"))
    if unit.successors and unit.valid_to is None:
        found.append("only a unit that ended has successors; write its valid_to")
    if len(set(unit.successors)) != len(unit.successors):
        found.append("a successor is named twice")
    return found


def _overlaps(rows: list[UnitRow], what: str, value: str, say: _Say) -> None:
    ordered = sorted(rows, key=lambda r: r.unit.valid_from)
    for earlier, later in pairwise(ordered):
        end = earlier.unit.valid_to
        if end is None or later.unit.valid_from <= end:
            until = "with no end" if end is None else f"until {end}"
            say(later, f"overlaps in time with line {earlier.line}, which has the same {what} "
                       f"'{value}' {until}; end one version before the other begins")


def _parent_cycles(rows: list[UnitRow], say: _Say) -> set[str]:
    parents = {r.unit.code: r.unit.parent for r in rows if r.unit.parent}
    in_cycle: set[str] = set()
    for row in rows:
        path = [row.unit.code]
        code = parents.get(row.unit.code)
        while code is not None and code not in path:
            path.append(code)
            code = parents.get(code)
        if code == row.unit.code:
            in_cycle.add(row.unit.code)
            say(row, "parent links go round in a cycle: " + " → ".join([*path, code]))
    return in_cycle


def _parent(row: UnitRow, versions: dict[str, list[UnitRow]], say: _Say) -> None:
    unit = row.unit
    if unit.parent is None or unit.level is UnitLevel.PROVINCE:
        return
    found = versions.get(unit.parent)
    if not found:
        say(row, f"parent '{unit.parent}' is not in the file; add it or write an existing code")
        return
    for parent in found:
        if UNIT_LEVEL_RANK[parent.unit.level] >= UNIT_LEVEL_RANK[unit.level]:
            say(row, f"parent '{unit.parent}' is a {parent.unit.level} (line {parent.line}); "
                     f"a {unit.level}'s parent is of a higher level")
            return
    gap = _uncovered(unit.valid_from, unit.valid_to, [p.unit for p in found])
    if gap is not None:
        say(row, f"parent '{unit.parent}' does not exist on {gap}; the unit's validity "
                 f"({_interval(unit)}) must lie within its parent's")


def _successors(row: UnitRow, versions: dict[str, list[UnitRow]], say: _Say) -> None:
    unit = row.unit
    if unit.valid_to is None:
        return
    next_day = unit.valid_to + _ONE_DAY
    for code in unit.successors:
        found = versions.get(code)
        if not found:
            say(row, f"successor '{code}' is not in the file; add it or correct the code")
        elif not any(s.unit.valid_from == next_day for s in found):
            say(row, f"successor '{code}' does not begin on {next_day}, the day after this "
                     f"unit ends; its versions begin on "
                     + ", ".join(str(s.unit.valid_from) for s in found))


def _uncovered(start: date, end: date | None, parents: list[AdministrativeUnit]) -> date | None:
    """The first day of [start, end] on which none of ``parents`` is valid, if any."""
    day = start
    for parent in sorted(parents, key=lambda p: p.valid_from):
        if parent.valid_from > day:
            break
        if parent.valid_to is None:
            return None
        if parent.valid_to >= day:
            day = parent.valid_to + _ONE_DAY
        if end is not None and day > end:
            return None
    return day


def _interval(unit: AdministrativeUnit) -> str:
    return f"{unit.valid_from} to {unit.valid_to or 'now'}"
