"""Files attached to a dossier: scans of its required documents (the ID card, the original's
copy) and the files of its steps (a site drawing).

- **attach**: the one-stop desk of the unit that received the dossier, for a required
  document while it holds the dossier (a desk step is open: reception and check, taking
  in a supplement); a department's staff or leader, for a step of
  theirs that is open (or claimed) now. The kind is told from the bytes (PDF, JPEG, PNG),
  never from the name; a file and the dossier's files together have size limits. The bytes
  go to the file store first (once per content), then the row and its ``file_attached``
  event (holding the sha256, so the dossier's hash chain vouches for the file) in one
  transaction: a refused or failed attach writes no row, at worst bytes nothing names.
- **list** and **download**: whoever may read the dossier (the rule of its page and its
  control sheet).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import datetime
from pathlib import PurePosixPath, PureWindowsPath

from engine.audit.chain import dossier_chain
from engine.errors import InvalidInput, NotAllowed, NotFound, NotReady, TooLarge
from engine.files import FileKind, FileStore, detect, digest
from engine.files.kinds import HEAD
from engine.files.limits import MB, FileLimits
from engine.i18n import msg
from engine.model import ACTIVE_ITEM_STATUSES, OPEN_DOSSIER_STATUSES, Dossier, User, WorkItem
from engine.service.office import Office
from engine.service.permissions import can_receive_at, may_handle, may_receive
from engine.service.procedures import loaded_version
from engine.service.views.dossiers import require_dossier_reader
from engine.store import UnitOfWork

FILENAME_MAX = 200
APPLICANT = "applicant"  # who attached the scans sent with an online filing


@dataclass(frozen=True)
class AttachmentView:
    id: int
    slot: str
    slot_name: str  # the document's or the step's name
    filename: str
    kind: str
    content_type: str
    size: int
    sha256: str
    attached_by: str  # username
    attached_by_name: str  # full name
    attached_at: datetime  # office local time


@dataclass(frozen=True)
class SlotView:
    code: str
    name: str
    kind: str  # document | step


@dataclass(frozen=True)
class AttachmentsView:
    code: str
    files: list[AttachmentView]
    slots: list[SlotView]  # where this user may attach a file now
    max_file_bytes: int
    max_dossier_bytes: int
    stored_bytes: int


@dataclass(frozen=True)
class Download:
    filename: str
    content_type: str
    data: bytes


def _store(office: Office) -> FileStore:
    if office.files is None:
        raise NotReady(msg("scan_error_no_store"))
    return office.files


def _dossier(uow: UnitOfWork, code: str) -> Dossier:
    dossier = uow.dossiers.by_code(code.strip())
    if dossier is None:
        raise NotFound(msg("scan_error_no_dossier", code=code))
    return dossier


def _documents(office: Office, uow: UnitOfWork, dossier: Dossier) -> dict[str, str]:
    """The procedure's required documents (code → name), as its version declares them
    (``motcua:documents``, the list the desk checks the dossier against)."""
    meta = loaded_version(office, uow, dossier.version_id).meta
    return {d.code: d.name for d in meta.documents}


def _step_names(office: Office, uow: UnitOfWork, dossier: Dossier) -> dict[str, str]:
    loaded = loaded_version(office, uow, dossier.version_id)
    return {step.id: step.name for proc in loaded.processes.values()
            for step in proc.steps.values()}


def _open(dossier: Dossier) -> bool:
    return dossier.status in OPEN_DOSSIER_STATUSES


def _at_desk(office: Office, user: User, dossier: Dossier) -> bool:
    try:
        can_receive_at(office.reception_department, user, dossier.receiving_unit)
    except NotAllowed:
        return False
    return True


def _desk_may_attach(office: Office, user: User, dossier: Dossier,
                     items: list[WorkItem]) -> bool:
    """The required documents are the desk's while it holds the dossier: receiving and
    checking it, or taking in what the applicant supplied (a step of the receiving unit's
    one-stop desk is open), and only for the desk of that unit."""
    return (_open(dossier) and may_receive(office.reception_department, user)
            and _at_desk(office, user, dossier)
            and any(item.status in ACTIVE_ITEM_STATUSES
                    and item.department_code == office.reception_department
                    and item.unit == dossier.receiving_unit for item in items))


def _my_steps(user: User, items: list[WorkItem]) -> dict[str, WorkItem]:
    """The dossier's steps that are open now in a department of the user's."""
    return {item.step_id: item for item in items
            if item.status in ACTIVE_ITEM_STATUSES
            and may_handle(user, item.unit, item.department_code)}


def _slots(office: Office, uow: UnitOfWork, user: User, dossier: Dossier,
           items: list[WorkItem]) -> list[SlotView]:
    if not _open(dossier):
        return []
    slots: list[SlotView] = []
    if _desk_may_attach(office, user, dossier, items):
        slots += [SlotView(code, name, "document")
                  for code, name in _documents(office, uow, dossier).items()]
    slots += [SlotView(step, item.step_name, "step")
              for step, item in _my_steps(user, items).items()]
    return slots


def size_text(size: int) -> str:
    """A limit as people set it: whole megabytes, else kilobytes (the same in vi and en)."""
    return f"{size // MB} MB" if size >= MB and size % MB == 0 else f"{max(1, size // 1024)} KB"


def clean_filename(name: str, kind: FileKind) -> str:
    """The sender's file name without folders or control characters, at most
    ``FILENAME_MAX`` characters; a name left empty becomes ``tep<ext>``."""
    base = PureWindowsPath(PurePosixPath(name or "").name).name
    base = "".join(c for c in unicodedata.normalize("NFC", base)
                   if unicodedata.category(c)[0] != "C").strip().strip(".")
    if len(base) > FILENAME_MAX:
        stem, dot, ext = base.rpartition(".")
        base = (stem[:FILENAME_MAX - len(ext) - 1] + dot + ext) if dot and len(ext) < 10 \
            else base[:FILENAME_MAX]
    return base or f"tep{kind.extension}"


def file_kind(data: bytes, limits: FileLimits) -> FileKind:
    """The file's kind, once it is neither empty nor too large."""
    if not data:
        raise InvalidInput(msg("scan_error_empty"))
    if not limits.file_fits(len(data)):
        raise TooLarge(msg("scan_error_file_too_large", limit=size_text(limits.per_file)))
    kind = detect(data[:HEAD])
    if kind is None:
        raise InvalidInput(msg("scan_error_kind"))
    return kind


