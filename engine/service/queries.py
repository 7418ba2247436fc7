"""Read models: queues, dossiers, the procedure catalogue and the public view.

Every function checks who may read what, so the API stays thin and the CLI could reuse
them. The rule for dossiers: leaders, auditors, admins and the reception desk read every
dossier; other staff read the dossiers that have or had a step in one of their departments.
Times come out in the office's local time zone.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from engine.audit.chain import dossier_chain
from engine.audit.status import judge_done, judge_pending
from engine.audit.timeline import FINISHED, ControlSheet, control_sheet
from engine.calendar import WorkingCalendar
from engine.errors import NotAllowed, NotFound
from engine.model import ROLES, Dossier, User, WorkItem
from engine.service.office import Office
from engine.service.permissions import can_handle, require_role
from engine.service.procedures import loaded_version
from engine.store import UnitOfWork
from engine.store.ratings import RatingStore

READERS = ("staff", "leader", "auditor")


def deadline_status(calendar: WorkingCalendar, now: datetime,
                    due_at: datetime | None) -> str | None:
    """``overdue``, ``due_today``, ``due_tomorrow`` (the next working day) or ``within``."""
    judged = judge_pending(now, due_at)
    if judged != "within" or due_at is None:
        return judged
    today = calendar.local_time(now).date()
    due_day = calendar.local_time(due_at).date()
    if due_day <= today:
        return "due_today"
    if due_day <= calendar.next_working_day(today):
        return "due_tomorrow"
    return "within"


# ---- views ------------------------------------------------------------------------------

@dataclass(frozen=True)
class TaskView:
    id: int
    dossier_code: str
    procedure_key: str
    procedure_name: str | None
    step_id: str
    step_name: str
    department: str
    status: str
    handed_over_at: datetime
    handed_over_by: str | None
    claimed_at: datetime | None
    claimed_by: str | None
    completed_at: datetime | None
    completed_by: str | None
    allowance_hours: float | None
    due_at: datetime | None
    deadline_status: str | None  # pending: within | due_today | due_tomorrow | overdue;
    # completed: early | on_time | late


@dataclass(frozen=True)
class TaskPage:
    items: list[TaskView]
    total: int
    limit: int
    offset: int


@dataclass(frozen=True)
class StepDone:
    step_id: str
    step_name: str
    department: str
    completed_at: datetime | None
    completed_by: str | None
    result: dict[str, Any] | None


@dataclass(frozen=True)
class DossierBrief:
    code: str
    procedure_key: str
    procedure_name: str | None
    status: str
    channel: str
    received_at: datetime
    due_at: datetime | None
    fee: int
    applicant: dict[str, Any]
    data: dict[str, Any]


@dataclass(frozen=True)
class TaskDetail:
    task: TaskView
    dossier: DossierBrief
    history: list[StepDone]
    form: dict[str, Any] | None  # the step's JSON Schema; None when it takes no data


@dataclass(frozen=True)
class DossierSummary:
    code: str
    procedure_key: str
    procedure_name: str | None
    status: str
    channel: str
    applicant_name: str | None
    received_at: datetime
    due_at: datetime | None
    resolved_at: datetime | None
    fee: int
    deadline_status: str | None  # finished: early | on_time | late; else as for tasks


@dataclass(frozen=True)
class DossierPage:
    items: list[DossierSummary]
    total: int
    limit: int
    offset: int


@dataclass(frozen=True)
class DossierDetail:
    code: str
    procedure_key: str
    procedure_name: str | None
    version: int | None
    status: str
    channel: str
    applicant: dict[str, Any]
    data: dict[str, Any]
    fee: int
    received_at: datetime
    received_by: str
    due_at: datetime | None  # the legal due date
    resolved_at: datetime | None
    appointment_at: datetime | None  # the new return date an apology promised
    at_risk_at: datetime | None  # when the due date was first seen to be at risk
    deadline_status: str | None
    steps: list[TaskView]


@dataclass(frozen=True)
class PublicDossier:
    """What anyone holding the code may see: no personal data, no form data."""

    code: str
    procedure_name: str | None
    status: str
    received_at: datetime
    due_at: datetime | None
    resolved_at: datetime | None
    return_at: datetime | None  # the date the applicant is promised (after any apology)
    deadline_status: str | None
    steps_done: int
    current_steps: list[str]
    rated: bool


# ---- who reads what ---------------------------------------------------------------------

def reads_every_dossier(office: Office, user: User) -> bool:
    return user.has_role("leader", "auditor", "admin") or (
        user.has_role("staff") and office.reception_department in user.departments)


def _reads_every_queue(user: User) -> bool:
    return user.has_role("auditor", "admin")


def require_dossier_reader(office: Office, uow: UnitOfWork, user: User,
                           dossier: Dossier) -> None:
    """Leaders, auditors, admins and the one-stop desk read every dossier; other staff the
    dossiers that have or had a step in one of their departments."""
    require_role(user, *READERS)
    if reads_every_dossier(office, user):
        return
    if not any(item.department_code in user.departments
               for item in uow.items.for_dossier(dossier.id)):
        raise NotAllowed(f"{user.username}'s departments have no step of dossier {dossier.code}")


def _dossier(uow: UnitOfWork, code: str) -> Dossier:
    dossier = uow.dossiers.by_code(code.strip())
    if dossier is None:
        raise NotFound(f"no dossier with code {code!r}")
    return dossier


def _procedure_names(uow: UnitOfWork) -> dict[str, str]:
    return {row["key"]: row["name"] for row in uow.catalog.summaries()}


def _dossier_status(office: Office, now: datetime, dossier: Dossier) -> str | None:
    """Finished: early / on time / late against the legal due date (an apology does not
    excuse lateness); pending: as for tasks."""
    if dossier.status in FINISHED:
        if dossier.timeliness:
            return dossier.timeliness
        return judge_done(dossier.resolved_at, dossier.due_at) if dossier.resolved_at else None
    return deadline_status(office.calendar, now, dossier.due_at)


def _local(office: Office, moment: datetime | None) -> datetime | None:
    return office.calendar.local_time(moment) if moment is not None else None


def _task_view(office: Office, item: WorkItem, header: dict[str, Any],
               names: dict[str, str], now: datetime) -> TaskView:
    if item.status == "completed" and item.completed_at is not None:
        status: str | None = item.timeliness or judge_done(item.completed_at, item.due_at)
    elif item.status == "cancelled":
        status = None
    else:
        status = deadline_status(office.calendar, now, item.due_at)
    return TaskView(
        id=item.id, dossier_code=header["code"], procedure_key=header["procedure_key"],
        procedure_name=names.get(header["procedure_key"]), step_id=item.step_id,
        step_name=item.step_name, department=item.department_code, status=item.status,
        handed_over_at=office.calendar.local_time(item.created_at),
        handed_over_by=item.handed_over_by, claimed_at=_local(office, item.claimed_at),
        claimed_by=item.claimed_by,
        completed_at=_local(office, item.completed_at) if item.status == "completed" else None,
        completed_by=item.completed_by, allowance_hours=item.allowance_hours,
        due_at=_local(office, item.due_at), deadline_status=status,
    )


def _task_views(office: Office, uow: UnitOfWork, items: list[WorkItem]) -> list[TaskView]:
    headers = uow.dossiers.headers(item.dossier_id for item in items)
    names = _procedure_names(uow)
    office.views.remember(headers, names)
    now = office.now()
    return [_task_view(office, item, headers[item.dossier_id], names, now) for item in items]


# ---- tasks ------------------------------------------------------------------------------

def task_page(office: Office, user: User, *, scope: str = "department",
              department: str | None = None, procedure: str | None = None,
              limit: int = 50, offset: int = 0) -> TaskPage:
    """``mine``: the steps the user holds; ``department``: the open and claimed steps of the
    user's departments (or of one of them), soonest due first."""
    require_role(user, *READERS)
    departments: set[str] | None
    if department is not None:
        if not _reads_every_queue(user) and department not in user.departments:
            raise NotAllowed(f"{user.username} is not a member of department {department}")
        departments = {department}
    elif scope == "mine" or _reads_every_queue(user):
        departments = None
    else:
        departments = set(user.departments)
    claimed_by = user.username if scope == "mine" else None
    with office.db.unit_of_work(readonly=True) as uow:
        items = uow.items.queue(departments=departments, claimed_by=claimed_by,
                                procedure=procedure, limit=limit, offset=offset)
        total = uow.items.queue_total(departments=departments, claimed_by=claimed_by,
                                      procedure=procedure)
        return TaskPage(_task_views(office, uow, items), total, limit, offset)


