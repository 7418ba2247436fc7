"""Queues and steps: a user's queues, the escalation list, one step with its form, and who a
leader may hand a step to."""

from __future__ import annotations

from dataclasses import dataclass

from engine.errors import NotAllowed, NotFound
from engine.model import Dossier, ItemStatus, User, WorkItem
from engine.service.office import Office
from engine.service.permissions import (
    DOSSIER_READERS,
    can_lead,
    can_read_step,
    reads_every_queue,
    require_role,
)
from engine.service.procedures import loaded_version
from engine.store import UnitOfWork

from .common import department_names, header_of, local, task_views
from .types import DossierBrief, StepDone, TaskDetail, TaskPage, TaskView


@dataclass(frozen=True)
class Member:
    username: str
    full_name: str


def task_page(office: Office, user: User, *, scope: str = "department",
              department: str | None = None, procedure: str | None = None,
              limit: int = 50, offset: int = 0) -> TaskPage:
    """``mine``: the steps the user holds; ``department``: the open and claimed steps of the
    user's departments (or of one of them), soonest due first."""
    require_role(user, *DOSSIER_READERS)
    departments: set[str] | None
    if department is not None:
        if not reads_every_queue(user) and department not in user.departments:
            raise NotAllowed(f"{user.username} is not a member of department {department}")
        departments = {department}
    elif scope == "mine" or reads_every_queue(user):
        departments = None
    else:
        departments = set(user.departments)
    claimed_by = user.username if scope == "mine" else None
    with office.db.unit_of_work(readonly=True) as uow:
        items = uow.items.queue(departments=departments, claimed_by=claimed_by,
                                procedure=procedure, limit=limit, offset=offset)
        total = uow.items.queue_total(departments=departments, claimed_by=claimed_by,
                                      procedure=procedure)
        return TaskPage(task_views(office, uow, items), total, limit, offset)


def overdue_tasks(office: Office, user: User) -> list[TaskView]:
    """The escalation view: pending steps past their own due time, in the user's departments."""
    require_role(user, "leader", "auditor")
    departments = None if reads_every_queue(user) else set(user.departments)
    with office.db.unit_of_work(readonly=True) as uow:
        return task_views(office, uow, uow.items.overdue(office.now(), departments))


def readable_item(uow: UnitOfWork, user: User, item_id: int) -> WorkItem:
    item = uow.items.get(item_id)
    if item is None:
        raise NotFound(f"no work item {item_id}")
    can_read_step(user, item)
    return item


def read_task_detail(office: Office, uow: UnitOfWork, user: User, item_id: int
                     ) -> tuple[TaskDetail, Dossier, list[WorkItem]]:
    """The detail, and the dossier and items it was built from (for a page that shows
    more)."""
    item = readable_item(uow, user, item_id)
    dossier = uow.dossiers.get(item.dossier_id)
    if dossier is None:
        raise NotFound(f"work item {item_id} has no dossier")
    loaded = loaded_version(office, uow, dossier.version_id)
    version = loaded.version
    name = version.meta.get("name")
    view = task_views(office, uow, [item], header_of(dossier))[0]
    items = uow.items.for_dossier(dossier.id)
    history = [StepDone(i.step_id, i.step_name, i.department_code,
                        local(office, i.completed_at), i.completed_by, i.result)
               for i in items if i.status == ItemStatus.COMPLETED]
    brief = DossierBrief(
        code=dossier.code, procedure_key=dossier.procedure_key,
        procedure_name=name, status=dossier.status,
        channel=dossier.channel, received_at=office.calendar.local_time(dossier.received_at),
        due_at=local(office, dossier.due_at), fee=dossier.fee, applicant=dossier.applicant,
        data=dossier.data,
    )
    return TaskDetail(view, brief, history, loaded.form(item.form)), dossier, items


def task_detail(office: Office, user: User, item_id: int) -> TaskDetail:
    """The step, its dossier and what earlier steps recorded, and the form to fill in."""
    with office.db.unit_of_work(readonly=True) as uow:
        return read_task_detail(office, uow, user, item_id)[0]


def members_of(uow: UnitOfWork, department: str) -> list[Member]:
    return [Member(u.username, u.full_name) for u in uow.org.users_in(department)
            if u.active and u.has_role("staff", "leader")]


def department_members(office: Office, user: User, department: str) -> list[Member]:
    """Who a leader may hand a step of ``department`` to."""
    can_lead(user, department)
    with office.db.unit_of_work(readonly=True) as uow:
        return members_of(uow, department)


def departments(office: Office) -> dict[str, str]:
    """Department code → name, for the queues' and the leader's page."""
    with office.db.unit_of_work(readonly=True) as uow:
        return department_names(uow)