@dataclass(frozen=True)
class _Target:
    dossier: Dossier
    item: WorkItem | None  # the step's work item, for a step's file
    slot_name: str


def _target(office: Office, uow: UnitOfWork, user: User, code: str, slot: str) -> _Target:
    """Where the file goes, once the caller may put it there."""
    dossier = _dossier(uow, code)
    items = require_dossier_reader(office, uow, user, dossier)
    # Whether the caller may attach anything at all answers first, whatever was sent.
    if not _slots(office, uow, user, dossier, items):
        raise NotAllowed(msg("scan_error_not_allowed", code=dossier.code))
    documents = _documents(office, uow, dossier)
    if slot in documents:
        if not _desk_may_attach(office, user, dossier, items):
            raise NotAllowed(msg("scan_error_document_not_allowed", slot=documents[slot]))
        return _Target(dossier, None, documents[slot])
    steps = _step_names(office, uow, dossier)
    if slot in steps:
        item = _my_steps(user, items).get(slot) if _open(dossier) else None
        if item is None:
            raise NotAllowed(msg("scan_error_step_not_allowed", slot=steps[slot]))
        return _Target(dossier, item, steps[slot])
    raise InvalidInput(msg("scan_error_slot", slot=slot))


def _fits(uow: UnitOfWork, limits: FileLimits, dossier: Dossier, size: int) -> None:
    if not limits.dossier_fits(uow.attachments.total_size(dossier.id), size):
        raise TooLarge(msg("scan_error_dossier_too_large", limit=size_text(limits.per_dossier)))


