"""``motcua worker``: rounds of the timer worker, what each did, and the waits between them.

A dossier that fails never stops the worker: it has an incident and is tried again with
backoff. The database being away does not stop it either: it waits longer each time
(1 s doubling to a minute) and comes back. Output: one line per incident opened, tried
again or resolved, and a summary line for each round that did something or changed the
number of open incidents (every round with --once).
"""

from __future__ import annotations

import logging
import time

import typer

from engine.cli_lang import say
from engine.service.backoff import Backoff
from engine.service.incident_log import IncidentNote
from engine.service.office import Office
from engine.service.sending import SendRound
from engine.service.worker import WorkerRound, worker_round

log = logging.getLogger("motcua.worker")
DATABASE_WAIT = Backoff(first_seconds=1.0, max_seconds=60.0)


def run_worker(office: Office, interval: float, once: bool) -> None:
    away = 0  # rounds in a row the database was away (or the round broke)
    last_open: int | None = None
    while True:
        try:
            report = worker_round(office)
        except Exception as exc:  # a bug, not a dossier's: said, never fatal
            log.exception("worker round failed")
            report = WorkerRound(database_error=f"{type(exc).__name__}: {exc}")
        if report.database_error is not None:
            if once:
                typer.echo(say("cli_worker_unfinished", error=report.database_error), err=True)
                raise typer.Exit(1)
            away += 1
            wait = DATABASE_WAIT.seconds(away)
            typer.echo(say("cli_worker_retry", error=report.database_error, wait=float(wait)),
                       err=True)
            time.sleep(wait)
            continue
        away = 0
        for note in report.failed:
            typer.echo(_failure_line(office, note))
        for incident in report.resolved:
            typer.echo(say("cli_incident_resolved", id=incident.id))
        if report.messages.busy:
            typer.echo(messages_line(report.messages))
        for code in report.returned:
            typer.echo(say("sup_cli_returned", code=code))
        if report.snapshots:
            typer.echo(say("state_cli_worker_snapshots", count=report.snapshots))
        if once or report.busy or report.open_incidents != last_open:
            typer.echo(_summary(report))
        last_open = report.open_incidents
        if once:
            return
        time.sleep(interval)


def messages_line(done: SendRound) -> str:
    return say("cli_notify_round", sent=done.sent, retried=done.retried,
               failed=len(done.failed), uncertain=len(done.uncertain))


def _failure_line(office: Office, note: IncidentNote) -> str:
    incident = note.incident
    when = office.calendar.local_time(incident.next_try_at) if incident.next_try_at else None
    next_try = say("cli_next_try", at=f"{when:%Y-%m-%d %H:%M:%S}") if when else ""
    what = say("cli_incident_opened") if note.opened else say("cli_incident_failed_again",
                                                              tries=incident.tries)
    return say("cli_incident_line", id=incident.id, what=what, code=note.dossier_code,
               error=incident.error, next_try=next_try)


def _summary(report: WorkerRound) -> str:
    count = report.open_incidents
    return say("cli_worker_summary_one" if report.moved == 1 else "cli_worker_summary",
               moved=report.moved, flagged=len(report.flagged)) + (
        say("cli_incident_open_one") if count == 1 else say("cli_incidents_open", count=count))
