"""Receiving a dossier: code, due date, fee, receipt secret, and the workflow started."""

from __future__ import annotations

import hashlib
import json
import secrets
from dataclasses import dataclass
from datetime import datetime, tzinfo
from typing import Any

from engine.definitions.dossier_deadline import DEADLINE_VARIABLE, dossier_deadline
from engine.definitions.vocabulary import ProcedureMeta
from engine.errors import FormInvalid, InvalidInput, NotAllowed, NotFound, TooLarge
from engine.i18n import msg, number
from engine.model import CHANNELS, Dossier, DossierStatus, User, typed_code
from engine.people import applicant_problems, cleaned_applicant, search_terms
from engine.runtime import workflows
from engine.runtime.clock import clock_scope
from engine.service.due_dates import counting_start
from engine.service.forms import check_form
from engine.service.office import Office
from engine.service.permissions import may_receive, require_role
from engine.service.procedures import loaded_version
from engine.service.progress import Pending, sync
from engine.service.routing import ResolvingChoices, route
from engine.service.routing import resolving_choices as choices_for
from engine.service.versions import in_force

# Unambiguous characters only: the secret is typed in from a paper receipt.
_SECRET_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


@dataclass(frozen=True)
class Receipt:
    """What the appointment receipt (Giấy tiếp nhận hồ sơ và hẹn trả kết quả) prints."""

    dossier_id: int
    code: str
    procedure_key: str
    version: int
    received_at: datetime
    due_at: datetime | None
    fee: int
    secret: str


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.strip().upper().encode()).hexdigest()


def format_code(agency_code: str, received_at: datetime, seq: int, tz: tzinfo) -> str:
    """Circular 01/2018/TT-VPCP art. 19: <agency>-<YYMMDD>-<NNNN>, the date in local time."""
    return f"{agency_code}-{received_at.astimezone(tz):%y%m%d}-{seq:04d}"


def submit(
    office: Office,
    procedure_key: str,
    applicant: dict[str, Any],
    channel: str,
    form: dict[str, Any],
    actor: User | None,
    address: str | None = None,
    receiving_unit: str | None = None,
    resolving_unit: str | None = None,
) -> Receipt:
    """Receive a dossier at the desk (actor = reception staff) or online (actor None).

    ``receiving_unit`` and ``resolving_unit`` (agency codes) choose the desk and the unit
    competent to resolve it where the actor and the procedure's level leave a choice
    (``engine.service.routing``). An online filing without an account is held to a size
    quota and counted against the client ``address`` (the door's), before any work is
    done."""
    if channel not in CHANNELS:
        raise InvalidInput(msg("err_channel_must_one",
                               channels=', '.join(CHANNELS), channel=channel))
    if actor is not None:
        require_role(actor, "staff", "leader")
        if not may_receive(office.reception_department, actor):
            raise NotAllowed(msg("err_does_work_one_stop_desk", actor=actor.name_shown))
    elif channel != "online":
        raise InvalidInput(msg("err_only_online_submissions_come_without"))
    if not isinstance(applicant, dict) or not str(applicant.get("name", "")).strip():
        raise FormInvalid("applicant.name", msg("err_applicant_s_name_required"))
    year = office.now().astimezone(office.calendar.tz).year
    for field, why in applicant_problems(applicant, year)[:1]:
        raise FormInvalid(field, why)
    applicant = cleaned_applicant(applicant)
    if actor is None:
        _check_size(office, applicant, form)
        office.throttle.filing(address)
    actor_name = actor.username if actor else "applicant"
    with office.db.unit_of_work() as uow, clock_scope(office.clock):
        now = office.now()
        counted_from = counting_start(office.calendar, channel, now)
        # The version in force on the day the dossier counts from (docs/authoring.md).
        chosen = in_force(uow, procedure_key, office.calendar.local_time(counted_from).date())
        loaded = loaded_version(office, uow, chosen[0])
        version = loaded.version
        data = check_form(loaded.form(loaded.meta.start_form), form)
        if DEADLINE_VARIABLE in data:
            raise FormInvalid(DEADLINE_VARIABLE, msg("err_deadline_procedure_s_set_applicant"))
        day = now.astimezone(office.calendar.tz).date()
        way = route(office, uow, loaded.meta, actor, day, receiving_unit, resolving_unit)
        workflow = workflows.start(loaded, {**data, "channel": channel}, office.scripts)
        started = workflows.current_data(workflow)
        fee = _fee(started.get(loaded.meta.fee_variable))
        due = _due(office, loaded.meta.deadline, loaded.meta.deadline_unit, started,
                   counted_from)
        # Numbered per receiving unit and day: the code is the receiving desk's.
        seq = uow.dossiers.next_sequence(way.receiving, f"{day:%y%m%d}")
        code = format_code(way.receiving, now, seq, office.calendar.tz)
        secret = "".join(secrets.choice(_SECRET_ALPHABET) for _ in range(8))
        row: dict[str, Any] = dict(
            code=code, agency_code=way.receiving, procedure_key=procedure_key,
            version_id=version.id, channel=channel, status=DossierStatus.PROCESSING,
            applicant=applicant, data=data, fee=fee, received_at=now, received_by=actor_name,
            # Accepted when filed, unless the desk checks it first (desk.check sets it then).
            accepted_at=None if loaded.meta.desk_step() else now, due_at=due, state=None,
            state_rev=0, **fixed_at_reception(loaded.meta, way.receiving, way.resolving))
        dossier_id = uow.dossiers.insert(receipt_secret_hash=hash_secret(secret), **row)
        uow.dossiers.index(dossier_id, code, row["receiving_unit"], row["resolving_unit"],
                           procedure_key, search_terms(applicant, data))
        dossier = Dossier(id=dossier_id, resolved_at=None, next_timer_at=None, **row)
        # A new dossier has no events and no work items yet.
        pending = Pending(dossier_id, head=None, head_known=True, active=set())
        pending.add("dossier_submitted", actor_name, now,
                    {"code": code, "procedure": procedure_key, "version": version.version,
                     "channel": channel, "fee": fee, "receiving_unit": way.receiving,
                     "resolving_unit": way.resolving,
                     "counted_from": counted_from.isoformat(),
                     "due_at": due.isoformat() if due else None})
        rev = sync(office, uow, dossier, workflow, loaded, actor_name, pending)
        uow.commit()
    if not workflow.completed:
        office.workflows.put(dossier_id, rev, workflow)
    return Receipt(dossier_id, code, procedure_key, version.version, now, due, fee, secret)


