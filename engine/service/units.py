"""Administrative units: import a units file (all or nothing) and list what is stored.

Called with a ``User`` (the API, later) these need the admin role; the CLI passes none and
acts as the operator of the installation.
"""

from __future__ import annotations

from dataclasses import dataclass

from engine.model import UNIT_LEVEL_RANK, AdministrativeUnit, User
from engine.service.office import Office
from engine.service.permissions import require_role
from engine.units import read_units


@dataclass(frozen=True)
class UnitsImported:
    total: int
    added: int
    changed: int
    removed: int
    unchanged: int


def import_units(office: Office, file: str, text: str, user: User | None = None,
                 actor: str = "cli") -> UnitsImported:
    """Check the whole file, then make the stored units exactly the file's in one
    transaction: a file with any problem raises ``UnitsInvalid`` and writes nothing; the same
    file again changes nothing and records nothing."""
    if user is not None:
        require_role(user, "admin")
        actor = user.username
    units = read_units(file, text)
    with office.db.unit_of_work() as uow:
        changes = uow.units.replace_all(units)
        if changes.added or changes.changed or changes.removed:
            uow.audit.append("system", "units_imported", actor, office.now(),
                             {"file": file, "added": changes.added, "changed": changes.changed,
                              "removed": changes.removed, "total": len(units)})
        uow.commit()
    office.forget_units()
    return UnitsImported(len(units), changes.added, changes.changed, changes.removed,
                         changes.unchanged)


def list_units(office: Office, user: User | None = None) -> list[AdministrativeUnit]:
    """Every stored unit version, province first, then districts, then communes, each by
    code and start."""
    if user is not None:
        require_role(user, "admin")
    with office.db.unit_of_work(readonly=True) as uow:
        units = uow.units.all()
    return sorted(units, key=lambda u: (UNIT_LEVEL_RANK[u.level], u.code, u.valid_from))
