"""The desk's check of a dossier, in the legal order (Decree 61/2018/NĐ-CP art. 15).

The desk checks the dossier against the procedure's list of documents, then accepts it (the
appointment receipt lists what was received), asks for a supplement (what is missing; the
desk step stays open until the applicant comes back) or refuses it (the reasons; the dossier
ends as not accepted). One use case writes the check as a ``desk_checked`` event on the
dossier's chain and, for accept and refuse, completes the desk step with the matching form
values, in one transaction. The printed forms read the check back from that event.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from engine.audit.chain import dossier_chain
from engine.definitions.documents import FORMS, RequiredDocument
from engine.definitions.vocabulary import DeskMapping, StepMeta
from engine.errors import (
    AlreadyDone,
    Conflict,
    InvalidInput,
    NotAllowed,
    NotFound,
)
from engine.i18n import msg
from engine.model import ACTIVE_ITEM_STATUSES, AuditEvent, Dossier, User, WorkItem
from engine.runtime.clock import clock_scope
from engine.service.notifications import notify
from engine.service.office import Office
from engine.service.permissions import can_handle, may_handle
from engine.service.procedures import loaded_version
from engine.service.views.dossiers import require_dossier_reader
from engine.service.work import complete_step, must_take, pause_due_date
from engine.store import UnitOfWork

ACCEPT, SUPPLEMENT, REFUSE = "accept", "supplement", "refuse"
DECISIONS = (ACCEPT, SUPPLEMENT, REFUSE)
CHECKED = "desk_checked"
# The applicant answered a supplement request online (engine.service.applicant_supplement).
SUPPLEMENTED_ONLINE = "supplement_submitted"
MAX_REASONS = 2000

__all__ = ["ACCEPT", "DECISIONS", "FORMS", "MAX_REASONS", "REFUSE", "SUPPLEMENT", "Check",
           "CheckedDocument", "DeskView", "RequiredDocument", "awaiting_check", "check",
           "desk_view", "last_check"]


@dataclass(frozen=True)
class CheckedDocument:
    """A document as the desk received it (or, in a check's ``missing``, as required)."""

    code: str
    name: str
    form: str
    count: int

    def to_json(self) -> dict[str, Any]:
        return {"code": self.code, "name": self.name, "form": self.form, "count": self.count}


@dataclass(frozen=True)
class Check:
    """One check of the dossier by the desk, as its event keeps it."""

    decision: str
    received: tuple[CheckedDocument, ...]
    missing: tuple[CheckedDocument, ...]
    reasons: str
    checked_by: str  # login
    checked_by_name: str  # full name, as the printed forms sign
    checked_at: datetime

    @classmethod
    def of(cls, event: AuditEvent, names: Mapping[str, str]) -> Check:
        data = event.data

        def docs(key: str) -> tuple[CheckedDocument, ...]:
            return tuple(CheckedDocument(str(d.get("code", "")), str(d.get("name", "")),
                                         str(d.get("form", "")), int(d.get("count", 1)))
                         for d in data.get(key) or [] if isinstance(d, dict))

        actor = event.actor or ""
        return cls(str(data.get("decision", "")), docs("received"), docs("missing"),
                   str(data.get("reasons") or ""), actor, names.get(actor, actor), event.at)


@dataclass(frozen=True)
class DeskView:
    """What the checklist page shows: the dossier, its procedure's documents, whether the desk
    step waits for the check, and the checks made so far (latest last)."""

    dossier: Dossier
    procedure_name: str
    documents: tuple[RequiredDocument, ...]
    step: StepMeta | None
    waiting: bool  # the desk step is open: the dossier is being checked
    checks: tuple[Check, ...]
    # Sent online by the applicant since the last request for a supplement (local times,
    # latest last): the desk checks the dossier again.
    supplemented_online: tuple[datetime, ...] = ()

    @property
    def last(self) -> Check | None:
        return self.checks[-1] if self.checks else None


def _dossier(uow: UnitOfWork, code: str) -> Dossier:
    dossier = uow.dossiers.by_code(code.strip())
    if dossier is None:
        raise NotFound(msg("err_dossier_with_code", code=code))
    return dossier


def _checks(uow: UnitOfWork, dossier: Dossier) -> tuple[Check, ...]:
    events = [e for e in uow.audit.events(dossier_chain(dossier.id)) if e.kind == CHECKED]
    names = uow.lookups.full_names({e.actor for e in events if e.actor})
    return tuple(Check.of(e, names) for e in sorted(events, key=lambda e: e.seq))


def last_check(uow: UnitOfWork, dossier: Dossier) -> Check | None:
    """The latest check of the dossier (None: it was never checked, e.g. history kept
    before the desk's check existed, which counts as accepted when received)."""
    checks = _checks(uow, dossier)
    return checks[-1] if checks else None


def _desk_item(uow: UnitOfWork, dossier: Dossier, step: StepMeta | None) -> WorkItem | None:
    if step is None:
        return None
    return next((i for i in uow.items.active_for_dossier(dossier.id)
                 if i.step_id == step.id and i.status in ACTIVE_ITEM_STATUSES), None)


def awaiting_check(office: Office, uow: UnitOfWork, dossier: Dossier) -> bool:
    """The dossier's desk step is open: it is being checked, not received yet."""
    step = loaded_version(office, uow, dossier.version_id).meta.desk_step()
    return _desk_item(uow, dossier, step) is not None


def desk_view(office: Office, user: User, code: str) -> DeskView:
    """The checklist of a dossier, for whoever may read the dossier."""
    with office.db.unit_of_work(readonly=True) as uow:
        dossier = _dossier(uow, code)
        require_dossier_reader(office, uow, user, dossier)
        meta = loaded_version(office, uow, dossier.version_id).meta
        step = meta.desk_step()
        item = _desk_item(uow, dossier, step)
        checks = _checks(uow, dossier)
        asked = checks[-1].checked_at if checks and checks[-1].decision == SUPPLEMENT \
            else None
        sent = tuple(sorted(office.calendar.local_time(e.at)
                            for e in uow.audit.events(dossier_chain(dossier.id))
                            if asked is not None and e.kind == SUPPLEMENTED_ONLINE
                            and e.at >= asked)) if item is not None else ()
    return DeskView(dossier, meta.name or dossier.procedure_key, meta.documents, step,
                    item is not None, checks, sent)


def _received(documents: Sequence[RequiredDocument],
              received: Sequence[Mapping[str, Any]]) -> list[CheckedDocument]:
    """The documents the desk says it received, checked against the procedure's list."""
    known = {d.code: d for d in documents}
    found: dict[str, CheckedDocument] = {}
    for entry in received:
        code = str(entry.get("code", "")).strip()
        spec = known.get(code)
        if spec is None:
            raise InvalidInput(msg("desk_unknown_document", code=code or "''"))
        form = str(entry.get("form") or spec.form).strip()
        if form not in FORMS:
            raise InvalidInput(msg("desk_bad_document", code=code, problem=msg(
                "desk_doc_bad_form", form=form, forms=", ".join(FORMS))))
        raw = entry.get("count", spec.count)
        count = raw if isinstance(raw, int) and not isinstance(raw, bool) else 0
        if count < 1:
            raise InvalidInput(msg("desk_bad_document", code=code,
                                   problem=msg("desk_doc_bad_count", count=raw)))
        found[code] = CheckedDocument(code, spec.name, form, count)
    return [found[d.code] for d in documents if d.code in found]  # in the list's order


def _form_values(mapping: DeskMapping, decision: str, reasons: str) -> dict[str, Any]:
    values: dict[str, Any] = {mapping.field: mapping.accept if decision == ACCEPT
                              else mapping.refuse}
    if reasons:
        values[mapping.reasons] = reasons
    return values


def check(office: Office, user: User, code: str, received: Sequence[Mapping[str, Any]],
          decision: str | None, reasons: str | None = None) -> Check:
    """Record the desk's check of a dossier and act on its decision (see the module)."""
    reasons = (reasons or "").strip()[:MAX_REASONS]
    with office.db.unit_of_work() as uow, clock_scope(office.clock):
        dossier = _dossier(uow, code)
        if not may_handle(user, dossier.receiving_unit, office.reception_department):
            raise NotAllowed(msg("desk_not_allowed"))
        if decision not in DECISIONS:
            raise InvalidInput(msg("desk_decision_missing"))
        if decision == REFUSE and not reasons:
            raise InvalidInput(msg("desk_reasons_missing"))
        meta = loaded_version(office, uow, dossier.version_id).meta
        step = meta.desk_step()
        if step is None:
            raise Conflict(msg("desk_no_check_step", code=dossier.code))
        item = _desk_item(uow, dossier, step)
        if item is None:
            done = last_check(uow, dossier)
            if done is not None and done.decision in (ACCEPT, REFUSE):
                raise AlreadyDone(msg("desk_already_checked", code=dossier.code,
                                      decision=msg(f"desk_decision_{done.decision}")))
            raise Conflict(msg("desk_not_waiting", code=dossier.code))
        can_handle(user, item)
        got = _received(meta.documents, received)
        have = {d.code for d in got}
        missing = [CheckedDocument(d.code, d.name, d.form, d.count)
                   for d in meta.documents if d.required and d.code not in have]
        if decision == ACCEPT and missing:
            raise InvalidInput(msg("desk_incomplete",
                                   names="; ".join(d.name for d in missing)))
        if decision == SUPPLEMENT and not missing and not reasons:
            raise InvalidInput(msg("desk_missing_none"))
        now = office.now()
        names = uow.lookups.full_names([user.username])
        event = {"decision": decision, "step": step.id, "received": [d.to_json() for d in got],
                 "missing": [d.to_json() for d in missing], "reasons": reasons}
        if decision == SUPPLEMENT:  # not received yet: the step waits for the applicant
            uow.audit.append(dossier_chain(dossier.id), CHECKED, user.username, now, event,
                             dossier.id, item.id)
            notify(office, uow, dossier, "supplement")
            uow.commit()
        else:
            moved = _after_supplement(office, uow, dossier, user, decision, event)
            # Received for resolution from now on (form 06); a refused one never was.
            moved["accepted_at"] = now if decision == ACCEPT else None
            _complete(office, uow, item, user, event, _form_values(
                step.desk or DeskMapping(), decision, reasons), moved)
    return Check(decision, tuple(got), tuple(missing), reasons, user.username,
                 names.get(user.username, user.username), now)


def _after_supplement(office: Office, uow: UnitOfWork, dossier: Dossier, user: User,
                      decision: str, event: dict[str, Any]) -> dict[str, Any]:
    """Accepted after the desk asked for a supplement: the time the applicant took does not
    count (the dossier was not received yet), so the due date moves by the working time from
    the first request to now, recorded as a pause like a supplement asked later."""
    asked = [c for c in _checks(uow, dossier) if c.decision == SUPPLEMENT]
    if decision != ACCEPT or not asked or dossier.due_at is None:
        return {}
    now = office.now()
    paused = office.calendar.working_hours_between(asked[0].checked_at, now)
    if paused <= 0:
        return {}
    event["paused_hours"] = round(paused, 4)
    return {"due_at": pause_due_date(
        office, uow, dossier, user, paused, event,
        f"Kiểm tra hồ sơ: chờ người nộp bổ sung ({paused:g} giờ làm việc)")}


def _complete(office: Office, uow: UnitOfWork, item: WorkItem, user: User,
              event: dict[str, Any], values: dict[str, Any],
              dossier_values: dict[str, Any]) -> None:
    """Claim the desk step for the user if it is open, and complete it with ``values``."""
    found = uow.items.with_dossier_named(item.id)
    if found is None:
        raise NotFound(msg("err_work_item", item_id=item.id))
    step = complete_step(office, uow, found, user, values, [(CHECKED, event)], dossier_values,
                         taking=must_take(uow, item, user))  # claimed with it, if open
    workflow, rev = step.workflow, step.rev
    uow.commit()
    if not workflow.completed:
        office.workflows.put(item.dossier_id, rev, workflow)
