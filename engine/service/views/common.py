"""What the read views share: local times, deadline words, the view of a step."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from engine.audit.status import judge_done, judge_pending
from engine.audit.timeline import FINISHED
from engine.calendar import WorkingCalendar
from engine.errors import NotFound
from engine.i18n import msg
from engine.model import DeadlineState, Dossier, ItemStatus, WorkItem, typed_code
from engine.service.office import Office
from engine.store import UnitOfWork

from .types import TaskView


def deadline_status(calendar: WorkingCalendar, now: datetime,
                    due_at: datetime | None) -> str | None:
    """``overdue``, ``due_today``, ``due_tomorrow`` (the next working day) or ``within``."""
    judged = judge_pending(now, due_at)
    if judged != DeadlineState.WITHIN or due_at is None:
        return judged
    today = calendar.local_time(now).date()
    due_day = calendar.local_time(due_at).date()
    if due_day <= today:
        return "due_today"
    if due_day <= calendar.next_working_day(today):
        return "due_tomorrow"
    return DeadlineState.WITHIN


def local(office: Office, moment: datetime | None) -> datetime | None:
    return office.calendar.local_time(moment) if moment is not None else None


def text(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def dossier_by_code(uow: UnitOfWork, code: str) -> Dossier:
    dossier = uow.dossiers.by_code(typed_code(code))
    if dossier is None:
        raise NotFound(msg("err_dossier_with_code", code=code))
    return dossier


def procedure_names(uow: UnitOfWork) -> dict[str, str]:
    return {row["key"]: row["name"] for row in uow.catalog.summaries()}


def department_names(uow: UnitOfWork, unit: str | None = None) -> dict[str, str]:
    """Department code -> name in ``unit`` (in every unit: the first unit's name)."""
    names: dict[str, str] = {}
    for d in uow.org.departments(unit):
        names.setdefault(d.code, d.name)
    return dict(sorted(names.items()))


def home_department_names(office: Office, uow: UnitOfWork) -> dict[str, str]:
    """Department code -> name as the home unit names them (a procedure's lanes are the
    same codes in every unit), with the other units' names for codes it lacks."""
    names = department_names(uow) | department_names(uow, office.agency_code)
    return dict(sorted(names.items()))


def dossier_department_names(uow: UnitOfWork, dossier: Dossier, desk: str) -> dict[str, str]:
    """The names a dossier's papers use: the departments of the unit resolving it, and the
    one-stop desk of the unit that received it."""
    found = uow.org.departments_in({dossier.resolving_unit, dossier.receiving_unit})
    names = {d.code: d.name for d in found if d.agency_code == dossier.resolving_unit}
    names |= {d.code: d.name for d in found
              if d.agency_code == dossier.receiving_unit and d.code == desk}
    return dict(sorted(names.items())) or department_names(uow)


def dossier_status(office: Office, now: datetime, dossier: Dossier) -> str | None:
    """Finished: early / on time / late against the legal due date (an apology does not
    excuse lateness); pending: as for tasks."""
    if dossier.status in FINISHED:
        if dossier.timeliness:
            return dossier.timeliness
        return (judge_done(dossier.resolved_at, dossier.due_at, office.calendar.tz)
                if dossier.resolved_at else None)
    return deadline_status(office.calendar, now, dossier.due_at)


@dataclass(frozen=True)
class Names:
    """What people read instead of codes and logins: department names by (unit, code) and
    full names by login, read once for a page."""

    departments: Mapping[tuple[str, str], str] = field(default_factory=dict)
    people: Mapping[str, str] = field(default_factory=dict)

    def person(self, login: str | None) -> str | None:
        return self.people.get(login, login) if login else None

    def department(self, unit: str, code: str) -> str:
        return self.departments.get((unit, code), code)


def names_for(uow: UnitOfWork, items: Iterable[WorkItem],
              logins: Iterable[str | None] = ()) -> Names:
    """The names of the departments holding ``items`` and of everyone who acted on them."""
    items = list(items)
    units = sorted({i.unit for i in items})
    departments = {(d.agency_code, d.code): d.name for d in uow.org.departments_in(units)}
    people = uow.lookups.full_names(_actors(items) | {x for x in logins if x})
    return Names(departments, people)


def _actors(items: Iterable[WorkItem]) -> set[str]:
    """Everyone who handed over, claimed or completed one of ``items``."""
    return {x for i in items for x in (i.handed_over_by, i.claimed_by, i.completed_by) if x}


def dossier_people(uow: UnitOfWork, dossier: Dossier, items: Iterable[WorkItem],
                   departments: Mapping[str, str]) -> Names:
    """The names of one dossier's page: its departments as the page already named them, and
    everyone who received it or acted on its steps, read in one query."""
    items = list(items)
    logins = {dossier.received_by} | _actors(items)
    named = {(i.unit, i.department_code): departments[i.department_code]
             for i in items if i.department_code in departments}
    return Names(named, uow.lookups.full_names(logins))


def task_view(office: Office, item: WorkItem, code: str, procedure_key: str,
              procedure_name: str | None, now: datetime,
              names: Names | None = None) -> TaskView:
    if item.status == ItemStatus.COMPLETED and item.completed_at is not None:
        status: str | None = item.timeliness or judge_done(item.completed_at, item.due_at,
                                                             office.calendar.tz)
    elif item.status == ItemStatus.CANCELLED:
        status = None
    else:
        status = deadline_status(office.calendar, now, item.due_at)
    return TaskView(
        id=item.id, dossier_code=code, procedure_key=procedure_key,
        procedure_name=procedure_name, step_id=item.step_id,
        step_name=item.step_name, department=item.department_code, status=item.status,
        handed_over_at=office.calendar.local_time(item.created_at),
        handed_over_by=item.handed_over_by, claimed_at=local(office, item.claimed_at),
        claimed_by=item.claimed_by,
        completed_at=(local(office, item.completed_at)
                      if item.status == ItemStatus.COMPLETED else None),
        completed_by=item.completed_by, allowance_hours=item.allowance_hours,
        due_at=local(office, item.due_at), deadline_status=status, unit=item.unit,
        department_name=names.department(item.unit, item.department_code) if names else None,
        handed_over_by_name=names.person(item.handed_over_by) if names else None,
        claimed_by_name=names.person(item.claimed_by) if names else None,
        completed_by_name=names.person(item.completed_by) if names else None,
    )


def task_views(office: Office, uow: UnitOfWork, items: list[WorkItem],
               headers: Mapping[int, Mapping[str, Any]] | None = None,
               names: Mapping[str, str] | None = None,
               people: Names | None = None) -> list[TaskView]:
    """Views of many steps: their dossiers' headers, the procedure names and the names of
    departments and people read once (unless the caller has them already)."""
    if headers is None:
        headers = uow.dossiers.headers(item.dossier_id for item in items)
    if names is None:
        names = procedure_names(uow)
    now = office.now()
    if people is None:
        people = names_for(uow, items)
    out = []
    for item in items:
        header = headers[item.dossier_id]
        key = header["procedure_key"]
        out.append(task_view(office, item, header["code"], key, names.get(key), now, people))
    return out


def header_of(dossier: Dossier) -> dict[int, dict[str, Any]]:
    return {dossier.id: {"code": dossier.code, "procedure_key": dossier.procedure_key}}
