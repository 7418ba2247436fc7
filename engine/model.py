"""Plain records the engine passes around; the store builds them from rows."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import Any

ROLES = ("admin", "designer", "staff", "leader", "auditor")
# Roles held for the whole installation (users.roles); the others are held in a unit, or in
# one of its departments, through a membership.
SYSTEM_ROLES = ("admin", "designer")
UNIT_ROLES = ("staff", "leader", "auditor")


# The office's vocabulary. Each is a StrEnum, so a member equals its word: rows, JSON and
# templates keep the words, and code names the member instead of spelling the word again.

class Channel(StrEnum):
    """How a dossier came in."""

    ONLINE = "online"
    DIRECT = "direct"
    POST = "post"


CHANNELS = tuple(Channel)


class ItemStatus(StrEnum):
    """A work item (one person's step of a dossier)."""

    OPEN = "open"
    CLAIMED = "claimed"
    COMPLETED = "completed"
    CANCELLED = "cancelled"


# Items still to be done: the queues show them.
ACTIVE_ITEM_STATUSES = (ItemStatus.OPEN, ItemStatus.CLAIMED)
DONE_ITEM_STATUSES = (ItemStatus.COMPLETED, ItemStatus.CANCELLED)


class Outcome(StrEnum):
    """The end event a dossier finished at says how it ended."""

    RESOLVED = "resolved"
    REFUSED = "refused"
    WITHDRAWN = "withdrawn"
    # Refused at the desk before it was accepted for resolution (Phiếu từ chối tiếp nhận):
    # never received for resolution, so form 06 does not count it as received.
    NOT_ACCEPTED = "not_accepted"


class DossierStatus(StrEnum):
    """A dossier: being handled, waiting for the applicant, or finished with its outcome."""

    PROCESSING = "processing"
    AWAITING_SUPPLEMENT = "awaiting_supplement"
    RESOLVED = "resolved"
    REFUSED = "refused"
    WITHDRAWN = "withdrawn"
    NOT_ACCEPTED = "not_accepted"


class PublicStage(StrEnum):
    """What the office waits for, as the public status page says it."""

    DESK_CHECK = "desk_check"  # filed, the desk has not accepted it yet
    AWAITING_SUPPLEMENT = "awaiting_supplement"  # waiting for the applicant's supplement
    PROCESSING = "processing"  # accepted, being handled by the departments
    RESULT_READY = "result_ready"  # back at the desk after the departments: come and collect
    FINISHED = "finished"  # returned, refused or withdrawn: the status says which


OPEN_DOSSIER_STATUSES = (DossierStatus.PROCESSING, DossierStatus.AWAITING_SUPPLEMENT)
FINISHED_DOSSIER_STATUSES = (DossierStatus.RESOLVED, DossierStatus.REFUSED, DossierStatus.WITHDRAWN,
                             DossierStatus.NOT_ACCEPTED)


def finished_status(outcome: Outcome | str | None) -> DossierStatus:
    """The status of a dossier that ended at an end event of this outcome."""
    try:
        return DossierStatus(Outcome(outcome or Outcome.RESOLVED).value)
    except ValueError:
        return DossierStatus.RESOLVED


class Timeliness(StrEnum):
    """A finished step or dossier against its due moment."""

    EARLY = "early"
    ON_TIME = "on_time"
    LATE = "late"


class DeadlineState(StrEnum):
    """A step or dossier still open, against its due moment."""

    WITHIN = "within"
    OVERDUE = "overdue"


class IncidentStatus(StrEnum):
    OPEN = "open"
    RESOLVED = "resolved"


class UnitLevel(StrEnum):
    """An administrative unit's tier. Districts exist only in the history before 1 July 2025,
    when local government became two tiers (province, commune)."""

    PROVINCE = "province"
    DISTRICT = "district"
    COMMUNE = "commune"


# Higher tiers first: a unit's parent has a lower rank than the unit.
UNIT_LEVEL_RANK = {UnitLevel.PROVINCE: 0, UnitLevel.DISTRICT: 1, UnitLevel.COMMUNE: 2}


@dataclass(frozen=True)
class AdministrativeUnit:
    """One version of an administrative unit: a code may have several versions, one after
    another in time (a reused code, a renamed unit), never two at once."""

    code: str  # the national administrative-unit code (2 digits province, 3 district, 5 commune)
    agency_code: str  # the agency code that starts its dossier codes (Circular 01/2018)
    name: str
    level: UnitLevel
    parent: str | None  # the parent's code; None for a province
    valid_from: date
    valid_to: date | None  # the last day it existed; None while it still does
    successors: tuple[str, ...] = ()  # the codes of the units it went into when it ended
    confirmed: bool = True  # False: a figure not yet checked against the legal text
    source: str = ""

    def valid_on(self, day: date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)


@dataclass(frozen=True)
class Department:
    """A department of one unit; the code is the lane name procedures use, so the same code
    exists in every unit that has such a department."""

    code: str
    name: str
    agency_code: str  # its unit's
    active: bool = True


@dataclass(frozen=True)
class ProcedureSwitchOff:
    """A unit does not take (or resolve) this procedure since ``since``."""

    unit: str
    procedure_key: str
    since: datetime
    by: str
    reason: str


@dataclass(frozen=True)
class Membership:
    """A person's place in a unit: in one of its departments, or in the unit as a whole
    (``department`` None: an auditor of the unit, a leader over all its departments), with
    the roles they hold there."""

    unit: str  # the unit's agency code (the unit version the person works for)
    department: str | None
    roles: frozenset[str]

    def covers(self, unit: str, department: str | None) -> bool:
        return self.unit == unit and (self.department is None or self.department == department)


@dataclass(frozen=True)
class Reach:
    """Where someone may look or act: some departments of some units, every department of
    some units, or (``everywhere``) the whole installation."""

    places: frozenset[tuple[str, str]] = frozenset()  # (unit, department) pairs
    units: frozenset[str] = frozenset()  # every department of these units
    everywhere: bool = False

    def covers(self, unit: str, department: str) -> bool:
        return self.everywhere or unit in self.units or (unit, department) in self.places

    @property
    def empty(self) -> bool:
        return not (self.everywhere or self.units or self.places)


EVERYWHERE = Reach(everywhere=True)


@dataclass(frozen=True)
class User:
    id: int
    username: str
    full_name: str
    # Every role the user holds somewhere: the system roles and those of their memberships
    # (what a menu asks); where a role applies is the memberships' business.
    roles: frozenset[str]
    memberships: tuple[Membership, ...] = ()
    active: bool = True
    # Raised by signing out: a token issued under an earlier generation is no longer valid.
    token_generation: int = 0

    def has_role(self, *roles: str) -> bool:
        return bool(self.roles.intersection(roles))

    @property
    def name_shown(self) -> str:
        """How people read this user: the full name (the login only if there is none)."""
        return self.full_name or self.username

    def serves(self, unit: str, department: str | None, *roles: str) -> bool:
        """Holds one of ``roles`` in that department of that unit (or in the whole unit)."""
        return any(m.covers(unit, department) and m.roles.intersection(roles)
                   for m in self.memberships)

    def places(self, *roles: str) -> frozenset[tuple[str, str]]:
        """The (unit, department) pairs where the user holds one of ``roles`` in a department
        of their own (unit-wide memberships are not expanded here)."""
        return frozenset((m.unit, m.department) for m in self.memberships
                         if m.department is not None and m.roles.intersection(roles))

    def units(self, *roles: str) -> frozenset[str]:
        """The units where the user holds one of ``roles``, in a department or unit-wide."""
        return frozenset(m.unit for m in self.memberships if m.roles.intersection(roles))

    def unit_wide(self, *roles: str) -> frozenset[str]:
        """The units where the user holds one of ``roles`` for the whole unit."""
        return frozenset(m.unit for m in self.memberships
                         if m.department is None and m.roles.intersection(roles))


@dataclass(frozen=True)
class ProcedureVersion:
    id: int
    key: str
    version: int
    sha256: str
    deployed_at: datetime
    deployed_by: str
    meta: dict[str, Any]
    files: dict[str, str]
    effective_from: date | None = None  # the local day new dossiers start on it
    withdrawn_at: datetime | None = None
    withdrawn_by: str | None = None


@dataclass(frozen=True)
class LibraryFileVersion:
    """A deployed file with no procedure in it (called processes, decision tables)."""

    id: int
    path: str
    version: int
    sha256: str
    files: dict[str, str]  # the file itself and the forms and tables its processes need
    provides: list[str]
    deployed_at: datetime
    deployed_by: str


@dataclass
class Dossier:
    id: int
    code: str
    agency_code: str
    procedure_key: str
    version_id: int
    channel: str
    status: str  # processing | awaiting_supplement | resolved | refused | withdrawn
    applicant: dict[str, Any]
    data: dict[str, Any]
    fee: int
    received_at: datetime
    received_by: str
    due_at: datetime | None
    resolved_at: datetime | None
    state: str | None
    state_rev: int
    next_timer_at: datetime | None
    appointment_at: datetime | None = None
    timeliness: str | None = None
    at_risk_at: datetime | None = None
    # What the dossier was when received (the version's metadata, the office's units): the
    # reports read these, never the procedure as it is deployed now.
    procedure_code: str | None = None
    procedure_name: str = ""
    field: str | None = None
    level: str | None = None
    receiving_unit: str = ""
    resolving_unit: str = ""
    # When the desk accepted it for resolution (form 06 counts it received from then): the
    # filing moment without a desk check; None while being checked, or refused at the desk.
    accepted_at: datetime | None = None
    # The chain seq the stored state includes, and the clerks' steps logged after it.
    state_seq: int | None = None
    state_tail: int = 0

    @property
    def return_at(self) -> datetime | None:
        """The date the applicant was last promised: an apology's new date, else the due date."""
        return self.appointment_at or self.due_at


@dataclass
class WorkItem:
    id: int
    dossier_id: int
    task_uuid: str
    step_id: str
    step_name: str
    department_code: str
    status: str  # open | claimed | completed | cancelled
    allowance_hours: float | None
    pauses_clock: bool
    form: str | None
    created_at: datetime
    handed_over_by: str | None
    due_at: datetime | None
    claimed_at: datetime | None = None
    claimed_by: str | None = None
    completed_at: datetime | None = None
    completed_by: str | None = None
    result: dict[str, Any] | None = None
    timeliness: str | None = None
    unit: str = ""  # the agency code of the unit whose department holds the step


@dataclass(frozen=True)
class Attachment:
    """A file attached to a dossier: a scan for one of its required documents, or a file of
    one of its steps (``slot`` is the document's code or the step's id). Its bytes are in the
    file store under ``sha256``; its ``file_attached`` event (``event_seq`` in the dossier's
    chain) records the same hash, so the chain vouches for the file."""

    id: int
    dossier_id: int
    slot: str
    work_item_id: int | None  # the step's work item, for a step's file
    filename: str
    kind: str  # engine.files.FileKind
    size: int
    sha256: str
    attached_by: str
    attached_at: datetime
    event_seq: int


@dataclass(frozen=True)
class AuditEvent:
    """One event, identified by its chain and its place in it; ``hash`` covers the previous
    event's hash, so the chain is read in seq order to check it."""

    chain: str
    seq: int
    dossier_id: int | None
    work_item_id: int | None
    kind: str
    actor: str | None
    at: datetime
    data: dict[str, Any] = field(default_factory=dict)
    hash: str = ""


@dataclass(frozen=True)
class DueDateChange:
    id: int
    dossier_id: int
    kind: str  # pause | apology
    at: datetime
    actor: str
    previous_due_at: datetime | None
    new_due_at: datetime
    reason: str
    paused_hours: float | None


@dataclass(frozen=True)
class Incident:
    """An automatic step of a dossier that failed outside any person's request (a timer's
    path, run by the worker), kept until a retry succeeds."""

    id: int
    dossier_id: int
    kind: str  # timer | step
    step_id: str | None
    step_name: str | None
    expression: str | None
    error: str
    status: str  # open | resolved
    tries: int
    first_at: datetime
    last_at: datetime
    next_try_at: datetime | None
    resolved_at: datetime | None = None
    resolved_by: str | None = None


@dataclass(frozen=True)
class SubmittedReport:
    """Form 06 as a unit sent it upward for a reporting period: kept as sent, whatever is
    corrected later."""

    id: int
    period_code: str  # e.g. 2026-Q3
    date_from: date
    date_to: date
    unit: str  # agency code
    consolidated: bool  # the unit and every unit below it
    document: dict[str, Any]  # the table as ``formats.to_json`` writes it
    submitted_by: str
    submitted_at: datetime
    event_seq: int  # its ``report_submitted`` event on the system audit chain

def typed_code(text: str) -> str:
    """A dossier code as a person typed it (any case, spaces from a printed receipt) in the
    form the office writes it: no spaces, capitals (codes hold digits, dots, hyphens and
    the unit's capital letters)."""
    return "".join(text.split()).upper()



# Messages to applicants (engine.service.notifications).

class NotifyChannel(StrEnum):
    EMAIL = "email"
    SMS = "sms"


class OutboxStatus(StrEnum):
    """A message's way out: queued (due at ``next_attempt_at``), leased by a worker, being
    handed to the provider, sent; failed after its last attempt or refused for good;
    uncertain when a worker died while handing it over (docs/operations.md)."""

    QUEUED = "queued"
    LEASED = "leased"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"
    UNCERTAIN = "uncertain"


@dataclass(frozen=True)
class OutboxMessage:
    id: int
    dossier_id: int
    kind: str
    channel: str
    recipient: str
    subject: str
    body: str
    status: str
    attempts: int
    next_attempt_at: datetime
    created_at: datetime
    lease_until: datetime | None = None
    sent_at: datetime | None = None
    last_error: str | None = None
    provider_ref: str | None = None
