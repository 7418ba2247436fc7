"""Which unit a form 06 reports on, and whose dossiers it counts: one unit, or the unit and
everything below it (consolidated, one row group per unit), never a unit the reader may not
read."""

from __future__ import annotations

from datetime import date

from engine.errors import InvalidInput, NotAllowed
from engine.i18n import msg
from engine.model import AdministrativeUnit, UnitLevel
from engine.reports.statistics import Scope
from engine.units.names import name_key
from engine.units.tree import UnitTree

LEVEL_ORDER: dict[UnitLevel | None, int] = {UnitLevel.PROVINCE: 0, UnitLevel.DISTRICT: 1,
                                            UnitLevel.COMMUNE: 2}
PLACE_PREFIXES = ("Thành phố ", "Tỉnh ", "thành phố ", "tỉnh ")


def form_scope(tree: UnitTree, readable: frozenset[str] | None, unit: str | None,
               consolidate: bool | None, date_from: date, date_to: date,
               home: str) -> Scope:
    """The scope of a report for a reader who may read ``readable`` (None: every unit).

    No ``unit``: the widest unit the reader reads (for an operator or an administrator, the
    province of the deployment's ``home`` unit). ``consolidate`` None: consolidate when the
    reader reads units below the chosen one. An installation without units reports on every dossier.
    """
    if not tree:
        return Scope(None if readable is None else readable, home, home, place="")
    everything = readable is None and unit is None
    if unit is None:
        unit = _widest(tree, readable, home, date_to)
    if unit not in tree:
        raise InvalidInput(msg("err_unknown_unit_give_agency_code", unit=unit))
    if readable is not None and unit not in readable:
        raise NotAllowed(msg("err_you_may_read_reports_unit", unit=unit))
    below = tree.below(unit) if readable is None else tree.below(unit) & readable
    if consolidate is None:
        consolidate = len(below) > 1
    name = _name(tree, unit, date_to)
    place = _place(tree, unit, date_to)
    parent = _parent_name(tree, unit, date_to)
    if not consolidate and not everything:
        return Scope(frozenset({unit}), name, unit, None, place, parent)
    groups = [(code, _name(tree, code, date_to)) for code in _ordered(tree, below, unit,
                                                                      date_from, date_to)]
    # An operator's or an administrator's report without a unit counts every dossier, those
    # of units outside the tree included (each then has a row group of its own).
    # A province read whole needs no filter on the unit (a test of every row against a list
    # of a hundred or more units): every dossier's unit is one of its units.
    whole = everything or below == tree.agency_codes()
    return Scope(None if whole else frozenset(below), name, unit, tuple(groups), place,
                 parent)


def _widest(tree: UnitTree, readable: frozenset[str] | None, home: str, day: date) -> str:
    if readable is None:
        home_unit = tree.unit(home, day) or tree.unit(home)
        if home_unit is not None:
            # The province the office lies in, on the day (or since the office exists, for
            # a period before it did: a ward made in 2025 reporting on 2024).
            when = day if tree.unit(home, day) else home_unit.valid_from
            return tree.ancestor(home, UnitLevel.PROVINCE, when) or home
        provinces = tree.on(day, UnitLevel.PROVINCE)
        return provinces[0].agency_code if provinces else home
    if not readable:
        raise NotAllowed(msg("err_you_read_reports_unit"))
    return max(sorted(readable), key=lambda code: len(tree.below(code) & readable))


def _ordered(tree: UnitTree, codes: frozenset[str], first: str, date_from: date,
             date_to: date) -> list[str]:
    """The unit itself, then those below it that existed in the period, by level and name
    (units that ended before it or began after it have no row unless they have dossiers)."""
    def version(code: str) -> AdministrativeUnit | None:
        return tree.unit(code, date_to) or tree.unit(code)

    alive = [c for c in codes if c != first and _overlaps(version(c), date_from, date_to)]
    alive.sort(key=lambda c: (LEVEL_ORDER.get(_level(version(c)), 9),
                              name_key(_name(tree, c, date_to))))
    return [first, *alive]


def _overlaps(unit: AdministrativeUnit | None, date_from: date, date_to: date) -> bool:
    return unit is not None and unit.valid_from <= date_to and \
        (unit.valid_to is None or unit.valid_to >= date_from)


def _level(unit: AdministrativeUnit | None) -> UnitLevel | None:
    return unit.level if unit else None


def _name(tree: UnitTree, code: str, day: date) -> str:
    unit = tree.unit(code, day) or tree.unit(code)
    return unit.name if unit else code


def _parent_name(tree: UnitTree, code: str, day: date) -> str:
    unit = tree.unit(code, day) or tree.unit(code)
    if unit is None or unit.parent is None:
        return ""
    for level in (UnitLevel.DISTRICT, UnitLevel.PROVINCE):
        above = tree.ancestor(code, level, day if tree.unit(code, day) else unit.valid_from)
        if above and above != code:
            return _name(tree, above, day)
    return ""


def _place(tree: UnitTree, code: str, day: date) -> str:
    """The province's name as a letter's place line writes it ("Hà Nội")."""
    unit = tree.unit(code, day) or tree.unit(code)
    when = day if tree.unit(code, day) else (unit.valid_from if unit else day)
    province = tree.ancestor(code, UnitLevel.PROVINCE, when)
    name = _name(tree, province, when) if province else ""
    for prefix in PLACE_PREFIXES:
        if name.startswith(prefix):
            return name[len(prefix):]
    return name
