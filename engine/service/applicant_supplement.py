"""The applicant supplements a dossier online, with the receipt's code and secret.

Two kinds of request wait for the applicant:

- **desk**: the desk's check asked for a supplement (``desk.check``, Mẫu 02): the desk step
  stays open; what the applicant sends is attached to the missing documents and marked
  "supplemented online", and the desk checks the dossier again (its decision; the pause is
  counted when it accepts);
- **step**: a step that waits for the applicant (``pauses_clock``) and says how it is
  answered online (``applicant_answer``, engine.definitions.supplement): the files go to
  that step, which is completed as the applicant, so the clock resumes the usual way
  (``work._resume_clock``) and the diagram goes on.

``supplement`` writes the files, their events, the request's answer and, for a step, its
completion in one transaction: a wrong secret, a late, empty, wrong or too large file
writes nothing. Every attempt, and every look at what is missing, tries a secret, so each
counts against the client address (``Throttle.supplement``).
"""

from __future__ import annotations

import hmac
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from SpiffWorkflow.bpmn.workflow import BpmnWorkflow

from engine.audit.chain import dossier_chain
from engine.definitions.supplement import ApplicantStep, applicant_step
from engine.definitions.vocabulary import ProcedureMeta, StepMeta
from engine.errors import Conflict, InvalidInput, NotAllowed, NotFound, NotReady, TooLarge
from engine.files import FileKind, detect
from engine.files.kinds import HEAD
from engine.files.limits import FileLimits
from engine.i18n import msg
from engine.model import (
    ACTIVE_ITEM_STATUSES,
    OPEN_DOSSIER_STATUSES,
    Dossier,
    ItemStatus,
    User,
    WorkItem,
    typed_code,
)
from engine.runtime.clock import clock_scope
from engine.service.attachments import clean_filename, size_text
from engine.service.desk import SUPPLEMENT, SUPPLEMENTED_ONLINE, last_check
from engine.service.dossiers import hash_secret
from engine.service.office import Office
from engine.service.procedures import loaded_version
from engine.service.work import complete_in, conflict_of
from engine.store import UnitOfWork

APPLICANT = "applicant"
SUBMITTED = SUPPLEMENTED_ONLINE
DESK, STEP = "desk", "step"
MAX_FILES = 20
MAX_NOTE = 2000
# Who acts in the engine when the applicant answers a step: no account, no roles.
APPLICANT_USER = User(id=0, username=APPLICANT, full_name="", roles=frozenset())


@dataclass(frozen=True)
class Missing:
    """One thing the office asked for, and where its file goes (``slot``: a document's code
    for the desk's request, the waiting step's id for a step's)."""

    slot: str
    name: str


@dataclass(frozen=True)
class WhatIsMissing:
    """What the applicant sees once the secret matches."""

    code: str
    kind: str  # desk | step
    step_name: str
    asked_at: datetime  # office local time
    missing: tuple[Missing, ...]
    reasons: str  # the office's own words, if any
    limit_at: datetime | None  # the last moment to supplement (local); None: no limit
    late: bool  # the limit has passed: a supplement is refused
    supplemented_at: datetime | None  # sent online already, waiting for the desk (local)
    max_file_bytes: int
    max_files: int


@dataclass(frozen=True)
class Upload:
    slot: str
    filename: str
    data: bytes


@dataclass(frozen=True)
class Supplemented:
    code: str
    kind: str
    files: int
    at: datetime  # local


@dataclass(frozen=True)
class _Request:
    kind: str
    item: WorkItem
    step: StepMeta
    rule: ApplicantStep | None
    asked_at: datetime  # UTC
    missing: tuple[Missing, ...]
    reasons: str
    limit_at: datetime | None  # UTC
    supplemented_at: datetime | None


def step_meta(office: Office, uow: UnitOfWork, dossier: Dossier,
               step_id: str) -> tuple[ProcedureMeta, StepMeta] | None:
    loaded = loaded_version(office, uow, dossier.version_id)
    for proc in (loaded.meta, *loaded.processes.values()):
        if step_id in proc.steps:
            return proc, proc.steps[step_id]
    return None


def limit_of(office: Office, rule: ApplicantStep | None, asked_at: datetime) -> datetime | None:
    """The end of the applicant's time: ``limit_days`` working days from the day after the
    request (as a statutory deadline is counted)."""
    if rule is None or rule.limit_days is None:
        return None
    return office.calendar.statutory_due(asked_at, rule.limit_days, "working_days")


