"""Dossiers: the list, one dossier, its control sheet, and what anyone may see by its code."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from engine.audit.chain import dossier_chain
from engine.audit.timeline import ControlSheet, SheetRow, control_sheet
from engine.errors import NotAllowed
from engine.i18n import msg
from engine.model import (
    ACTIVE_ITEM_STATUSES,
    FINISHED_DOSSIER_STATUSES,
    Dossier,
    DossierStatus,
    ItemStatus,
    PublicStage,
    User,
    WorkItem,
)
from engine.people import parse_query
from engine.service.office import Office
from engine.service.permissions import (
    DOSSIER_READERS,
    can_see_dossier,
    handler_reach,
    queue_reach,
    reading_units,
    require_role,
)
from engine.service.procedures import loaded_version
from engine.store import UnitOfWork

from .common import (
    Names,
    dossier_by_code,
    dossier_department_names,
    dossier_people,
    dossier_status,
    header_of,
    local,
    procedure_names,
    task_views,
    text,
)
from .tasks import narrowed
from .types import DossierDetail, DossierPage, DossierSummary, PublicDossier, PublicStep

DESK_CHECKED = "desk_checked"  # engine.service.desk.CHECKED (which imports this module)

__all__ = ["ControlSheet", "SheetRow", "dossier_detail", "dossier_page", "public_dossier",
           "require_dossier_reader", "timeline"]


def require_dossier_reader(office: Office, uow: UnitOfWork, user: User,
                           dossier: Dossier) -> list[WorkItem]:
    """Raises unless the user may read the dossier (``permissions.may_see_dossier``);
    returns the dossier's steps, read to decide."""
    require_role(user, *DOSSIER_READERS)
    items = uow.items.for_dossier(dossier.id)
    can_see_dossier(office.reception_department, user, dossier.code,
                    (dossier.receiving_unit, dossier.resolving_unit),
                    [(item.unit, item.department_code) for item in items],
                    office.units(uow).below_all)
    return items


def dossier_page(office: Office, user: User, *, status: str | None = None,
                 procedure: str | None = None, department: str | None = None,
                 received_from: datetime | None = None, received_to: datetime | None = None,
                 overdue: bool = False, q: str | None = None, limit: int = 50,
                 offset: int = 0) -> DossierPage:
    """Newest first: the dossiers the user reads (those of the units they lead, audit or
    receive for, and those with a step in their departments). ``department``: dossiers that
    have or had a step there. ``q``: a code or its beginning, a name with or without
    accents (every word, as a word's beginning), an ID number or a phone number."""
    require_role(user, *DOSSIER_READERS)
    now = office.now()
    with office.db.unit_of_work(readonly=True) as uow:
        below = office.units(uow).below_all
        units = reading_units(office.reception_department, user, below)
        reach = handler_reach(user)
        ids = None
        if department is not None:
            mine = narrowed(uow, queue_reach(user, below), department, None)
            if mine.empty:
                raise NotAllowed(msg("err_member_department",
                                     user=user.name_shown, department=department))
            ids, units = uow.items.dossiers_of(mine), None
        elif units is not None and not reach.empty:
            ids = uow.items.dossiers_of(reach)
        found, total = uow.dossiers.search(
            status=status, procedure=procedure, received_from=received_from,
            received_to=received_to, overdue_at=now if overdue else None, ids=ids,
            units=units, wanted=parse_query(q or ""), limit=limit, offset=offset)
        names = procedure_names(uow)
    items = [DossierSummary(
        code=d.code, procedure_key=d.procedure_key, procedure_name=names.get(d.procedure_key),
        status=d.status, channel=d.channel, applicant_name=text(d.applicant.get("name")),
        received_at=office.calendar.local_time(d.received_at), due_at=local(office, d.due_at),
        resolved_at=local(office, d.resolved_at), fee=d.fee,
        deadline_status=dossier_status(office, now, d),
    ) for d in found]
    return DossierPage(items, total, limit, offset)


def build_detail(office: Office, uow: UnitOfWork, dossier: Dossier, items: list[WorkItem],
                 names: dict[str, str], people: Names | None = None) -> DossierDetail:
    """The dossier's detail from rows already read (the caller checked who reads it)."""
    version = loaded_version(office, uow, dossier.version_id).version
    steps = task_views(office, uow, items, header_of(dossier), names, people)
    return DossierDetail(
        code=dossier.code, procedure_key=dossier.procedure_key,
        procedure_name=version.meta.get("name") if version else None,
        version=version.version if version else None, status=dossier.status,
        channel=dossier.channel, applicant=dossier.applicant, data=dossier.data, fee=dossier.fee,
        received_at=office.calendar.local_time(dossier.received_at),
        received_by=dossier.received_by, due_at=local(office, dossier.due_at),
        resolved_at=local(office, dossier.resolved_at),
        appointment_at=local(office, dossier.appointment_at),
        at_risk_at=local(office, dossier.at_risk_at),
        deadline_status=dossier_status(office, office.now(), dossier), steps=steps,
    )


