"""The timer worker's use case: fire the timers that are due, once, across many workers, one
dossier per transaction, so a dossier that fails stays alone with its incident."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime

from engine.errors import NotReady, StaleState
from engine.i18n import msg
from engine.model import Dossier, Incident
from engine.runtime import workflows
from engine.runtime.clock import clock_scope
from engine.service.incident_log import IncidentNote, record_failure, resolve
from engine.service.office import Office
from engine.service.procedures import loaded_version
from engine.service.progress import Pending, sync
from engine.service.restore import restore
from engine.store import UnitOfWork

WORKER = "timer"
log = logging.getLogger("motcua.worker")


@dataclass
class TimerRound:
    """What one pass over the due dossiers did."""

    moved: int = 0  # dossiers whose due timers ran (their incident, if any, resolved)
    failed: list[IncidentNote] = field(default_factory=list)
    resolved: list[Incident] = field(default_factory=list)


def fire_due_timers(office: Office, limit: int = 50) -> int:
    """Fire every due timer of up to ``limit`` dossiers; returns how many dossiers moved."""
    return run_due_timers(office, limit).moved


def run_due_timers(office: Office, limit: int = 50) -> TimerRound:
    """Fire the timers due now, and try again the dossiers whose incident is due for a try.

    Each dossier runs in its own transaction, taken with ``FOR UPDATE SKIP LOCKED`` (on
    PostgreSQL) after checking it is still due, so workers running at once split the work
    and none fires a timer twice. A dossier that fails is rolled back, then its incident is
    written in a transaction of its own and the round goes on. An error of the database
    itself is no dossier's fault and is not recorded: the dossier is left for the next
    round; when no dossier of the round got through, the error is raised (the caller waits
    and comes back).
    """
    with office.db.unit_of_work(readonly=True) as uow:
        now = office.now()
        due = uow.dossiers.due_timers(now, limit)
        due += [d for d in uow.incidents.due_retries(now, limit) if d not in due]
    result = TimerRound()
    away: Exception | None = None
    for dossier_id in due:
        try:
            done = _fire_one(office, dossier_id)
        except NotReady as exc:  # one slow or locked row must not hold the others up
            away = exc
            continue
        except StaleState:
            continue  # a clerk moved the dossier meanwhile: it is looked at again next round
        except Exception as exc:
            _record(office, dossier_id, exc, result)
            continue
        if done is not None:
            result.moved += 1
            if done.incident is not None:
                result.resolved.append(done.incident)
    if away is not None and not result.moved and not result.failed:
        raise away
    return result


def _record(office: Office, dossier_id: int, exc: Exception, result: TimerRound) -> None:
    try:
        result.failed.append(record_failure(office, dossier_id, exc, WORKER))
    except NotReady:
        raise
    except Exception:  # not even the incident could be written: say so, go on with the rest
        log.exception("dossier %d failed and its incident could not be recorded", dossier_id)


@dataclass(frozen=True)
class Fired:
    incident: Incident | None  # the incident this success resolved


def _fire_one(office: Office, dossier_id: int) -> Fired | None:
    with office.db.unit_of_work() as uow, clock_scope(office.clock):
        now = office.now()
        dossier = uow.dossiers.take_due(dossier_id, now)
        if dossier is None:  # another worker has it, or did it already
            return None
        incident = uow.incidents.open_for(dossier.id)
        fire(office, uow, dossier, WORKER, now, incident)
        uow.commit()
    return Fired(incident)


def fire(office: Office, uow: UnitOfWork, dossier: Dossier, actor: str, now: datetime,
         incident: Incident | None) -> None:
    """Fire the dossier's due timers and run the steps after them, in the caller's
    transaction; success resolves ``incident``. A failure raises ``StepFailed``."""
    if dossier.state is None:  # finished meanwhile (a clerk's step): nothing left to fire
        if incident is not None and not resolve(uow, incident, actor, now, None,
                                                "dossier_finished"):
            raise StaleState(msg("err_incident_was_resolved_same_time"))
        return
    loaded = loaded_version(office, uow, dossier.version_id)
    # Restored from storage, never the cached copy: a failure must leave no dirty copy.
    office.workflows.take(dossier.id, dossier.state_rev)
    workflow = restore(uow, dossier, loaded)
    before = {e.name for e in workflow.waiting_events()}
    workflows.fire_timers(workflow)
    after = {e.name for e in workflow.waiting_events()}
    pending = Pending(dossier.id)
    for name in sorted(before - after):
        pending.add("timer_fired", actor, now, {"timer": name})
    if incident is not None and not resolve(uow, incident, actor, now, pending, "ran"):
        raise StaleState(msg("err_incident_was_resolved_same_time"))
    sync(office, uow, dossier, workflow, loaded, actor, pending)