def overdue_tasks(office: Office, user: User) -> list[TaskView]:
    """The escalation view: pending steps past their own due time, in the user's departments."""
    require_role(user, "leader", "auditor")
    departments = None if _reads_every_queue(user) else set(user.departments)
    with office.db.unit_of_work(readonly=True) as uow:
        return _task_views(office, uow, uow.items.overdue(office.now(), departments))


def _readable_item(uow: UnitOfWork, user: User, item_id: int) -> WorkItem:
    item = uow.items.get(item_id)
    if item is None:
        raise NotFound(f"no work item {item_id}")
    if not _reads_every_queue(user):
        can_handle(user, item)
    return item


def view_of(office: Office, item: WorkItem) -> TaskView:
    """The view of an item the caller has just claimed, released, assigned or completed: from
    the process's cache when it holds the dossier's header, else from one read."""
    header, names = office.views.header(item.dossier_id), office.views.names()
    if header is None or names is None or header["procedure_key"] not in names:
        with office.db.unit_of_work(readonly=True) as uow:
            return _task_views(office, uow, [item])[0]
    return _task_view(office, item, header, names, office.now())


def task_detail(office: Office, user: User, item_id: int) -> TaskDetail:
    """The step, its dossier and what earlier steps recorded, and the form to fill in."""
    with office.db.unit_of_work(readonly=True) as uow:
        item = _readable_item(uow, user, item_id)
        dossier = uow.dossiers.get(item.dossier_id)
        if dossier is None:
            raise NotFound(f"work item {item_id} has no dossier")
        loaded = loaded_version(office, uow, dossier.version_id)
        version = loaded.version
        view = _task_views(office, uow, [item])[0]
        history = [StepDone(i.step_id, i.step_name, i.department_code,
                            _local(office, i.completed_at), i.completed_by, i.result)
                   for i in uow.items.for_dossier(dossier.id) if i.status == "completed"]
    form = loaded.form(item.form)
    brief = DossierBrief(
        code=dossier.code, procedure_key=dossier.procedure_key,
        procedure_name=version.meta.get("name"), status=dossier.status,
        channel=dossier.channel, received_at=office.calendar.local_time(dossier.received_at),
        due_at=_local(office, dossier.due_at), fee=dossier.fee, applicant=dossier.applicant,
        data=dossier.data,
    )
    return TaskDetail(view, brief, history, form)


