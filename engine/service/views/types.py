"""The views the read use cases return (and the API publishes as its response schemas)."""

from __future__ import annotations

from dataclasses import dataclass, field
from dataclasses import field as dc_field  # a view below has a field called field
from datetime import date, datetime
from typing import Any


@dataclass(frozen=True)
class TaskView:
    id: int
    dossier_code: str
    procedure_key: str
    procedure_name: str | None
    step_id: str
    step_name: str
    department: str
    status: str
    handed_over_at: datetime
    handed_over_by: str | None
    claimed_at: datetime | None
    claimed_by: str | None
    completed_at: datetime | None
    completed_by: str | None
    allowance_hours: float | None
    due_at: datetime | None
    deadline_status: str | None  # pending: within | due_today | due_tomorrow | overdue;
    # completed: early | on_time | late
    unit: str = ""  # the agency code of the unit whose department holds the step
    # What people read: the department's name in that unit and the full names of the logins.
    department_name: str | None = None
    handed_over_by_name: str | None = None
    claimed_by_name: str | None = None
    completed_by_name: str | None = None


@dataclass(frozen=True)
class TaskPage:
    items: list[TaskView]
    total: int
    limit: int
    offset: int
    # "My work" only: the ready steps waiting for the user's signature (``tasks.signature_reach``).
    awaiting_signature: list[TaskView] = field(default_factory=list)


@dataclass(frozen=True)
class StepDone:
    step_id: str
    step_name: str
    department: str
    completed_at: datetime | None
    completed_by: str | None
    result: dict[str, Any] | None


@dataclass(frozen=True)
class DossierBrief:
    code: str
    procedure_key: str
    procedure_name: str | None
    status: str
    channel: str
    received_at: datetime
    due_at: datetime | None
    fee: int
    applicant: dict[str, Any]
    data: dict[str, Any]


@dataclass(frozen=True)
class TaskDetail:
    task: TaskView
    dossier: DossierBrief
    history: list[StepDone]
    form: dict[str, Any] | None  # the step's JSON Schema; None when it takes no data


@dataclass(frozen=True)
class DossierSummary:
    code: str
    procedure_key: str
    procedure_name: str | None
    status: str
    channel: str
    applicant_name: str | None
    received_at: datetime
    due_at: datetime | None
    resolved_at: datetime | None
    fee: int
    deadline_status: str | None  # finished: early | on_time | late; else as for tasks


@dataclass(frozen=True)
class DossierPage:
    items: list[DossierSummary]
    total: int
    limit: int
    offset: int


@dataclass(frozen=True)
class DossierDetail:
    code: str
    procedure_key: str
    procedure_name: str | None
    version: int | None
    status: str
    channel: str
    applicant: dict[str, Any]
    data: dict[str, Any]
    fee: int
    received_at: datetime
    received_by: str
    due_at: datetime | None  # the legal due date
    resolved_at: datetime | None
    appointment_at: datetime | None  # the new return date an apology promised
    at_risk_at: datetime | None  # when the due date was first seen to be at risk
    deadline_status: str | None
    steps: list[TaskView]


@dataclass(frozen=True)
class PublicStep:
    """A step done, as the applicant reads it: the step's name and when it was finished
    (never who did it, nor what the department wrote)."""

    name: str
    finished_at: datetime | None


@dataclass(frozen=True)
class PublicDossier:
    """What anyone holding the code may see: no personal data, no form data."""

    code: str
    procedure_name: str | None
    status: str
    received_at: datetime
    due_at: datetime | None
    resolved_at: datetime | None
    return_at: datetime | None  # the date the applicant is promised (after any apology)
    deadline_status: str | None
    steps_done: int
    current_steps: list[str]
    rated: bool
    # What the office waits for (engine.model.PublicStage): desk_check | awaiting_supplement |
    # processing | result_ready | finished.
    stage: str = "processing"
    appointment_at: datetime | None = None  # the new return date an apology promised
    steps: list[PublicStep] = field(default_factory=list)


@dataclass(frozen=True)
class LibraryFileView:
    """A deployed file with no procedure in it: what it provides to later procedures."""

    path: str
    version: int
    sha256: str
    provides: list[str]
    deployed_at: datetime
    deployed_by: str


@dataclass(frozen=True)
class ProcedureSummary:
    key: str
    name: str
    code: str | None
    field: str | None
    level: str | None
    latest_version: int
    updated_at: datetime
    # The version a dossier received today starts on (None: none in force yet; then the
    # name, code, field and level are the newest version's), and the next one to come.
    in_force_version: int | None = None
    next_change: UpcomingView | None = None


@dataclass(frozen=True)
class LaneView:
    id: str
    name: str
    department: str | None
    department_name: str | None


@dataclass(frozen=True)
class VersionView:
    version: int
    sha256: str
    deployed_at: datetime
    deployed_by: str
    effective_from: date | None = None  # new dossiers start on it from this local day
    until: date | None = None  # the day a later version takes over
    withdrawn_at: datetime | None = None
    dossiers: int = 0
    state: str = "in_force"  # in_force | upcoming | replaced | withdrawn
    deployed_by_name: str = ""  # the full name, where people read


@dataclass(frozen=True)
class ProcedureDetail:
    key: str
    name: str
    code: str | None
    field: str | None
    level: str | None
    deadline: float | None
    deadline_unit: str | None
    latest_version: int
    lanes: list[LaneView]
    steps: list[dict[str, Any]]
    versions: list[VersionView]
    start_form: dict[str, Any] | None  # what reception (or an online applicant) fills in
    # The version a dossier received today starts on (None: none is in force yet; the rest
    # of the detail is then the newest version's), and those taking over later.
    in_force_version: int | None = None
    upcoming: list[UpcomingView] = dc_field(default_factory=list)


@dataclass(frozen=True)
class UpcomingView:
    version: int
    effective_from: date
