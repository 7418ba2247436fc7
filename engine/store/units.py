"""Administrative units: every version stored, replaced as a whole by an import."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from engine.model import AdministrativeUnit, UnitLevel
from engine.store.tables import administrative_units as t


@dataclass(frozen=True)
class UnitChanges:
    added: int
    changed: int
    removed: int
    unchanged: int


class UnitStore:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def all(self) -> list[AdministrativeUnit]:
        rows = self.conn.execute(sa.select(t).order_by(t.c.code, t.c.valid_from))
        return [_unit(r) for r in rows]

    def replace_all(self, units: list[AdministrativeUnit]) -> UnitChanges:
        """Make the stored units exactly ``units``: rows equal to theirs are not touched, so
        importing the same file again writes nothing."""
        stored = {(u.code, u.valid_from): u for u in self.all()}
        wanted = {(u.code, u.valid_from): u for u in units}
        gone = [key for key in stored if key not in wanted]
        for code, valid_from in gone:
            self.conn.execute(t.delete().where(t.c.code == code, t.c.valid_from == valid_from))
        added = changed = 0
        for key, unit in wanted.items():
            before = stored.get(key)
            if before is None:
                self.conn.execute(t.insert().values(**_values(unit)))
                added += 1
            elif before != unit:
                self.conn.execute(t.update().where(t.c.code == unit.code,
                                                   t.c.valid_from == unit.valid_from)
                                  .values(**_values(unit)))
                changed += 1
        return UnitChanges(added, changed, len(gone), len(wanted) - added - changed)


def _values(unit: AdministrativeUnit) -> dict[str, Any]:
    return dict(code=unit.code, valid_from=unit.valid_from, valid_to=unit.valid_to,
                agency_code=unit.agency_code, name=unit.name, level=unit.level.value,
                parent_code=unit.parent, successors=list(unit.successors),
                confirmed=unit.confirmed, source=unit.source)


def _unit(r: Any) -> AdministrativeUnit:
    return AdministrativeUnit(
        code=r.code, agency_code=r.agency_code, name=r.name, level=UnitLevel(r.level),
        parent=r.parent_code, valid_from=r.valid_from, valid_to=r.valid_to,
        successors=tuple(r.successors), confirmed=bool(r.confirmed), source=r.source)
