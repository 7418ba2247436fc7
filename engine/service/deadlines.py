"""The leader's side of legal deadlines: which dossiers need an apology, and recording one.

Wraps ``engine.service.apologies`` with what the API needs: a view of each dossier at risk
(its steps and how much office time is left), the leader's departments, and a new return
date given as a day (meaning the office's closing time that day).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from engine.model import ACTIVE_ITEM_STATUSES, Dossier, DossierStatus, User
from engine.service import apologies
from engine.service.office import Office
from engine.service.permissions import queue_reach
from engine.service.queries import deadline_status
from engine.store.read_models import StepBrief


@dataclass(frozen=True)
class CurrentStep:
    step_name: str
    department: str
    claimed_by: str | None


@dataclass(frozen=True)
class AtRiskDossier:
    code: str
    procedure_key: str
    procedure_name: str | None
    status: str
    received_at: datetime
    due_at: datetime  # the legal due date
    at_risk_at: datetime | None  # when the timer worker flagged it, if it did
    deadline_status: str | None  # within | due_today | due_tomorrow | overdue
    working_hours_left: float  # office hours until the due date; negative once overdue
    departments: list[str]  # every department that has or had a step, in hand-over order
    current_steps: list[CurrentStep]


@dataclass(frozen=True)
class ApologyView:
    dossier_code: str
    reason: str
    original_due_at: datetime  # the legal due date, which the apology does not move
    new_due_at: datetime  # the return date now promised
    signed_by: str
    issued_at: datetime


def at_risk(office: Office, user: User) -> list[AtRiskDossier]:
    """Open dossiers that can no longer meet their due date and have no apology yet, soonest
    due first. A leader sees those of their departments; auditors and admins see all.

    A dossier waiting for the applicant is left out: its clock is stopped, and its due date
    moves when the applicant answers.
    """
    found = [d for d in apologies.needing_apology(office, user)
             if d.status != DossierStatus.AWAITING_SUPPLEMENT and d.due_at is not None]
    with office.db.unit_of_work(readonly=True) as uow:
        steps: dict[int, list[StepBrief]] = {}
        for step in uow.lookups.steps_of([d.id for d in found]):
            steps.setdefault(step.dossier_id, []).append(step)
        names = {row["key"]: row["name"] for row in uow.catalog.summaries()}
        reach = queue_reach(user, office.units(uow).below_all)
    if not reach.everywhere:
        found = [d for d in found
                 if any(reach.covers(s.unit, s.department_code) for s in steps.get(d.id, []))]
    now = office.now()
    return [_view(office, d, steps.get(d.id, []), names.get(d.procedure_key), now)
            for d in found]


def _view(office: Office, dossier: Dossier, steps: list[StepBrief], procedure_name: str | None,
          now: datetime) -> AtRiskDossier:
    calendar = office.calendar
    due = dossier.due_at
    assert due is not None
    left = calendar.working_hours_between(now, due) if due > now else \
        -calendar.working_hours_between(due, now)
    return AtRiskDossier(
        code=dossier.code, procedure_key=dossier.procedure_key, procedure_name=procedure_name,
        status=dossier.status, received_at=calendar.local_time(dossier.received_at),
        due_at=calendar.local_time(due),
        at_risk_at=calendar.local_time(dossier.at_risk_at) if dossier.at_risk_at else None,
        deadline_status=deadline_status(calendar, now, due),
        working_hours_left=round(left, 2),
        departments=list(dict.fromkeys(s.department_code for s in steps)),
        current_steps=[CurrentStep(s.step_name, s.department_code, s.claimed_by)
                       for s in steps if s.status in ACTIVE_ITEM_STATUSES],
    )


def apologise(office: Office, user: User, code: str, new_due_at: datetime | date,
              reason: str) -> ApologyView:
    """Record the apology (Phiếu xin lỗi và hẹn lại ngày trả kết quả); a day alone means the
    office's closing time that day."""
    moment = new_due_at if isinstance(new_due_at, datetime) else \
        office.calendar.end_of_day(new_due_at)
    apology = apologies.record_apology(office, code.strip(), user, moment, reason)
    local = office.calendar.local_time
    return ApologyView(apology.dossier_code, apology.reason, local(apology.original_due_at),
                       local(apology.new_due_at), apology.signed_by, local(apology.issued_at))