def dossier_detail(office: Office, user: User, code: str) -> DossierDetail:
    with office.db.unit_of_work(readonly=True) as uow:
        dossier = dossier_by_code(uow, code)
        items = require_dossier_reader(office, uow, user, dossier)
        return build_detail(office, uow, dossier, items, procedure_names(uow))


def build_sheet(office: Office, uow: UnitOfWork, dossier: Dossier, items: list[WorkItem],
                names: dict[str, str], departments: dict[str, str],
                people: Mapping[str, str] | None = None) -> ControlSheet:
    events = uow.audit.events(dossier_chain(dossier.id))
    changes = uow.dossiers.due_changes(dossier.id)
    if people is None:
        people = dossier_people(uow, dossier, items, departments).people
    return control_sheet(dossier, items, events, changes, office.calendar, office.now(),
                         reception_department=office.reception_department,
                         procedure_name=names.get(dossier.procedure_key),
                         department_names=departments, unit_names=unit_names(office, uow, dossier),
                         people=people)


def unit_names(office: Office, uow: UnitOfWork, dossier: Dossier) -> dict[str, str]:
    """The names of the dossier's receiving and resolving units, as the units data has them."""
    tree = office.units(uow)
    found = {u: tree.name(u) for u in (dossier.receiving_unit, dossier.resolving_unit)}
    return {u: name for u, name in found.items() if name}


def timeline(office: Office, user: User, code: str) -> ControlSheet:
    """The process control sheet; whoever may read the dossier may read its sheet, as the
    paper sheet travels with the paper dossier."""
    with office.db.unit_of_work(readonly=True) as uow:
        dossier = dossier_by_code(uow, code)
        items = require_dossier_reader(office, uow, user, dossier)
        return build_sheet(office, uow, dossier, items, procedure_names(uow),
                           dossier_department_names(uow, dossier,
                                                    office.reception_department))


def public_dossier(office: Office, code: str, address: str | None = None) -> PublicDossier:
    """What anyone may see of a dossier by its code; each lookup from a client ``address``
    counts against that address's limit (None: not counted, e.g. the page after a rating).
    Nothing personal, no form data, no staff names: the steps done by name and date."""
    office.throttle.lookup(address)
    with office.db.unit_of_work(readonly=True) as uow:
        dossier = dossier_by_code(uow, code)
        items = uow.items.for_dossier(dossier.id)
        procedure = procedure_names(uow).get(dossier.procedure_key)
        rated = uow.ratings.exists(dossier.id)
        asked = dossier.accepted_at is None and _desk_asked_supplement(uow, dossier)
    done = sorted((item for item in items if item.status == ItemStatus.COMPLETED),
                  key=lambda item: (item.completed_at or item.created_at, item.id))
    return PublicDossier(
        code=dossier.code, procedure_name=procedure, status=dossier.status,
        received_at=office.calendar.local_time(dossier.received_at),
        due_at=local(office, dossier.due_at), resolved_at=local(office, dossier.resolved_at),
        return_at=local(office, dossier.return_at),
        deadline_status=dossier_status(office, office.now(), dossier),
        steps_done=len(done),
        current_steps=[item.step_name for item in items if item.status in ACTIVE_ITEM_STATUSES],
        rated=rated, stage=public_stage(dossier, items, office.reception_department, asked),
        appointment_at=local(office, dossier.appointment_at),
        steps=[PublicStep(item.step_name, local(office, item.completed_at)) for item in done],
    )


def _desk_asked_supplement(uow: UnitOfWork, dossier: Dossier) -> bool:
    """Whether the desk's latest check asked the applicant for a supplement."""
    checks = [e for e in uow.audit.events(dossier_chain(dossier.id)) if e.kind == DESK_CHECKED]
    return bool(checks) and max(checks, key=lambda e: e.seq).data.get("decision") == "supplement"


def public_stage(dossier: Dossier, items: list[WorkItem], reception: str,
                 desk_asked_supplement: bool = False) -> PublicStage:
    """What the office waits for. The desk's check: not accepted yet (``accepted_at`` is set
    when the desk accepts, or at filing for a procedure without a desk check); the desk may
    have asked for a supplement there, before the dossier was received. Result ready: the
    departments are done and only the desk's steps are left (returning the result)."""
    if dossier.status in FINISHED_DOSSIER_STATUSES:
        return PublicStage.FINISHED
    if dossier.status == DossierStatus.AWAITING_SUPPLEMENT or desk_asked_supplement:
        return PublicStage.AWAITING_SUPPLEMENT
    if dossier.accepted_at is None:
        return PublicStage.DESK_CHECK
    active = [item for item in items if item.status in ACTIVE_ITEM_STATUSES]
    if active and all(item.department_code == reception for item in active) and any(
            item.status == ItemStatus.COMPLETED and item.department_code != reception
            for item in items):
        return PublicStage.RESULT_READY
    return PublicStage.PROCESSING
