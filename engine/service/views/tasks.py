"""Queues and steps: a user's queues, the escalation list, one step with its form, and who a
leader may hand a step to."""

from __future__ import annotations

from dataclasses import dataclass

from engine.errors import NotAllowed, NotFound
from engine.i18n import msg
from engine.model import Dossier, ItemStatus, Reach, User, WorkItem
from engine.people import parse_query
from engine.service.office import Office
from engine.service.permissions import (
    DOSSIER_READERS,
    can_lead,
    can_read_step,
    handler_reach,
    queue_reach,
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
              unit: str | None = None, q: str | None = None, limit: int = 50,
              offset: int = 0) -> TaskPage:
    """``mine``: the steps the user holds; ``department``: the open and claimed steps of the
    user's departments (or of one of them, in one unit or all of theirs), soonest due
    first. Auditors read the queues of the units they audit. ``q``: only the steps of the
    dossiers that search finds (``dossier_page``)."""
    require_role(user, *DOSSIER_READERS)
    claimed_by = user.username if scope == "mine" else None
    with office.db.unit_of_work(readonly=True) as uow:
        reach: Reach | None = queue_reach(user, office.units(uow).below_all)
        if reach is not None and (department is not None or unit is not None):
            reach = narrowed(uow, reach, department, unit)
            if reach.empty:
                where = " ".join(x for x in (department, unit and f"of unit {unit}") if x)
                raise NotAllowed(msg("err_does_read_queue", user=user.name_shown, where=where))
        elif scope == "mine":
            reach = None
        wanted = parse_query(q or "")
        items = uow.items.queue(reach=reach, claimed_by=claimed_by, procedure=procedure,
                                wanted=wanted, limit=limit, offset=offset)
        total = uow.items.queue_total(reach=reach, claimed_by=claimed_by, procedure=procedure,
                                      wanted=wanted)
        # What the user holds is listed already; here only what nobody has taken yet.
        signature = signature_items(uow, user, open_only=True) if scope == "mine" else []
        # One pass for both lists: headers, procedure names and people are read once.
        views = task_views(office, uow, items + signature)
        return TaskPage(views[:len(items)], total, limit, offset, views[len(items):])


SIGNATURE_LIMIT = 200


def signature_reach(uow: UnitOfWork, user: User) -> Reach:
    """The departments whose steps wait for this user's signature: those they lead that no
    staff member serves by name (the leaders' own lane, e.g. the ward chairman's), read from
    the organisation rather than from a department code."""
    places: set[tuple[str, str]] = set()
    for unit in sorted(user.units("leader")):
        staffed = {m.department for person in uow.org.users(unit) if person.active
                   for m in person.memberships
                   if m.unit == unit and m.department is not None and "staff" in m.roles}
        places |= {(unit, d.code) for d in uow.org.departments(unit)
                   if d.code not in staffed and user.serves(unit, d.code, "leader")}
    return Reach(places=frozenset(places))


def signature_items(uow: UnitOfWork, user: User, open_only: bool = False) -> list[WorkItem]:
    """The ready steps of the departments the user signs for, open or (unless ``open_only``)
    held by the user (a step someone else took is theirs to finish), soonest due first."""
    reach = signature_reach(uow, user)
    if reach.empty or not user.active:
        return []
    takers = (None,) if open_only else (None, user.username)
    return [i for i in uow.items.queue(reach=reach, limit=SIGNATURE_LIMIT)
            if i.claimed_by in takers]


def awaiting_signature(office: Office, uow: UnitOfWork, user: User) -> list[TaskView]:
    """``signature_items`` as views."""
    return task_views(office, uow, signature_items(uow, user))


def narrowed(uow: UnitOfWork, reach: Reach, department: str | None,
             unit: str | None) -> Reach:
    """The part of ``reach`` that is one department (in any unit) and/or one unit."""
    if reach.everywhere:
        units = {unit} if unit is not None else None
        if department is None:
            return Reach(units=frozenset(units or ()), everywhere=units is None)
        found = units if units is not None else uow.org.units_with(department)
        return Reach(places=frozenset((u, department) for u in found))
    places = {(u, d) for u, d in reach.places
              if (department is None or d == department) and (unit is None or u == unit)}
    wide = {u for u in reach.units if unit is None or u == unit}
    if department is None:
        return Reach(frozenset(places), frozenset(wide))
    return Reach(frozenset(places | {(u, department) for u in wide}))


def overdue_tasks(office: Office, user: User) -> list[TaskView]:
    """The escalation view: pending steps past their own due time, in the user's reach."""
    require_role(user, "leader", "auditor")
    with office.db.unit_of_work(readonly=True) as uow:
        reach = queue_reach(user, office.units(uow).below_all)
        return task_views(office, uow, uow.items.overdue(office.now(), reach))


def readable_item(office: Office, uow: UnitOfWork, user: User, item_id: int) -> WorkItem:
    item = uow.items.get(item_id)
    if item is None:
        raise NotFound(msg("err_work_item", item_id=item_id))
    can_read_step(user, item, office.units(uow).below_all)
    return item


def read_task_detail(office: Office, uow: UnitOfWork, user: User, item_id: int
                     ) -> tuple[TaskDetail, Dossier, list[WorkItem]]:
    """The detail, and the dossier and items it was built from (for a page that shows
    more)."""
    item = readable_item(office, uow, user, item_id)
    dossier = uow.dossiers.get(item.dossier_id)
    if dossier is None:
        raise NotFound(msg("err_work_item_has_dossier", item_id=item_id))
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


def members_of(uow: UnitOfWork, unit: str, department: str) -> list[Member]:
    return [Member(u.username, u.full_name) for u in uow.org.users_in(unit, department)
            if u.active and u.serves(unit, department, "staff", "leader")]


def department_members(office: Office, user: User, unit: str,
                       department: str) -> list[Member]:
    """Who a leader may hand a step of that department of that unit to."""
    can_lead(user, unit, department)
    with office.db.unit_of_work(readonly=True) as uow:
        return members_of(uow, unit, department)


def departments(office: Office, user: User | None = None) -> dict[str, str]:
    """Department code → name, for the queues' and the leader's page: the departments of
    the user's units (their first unit's name for a code several share)."""
    with office.db.unit_of_work(readonly=True) as uow:
        names = department_names(uow)
        if user is None:
            return names
        reach = handler_reach(user)
        own: dict[str, str] = {}
        for d in uow.org.departments():
            if reach.covers(d.agency_code, d.code):
                own.setdefault(d.code, d.name)
        return dict(sorted(own.items()))
