"""When a dossier of a deployed procedure would be due, for ``motcua calendar due``."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from engine.errors import NotFound
from engine.i18n import msg
from engine.service.office import Office


@dataclass(frozen=True)
class DueDate:
    procedure: str
    due_at: datetime  # office local time
    deadline: float | None  # the statutory amount; None or 0 when the unit says it all
    unit: str  # the procedure's deadline_unit


def statutory_due(office: Office, procedure: str, received: datetime) -> DueDate:
    """The statutory due date of a dossier of the newest version of ``procedure`` received
    at ``received`` (an aware moment)."""
    with office.db.unit_of_work(readonly=True) as uow:
        version = uow.catalog.latest(procedure)
    if version is None:
        raise NotFound(msg("err_procedure_deployed", procedure=procedure))
    meta = version.meta
    due = office.calendar.statutory_due(received, meta.get("deadline") or 0,
                                        meta["deadline_unit"])
    return DueDate(procedure, office.calendar.local_time(due), meta.get("deadline"),
                   meta["deadline_unit"])
