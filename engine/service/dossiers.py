"""Receiving a dossier: code, due date, fee, receipt secret, and the workflow started."""

from __future__ import annotations

import hashlib
import json
import secrets
from dataclasses import dataclass
from datetime import datetime, tzinfo
from typing import Any

from SpiffWorkflow.bpmn.workflow import BpmnWorkflow

from engine.definitions.dossier_deadline import DEADLINE_VARIABLE, dossier_deadline
from engine.definitions.vocabulary import ProcedureMeta
from engine.errors import FormInvalid, InvalidInput, NotAllowed, NotFound, TooLarge
from engine.i18n import msg, number
from engine.model import CHANNELS, Dossier, DossierStatus, User, typed_code
from engine.people import applicant_problems, cleaned_applicant, search_terms
from engine.runtime import workflows
from engine.runtime.clock import clock_scope
from engine.runtime.procedures import LoadedProcedure
from engine.service.due_dates import counting_start
from engine.service.forms import check_form
from engine.service.notifications import notify
from engine.service.office import Office
from engine.service.permissions import may_receive, require_role
from engine.service.procedures import loaded_version
from engine.service.progress import Pending, sync
from engine.service.routing import ResolvingChoices, Route, route
from engine.service.routing import resolving_choices as choices_for
from engine.service.versions import in_force
from engine.store import UnitOfWork

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


def new_secret() -> str:
    """A receipt secret: 8 characters of the unambiguous alphabet."""
    return "".join(secrets.choice(_SECRET_ALPHABET) for _ in range(8))


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
    applicant = admit(office, applicant, channel, form, actor)
    if actor is None:
        office.throttle.filing(address)
    with office.db.unit_of_work() as uow, clock_scope(office.clock):
        received = receive(office, uow, procedure_key, applicant, channel, form, actor,
                           receiving_unit, resolving_unit)
        uow.commit()
    return received.kept(office)


def admit(office: Office, applicant: dict[str, Any], channel: str, form: dict[str, Any],
          actor: User | None) -> dict[str, Any]:
    """The checks that need no database (an anonymous filing's size quota included): the
    applicant cleaned. The caller counts an anonymous filing against its address."""
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
    return applicant


@dataclass(frozen=True)
class Checked:
    """A filing that passed every check of its procedure: form, numbers, route."""

    loaded: LoadedProcedure
    data: dict[str, Any]
    route: Route


def check(office: Office, uow: UnitOfWork, procedure_key: str, form: dict[str, Any],
          actor: User | None, receiving_unit: str | None,
          resolving_unit: str | None, channel: str = "online") -> Checked:
    """Everything ``receive`` refuses, in any transaction (a read one too); writes nothing."""
    counted_from = counting_start(office.calendar, channel, office.now())
    # The version in force on the day the dossier counts from (docs/authoring.md).
    chosen = in_force(uow, procedure_key, office.calendar.local_time(counted_from).date())
    loaded = loaded_version(office, uow, chosen[0])
    data = check_form(loaded.form(loaded.meta.start_form), form)
    if DEADLINE_VARIABLE in data:
        raise FormInvalid(DEADLINE_VARIABLE, msg("err_deadline_procedure_s_set_applicant"))
    day = office.now().astimezone(office.calendar.tz).date()
    way = route(office, uow, loaded.meta, actor, day, receiving_unit, resolving_unit)
    return Checked(loaded, data, way)


@dataclass(frozen=True)
class Received:
    """A dossier written in a unit of work not yet committed."""

    dossier: Dossier
    receipt: Receipt
    loaded: LoadedProcedure
    workflow: BpmnWorkflow
    rev: int
    actor_name: str

    def kept(self, office: Office) -> Receipt:
        """After the commit: the live workflow cached for the next step."""
        if not self.workflow.completed:
            office.workflows.put(self.dossier.id, self.rev, self.workflow)
        return self.receipt


def started(office: Office, loaded: LoadedProcedure, data: dict[str, Any], channel: str,
            now: datetime) -> tuple[BpmnWorkflow, int, datetime, datetime | None]:
    """The workflow started in memory (its start steps run), the fee they worked out, the
    moment the deadline counts from and the due date (run inside ``clock_scope``)."""
    workflow = workflows.start(loaded, {**data, "channel": channel}, office.scripts)
    values = workflows.current_data(workflow)
    fee = _fee(values.get(loaded.meta.fee_variable))
    counted_from = counting_start(office.calendar, channel, now)
    due = _due(office, loaded.meta.deadline, loaded.meta.deadline_unit, values, counted_from)
    return workflow, fee, counted_from, due


def receive(office: Office, uow: UnitOfWork, procedure_key: str, applicant: dict[str, Any],
            channel: str, form: dict[str, Any], actor: User | None,
            receiving_unit: str | None = None,
            resolving_unit: str | None = None) -> Received:
    """Write the dossier, its first events and its started workflow in ``uow`` (the caller
    commits, so what else the use case records lands in the same transaction)."""
    actor_name = actor.username if actor else "applicant"
    checked = check(office, uow, procedure_key, form, actor, receiving_unit, resolving_unit,
                    channel)
    loaded, data, way = checked.loaded, checked.data, checked.route
    version = loaded.version
    now = office.now()
    day = now.astimezone(office.calendar.tz).date()
    workflow, fee, counted_from, due = started(office, loaded, data, channel, now)
    # Numbered per receiving unit and day: the code is the receiving desk's.
    seq = uow.dossiers.next_sequence(way.receiving, f"{day:%y%m%d}")
    code = format_code(way.receiving, now, seq, office.calendar.tz)
    secret = new_secret()
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
    if row["accepted_at"] is not None:  # no desk check: received for resolution now
        notify(office, uow, dossier, "received")
    receipt = Receipt(dossier_id, code, procedure_key, version.version, now, due, fee, secret)
    return Received(dossier, receipt, loaded, workflow, rev, actor_name)


def resolving_choices(office: Office, procedure_key: str, actor: User) -> ResolvingChoices:
    """For the desk's form: the units that may resolve the procedure today, and the one it
    goes to when the desk names none."""
    require_role(actor, "staff", "leader")
    if not may_receive(office.reception_department, actor):
        raise NotAllowed(msg("err_does_work_one_stop_desk", actor=actor.name_shown))
    with office.db.unit_of_work(readonly=True) as uow:
        latest = uow.catalog.latest_id(procedure_key)
        if latest is None:
            raise NotFound(msg("err_procedure_deployed_2", procedure_key=procedure_key))
        meta = loaded_version(office, uow, latest[0]).meta
        day = office.now().astimezone(office.calendar.tz).date()
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