def _asked_text(uow: UnitOfWork, dossier: Dossier, item: WorkItem, field: str | None) -> str:
    """What the step that asked wrote in ``field``: the latest completed step's form data
    holding it, up to the moment the waiting step was handed over."""
    if field is None:
        return ""
    text = ""
    for event in sorted(uow.audit.events(dossier_chain(dossier.id)), key=lambda e: e.seq):
        data = event.data.get("data") if event.kind == "item_completed" else None
        if isinstance(data, dict) and data.get(field) and event.at <= item.created_at:
            text = str(data[field])
    return text.strip()


def _lines(text: str) -> list[str]:
    return [part.strip(" -•\t") for part in text.replace(";", "\n").splitlines()
            if part.strip(" -•\t")]


def _request(office: Office, uow: UnitOfWork, dossier: Dossier) -> _Request:
    """The request that waits for the applicant now; refused when there is none."""
    if dossier.status not in OPEN_DOSSIER_STATUSES:
        raise Conflict(msg("sup_err_nothing_asked", code=dossier.code))
    items = [i for i in uow.items.active_for_dossier(dossier.id)
             if i.status in ACTIVE_ITEM_STATUSES]
    for item in items:
        found = step_meta(office, uow, dossier, item.step_id) if item.pauses_clock else None
        if found is None:
            continue
        proc, step = found
        rule = applicant_step(proc, step)
        if rule.answer is None:
            raise Conflict(msg("sup_err_at_desk_only", step=step.name))
        text = _asked_text(uow, dossier, item, rule.missing_field)
        missing = tuple(Missing(item.step_id, line) for line in _lines(text)) or \
            (Missing(item.step_id, step.name),)
        return _Request(STEP, item, step, rule, item.created_at, missing, text,
                        limit_of(office, rule, item.created_at), None)
    meta = loaded_version(office, uow, dossier.version_id).meta
    desk = meta.desk_step()
    at_desk = next((i for i in items if desk is not None and i.step_id == desk.id), None)
    check = last_check(uow, dossier) if at_desk is not None else None
    if at_desk is None or desk is None or check is None or check.decision != SUPPLEMENT:
        raise Conflict(msg("sup_err_nothing_asked", code=dossier.code))
    sent = [e.at for e in uow.audit.events(dossier_chain(dossier.id))
            if e.kind == SUBMITTED and e.at >= check.checked_at]
    missing = tuple(Missing(d.code, d.name) for d in check.missing)
    return _Request(DESK, at_desk, desk, None, check.checked_at, missing, check.reasons, None,
                    max(sent) if sent else None)


def _dossier(office: Office, uow: UnitOfWork, code: str, secret: str) -> Dossier:
    dossier = uow.dossiers.by_code(typed_code(code))
    if dossier is None:
        raise NotFound(msg("err_dossier_with_code", code=code))
    stored = uow.dossiers.secret_hash(dossier.id) or ""
    if not hmac.compare_digest(stored, hash_secret(secret or "")):
        raise NotAllowed(msg("sup_err_secret"))
    return dossier


def _local(office: Office, moment: datetime | None) -> datetime | None:
    return office.calendar.local_time(moment) if moment is not None else None


def what_is_missing(office: Office, code: str, secret: str,
                    address: str | None = None) -> WhatIsMissing:
    """What the office asked the applicant for, once the receipt's secret matches."""
    office.throttle.supplement(address)
    with office.db.unit_of_work(readonly=True) as uow:
        dossier = _dossier(office, uow, code, secret)
        request = _request(office, uow, dossier)
    now = office.now()
    return WhatIsMissing(
        dossier.code, request.kind, request.step.name,
        office.calendar.local_time(request.asked_at), request.missing, request.reasons,
        _local(office, request.limit_at),
        request.limit_at is not None and now > request.limit_at,
        _local(office, request.supplemented_at), office.file_limits.per_file, MAX_FILES)


def _kinds(uploads: Sequence[Upload], request: _Request, limits: FileLimits,
           stored: int) -> list[FileKind]:
    """Each file's kind, once the set is neither empty nor too large and each goes where
    the request asked."""
    if not uploads:
        raise InvalidInput(msg("sup_err_no_file"))
    if len(uploads) > MAX_FILES:
        raise InvalidInput(msg("sup_err_too_many_files", max_files=MAX_FILES))
    slots = {m.slot for m in request.missing}
    kinds: list[FileKind] = []
    for upload in uploads:
        if upload.slot not in slots and not (upload.slot == "" and len(slots) == 1):
            raise InvalidInput(msg("sup_err_slot", slot=upload.slot or "''"))
        if not upload.data:
            raise InvalidInput(msg("sup_err_empty", filename=upload.filename or "''"))
        if not limits.file_fits(len(upload.data)):
            raise TooLarge(msg("sup_err_file_too_large", filename=upload.filename,
                               limit=size_text(limits.per_file)))
        kind = detect(upload.data[:HEAD])
        if kind is None:
            raise InvalidInput(msg("sup_err_kind", filename=upload.filename or "''"))
        kinds.append(kind)
    if not limits.dossier_fits(stored, sum(len(u.data) for u in uploads)):
        raise TooLarge(msg("sup_err_dossier_too_large", limit=size_text(limits.per_dossier)))
    return kinds