def attach(office: Office, user: User, code: str, slot: str, filename: str,
           data: bytes) -> AttachmentView:
    """Attach ``data`` to the dossier's ``slot`` (a required document's code or a step id).

    Checked in a read transaction, the bytes stored with no transaction open (a disk's
    flush or a bucket's round trip never holds SQLite's writer lock), then checked again
    and recorded in the write transaction, with its event."""
    store = _store(office)
    limits = office.file_limits
    slot = slot.strip()
    with office.db.unit_of_work(readonly=True) as uow:
        target = _target(office, uow, user, code, slot)
        kind = file_kind(data, limits)
        _fits(uow, limits, target.dossier, len(data))
    name = clean_filename(filename, kind)
    sha256 = store.put(data)
    now = office.now()
    with office.db.unit_of_work() as uow:
        # The same checks again: the step may have been completed meanwhile.
        target = _target(office, uow, user, code, slot)
        _fits(uow, limits, target.dossier, len(data))
        dossier, item = target.dossier, target.item
        event = uow.audit.append(
            dossier_chain(dossier.id), "file_attached", user.username, now,
            {"slot": slot, "filename": name, "kind": kind.value, "size": len(data),
             "sha256": sha256}, dossier.id, item.id if item else None)
        attachment_id = uow.attachments.add(
            dossier_id=dossier.id, slot=slot, work_item_id=item.id if item else None,
            filename=name, kind=kind.value, size=len(data), sha256=sha256,
            attached_by=user.username, attached_at=now, event_seq=event.seq)
        full = uow.lookups.full_names([user.username]).get(user.username, user.username)
        uow.commit()
    return AttachmentView(attachment_id, slot, target.slot_name, name, kind.value,
                          kind.content_type, len(data), sha256, user.username, full,
                          office.calendar.local_time(now))


def attachments(office: Office, user: User, code: str) -> AttachmentsView:
    """The dossier's files, oldest first, and the slots this user may attach to now."""
    with office.db.unit_of_work(readonly=True) as uow:
        dossier = _dossier(uow, code)
        items = require_dossier_reader(office, uow, user, dossier)
        found = uow.attachments.for_dossier(dossier.id)
        names = _documents(office, uow, dossier) | _step_names(office, uow, dossier)
        people = uow.lookups.full_names({a.attached_by for a in found})
        slots = _slots(office, uow, user, dossier, items)
    # A scan sent with an online filing is the applicant's: their name, not a login.
    people.setdefault(APPLICANT, str(dossier.applicant.get("name") or APPLICANT))
    files = [AttachmentView(a.id, a.slot, names.get(a.slot, a.slot), a.filename, a.kind,
                            FileKind(a.kind).content_type, a.size, a.sha256, a.attached_by,
                            people.get(a.attached_by, a.attached_by),
                            office.calendar.local_time(a.attached_at)) for a in found]
    return AttachmentsView(dossier.code, files, slots, office.file_limits.per_file,
                           office.file_limits.per_dossier, sum(a.size for a in found))


def download(office: Office, user: User, code: str, attachment_id: int) -> Download:
    """One file's bytes, with the type its bytes were found to be."""
    store = _store(office)
    with office.db.unit_of_work(readonly=True) as uow:
        dossier = _dossier(uow, code)
        require_dossier_reader(office, uow, user, dossier)
        found = uow.attachments.get(dossier.id, attachment_id)
    if found is None:
        raise NotFound(msg("scan_error_no_file", number=attachment_id, code=dossier.code))
    try:
        data = store.read(found.sha256)
    except FileNotFoundError as exc:
        raise NotFound(msg("scan_error_file_gone", filename=found.filename)) from exc
    if digest(data) != found.sha256:  # swapped in the store: never hand out other bytes
        raise NotFound(msg("scan_error_file_gone", filename=found.filename))
    return Download(found.filename, FileKind(found.kind).content_type, data)
