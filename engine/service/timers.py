"""The timer worker's use case: fire the timers that are due, once, across many workers."""

from __future__ import annotations

from engine.runtime import workflows
from engine.runtime.clock import clock_scope
from engine.runtime.state import load_state
from engine.service.office import Office
from engine.service.procedures import loaded_version
from engine.service.progress import Pending, sync

WORKER = "timer"


def fire_due_timers(office: Office, limit: int = 50) -> int:
    """Fire every due timer of up to ``limit`` dossiers; returns how many dossiers moved.

    The rows are taken with ``FOR UPDATE SKIP LOCKED`` (on PostgreSQL), so workers running at
    once split the work and none fires a timer twice.
    """
    moved = 0
    with office.db.unit_of_work() as uow, clock_scope(office.clock):
        now = office.now()
        for dossier_id in uow.dossiers.due_timers(now, limit):
            dossier = uow.dossiers.get(dossier_id)
            if dossier is None or dossier.state is None:
                continue
            loaded = loaded_version(office, uow, dossier.version_id)
            office.workflows.take(dossier.id, dossier.state_rev)
            workflow = load_state(dossier.state, loaded.spec, loaded.subprocess_specs)
            before = {e.name for e in workflow.waiting_events()}
            workflows.fire_timers(workflow)
            after = {e.name for e in workflow.waiting_events()}
            pending = Pending(dossier.id)
            for name in sorted(before - after):
                pending.add("timer_fired", WORKER, now, {"timer": name})
            sync(office, uow, dossier, workflow, loaded, WORKER, pending)
            moved += 1
        uow.commit()
    return moved
