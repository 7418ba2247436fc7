"""Online filing (nộp hồ sơ trực tuyến) without an account.

- **catalogue**: the desks one may file at (Decree 118/2025/NĐ-CP: any desk in the
  province, whatever one's residence) and every procedure with what the applicant must know
  first: its documents, its fee's legal source, its deadline and the level that resolves it.
- **filing_form**: one procedure's start form (the desk's), for the chosen desk, with the
  unit the routing sends it to.
- **review**: every check of a filing, then the scans stored, the fee and the due date
  worked out, nothing recorded: what the applicant confirms before sending.
- **file_online**: the dossier received as ``dossiers.submit`` receives it (channel
  ``online``), with one scan per document, in one transaction.

Every check (procedure, unit, form and its numbers, the applicant, each file's kind and
size, the dossier's total, the quotas) is made before anything is written. The file store
is content-addressed and written before the transaction (no database lock is held while a
disk flushes): a filing that fails after it leaves at most bytes no row names, never a
dossier without its scans or a scan without its dossier.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from engine.audit.chain import dossier_chain
from engine.definitions.documents import RequiredDocument
from engine.definitions.vocabulary import ProcedureMeta
from engine.errors import AlreadyDone, InvalidInput, MotcuaError, NotFound, NotReady, TooLarge
from engine.files import FileKind, FileStore, digest
from engine.i18n import msg
from engine.runtime.clock import clock_scope
from engine.service import dossiers
from engine.service.attachments import APPLICANT, clean_filename, file_kind, size_text
from engine.service.dossiers import Receipt
from engine.service.office import Office
from engine.service.procedures import loaded_version
from engine.service.routing import route
from engine.store import UnitOfWork

CHANNEL = "online"
ACTOR = APPLICANT
REVIEW_SECONDS = 30 * 60  # how long a review may be sent


@dataclass(frozen=True)
class DeskUnit:
    agency_code: str
    name: str


@dataclass(frozen=True)
class DocumentView:
    code: str
    name: str
    form: str  # original | copy | original_or_copy
    count: int
    required: bool
    confirmed: bool


@dataclass(frozen=True)
class OnlineProcedure:
    key: str
    name: str
    code: str | None
    field: str | None
    level: str | None  # the level whose unit resolves it (commune, province)
    deadline: float | None
    deadline_unit: str | None  # working_days | days | same_day
    legal_source: str | None  # where the deadline and the fee are set
    documents: list[DocumentView]


@dataclass(frozen=True)
class Catalogue:
    units: list[DeskUnit]
    default_unit: str | None
    procedures: list[OnlineProcedure]
    max_file_bytes: int
    max_dossier_bytes: int


@dataclass(frozen=True)
class FilingForm:
    procedure: OnlineProcedure
    start_form: dict[str, Any] | None
    receiving: DeskUnit
    resolving: DeskUnit
    units: list[DeskUnit]
    max_file_bytes: int
    max_dossier_bytes: int


@dataclass(frozen=True)
class Scan:
    """A file sent for one of the procedure's documents (its code)."""

    slot: str
    filename: str
    data: bytes


@dataclass(frozen=True)
class HeldScan:
    """A scan stored for a review, named by its bytes' sha256."""

    slot: str
    document: str
    filename: str
    kind: str
    size: int
    sha256: str


@dataclass(frozen=True)
class Review:
    procedure: OnlineProcedure
    receiving: DeskUnit
    resolving: DeskUnit
    applicant: dict[str, Any]
    data: dict[str, Any]
    fee: int
    counted_from: datetime  # office local time
    due_at: datetime | None  # office local time, if filed now
    scans: list[HeldScan]


def _today(office: Office) -> date:
    return office.now().astimezone(office.calendar.tz).date()


def _procedure(meta: ProcedureMeta) -> OnlineProcedure:
    return OnlineProcedure(
        meta.key, meta.name, meta.code, meta.field, meta.level, meta.deadline,
        meta.deadline_unit, meta.properties.get("legal_source"),
        [DocumentView(d.code, d.name, d.form, d.count, d.required, d.confirmed)
         for d in meta.documents])