def resolving_choices(office: Office, procedure_key: str, actor: User) -> ResolvingChoices:
    """For the desk's form: the units that may resolve the procedure today, and the one it
    goes to when the desk names none."""
    require_role(actor, "staff", "leader")
    if not may_receive(office.reception_department, actor):
        raise NotAllowed(msg("err_does_work_one_stop_desk", actor=actor.name_shown))
    with office.db.unit_of_work(readonly=True) as uow:
        day = office.now().astimezone(office.calendar.tz).date()
        meta = loaded_version(office, uow, in_force(uow, procedure_key, day)[0]).meta
        return choices_for(office, uow, meta, actor, day)


def fixed_at_reception(meta: ProcedureMeta, receiving: str,
                       resolving: str | None = None) -> dict[str, Any]:
    """What a dossier keeps of its procedure and units from the moment it is received: the
    version's code, name, field and level, and the receiving and resolving units' agency
    codes. Reports read only these."""
    return dict(procedure_code=meta.code, procedure_name=meta.name, field=meta.field,
                level=meta.level, receiving_unit=receiving, resolving_unit=resolving or receiving)


def _check_size(office: Office, applicant: dict[str, Any], form: dict[str, Any]) -> None:
    limit = office.throttle.config.filing_max_bytes
    size = len(json.dumps({"applicant": applicant, "data": form}, ensure_ascii=False,
                          separators=(",", ":"), default=str).encode())
    if size > limit:
        raise TooLarge(msg("err_applicant_form_data_take_bytes",
                           size=number(size), limit=number(limit)))


MAX_FEE = 2_000_000_000  # VND; far above any real fee, and within a 32-bit column


def _fee(value: Any) -> int:
    try:
        fee = max(0, int(value or 0))
    except (TypeError, ValueError, OverflowError):
        return 0
    if fee > MAX_FEE:
        raise InvalidInput(msg("err_fee_works_out_vnd_more", fee=number(fee)))
    return fee


def _due(office: Office, deadline: float | None, unit: str | None, started: dict[str, Any],
         received_at: datetime) -> datetime | None:
    """The procedure's statutory deadline, or the one the start steps chose for this
    dossier (``deadline_working_days``, docs/authoring.md §2)."""
    try:
        chosen = dossier_deadline(started)
    except ValueError:
        raise InvalidInput(msg("err_dossier_deadline_not_positive",
                               variable=DEADLINE_VARIABLE,
                               value=repr(started.get(DEADLINE_VARIABLE)))) from None
    if chosen is not None:
        return office.calendar.statutory_due(received_at, chosen, "working_days")
    if unit is None:
        return None
    return office.calendar.statutory_due(received_at, deadline or 0, unit)


def get_by_code(office: Office, code: str) -> Dossier:
    with office.db.unit_of_work(readonly=True) as uow:
        dossier = uow.dossiers.by_code(typed_code(code))
    if dossier is None:
        raise NotFound(msg("err_dossier_with_code", code=code))
    return dossier
