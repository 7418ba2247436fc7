"""The wiring every use case receives: storage, clock, calendar and the caches."""

from __future__ import annotations

import time
from dataclasses import dataclass, field, replace
from datetime import datetime

from engine.calendar import WorkingCalendar
from engine.documents.render import Letterhead
from engine.files import FileLimits, FileStore
from engine.notify import NotifyConfig
from engine.runtime.clock import Clock, SystemClock
from engine.runtime.procedures import ProcedureCache
from engine.runtime.scripting import office_script_engine
from engine.runtime.workflows import WorkflowCache
from engine.sandbox import SandboxScriptEngine
from engine.service.backoff import Backoff
from engine.service.throttle import Throttle
from engine.store import Database, UnitOfWork
from engine.units.tree import UnitTree

# How long a process trusts the units it read: an import in another process shows within it.
UNITS_TTL_S = 60.0


@dataclass
class Office:
    db: Database
    # The deployment's home unit (its agency code): where an online filing goes when the
    # applicant names no unit, and the unit of an installation that has imported none.
    agency_code: str
    reception_department: str = "MOT_CUA"
    clock: Clock = field(default_factory=SystemClock)
    calendar: WorkingCalendar = field(default_factory=WorkingCalendar.default)
    procedures: ProcedureCache = field(default_factory=ProcedureCache)
    workflows: WorkflowCache = field(default_factory=WorkflowCache)
    # The sandbox expressions run in, with the office calendar's helpers (built from the
    # calendar when not given).
    scripts: SandboxScriptEngine | None = None
    # How long a dossier whose timer path failed waits before the worker tries it again.
    incident_backoff: Backoff = field(default_factory=Backoff)
    throttle: Throttle = field(default_factory=Throttle)
    # How form 06 tells early from on time: "day" or "moment" (docs/auditing.md).
    early_rule: str = "day"
    # Where attachments' bytes are kept (None: this office takes no attachments) and how
    # large they may be.
    files: FileStore | None = None
    file_limits: FileLimits = field(default_factory=FileLimits)
    # Messages to applicants: the lookup address, the senders, the retries.
    notify: NotifyConfig = field(default_factory=NotifyConfig)
    _units: tuple[float, UnitTree] | None = field(default=None, repr=False)

    def units(self, uow: UnitOfWork) -> UnitTree:
        """The administrative units, read again after ``UNITS_TTL_S`` or an import here."""
        cached = self._units
        if cached is None or time.monotonic() - cached[0] > UNITS_TTL_S:
            cached = self._units = (time.monotonic(), UnitTree(uow.units.all()))
        return cached[1]

    def forget_units(self) -> None:
        self._units = None

    def __post_init__(self) -> None:
        if self.scripts is None:
            self.scripts = office_script_engine(self.calendar)

    def now(self) -> datetime:
        return self.clock.now()


def in_office_zone(office: Office, head: Letterhead) -> Letterhead:
    """The letterhead a door made, with the office's time zone to print times in."""
    return replace(head, tz=office.calendar.tz)
