"""The units as a tree, read by agency code: who is below whom, which unit existed on a day,
which unit is competent for a procedure's level.

Departments, memberships and dossiers name a unit by its agency code, which names one unit
version (Phường Phú La until 30 June 2025 and Phường Hà Đông after share the code 09552,
not the agency code), so a report on either era finds its own dossiers.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date

from engine.model import AdministrativeUnit, UnitLevel


class UnitTree:
    def __init__(self, units: Iterable[AdministrativeUnit]) -> None:
        self._versions: dict[str, list[AdministrativeUnit]] = defaultdict(list)
        self._children: dict[str, set[str]] = defaultdict(set)  # unit code -> agency codes
        self._by_code: dict[str, list[AdministrativeUnit]] = defaultdict(list)
        for unit in sorted(units, key=lambda u: u.valid_from):
            self._versions[unit.agency_code].append(unit)
            self._by_code[unit.code].append(unit)
            if unit.parent:
                self._children[unit.parent].add(unit.agency_code)
        self._below: dict[str, frozenset[str]] = {}

    def __bool__(self) -> bool:
        return bool(self._versions)

    def __contains__(self, agency_code: object) -> bool:
        return agency_code in self._versions

    def unit(self, agency_code: str, day: date | None = None) -> AdministrativeUnit | None:
        """The unit of that agency code (the version valid on ``day``, else the latest)."""
        versions = self._versions.get(agency_code)
        if not versions:
            return None
        if day is not None:
            for unit in versions:
                if unit.valid_on(day):
                    return unit
            return None
        return versions[-1]

    def agency_codes(self) -> frozenset[str]:
        """Every unit's agency code, past units included."""
        return frozenset(self._versions)

    def name(self, agency_code: str) -> str | None:
        unit = self.unit(agency_code)
        return unit.name if unit else None

    def on(self, day: date, level: UnitLevel) -> list[AdministrativeUnit]:
        """The units of ``level`` that exist on ``day``, by name."""
        found = [u for versions in self._versions.values() for u in versions
                 if u.level == level and u.valid_on(day)]
        return sorted(found, key=lambda u: u.name)

    def below(self, agency_code: str) -> frozenset[str]:
        """The unit and every unit under it, at any time (a city's inspector reads the
        districts of its past as well as its wards)."""
        found = self._below.get(agency_code)
        if found is None:
            seen: set[str] = set()
            todo = [agency_code]
            while todo:
                agency = todo.pop()
                if agency in seen:
                    continue
                seen.add(agency)
                for version in self._versions.get(agency, []):
                    todo.extend(self._children.get(version.code, ()))
            found = self._below[agency_code] = frozenset(seen)
        return found

    def below_all(self, agency_codes: Iterable[str]) -> frozenset[str]:
        return frozenset().union(*(self.below(a) for a in agency_codes))

    def ancestor(self, agency_code: str, level: UnitLevel, day: date) -> str | None:
        """The unit of ``level`` the unit lies in on ``day`` (itself if of that level)."""
        unit = self.unit(agency_code, day)
        steps = 0
        while unit is not None and steps < 10:
            if unit.level == level:
                return unit.agency_code
            parent = self._at(unit.parent, day) if unit.parent else None
            unit = parent
            steps += 1
        return None

    def _at(self, code: str, day: date) -> AdministrativeUnit | None:
        for unit in self._by_code.get(code, []):
            if unit.valid_on(day):
                return unit
        return None
