"""New snapshots of dossiers whose clerks' steps wait in the log.

A dossier that goes idle with steps logged after its snapshot is snapshotted again by the
worker, so a restore after a restart replays nothing for it; ``motcua state snapshot``
does it for every such dossier at once (before a downgrade past migration 0019, say).
"""

from __future__ import annotations

from datetime import timedelta

from engine.audit.chain import dossier_chain
from engine.errors import StaleState
from engine.runtime.clock import clock_scope
from engine.runtime.state import dump_state
from engine.service.office import Office
from engine.service.procedures import loaded_version
from engine.service.restore import restore

# A dossier is idle when its last event is this old: a clerk working through its steps
# keeps the log short by itself (a snapshot every SNAPSHOT_EVERY steps).
IDLE = timedelta(minutes=10)


def snapshot_idle(office: Office, idle: timedelta | None = IDLE, batch: int = 200) -> int:
    """Snapshot up to ``batch`` dossiers idle for ``idle`` (None: all) with steps in their
    log; returns how many were written."""
    with office.db.unit_of_work(readonly=True) as uow:
        ids = uow.dossiers.logged_idle(None if idle is None else office.now() - idle, batch)
    return sum(snapshot(office, dossier_id) for dossier_id in ids)


def snapshot_all(office: Office) -> int:
    """Every dossier with steps logged after its snapshot, whatever its last event's age."""
    total = 0
    while done := snapshot_idle(office, None):
        total += done
    return total


def snapshot(office: Office, dossier_id: int) -> bool:
    """A new snapshot of one dossier, unless a step moved it meanwhile (it then has one, or
    will be idle later)."""
    try:
        with office.db.unit_of_work() as uow, clock_scope(office.clock):
            dossier = uow.dossiers.lock(dossier_id)
            if dossier is None or dossier.state is None or not dossier.state_tail:
                return False
            loaded = loaded_version(office, uow, dossier.version_id)
            workflow = (office.workflows.take(dossier.id, dossier.state_rev)
                        or restore(uow, dossier, loaded, office.scripts))
            head = uow.audit.head(dossier_chain(dossier.id))
            rev = uow.dossiers.save_state(dossier.id, dossier.state_rev,
                                          state=dump_state(workflow),
                                          state_seq=head[0] if head else 0, state_tail=0)
            uow.commit()
    except StaleState:
        return False
    office.workflows.put(dossier_id, rev, workflow)
    return True