def _desks(office: Office, uow: UnitOfWork) -> list[DeskUnit]:
    """The units with an open one-stop desk that exist today, by name."""
    tree, day = office.units(uow), _today(office)
    codes = uow.org.units_with(office.reception_department)
    found = [DeskUnit(code, tree.name(code) or code) for code in codes
             if not tree or tree.unit(code, day) is not None]
    return sorted(found, key=lambda u: (u.name, u.agency_code))


def _unit(office: Office, uow: UnitOfWork, code: str) -> DeskUnit:
    return DeskUnit(code, office.units(uow).name(code) or code)


def _meta(office: Office, uow: UnitOfWork, key: str) -> ProcedureMeta:
    latest = uow.catalog.latest_id(key)
    if latest is None:
        raise NotFound(msg("err_procedure_deployed_2", procedure_key=key))
    return loaded_version(office, uow, latest[0]).meta


def catalogue(office: Office) -> Catalogue:
    """Where and what one may file online."""
    with office.db.unit_of_work(readonly=True) as uow:
        units = _desks(office, uow)
        procedures = [_procedure(_meta(office, uow, str(row["key"])))
                      for row in uow.catalog.summaries()]
    default = office.agency_code if any(u.agency_code == office.agency_code for u in units) \
        else (units[0].agency_code if units else None)
    return Catalogue(units, default, sorted(procedures, key=lambda p: p.name),
                     office.file_limits.per_file, office.file_limits.per_dossier)


def filing_form(office: Office, key: str, unit: str | None) -> FilingForm:
    """The start form of ``key`` to file at the desk of ``unit`` (agency code; the office's
    own when None). An unknown procedure is 404, a unit one may not file at 422."""
    with office.db.unit_of_work(readonly=True) as uow:
        latest = uow.catalog.latest_id(key)
        if latest is None:
            raise NotFound(msg("err_procedure_deployed_2", procedure_key=key))
        loaded = loaded_version(office, uow, latest[0])
        way = route(office, uow, loaded.meta, None, _today(office), unit or None, None)
        return FilingForm(_procedure(loaded.meta), loaded.form(loaded.meta.start_form),
                          _unit(office, uow, way.receiving), _unit(office, uow, way.resolving),
                          _desks(office, uow), office.file_limits.per_file,
                          office.file_limits.per_dossier)


def _refused(exc: MotcuaError, document: str) -> MotcuaError:
    """A file's problem, naming the document it was sent for."""
    why = exc.message or exc.detail
    text = msg("online_error_scan", document=document, why=why)
    return TooLarge(text) if isinstance(exc, TooLarge) else InvalidInput(text)


def _scans_checked(office: Office, documents: tuple[RequiredDocument, ...],
                   scans: list[Scan]) -> list[FileKind]:
    """Each scan's kind, once every scan is for a document of the procedure (one each),
    every required document has one, and each file and their total are within the limits."""
    named = {d.code: d.name for d in documents}
    limits = office.file_limits
    kinds: list[FileKind] = []
    seen: set[str] = set()
    for scan in scans:
        if scan.slot not in named:
            raise InvalidInput(msg("online_error_unknown_document", slot=scan.slot[:100]))
        if scan.slot in seen:
            raise InvalidInput(msg("online_error_two_scans", document=named[scan.slot]))
        seen.add(scan.slot)
        try:
            kinds.append(file_kind(scan.data, limits))
        except (InvalidInput, TooLarge) as exc:
            raise _refused(exc, named[scan.slot]) from None
    for document in documents:
        if document.required and document.code not in seen:
            raise InvalidInput(msg("online_error_missing_document", document=document.name))
    if not limits.dossier_fits(0, sum(len(s.data) for s in scans)):
        raise TooLarge(msg("scan_error_dossier_too_large", limit=size_text(limits.per_dossier)))
    return kinds


def _store(office: Office, scans: list[Scan]) -> FileStore | None:
    if office.files is None and scans:
        raise NotReady(msg("scan_error_no_store"))
    return office.files


