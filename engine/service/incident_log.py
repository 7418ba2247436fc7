"""Writing incidents down: a failed try of a dossier's timer path, in a transaction of its
own after the failed one rolled back, with an event in the dossier's audit chain."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from engine.audit.chain import dossier_chain
from engine.errors import NotFound, StepFailed
from engine.i18n import msg
from engine.model import Incident
from engine.runtime.failures import failure
from engine.service.office import Office
from engine.service.progress import Pending
from engine.store import UnitOfWork

log = logging.getLogger("motcua.incidents")
TIMER = "timer"  # the kind of incident the timer worker (or a retry of its work) records


@dataclass(frozen=True)
class IncidentNote:
    """What one failed try did: the incident as it now stands, for the worker's output."""

    incident: Incident
    dossier_code: str
    opened: bool  # False: an open incident failed again


def as_step_failure(exc: Exception) -> StepFailed:
    """The failure as a person reads it; an error that is not a step's (a bug, a stored state
    that does not load) still names itself."""
    if isinstance(exc, StepFailed):
        return exc
    log.error("dossier failed outside its steps", exc_info=exc)
    return failure(exc)


def record_failure(office: Office, dossier_id: int, exc: Exception, actor: str) -> IncidentNote:
    """Open the dossier's incident, or count one more try of the open one, and put the next
    try off by the office's backoff."""
    failed = as_step_failure(exc)
    with office.db.unit_of_work() as uow:
        dossier = uow.dossiers.get(dossier_id)
        if dossier is None:
            raise NotFound(msg("err_dossier", dossier_id=dossier_id))
        now = office.now()
        current = uow.incidents.open_for(dossier_id)
        tries = current.tries + 1 if current is not None else 1
        next_try = now + office.incident_backoff.delay(tries)
        incident = uow.incidents.failed_again(
            current.id, step_id=failed.step_id, step_name=failed.step_name,
            expression=failed.expression, error=failed.detail, at=now,
            next_try_at=next_try) if current else None
        if incident is None:
            incident = uow.incidents.open(
                dossier_id=dossier_id, kind=TIMER, step_id=failed.step_id,
                step_name=failed.step_name, expression=failed.expression, error=failed.detail,
                at=now, next_try_at=next_try)
            data: dict[str, object] = {
                "incident": incident.id, "step": failed.step_id, "step_name": failed.step_name,
                "expression": failed.expression, "error": failed.detail}
            kind = "incident_opened"
        else:
            data = {"incident": incident.id, "tries": incident.tries}
            if current is None or current.error != failed.detail:  # unchanged: said before
                data["error"] = failed.detail
            kind = "incident_retried"
        data["next_try_at"] = next_try.isoformat()
        uow.audit.append(dossier_chain(dossier_id), kind, actor, now, data, dossier_id)
        if dossier.next_timer_at is not None:
            uow.dossiers.postpone_timer(dossier_id, dossier.state_rev, next_try)
        uow.commit()
    log.info("dossier %s: incident %d (try %d): %s", dossier.code, incident.id,
             incident.tries, failed.detail)
    return IncidentNote(incident, dossier.code, opened=kind == "incident_opened")


def resolve(uow: UnitOfWork, incident: Incident, actor: str, now: datetime,
            pending: Pending | None, reason: str) -> bool:
    """Close the incident in the caller's transaction; its event goes with the caller's
    other events (``pending``) or straight into the chain. False if it was closed already."""
    if not uow.incidents.resolve(incident.id, now, actor):
        return False
    data = {"incident": incident.id, "tries": incident.tries, "reason": reason}
    if pending is not None:
        pending.add("incident_resolved", actor, now, data)
    else:
        uow.audit.append(dossier_chain(incident.dossier_id), "incident_resolved", actor, now,
                         data, incident.dossier_id)
    return True
