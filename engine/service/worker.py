"""One round of the timer worker: drain the due timers, flag dossiers at risk, send the due
messages to applicants, count the open incidents. The ``motcua worker`` command repeats it
and decides how long to wait."""

from __future__ import annotations

from dataclasses import dataclass, field

from engine.errors import NotReady
from engine.model import Incident
from engine.service.apologies import flag_at_risk
from engine.service.incident_log import IncidentNote
from engine.service.incidents import open_incident_count
from engine.service.office import Office
from engine.service.sending import SendRound, send_due
from engine.service.snapshots import snapshot_idle
from engine.service.supplement_limits import return_late_supplements
from engine.service.timers import run_due_timers

MAX_BATCHES = 100  # drain a backlog, but never spin on a dossier that will not move


@dataclass
class WorkerRound:
    moved: int = 0
    failed: list[IncidentNote] = field(default_factory=list)
    resolved: list[Incident] = field(default_factory=list)
    flagged: list[str] = field(default_factory=list)
    returned: list[str] = field(default_factory=list)  # past the applicant's time limit
    messages: SendRound = field(default_factory=SendRound)
    open_incidents: int = 0
    snapshots: int = 0  # idle dossiers whose logged steps were folded into a new snapshot
    database_error: str | None = None  # the database was away: wait and come back

    @property
    def busy(self) -> bool:
        return bool(self.moved or self.failed or self.resolved or self.flagged
                    or self.returned or self.messages.busy)


def worker_round(office: Office, batch: int = 50) -> WorkerRound:
    report = WorkerRound()
    try:
        for _ in range(MAX_BATCHES):
            done = run_due_timers(office, batch)
            report.moved += done.moved
            report.failed += done.failed
            report.resolved += done.resolved
            if not done.moved and not done.failed:
                break
        report.returned = return_late_supplements(office)
        report.flagged = flag_at_risk(office)
        report.messages = send_all_due(office)
        report.snapshots = snapshot_idle(office)
        report.open_incidents = open_incident_count(office)
    except NotReady as exc:
        report.database_error = _first_line(exc)
    return report


def send_all_due(office: Office, batch: int = 20) -> SendRound:
    """The messages due now, in batches until none is left (at most ``MAX_BATCHES``)."""
    total = SendRound()
    for _ in range(MAX_BATCHES):
        done = send_due(office, batch)
        total.sent += done.sent
        total.retried += done.retried
        total.failed += done.failed
        total.uncertain += done.uncertain
        if not done.busy:
            break
    return total


def _first_line(exc: Exception) -> str:
    text = str(getattr(exc, "orig", None) or exc).strip()
    return (text.splitlines() or [type(exc).__name__])[0][:300]
