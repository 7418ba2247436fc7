"""Incidents as people meet them: the list, one incident, a retry, a correction of the data.

Who: leaders see the incidents of dossiers whose procedure has a lane of one of their
departments (or that had a step there), and may retry them and correct the submitted data;
designers see and retry every incident (the fix is often a new version); auditors read them
all; admins do everything. Staff do not see incidents: their leader does.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from engine.errors import (
    InvalidInput,
    MotcuaError,
    NotAllowed,
    NotFound,
    NotOpen,
    NotReady,
    StepFailed,
)
from engine.i18n import msg
from engine.model import OPEN_DOSSIER_STATUSES, Dossier, Incident, IncidentStatus, User
from engine.runtime import workflows
from engine.runtime.clock import clock_scope
from engine.service.forms import check_form
from engine.service.incident_log import record_failure
from engine.service.office import Office
from engine.service.permissions import leads_any, require_role
from engine.service.procedures import loaded_version
from engine.service.progress import Pending, sync
from engine.service.restore import restore
from engine.service.timers import fire
from engine.store import UnitOfWork

VIEWERS = ("leader", "designer", "auditor")
STATUSES = tuple(IncidentStatus)
LIST_LIMIT = 500


@dataclass(frozen=True)
class IncidentView:
    id: int
    dossier_code: str
    procedure_key: str
    procedure_name: str | None
    dossier_status: str
    kind: str  # timer: failed while the worker fired the dossier's timers
    step_id: str | None
    step_name: str | None
    expression: str | None
    error: str
    status: str  # open | resolved
    tries: int
    first_at: datetime
    last_at: datetime
    next_try_at: datetime | None  # when the worker tries again by itself
    resolved_at: datetime | None
    resolved_by: str | None
    departments: list[str]
    can_retry: bool
    can_correct: bool
    resolved_by_name: str | None = None  # the full name of who resolved it


@dataclass(frozen=True)
class IncidentDetail:
    incident: IncidentView
    # The submission form and the values it holds now: what a correction may change.
    form: dict[str, Any] | None
    values: dict[str, Any]


def open_incident_count(office: Office) -> int:
    """Open incidents in the office (the worker's summary)."""
    with office.db.unit_of_work(readonly=True) as uow:
        return uow.incidents.count_open()


def incidents_for_health(office: Office) -> int | None:
    """The open incidents for a health check, or None while the database is away (the
    check answers for the process; readiness is another question)."""
    try:
        return open_incident_count(office)
    except NotReady:
        return None


def incidents(office: Office, user: User, status: str | None = IncidentStatus.OPEN,
              limit: int = 100) -> list[IncidentView]:
    """Incidents the user may see, the latest failure first."""
    require_role(user, *VIEWERS)
    if status is not None and status not in STATUSES:
        raise InvalidInput(msg("err_status_must_one", statuses=', '.join(STATUSES), status=status))
    with office.db.unit_of_work(readonly=True) as uow:
        names = {row["key"]: row["name"] for row in uow.catalog.summaries()}
        found: list[IncidentView] = []
        lanes: dict[int, set[str]] = {}
        for incident, dossier in uow.incidents.listing(status, LIST_LIMIT):
            departments = _departments(uow, incident.dossier_id, dossier["version_id"],
                                       dossier["resolving_unit"], lanes)
            if _may_see(user, departments):
                found.append(_view(office, user, incident, dossier, departments, names))
            if len(found) >= limit:
                break
        return _named(uow, found)


def _named(uow: UnitOfWork, views: list[IncidentView]) -> list[IncidentView]:
    """The views with the full names of who resolved them, read once."""
    people = uow.lookups.full_names({v.resolved_by for v in views if v.resolved_by})
    return [replace(v, resolved_by_name=people.get(v.resolved_by, v.resolved_by))
            if v.resolved_by else v for v in views]


def incident_detail(office: Office, user: User, incident_id: int) -> IncidentDetail:
    require_role(user, *VIEWERS)
    with office.db.unit_of_work(readonly=True) as uow:
        incident, dossier = _incident(uow, incident_id)
        departments = _departments(uow, dossier.id, dossier.version_id, dossier.resolving_unit,
                                       {})
        if not _may_see(user, departments):
            raise _not_theirs(user, dossier, departments)
        names = {row["key"]: row["name"] for row in uow.catalog.summaries()}
        view = _named(uow, [_view(office, user, incident, _header(dossier), departments,
                                  names)])[0]
        form = None
        if view.can_correct:
            loaded = loaded_version(office, uow, dossier.version_id)
            form = loaded.form(loaded.meta.start_form)
    values = {k: v for k, v in dossier.data.items() if form and k in form.get("properties", {})}
    return IncidentDetail(view, form, values)


def retry(office: Office, incident_id: int, user: User) -> IncidentView:
    """Run the failed work again now. Success resolves the incident; a new failure counts
    one more try (and puts the worker's next try off), and the incident says why."""
    require_role(user, *VIEWERS)
    failed: Exception | None = None
    dossier_id = 0
    try:
        with office.db.unit_of_work() as uow, clock_scope(office.clock):
            incident, dossier = _incident(uow, incident_id, lock=True)
            dossier_id = dossier.id
            departments = _departments(uow, dossier.id, dossier.version_id, dossier.resolving_unit,
                                       {})
            _may_retry(user, dossier, departments)
            if incident.status != IncidentStatus.OPEN:
                raise NotOpen(msg("err_incident_already_resolved", incident_id=incident_id))
            fire(office, uow, dossier, user.username, office.now(), incident)
            uow.commit()
    except StepFailed as exc:
        failed = exc
    except MotcuaError:
        raise
    except NotReady:
        raise
    except Exception as exc:  # as in the worker: a fault of this dossier, kept with it
        failed = exc
    if failed is not None:
        if not dossier_id:  # it broke before the dossier was read: nothing of it ran
            raise failed
        record_failure(office, dossier_id, failed, user.username)
    return _one(office, user, incident_id)


def correct(office: Office, incident_id: int, user: User, data: dict[str, Any],
            reason: str) -> IncidentView:
    """A leader corrects what the applicant submitted (say, ``copies`` typed as 0), then the
    failed work runs again. Only fields of the submission form, checked by it; the change,
    its reason and who made it go into the dossier's audit trail."""
    require_role(user, "leader")
    reason = reason.strip()
    if not reason:
        raise InvalidInput(msg("err_say_why_data_corrected_kept"))
    if not isinstance(data, dict) or not data:
        raise InvalidInput(msg("err_give_corrected_values"))
    with office.db.unit_of_work() as uow, clock_scope(office.clock):
        incident, dossier = _incident(uow, incident_id, lock=True)
        departments = _departments(uow, dossier.id, dossier.version_id, dossier.resolving_unit,
                                       {})
        _may_correct(user, dossier, departments)
        if incident.status != IncidentStatus.OPEN:
            raise NotOpen(msg("err_incident_already_resolved", incident_id=incident_id))
        if dossier.state is None:
            raise NotOpen(msg("err_dossier_finished_data_can_longer"))
        loaded = loaded_version(office, uow, dossier.version_id)
        form = loaded.form(loaded.meta.start_form)
        if form is None:
            raise InvalidInput(msg("err_procedure_has_submission_form_nothing"))
        fields = set(form.get("properties", {}))
        current = {k: v for k, v in dossier.data.items() if k in fields}
        accepted = check_form(form, {**current, **data})
        changes = {k: {"from": current.get(k), "to": accepted.get(k)} for k in sorted(data)
                   if current.get(k) != accepted.get(k)}
        if not changes:
            raise InvalidInput(msg("err_these_are_values_dossier_already"))
        office.workflows.take(dossier.id, dossier.state_rev)
        workflow = restore(uow, dossier, loaded)
        workflows.correct_data(workflow, {k: accepted.get(k) for k in changes})
        pending = Pending(dossier.id)
        pending.add("dossier_data_corrected", user.username, office.now(),
                    {"incident": incident.id, "changes": changes, "reason": reason})
        sync(office, uow, dossier, workflow, loaded, user.username, pending,
             {"data": {**dossier.data, **{k: accepted.get(k) for k in changes}}})
        uow.commit()
    return retry(office, incident_id, user)


# ---- who may do what ---------------------------------------------------------------------

Places = set[tuple[str, str]]  # (unit, department) pairs of a dossier


def _may_see(user: User, departments: Places) -> bool:
    return user.active and (user.has_role("admin", "designer", "auditor") or (
        user.has_role("leader") and leads_any(user, departments)))


def _may_retry(user: User, dossier: Dossier, departments: Places) -> None:
    if user.has_role("admin", "designer"):
        return
    if not user.has_role("leader"):
        raise NotAllowed(msg("err_only_leaders_designers_admins_retry"))
    if not leads_any(user, departments):
        raise _not_theirs(user, dossier, departments)


def _may_correct(user: User, dossier: Dossier, departments: Places) -> None:
    if user.has_role("admin"):
        return
    if not leads_any(user, departments):
        raise _not_theirs(user, dossier, departments)


def _not_theirs(user: User, dossier: Dossier, departments: Places) -> NotAllowed:
    codes = sorted({d for _, d in departments})
    return NotAllowed(msg("err_leads_none_departments_dossier",
                          user=user.name_shown, dossier_code=dossier.code,
                          value=', '.join(codes) or "—"))


# ---- reading -----------------------------------------------------------------------------

def _incident(uow: UnitOfWork, incident_id: int,
              lock: bool = False) -> tuple[Incident, Dossier]:
    incident = uow.incidents.get(incident_id)
    if incident is None:
        raise NotFound(msg("err_incident", incident_id=incident_id))
    dossier = uow.dossiers.lock(incident.dossier_id) if lock else \
        uow.dossiers.get(incident.dossier_id)
    if dossier is None:
        raise NotFound(msg("err_dossier_incident_missing", incident_id=incident_id))
    if lock:  # read again under the dossier's lock: a worker may have just resolved it
        incident = uow.incidents.get(incident_id) or incident
    return incident, dossier


def _departments(uow: UnitOfWork, dossier_id: int, version_id: int, resolving_unit: str,
                 lanes: dict[int, set[str]]) -> Places:
    """The departments of the procedure's lanes in the unit resolving the dossier, and of
    every step the dossier had."""
    if version_id not in lanes:
        version = uow.catalog.by_id(version_id)
        lanes[version_id] = {lane["department"] for lane in
                             (version.meta.get("lanes", []) if version else [])
                             if lane.get("department")}
    return {(resolving_unit, d) for d in lanes[version_id]} | {
        (i.unit, i.department_code) for i in uow.items.for_dossier(dossier_id)}


def _header(dossier: Dossier) -> dict[str, Any]:
    return {"code": dossier.code, "procedure_key": dossier.procedure_key,
            "version_id": dossier.version_id, "status": dossier.status}


def _one(office: Office, user: User, incident_id: int) -> IncidentView:
    with office.db.unit_of_work(readonly=True) as uow:
        incident, dossier = _incident(uow, incident_id)
        departments = _departments(uow, dossier.id, dossier.version_id, dossier.resolving_unit,
                                       {})
        names = {row["key"]: row["name"] for row in uow.catalog.summaries()}
        return _named(uow, [_view(office, user, incident, _header(dossier), departments,
                                  names)])[0]


def _view(office: Office, user: User, incident: Incident, dossier: dict[str, Any],
          departments: Places, names: dict[str, str]) -> IncidentView:
    local = office.calendar.local_time
    is_open = incident.status == IncidentStatus.OPEN
    leads = user.has_role("leader") and leads_any(user, departments)
    return IncidentView(
        id=incident.id, dossier_code=dossier["code"], procedure_key=dossier["procedure_key"],
        procedure_name=names.get(dossier["procedure_key"]), dossier_status=dossier["status"],
        kind=incident.kind, step_id=incident.step_id, step_name=incident.step_name,
        expression=incident.expression, error=incident.error, status=incident.status,
        tries=incident.tries, first_at=local(incident.first_at),
        last_at=local(incident.last_at),
        next_try_at=local(incident.next_try_at) if incident.next_try_at else None,
        resolved_at=local(incident.resolved_at) if incident.resolved_at else None,
        resolved_by=incident.resolved_by,
        departments=sorted({d for _, d in departments}),
        can_retry=is_open and (user.has_role("admin", "designer") or leads),
        can_correct=is_open and dossier["status"] in OPEN_DOSSIER_STATUSES
        and (user.has_role("admin") or leads))
