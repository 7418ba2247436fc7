"""Late dossiers: the apology with a new return date (Phiếu xin lỗi và hẹn lại ngày trả kết quả).

The legal due date never moves for an apology: the dossier is still reported late against it.
What moves is the appointment, the date the applicant is now promised.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from engine.audit.chain import dossier_chain
from engine.errors import InvalidInput, NotAllowed, NotFound, NotOpen
from engine.i18n import msg
from engine.model import Dossier, DossierStatus, User
from engine.service.notifications import notify
from engine.service.office import Office
from engine.service.permissions import may_apologise, require_role
from engine.store.tables import OPEN_STATUSES

DEFAULT_WARNING_DAYS = 1.0


@dataclass(frozen=True)
class Apology:
    dossier_code: str
    reason: str
    original_due_at: datetime  # promised before this letter: the legal due date at first
    new_due_at: datetime
    signed_by: str
    issued_at: datetime


def record_apology(office: Office, code: str, user: User, new_due_at: datetime,
                   reason: str) -> Apology:
    """A leader of a department holding the dossier signs the apology with a new date."""
    reason = reason.strip()
    if not reason:
        raise InvalidInput(msg("err_write_reason_delay_printed_letter"))
    if new_due_at.tzinfo is None:
        raise InvalidInput(msg("err_new_return_date_needs_time"))
    require_role(user, "leader")
    with office.db.unit_of_work() as uow:
        dossier = uow.dossiers.by_code(code)
        if dossier is None:
            raise NotFound(msg("err_dossier_with_code", code=code))
        places = {(i.unit, i.department_code) for i in uow.items.for_dossier(dossier.id)}
        if not may_apologise(user, places):
            raise NotAllowed(msg("err_leads_none_departments_handling",
                                 user=user.name_shown, code=code,
                                 names=', '.join(sorted((d for _, d in places)))))
        if dossier.status not in OPEN_STATUSES:
            raise NotOpen(msg("err_dossier_already", status=msg(f"status_{dossier.status}")))
        current = dossier.return_at
        if dossier.due_at is None or current is None:
            raise InvalidInput(msg("err_procedure_has_deadline_apologise"))
        if new_due_at <= current:
            raise InvalidInput(msg("err_new_return_date_must_after",
                                   value=office.calendar.local_time(current)))
        now = office.now()
        uow.dossiers.update(dossier.id, appointment_at=new_due_at)
        uow.dossiers.add_due_change(dossier_id=dossier.id, kind="apology", at=now,
                                    actor=user.username, previous_due_at=current,
                                    new_due_at=new_due_at, reason=reason, paused_hours=None)
        uow.audit.append(dossier_chain(dossier.id), "apology_issued", user.username, now,
                         {"reason": reason, "due_at": dossier.due_at.isoformat(),
                          "previous_return_at": current.isoformat(),
                          "new_return_at": new_due_at.isoformat()}, dossier.id)
        new_day = office.calendar.local_time(new_due_at).date()
        notify(office, uow, dossier, "apology", {"date": f"{new_day:%d/%m/%Y}"})
        uow.commit()
    return Apology(code, reason, dossier.due_at, new_due_at, user.username, now)


def apologies(office: Office, code: str) -> tuple[Dossier, list[Apology]]:
    with office.db.unit_of_work(readonly=True) as uow:
        dossier = uow.dossiers.by_code(code)
        if dossier is None:
            raise NotFound(msg("err_dossier_with_code", code=code))
        changes = [c for c in uow.dossiers.due_changes(dossier.id) if c.kind == "apology"]
    # Each letter quotes the date the applicant had been promised until then.
    return dossier, [Apology(code, c.reason, c.previous_due_at or c.new_due_at, c.new_due_at,
                             c.actor, c.at) for c in changes]


def flag_at_risk(office: Office, warning_days: float = DEFAULT_WARNING_DAYS) -> list[str]:
    """Mark dossiers that can no longer meet their due date (``warning_days`` working days
    before it) once, with an audit event, so the leader's view lists them for an apology."""
    now = office.now()
    horizon_hours = warning_days * office.calendar.hours.hours_per_day
    flagged: list[str] = []
    with office.db.unit_of_work() as uow:
        # Anything due within the horizon; the exact working-time check happens below.
        rough = office.calendar.add_working_hours(now, horizon_hours)
        for dossier in uow.dossiers.at_risk(rough):
            if dossier.at_risk_at is not None or \
                    dossier.status == DossierStatus.AWAITING_SUPPLEMENT:
                continue
            uow.dossiers.update(dossier.id, at_risk_at=now)
            assert dossier.due_at is not None
            left = office.calendar.working_hours_between(now, dossier.due_at)
            uow.audit.append(dossier_chain(dossier.id), "deadline_at_risk", "timer", now,
                             {"due_at": dossier.due_at.isoformat(),
                              "working_hours_left": round(left, 2)}, dossier.id)
            flagged.append(dossier.code)
        uow.commit()
    return flagged


def needing_apology(office: Office, user: User) -> list[Dossier]:
    """The leader's list: open dossiers at risk or overdue that have no apology yet."""
    require_role(user, "leader", "auditor")
    with office.db.unit_of_work(readonly=True) as uow:
        found = uow.dossiers.at_risk(office.calendar.add_working_hours(
            office.now(), DEFAULT_WARNING_DAYS * office.calendar.hours.hours_per_day))
    # A dossier waiting for the applicant has its clock stopped: nothing to apologise for.
    return [d for d in found if d.status != DossierStatus.AWAITING_SUPPLEMENT and (
        d.at_risk_at is not None or (d.due_at is not None and d.due_at <= office.now()))]