def _check(office: Office, uow: UnitOfWork, code: str, secret: str,
           uploads: Sequence[Upload]) -> tuple[Dossier, _Request, list[FileKind]]:
    dossier = _dossier(office, uow, code, secret)
    request = _request(office, uow, dossier)
    if request.limit_at is not None and office.now() > request.limit_at:
        raise Conflict(msg("sup_err_too_late",
                           limit=office.calendar.local_time(request.limit_at)))
    kinds = _kinds(uploads, request, office.file_limits,
                   uow.attachments.total_size(dossier.id))
    return dossier, request, kinds


def supplement(office: Office, code: str, secret: str, files: Sequence[Upload],
               note: str | None = None, address: str | None = None) -> Supplemented:
    """Send what the office asked for (see the module): checked in a read transaction, the
    bytes stored with no transaction open, then checked again and written in one."""
    office.throttle.supplement(address)
    note = (note or "").strip()
    if len(note) > MAX_NOTE or "\x00" in note:
        raise InvalidInput(msg("sup_err_note", max_note=MAX_NOTE))
    if office.files is None:
        raise NotReady(msg("scan_error_no_store"))
    with office.db.unit_of_work(readonly=True) as uow:
        _check(office, uow, code, secret, files)
    hashes = [office.files.put(f.data) for f in files]
    with office.db.unit_of_work() as uow, clock_scope(office.clock):
        dossier, request, kinds = _check(office, uow, code, secret, files)
        now = office.now()
        chain = dossier_chain(dossier.id)
        item_id = request.item.id if request.kind == STEP else None
        sent = []
        only = request.missing[0].slot
        for upload, kind, sha256 in zip(files, kinds, hashes, strict=True):
            upload = replace(upload, slot=upload.slot or only)  # the single slot, unnamed
            name = clean_filename(upload.filename, kind)
            event = uow.audit.append(chain, "file_attached", APPLICANT, now, {
                "slot": upload.slot, "filename": name, "kind": kind.value,
                "size": len(upload.data), "sha256": sha256}, dossier.id, item_id)
            uow.attachments.add(
                dossier_id=dossier.id, slot=upload.slot, work_item_id=item_id, filename=name,
                kind=kind.value, size=len(upload.data), sha256=sha256, attached_by=APPLICANT,
                attached_at=now, event_seq=event.seq)
            sent.append({"slot": upload.slot, "filename": name, "sha256": sha256})
        uow.audit.append(chain, SUBMITTED, APPLICANT, now, {
            "kind": request.kind, "step": request.item.step_id, "files": sent,
            "note": note}, dossier.id, request.item.id)
        workflow = None
        if request.kind == STEP:
            assert request.rule is not None and request.rule.answer is not None
            workflow = answer_step(office, uow, request.item, APPLICANT_USER,
                                   request.rule.answer.data(), [])
        uow.commit()
    if workflow is not None:
        keep(office, dossier.id, workflow)
    return Supplemented(dossier.code, request.kind, len(files), office.calendar.local_time(now))


Answered = tuple[BpmnWorkflow, int]


def answer_step(office: Office, uow: UnitOfWork, item: WorkItem, actor: User,
                data: dict[str, Any], before: list[tuple[str, dict[str, Any]]]) -> Answered:
    """Complete the waiting step as ``actor`` (the applicant, or the timer returning the
    dossier), taking it over from whoever held it, in the caller's unit of work (the caller
    commits, then hands the answer to ``keep``)."""
    now = office.now()
    if not uow.items.transition(item.id, ACTIVE_ITEM_STATUSES, None, status=ItemStatus.CLAIMED,
                                claimed_at=now, claimed_by=actor.username):
        raise conflict_of(uow, item.id, actor)
    found = uow.items.with_dossier_named(item.id)
    if found is None:
        raise NotFound(msg("err_work_item", item_id=item.id))
    claimed: list[tuple[str, dict[str, Any]]] = [
        ("item_claimed", {"was_claimed_by": item.claimed_by} if item.claimed_by else {})]
    _done, workflow, rev = complete_in(office, uow, found, actor, dict(data),
                                       [*claimed, *before])
    return workflow, rev


def keep(office: Office, dossier_id: int, answered: Answered) -> None:
    """Once committed: the live workflow into the cache, as a clerk's step does."""
    workflow, rev = answered
    if not workflow.completed:
        office.workflows.put(dossier_id, rev, workflow)
