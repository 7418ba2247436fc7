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
from engine.i18n import Message, msg
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


_Say = Callable[["UnitRow", Message], None]


def check_units(file: str, rows: list[UnitRow]) -> list[Problem]:
    problems: list[Problem] = []

    def say(row: UnitRow, message: Message) -> None:
        problems.append(Problem(file, row.line, f"unit '{row.unit.code}'", message))

    versions: dict[str, list[UnitRow]] = defaultdict(list)
    for row in rows:
        versions[row.unit.code].append(row)
    for row in rows:
        for message in _own_problems(row.unit):
            say(row, message)
    for found in versions.values():
        _overlaps(found, msg("word_code"), found[0].unit.code, say)
    by_agency: dict[str, list[UnitRow]] = defaultdict(list)
    for row in rows:
        by_agency[row.unit.agency_code].append(row)
    for found in by_agency.values():
        if len({r.unit.code for r in found}) > 1:
            _overlaps(found, msg("word_agency_code"), found[0].unit.agency_code, say)
    in_cycle = _parent_cycles(rows, say)
    for row in rows:
        if row.unit.code not in in_cycle:
            _parent(row, versions, say)
        _successors(row, versions, say)
    return sorted(problems, key=lambda p: (p.line or 0, str(p.message)))


# Dates in these messages are spelled as the file spells them (YYYY-MM-DD), so the designer
# finds them as written.
def _own_problems(unit: AdministrativeUnit) -> list[Message]:
    found = []
    digits = CODE_DIGITS[unit.level]
    if not (unit.code.isdigit() and len(unit.code) == digits):
        found.append(msg("err_s_code_digits_national_administrative",
                         level=msg(f"word_level_{unit.level}"), digits=digits,
                         unit_code=unit.code))
    if not AGENCY_CODE.fullmatch(unit.agency_code):
        found.append(msg("err_agency_code_pattern_000_00", agency_code=unit.agency_code))
    if unit.valid_to is not None and unit.valid_to < unit.valid_from:
        found.append(msg("err_valid_before_valid_from",
                         valid_to=str(unit.valid_to), valid_from=str(unit.valid_from)))
    if unit.level is UnitLevel.DISTRICT and (unit.valid_to is None
                                             or unit.valid_to > LAST_DAY_OF_DISTRICTS):
        found.append(msg("err_districts_ended_write_valid_earlier",
                         last_day_of_districts=str(LAST_DAY_OF_DISTRICTS)))
    if unit.level is UnitLevel.PROVINCE and unit.parent is not None:
        found.append(msg("err_province_has_parent_leave_parent", parent=unit.parent))
    if unit.level is not UnitLevel.PROVINCE and unit.parent is None:
        found.append(msg("err_needs_parent_write_code",
                         level=msg(f"word_level_{unit.level}"),
                         value=msg("word_level_province" if unit.level is UnitLevel.DISTRICT
                                   else "word_province_or_district")))
    if unit.successors and unit.valid_to is None:
        found.append(msg("err_only_unit_that_ended_has"))
    if len(set(unit.successors)) != len(unit.successors):
        found.append(msg("err_successor_named_twice"))
    return found


def _overlaps(rows: list[UnitRow], what: Message, value: str, say: _Say) -> None:
    ordered = sorted(rows, key=lambda r: r.unit.valid_from)
    for earlier, later in pairwise(ordered):
        end = earlier.unit.valid_to
        if end is None or later.unit.valid_from <= end:
            until = msg("word_with_no_end") if end is None else msg("word_until", day=str(end))
            say(later, msg("err_overlaps_time_with_line_which",
                           line=earlier.line, what=what, value=value, until=until))


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
            say(row, msg("err_parent_links_go_round_cycle",
                         names=" → ".join([*path, code])))
    return in_cycle


def _parent(row: UnitRow, versions: dict[str, list[UnitRow]], say: _Say) -> None:
    unit = row.unit
    if unit.parent is None or unit.level is UnitLevel.PROVINCE:
        return
    found = versions.get(unit.parent)
    if not found:
        say(row, msg("err_parent_file_add_write_existing", parent=unit.parent))
        return
    for parent in found:
        if UNIT_LEVEL_RANK[parent.unit.level] >= UNIT_LEVEL_RANK[unit.level]:
            say(row, msg("err_parent_line_s_parent_higher",
                         parent=unit.parent, level=msg(f"word_level_{parent.unit.level}"),
                         line=parent.line, level2=msg(f"word_level_{unit.level}")))
            return
    gap = _uncovered(unit.valid_from, unit.valid_to, [p.unit for p in found])
    if gap is not None:
        say(row, msg("err_parent_does_exist_unit_s",
                     parent=unit.parent, gap=str(gap), value=_interval(unit)))


def _successors(row: UnitRow, versions: dict[str, list[UnitRow]], say: _Say) -> None:
    unit = row.unit
    if unit.valid_to is None:
        return
    next_day = unit.valid_to + _ONE_DAY
    for code in unit.successors:
        found = versions.get(code)
        if not found:
            say(row, msg("err_successor_file_add_correct_code", code=code))
        elif not any(s.unit.valid_from == next_day for s in found):
            say(row, msg("err_successor_does_begin_day_after",
                         code=code, next_day=str(next_day),
                         names=", ".join(str(s.unit.valid_from) for s in found)))


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