# ---- dossiers ---------------------------------------------------------------------------

def dossier_page(office: Office, user: User, *, status: str | None = None,
                 procedure: str | None = None, department: str | None = None,
                 received_from: datetime | None = None, received_to: datetime | None = None,
                 overdue: bool = False, limit: int = 50, offset: int = 0) -> DossierPage:
    """Newest first. ``department``: dossiers that have or had a step there."""
    require_role(user, *READERS)
    reads_all = reads_every_dossier(office, user)
    if department is not None and not reads_all and department not in user.departments:
        raise NotAllowed(f"{user.username} is not a member of department {department}")
    now = office.now()
    with office.db.unit_of_work(readonly=True) as uow:
        if department is not None:
            ids = uow.items.dossiers_of({department})
        elif not reads_all:
            ids = uow.items.dossiers_of(set(user.departments))
        else:
            ids = None
        found, total = uow.dossiers.search(
            status=status, procedure=procedure, received_from=received_from,
            received_to=received_to, overdue_at=now if overdue else None, ids=ids,
            limit=limit, offset=offset)
        names = _procedure_names(uow)
    items = [DossierSummary(
        code=d.code, procedure_key=d.procedure_key, procedure_name=names.get(d.procedure_key),
        status=d.status, channel=d.channel, applicant_name=_text(d.applicant.get("name")),
        received_at=office.calendar.local_time(d.received_at), due_at=_local(office, d.due_at),
        resolved_at=_local(office, d.resolved_at), fee=d.fee,
        deadline_status=_dossier_status(office, now, d),
    ) for d in found]
    return DossierPage(items, total, limit, offset)


def dossier_detail(office: Office, user: User, code: str) -> DossierDetail:
    with office.db.unit_of_work(readonly=True) as uow:
        dossier = _dossier(uow, code)
        require_dossier_reader(office, uow, user, dossier)
        version = loaded_version(office, uow, dossier.version_id).version
        steps = _task_views(office, uow, uow.items.for_dossier(dossier.id))
    return DossierDetail(
        code=dossier.code, procedure_key=dossier.procedure_key,
        procedure_name=version.meta.get("name") if version else None,
        version=version.version if version else None, status=dossier.status,
        channel=dossier.channel, applicant=dossier.applicant, data=dossier.data, fee=dossier.fee,
        received_at=office.calendar.local_time(dossier.received_at),
        received_by=dossier.received_by, due_at=_local(office, dossier.due_at),
        resolved_at=_local(office, dossier.resolved_at),
        appointment_at=_local(office, dossier.appointment_at),
        at_risk_at=_local(office, dossier.at_risk_at),
        deadline_status=_dossier_status(office, office.now(), dossier), steps=steps,
    )


