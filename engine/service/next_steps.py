"""The dossier's open steps right after a step is completed, so a clerk's client (and the web
step page) can go on to the next step without reading a queue.

Built from what the completing transaction knows: the steps it handed over (their events
carry the item id, unit and department) and the workflow's ready steps (their names). Only
when other steps were already open beside the completed one (parallel branches) are the
dossier's active items read, once."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from SpiffWorkflow.bpmn.workflow import BpmnWorkflow

from engine.model import ACTIVE_ITEM_STATUSES, User
from engine.runtime import workflows
from engine.runtime.procedures import LoadedProcedure
from engine.service.office import Office
from engine.service.permissions import may_handle
from engine.service.views.common import task_views
from engine.service.views.types import TaskView
from engine.store import UnitOfWork


@dataclass(frozen=True)
class NextStep:
    """An open step of the dossier: ``may_take`` when the caller may complete it now (it is
    open or theirs, in one of their departments)."""

    id: int
    step_id: str
    name: str
    department: str  # the department's name in the unit that holds the step
    department_code: str
    unit: str
    may_take: bool


@dataclass(frozen=True)
class CompletedTask(TaskView):
    """The completed step, and the dossier's open steps after it."""

    next_steps: list[NextStep] = field(default_factory=list)


@dataclass(frozen=True)
class _Open:
    id: int
    step_id: str
    name: str
    unit: str
    department: str
    claimed_by: str | None


def open_after(uow: UnitOfWork, user: User, dossier_id: int, workflow: BpmnWorkflow,
               loaded: LoadedProcedure, events: Iterable[tuple[Any, ...]],
               others_open: bool) -> list[NextStep]:
    """The open steps after the completion; ``events`` are those the transaction wrote
    (kind, actor, at, data, dossier id, item id), ``others_open`` whether steps other than
    the completed one were open before it."""
    if workflow.completed:
        return []
    if others_open:
        found = [_Open(i.id, i.step_id, i.step_name, i.unit, i.department_code, i.claimed_by)
                 for i in uow.items.active_for_dossier(dossier_id)]
    else:
        names = {s.step_id: s.name for s in workflows.ready_steps(workflow, loaded)}
        found = [_Open(int(e[5]), str(e[3]["step"]), names.get(str(e[3]["step"]),
                                                               str(e[3]["step"])),
                       str(e[3]["unit"]), str(e[3]["department"]), None)
                 for e in events if e[0] == "item_handed_over" and e[5] is not None]
    if not found:
        return []
    departments = {(d.agency_code, d.code): d.name
                   for d in uow.org.departments_in({o.unit for o in found})}
    return [NextStep(o.id, o.step_id, o.name, departments.get((o.unit, o.department),
                                                              o.department),
                     o.department, o.unit,
                     o.claimed_by in (None, user.username)
                     and may_handle(user, o.unit, o.department))
            for o in sorted(found, key=lambda o: o.id)]


def first_to_take(completed: CompletedTask) -> NextStep | None:
    return next((s for s in completed.next_steps if s.may_take), None)


def offered(office: Office, user: User, item_id: int) -> TaskView | None:
    """The step a page offers to go on with after a completion, if the user may take it
    now (open or theirs, in their department); None otherwise, never an error."""
    with office.db.unit_of_work(readonly=True) as uow:
        item = uow.items.get(item_id)
        if item is None or item.status not in ACTIVE_ITEM_STATUSES \
                or item.claimed_by not in (None, user.username) \
                or not may_handle(user, item.unit, item.department_code):
            return None
        return task_views(office, uow, [item])[0]