def review(office: Office, key: str, applicant: dict[str, Any], form: dict[str, Any],
           scans: list[Scan], receiving_unit: str | None, address: str | None) -> Review:
    """Check a filing as ``file_online`` will, store its scans (counted against the
    ``address``'s scan quota) and tell the fee and the due date if filed now. Records no
    dossier: the applicant sends it (``file_online``) after reading this."""
    store = _store(office, scans)
    applicant = dossiers.admit(office, applicant, CHANNEL, form, None)
    with office.db.unit_of_work(readonly=True) as uow, clock_scope(office.clock):
        checked = dossiers.check(office, uow, key, form, None, receiving_unit, None)
        kinds = _scans_checked(office, checked.loaded.meta.documents, scans)
        receiving = _unit(office, uow, checked.route.receiving)
        resolving = _unit(office, uow, checked.route.resolving)
        now = office.now()
        _, fee, counted_from, due = dossiers.started(office, checked.loaded, checked.data,
                                                     CHANNEL, now)
    if scans:
        office.throttle.scans(address)
    named = {d.code: d.name for d in checked.loaded.meta.documents}
    held = [HeldScan(s.slot, named[s.slot], clean_filename(s.filename, kind), kind.value,
                     len(s.data), store.put(s.data) if store else digest(s.data))
            for s, kind in zip(scans, kinds, strict=True)]
    local = office.calendar.local_time
    return Review(_procedure(checked.loaded.meta), receiving, resolving, applicant,
                  checked.data, fee, local(counted_from), local(due) if due else None, held)


def held_scans(office: Office, held: list[tuple[str, str, str]]) -> list[Scan]:
    """The scans a review stored, from (document code, file name, sha256): their bytes read
    back and checked against the sha256, so ``file_online`` checks them all again."""
    store = office.files
    found: list[Scan] = []
    for slot, filename, sha256 in held:
        try:
            data = store.read(sha256) if store is not None else b""
        except (FileNotFoundError, ValueError):
            data = b""
        if not data or digest(data) != sha256:
            raise InvalidInput(msg("online_error_scan_gone", filename=filename))
        found.append(Scan(slot, filename, data))
    return found


def file_online(office: Office, key: str, applicant: dict[str, Any], form: dict[str, Any],
                scans: list[Scan], address: str | None, receiving_unit: str | None = None,
                resolving_unit: str | None = None, review_id: str | None = None) -> Receipt:
    """Receive an online filing with its scans. Answers the receipt (its secret shown this
    once); the desk then checks the dossier as it checks one filed in person.

    ``review_id`` names the review the filing was confirmed from: a review files once
    (within ``REVIEW_SECONDS``), however often it is sent."""
    store = _store(office, scans)
    applicant = dossiers.admit(office, applicant, CHANNEL, form, None)
    office.throttle.filing(address)
    with office.db.unit_of_work(readonly=True) as uow, clock_scope(office.clock):
        checked = dossiers.check(office, uow, key, form, None, receiving_unit, resolving_unit)
        _scans_checked(office, checked.loaded.meta.documents, scans)
    if review_id is not None and not office.throttle.first_use("review", review_id,
                                                               REVIEW_SECONDS):
        raise AlreadyDone(msg("online_review_sent"))
    # Content-addressed: bytes written here and not named below are only unreferenced.
    digests = [store.put(s.data) for s in scans] if store is not None else []
    with office.db.unit_of_work() as uow, clock_scope(office.clock):
        received = dossiers.receive(office, uow, key, applicant, CHANNEL, form, None,
                                    receiving_unit, resolving_unit)
        # The version received may be newer than the one checked: its documents decide.
        documents = received.loaded.meta.documents
        kinds = _scans_checked(office, documents, scans)
        dossier, now = received.dossier, received.receipt.received_at
        for scan, kind, sha256 in zip(scans, kinds, digests, strict=True):
            name = clean_filename(scan.filename, kind)
            event = uow.audit.append(
                dossier_chain(dossier.id), "file_attached", ACTOR, now,
                {"slot": scan.slot, "filename": name, "kind": kind.value,
                 "size": len(scan.data), "sha256": sha256}, dossier.id, None)
            uow.attachments.add(
                dossier_id=dossier.id, slot=scan.slot, work_item_id=None, filename=name,
                kind=kind.value, size=len(scan.data), sha256=sha256, attached_by=ACTOR,
                attached_at=now, event_seq=event.seq)
        uow.commit()
    return received.kept(office)