def timeline(office: Office, user: User, code: str) -> ControlSheet:
    """The process control sheet; whoever may read the dossier may read its sheet, as the
    paper sheet travels with the paper dossier."""
    with office.db.unit_of_work(readonly=True) as uow:
        dossier = _dossier(uow, code)
        require_dossier_reader(office, uow, user, dossier)
        items = uow.items.for_dossier(dossier.id)
        events = uow.audit.events(dossier_chain(dossier.id))
        changes = uow.dossiers.due_changes(dossier.id)
        names = {d.code: d.name for d in uow.org.departments()}
        procedure = _procedure_names(uow).get(dossier.procedure_key)
    return control_sheet(dossier, items, events, changes, office.calendar, office.now(),
                         reception_department=office.reception_department,
                         procedure_name=procedure, department_names=names)


def public_dossier(office: Office, code: str, address: str | None = None) -> PublicDossier:
    """What anyone may see of a dossier by its code; each lookup from a client ``address``
    counts against that address's limit (None: not counted, e.g. the page after a rating)."""
    office.throttle.lookup(address)
    with office.db.unit_of_work(readonly=True) as uow:
        dossier = _dossier(uow, code)
        items = uow.items.for_dossier(dossier.id)
        procedure = _procedure_names(uow).get(dossier.procedure_key)
        rated = RatingStore(uow.conn).exists(dossier.id)
    return PublicDossier(
        code=dossier.code, procedure_name=procedure, status=dossier.status,
        received_at=office.calendar.local_time(dossier.received_at),
        due_at=_local(office, dossier.due_at), resolved_at=_local(office, dossier.resolved_at),
        return_at=_local(office, dossier.return_at),
        deadline_status=_dossier_status(office, office.now(), dossier),
        steps_done=sum(1 for item in items if item.status == "completed"),
        current_steps=[item.step_name for item in items if item.status in ("open", "claimed")],
        rated=rated,
    )


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) else None


# ---- procedures -------------------------------------------------------------------------

@dataclass(frozen=True)
class ProcedureSummary:
    key: str
    name: str
    code: str | None
    field: str | None
    level: str | None
    latest_version: int
    updated_at: datetime


@dataclass(frozen=True)
class LaneView:
    id: str
    name: str
    department: str | None
    department_name: str | None


@dataclass(frozen=True)
class VersionView:
    version: int
    sha256: str
    deployed_at: datetime
    deployed_by: str


@dataclass(frozen=True)
class ProcedureDetail:
    key: str
    name: str
    code: str | None
    field: str | None
    level: str | None
    deadline: float | None
    deadline_unit: str | None
    latest_version: int
    lanes: list[LaneView]
    steps: list[dict[str, Any]]
    versions: list[VersionView]
    start_form: dict[str, Any] | None  # what reception (or an online applicant) fills in


def procedures(office: Office, user: User) -> list[ProcedureSummary]:
    """The catalogue: every signed-in user needs it (reception picks a procedure from it)."""
    require_role(user, *ROLES)
    with office.db.unit_of_work(readonly=True) as uow:
        rows = uow.catalog.summaries()
    return [ProcedureSummary(r["key"], r["name"], r["code"], r["field"], r["level"],
                             r["latest_version"], office.calendar.local_time(r["updated_at"]))
            for r in rows]


def procedure_detail(office: Office, user: User, key: str) -> ProcedureDetail:
    require_role(user, *ROLES)
    with office.db.unit_of_work(readonly=True) as uow:
        latest = uow.catalog.latest(key)
        if latest is None:
            raise NotFound(f"no procedure {key!r} is deployed")
        versions = [VersionView(v["version"], v["sha256"],
                                office.calendar.local_time(v["deployed_at"]), v["deployed_by"])
                    for v in uow.catalog.versions(key)]
        names = {d.code: d.name for d in uow.org.departments()}
    meta = latest.meta
    lanes = [LaneView(lane["id"], lane["name"], lane.get("department"),
                      names.get(lane.get("department") or ""))
             for lane in meta.get("lanes", [])]
    start = meta.get("start_form")
    form = json.loads(latest.files[start]) if start and start in latest.files else None
    return ProcedureDetail(
        key=key, name=meta["name"], code=meta.get("code"), field=meta.get("field"),
        level=meta.get("level"), deadline=meta.get("deadline"),
        deadline_unit=meta.get("deadline_unit"), latest_version=latest.version, lanes=lanes,
        steps=list(meta.get("steps", [])), versions=versions, start_form=form,
    )


def procedure_bpmn(office: Office, user: User, key: str, number: int) -> tuple[str, str]:
    """(file name, XML) of the procedure's own BPMN file in one version.

    Deployed BPMN holds scripts: designers, auditors and admins read it, not every clerk.
    """
    require_role(user, "designer", "auditor")
    with office.db.unit_of_work(readonly=True) as uow:
        version = uow.catalog.version(key, number)
    if version is None:
        raise NotFound(f"procedure {key!r} has no version {number}")
    name = office.procedures.get(version).meta.file
    return name, version.files[name]
