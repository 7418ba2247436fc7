"""After the workflow moved: bring work items, the dossier row and the audit trail in line.

Called inside the use case's unit of work, so the workflow state, the work items and the
events are written together or not at all.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from SpiffWorkflow.bpmn.workflow import BpmnWorkflow

from engine.audit.chain import dossier_chain
from engine.audit.status import judge_done
from engine.errors import StepFailed
from engine.i18n import msg
from engine.model import (
    ACTIVE_ITEM_STATUSES,
    Dossier,
    DossierStatus,
    ItemStatus,
    Outcome,
    WorkItem,
    finished_status,
)
from engine.runtime import workflows
from engine.runtime.procedures import LoadedProcedure
from engine.runtime.state import dump_state
from engine.service.notifications import notify_progress
from engine.service.office import Office
from engine.service.restore import SNAPSHOT_EVERY
from engine.service.routing import returning_unit
from engine.store import UnitOfWork

Event = tuple[str, str | None, datetime, dict[str, Any], int | None, int | None]


@dataclass
class Pending:
    """Events collected during one use case, appended to the dossier's chain in one go.

    A use case that has already read the dossier's chain head (with the row it works on) sets
    ``head_known`` and ``head`` (None: no event yet); one that knows which tasks had open work
    items before the change (the ready tasks of the workflow it restored) sets ``active``.
    Either saves ``sync`` a read; the writes stay compare-and-set, so a stale value fails.
    """

    dossier_id: int
    events: list[Event] = field(default_factory=list)
    head: tuple[int, str] | None = None
    head_known: bool = False
    active: set[str] | None = None
    # A clerk's step run by ``replay.complete``: the chain holds all of it, so the state may
    # stay the snapshot it was (``engine.service.restore``).
    logged: bool = False

    def add(self, kind: str, actor: str | None, at: datetime, data: dict[str, Any] | None = None,
            work_item_id: int | None = None) -> None:
        self.events.append((kind, actor, at, data or {}, self.dossier_id, work_item_id))


def sync(
    office: Office,
    uow: UnitOfWork,
    dossier: Dossier,
    workflow: BpmnWorkflow,
    loaded: LoadedProcedure,
    actor: str,
    pending: Pending,
    dossier_values: dict[str, Any] | None = None,
) -> int:
    """Persist the workflow after a change; returns the dossier's new state revision."""
    now = office.now()
    values: dict[str, Any] = dict(dossier_values or {})
    ready = {step.task_uuid: step for step in workflows.ready_steps(workflow, loaded)}
    active: dict[str, WorkItem | None]
    if pending.active is not None and pending.active <= ready.keys():
        active = dict.fromkeys(pending.active)  # nothing to cancel: no need to read the items
    else:
        active = {item.task_uuid: item for item in uow.items.active_for_dossier(dossier.id)}
    hours_per_day = office.calendar.hours.hours_per_day
    opened: list[tuple[str, bool]] = []  # the new steps' (department, pauses the clock)

    for uuid, item in active.items():
        if item is not None and uuid not in ready:  # e.g. an interrupting timer took it away
            uow.items.transition(item.id, ACTIVE_ITEM_STATUSES, None, status=ItemStatus.CANCELLED,
                                 completed_at=now)
            pending.add("item_cancelled", actor, now, {"step": item.step_id}, item.id)
    for uuid, step in ready.items():
        if uuid in active:
            continue
        meta = step.meta
        allowance = meta.allowance.hours(hours_per_day) if meta and meta.allowance else None
        pauses = bool(meta and meta.pauses_clock)
        due = office.calendar.add_working_hours(now, allowance) if allowance else None
        department = (meta.department if meta and meta.department else
                      office.reception_department)
        # The desk's steps (the result's return among them) at the returning desk; every
        # other department's at the unit competent to resolve the dossier.
        unit = (returning_unit(loaded.meta, dossier.receiving_unit, dossier.resolving_unit)
                if department == office.reception_department else dossier.resolving_unit)
        item_id = uow.items.insert(
            dossier_id=dossier.id, task_uuid=uuid, step_id=step.step_id, step_name=step.name,
            unit=unit, department_code=department, status=ItemStatus.OPEN,
            allowance_hours=allowance, pauses_clock=pauses, form=meta.form if meta else None,
            created_at=now, handed_over_by=actor, due_at=due,
        )
        if not (meta and meta.desk_check):
            opened.append((department, pauses))
        # The chain binds the item to its step here; later events of the item name only the
        # item. The step's name and allowance are in the procedure version this dossier runs.
        pending.add("item_handed_over", actor, now,
                    {"step": step.step_id, "unit": unit, "department": department,
                     "due_at": due.isoformat() if due else None}, item_id)
        if pauses:
            pending.add("clock_paused", actor, now,
                        {"reason": meta.pause_reason if meta else "awaiting_applicant",
                         "step": step.step_id}, item_id)
            values["status"] = DossierStatus.AWAITING_SUPPLEMENT

    if workflow.completed:
        outcome = workflows.outcome(workflow, loaded) or Outcome.RESOLVED
        status = finished_status(outcome)
        due = values.get("due_at", dossier.due_at)
        values.update(status=status, resolved_at=now, state=None, next_timer_at=None,
                      state_seq=None, state_tail=0,
                      data=_public_data(workflows.current_data(workflow)),
                      timeliness=judge_done(now, due, office.calendar.tz))
        pending.add(f"dossier_{status}", actor, now, {"outcome": outcome})
    else:
        if not any(s.meta and s.meta.pauses_clock for s in ready.values()) and \
                values.get("status") is None and \
                dossier.status == DossierStatus.AWAITING_SUPPLEMENT:
            values["status"] = DossierStatus.PROCESSING
        values["next_timer_at"] = workflows.next_timer(workflow)
        if _logs(dossier, pending):
            values["state_tail"] = dossier.state_tail + 1
        else:
            values["state"] = _state(workflow)
    notify_progress(office, uow, dossier, values, opened)
    if not pending.events:
        if "state" in values and values["state"] is not None:
            head = uow.audit.head(dossier_chain(dossier.id))
            values.update(state_seq=head[0] if head else 0, state_tail=0)
        return uow.dossiers.save_state(dossier.id, dossier.state_rev, **values)
    # The events go in first; the head moves with the dossier row in one compare-and-set.
    _, before, after = uow.audit.write(dossier_chain(dossier.id), pending.events, pending.head,
                                       pending.head_known)
    if values.get("state") is not None:  # a snapshot includes the events just written
        values.update(state_seq=after[0], state_tail=0)
    return uow.dossiers.save_state(dossier.id, dossier.state_rev, chain=(before, after),
                                   **values)


def _logs(dossier: Dossier, pending: Pending) -> bool:
    """Whether the step stays in the chain alone: a clerk's step on a dossier whose snapshot
    knows its place in the chain, until the tail reaches ``SNAPSHOT_EVERY``."""
    return (pending.logged and dossier.state is not None and dossier.state_seq is not None
            and dossier.state_tail + 1 < SNAPSHOT_EVERY)


def _state(workflow: BpmnWorkflow) -> str:
    try:
        return dump_state(workflow)
    except (TypeError, ValueError) as exc:  # a script left a value JSON cannot hold
        raise StepFailed(msg("err_data_automatic_steps_left_cannot",
                             kind=type(exc).__name__, exc=exc)) from exc


def _public_data(data: dict[str, Any]) -> dict[str, Any]:
    """Keep only JSON-friendly values when the final data replaces the workflow state."""
    clean: dict[str, Any] = {}
    for key, value in data.items():
        if isinstance(value, str | int | float | bool | type(None) | list | dict):
            clean[key] = value
    return clean


def item_view(item: WorkItem) -> dict[str, Any]:
    return {"id": item.id, "step": item.step_id, "status": item.status}
