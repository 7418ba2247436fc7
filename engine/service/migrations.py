"""Moving running dossiers of a procedure to a newer version (designers, the operator).

A dry run reads and says, for every running dossier on an older version, whether it can move
and why not. A real run moves each dossier in its own transaction: the workflow state (by
compare-and-set on its revision), its work items and its audit events together. A step
completed meanwhile makes the dossier's write fail; it is then read and judged again once,
and reported skipped if it changes again, never moved twice nor half moved.

The statutory due date stays (it counts from receipt) unless the caller says the new
version's deadline applies; that change is kept in the dossier's due-date history.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from engine.errors import InvalidInput, NotFound, StaleState
from engine.i18n import Message, msg
from engine.model import ACTIVE_ITEM_STATUSES, Dossier, ItemStatus, User, typed_code
from engine.runtime import migration, workflows
from engine.runtime.clock import clock_scope
from engine.runtime.procedures import LoadedProcedure
from engine.service.due_dates import counting_start
from engine.service.office import Office
from engine.service.permissions import require_role
from engine.service.procedures import loaded_version
from engine.service.progress import Pending, sync
from engine.service.restore import restore
from engine.service.versions import today
from engine.store import UnitOfWork

OPERATOR = "cli"
ATTEMPTS = 2  # a dossier that changed under the move is judged again once

# What happened to one dossier.
PLANNED = "can_move"  # dry run: it would move
BLOCKED = "blocked"  # it cannot move (reasons say why)
MOVED = "moved"
SKIPPED = "skipped"  # it changed under the move twice, or finished meanwhile


@dataclass(frozen=True)
class Reason:
    code: str  # migration.STEP_GONE, …
    step: str | None
    message: Message


@dataclass(frozen=True)
class DossierMove:
    dossier_id: int
    code: str
    from_version: int
    outcome: str
    state_rev: int  # the revision judged (a later run with this plan notices a change)
    reasons: list[Reason] = field(default_factory=list)
    mapping: dict[str, str] = field(default_factory=dict)
    retried: bool = False

    @property
    def can_move(self) -> bool:
        return self.outcome in (PLANNED, MOVED)


@dataclass(frozen=True)
class MigrationReport:
    procedure: str
    to_version: int
    dry_run: bool
    apply_new_deadline: bool
    dossiers: list[DossierMove]

    def count(self, outcome: str) -> int:
        return sum(1 for d in self.dossiers if d.outcome == outcome)


def migrate(office: Office, user: User | None, procedure: str, to_version: int, *,
            dry_run: bool = True, codes: list[str] | None = None,
            apply_new_deadline: bool = False,
            plan: MigrationReport | None = None, operator: str = OPERATOR) -> MigrationReport:
    """Move (or, with ``dry_run``, judge) the running dossiers of ``procedure`` on versions
    older than ``to_version``; ``codes`` narrows them to those dossiers (each must be one of
    them). ``user`` None is the operator at the server's shell, recorded as ``operator``.
    ``plan``: an earlier dry run; a dossier whose revision changed since is judged again and
    reported ``retried``."""
    if user is not None:
        require_role(user, "designer")
    actor = user.username if user is not None else operator
    with office.db.unit_of_work(readonly=True) as uow:
        target = _target(office, uow, procedure, to_version)
        candidates = _candidates(office, uow, procedure, target, codes)
        if dry_run:
            with clock_scope(office.clock):
                judged = [_judge(office, uow, dossier_id, target)
                          for dossier_id, _code, _version in candidates]
            return MigrationReport(procedure, to_version, True, apply_new_deadline, judged)
    seen = {d.dossier_id: d.state_rev for d in plan.dossiers} if plan is not None else {}
    moves = [_move(office, dossier_id, target, actor, apply_new_deadline, seen.get(dossier_id))
             for dossier_id, _code, _version in candidates]
    return MigrationReport(procedure, to_version, False, apply_new_deadline, moves)


def _target(office: Office, uow: UnitOfWork, procedure: str, number: int) -> LoadedProcedure:
    if uow.catalog.latest_id(procedure) is None:
        raise NotFound(msg("err_procedure_deployed", procedure=procedure))
    version = uow.catalog.version(procedure, number)
    if version is None:
        raise NotFound(msg("migrate_no_such_version", procedure=procedure, version=number))
    if version.withdrawn_at is not None:
        raise InvalidInput(msg("migrate_version_withdrawn", procedure=procedure, version=number))
    if version.effective_from is not None and version.effective_from > today(office):
        # Its rules do not apply yet: dossiers move once the version is in force.
        raise InvalidInput(msg("migrate_not_in_force_yet", procedure=procedure, version=number,
                               day=f"{version.effective_from:%d/%m/%Y}"))
    return loaded_version(office, uow, version.id)


def _candidates(office: Office, uow: UnitOfWork, procedure: str, target: LoadedProcedure,
                codes: list[str] | None) -> list[tuple[int, str, int]]:
    """(id, code, version number) of the dossiers to move, oldest first. Named dossiers
    must be running dossiers of the procedure on an older version: anything else is refused
    before anything moves."""
    number = target.version.version
    running = [(i, c, loaded_version(office, uow, v).version.version)
               for i, c, v, _rev in uow.dossiers.running(procedure)]
    if not codes:
        older = [r for r in running if r[2] < number]
        if not older and any(r[2] > number for r in running):
            raise InvalidInput(msg("migrate_older_version", procedure=procedure,
                                   version=number))
        return older
    by_code = {c: (i, c, v) for i, c, v in running}
    wanted: list[tuple[int, str, int]] = []
    for text in codes:
        code = typed_code(text)
        found = by_code.get(code)
        if found is None:
            raise NotFound(msg("migrate_not_running", code=code, procedure=procedure))
        if found[2] > number:
            raise InvalidInput(msg("migrate_older_version_of", code=code, version=number,
                                   current=found[2]))
        if found[2] == number:
            raise InvalidInput(msg("migrate_already_on", code=code, version=number))
        if found not in wanted:
            wanted.append(found)
    return wanted


def _reasons(blockers: list[migration.Blocker]) -> list[Reason]:
    return [Reason(b.reason, b.step,
                   msg(f"migrate_reason_{b.reason}", step=b.step or "",
                       fields=", ".join(b.fields)))
            for b in blockers]


def _judge(office: Office, uow: UnitOfWork, dossier_id: int,
           target: LoadedProcedure) -> DossierMove:
    dossier = uow.dossiers.get(dossier_id)
    assert dossier is not None and dossier.state is not None  # listed running just now
    current = loaded_version(office, uow, dossier.version_id)
    workflow = restore(uow, dossier, current, office.scripts)
    moving = migration.plan(workflow, target, workflows.current_data(workflow))
    return DossierMove(dossier.id, dossier.code, current.version.version,
                       PLANNED if moving.can_move else BLOCKED, dossier.state_rev,
                       _reasons(moving.blockers), moving.mapping)


def _move(office: Office, dossier_id: int, target: LoadedProcedure, actor: str,
          apply_new_deadline: bool, seen_rev: int | None) -> DossierMove:
    retried = False
    last: DossierMove | None = None
    for _attempt in range(ATTEMPTS):
        try:
            with office.db.unit_of_work() as uow, clock_scope(office.clock):
                dossier = uow.dossiers.get(dossier_id)
                if dossier is None or dossier.state is None:  # finished meanwhile
                    return _skipped(last, dossier_id, dossier, retried or seen_rev is not None)
                if seen_rev is not None and dossier.state_rev != seen_rev:
                    retried = True
                last = _move_in(office, uow, dossier, target, actor, apply_new_deadline,
                                retried)
                if last.outcome == MOVED:
                    uow.commit()
                return last
        except StaleState:  # a step of this dossier was completed while it moved
            retried = True
            seen_rev = None
    return _skipped(last, dossier_id, None, True)


def _skipped(last: DossierMove | None, dossier_id: int, dossier: Dossier | None,
             retried: bool) -> DossierMove:
    code = dossier.code if dossier else (last.code if last else "")
    return DossierMove(dossier_id, code, last.from_version if last else 0, SKIPPED,
                       dossier.state_rev if dossier else (last.state_rev if last else 0),
                       [Reason("changed", None, msg("migrate_reason_changed"))],
                       retried=retried)


def _move_in(office: Office, uow: UnitOfWork, dossier: Dossier, target: LoadedProcedure,
             actor: str, apply_new_deadline: bool, retried: bool) -> DossierMove:
    """One dossier moved inside the caller's unit of work (not committed here)."""
    assert dossier.state is not None
    current = loaded_version(office, uow, dossier.version_id)
    version = uow.catalog.by_id(target.version.id)
    if version is None or version.withdrawn_at is not None:  # withdrawn since the run began
        return DossierMove(dossier.id, dossier.code, current.version.version, SKIPPED,
                           dossier.state_rev, [Reason("withdrawn", None, msg(
                               "migrate_reason_withdrawn", version=target.version.version))],
                           retried=retried)
    workflow = restore(uow, dossier, current, office.scripts)
    moving = migration.plan(workflow, target, workflows.current_data(workflow))
    if not moving.can_move:
        return DossierMove(dossier.id, dossier.code, current.version.version, BLOCKED,
                           dossier.state_rev, _reasons(moving.blockers), moving.mapping,
                           retried)
    migration.apply(moving, workflow, target)
    now = office.now()
    pending = Pending(dossier.id)
    values: dict[str, Any] = {"version_id": target.version.id}
    event: dict[str, Any] = {"from_version": current.version.version,
                             "to_version": target.version.version,
                             "mapping": moving.mapping,
                             "apply_new_deadline": apply_new_deadline}
    if apply_new_deadline:
        new_due = _new_due(office, uow, dossier, target)
        if new_due is not None and new_due != dossier.due_at:
            event.update(previous_due_at=dossier.due_at.isoformat() if dossier.due_at else None,
                         due_at=new_due.isoformat())
            uow.dossiers.add_due_change(
                dossier_id=dossier.id, kind="migration", at=now, actor=actor,
                previous_due_at=dossier.due_at, new_due_at=new_due, paused_hours=None,
                reason=f"v{current.version.version} → v{target.version.version}")
            values["due_at"] = new_due
    pending.add("dossier_migrated", actor, now, event)
    _align_items(uow, dossier, workflow, target, actor, now, moving.mapping, pending)
    sync(office, uow, dossier, workflow, target, actor, pending, values)
    return DossierMove(dossier.id, dossier.code, current.version.version, MOVED,
                       dossier.state_rev, [], moving.mapping, retried)


def _align_items(uow: UnitOfWork, dossier: Dossier, workflow: Any, target: LoadedProcedure,
                 actor: str, now: datetime, mapping: dict[str, str], pending: Pending) -> None:
    """Items whose step survives take the new version's name and form (a claim stays);
    those whose task is gone are cancelled, with the reason. ``sync`` then hands the new
    ready steps over with the new version's allowances."""
    ready = {s.task_uuid: s for s in workflows.ready_steps(workflow, target)}
    for item in uow.items.active_for_dossier(dossier.id):
        step = ready.get(item.task_uuid)
        if step is None:
            uow.items.transition(item.id, ACTIVE_ITEM_STATUSES, None, status=ItemStatus.CANCELLED,
                                 completed_at=now)
            pending.add("item_cancelled", actor, now,
                        {"step": item.step_id, "reason": "migrated"}, item.id)
            continue
        form = step.meta.form if step.meta else None
        if (step.step_id, step.name, form) != (item.step_id, item.step_name, item.form):
            uow.items.transition(item.id, ACTIVE_ITEM_STATUSES, None, step_id=step.step_id,
                                 step_name=step.name, form=form)


def _new_due(office: Office, uow: UnitOfWork, dossier: Dossier,
             target: LoadedProcedure) -> datetime | None:
    """The new version's statutory due date from the same counting start, moved by the
    working time the applicant already took (the pauses in the due-date history)."""
    meta = target.meta
    if meta.deadline_unit is None:
        return dossier.due_at
    calendar = office.calendar
    start = counting_start(calendar, dossier.channel, dossier.received_at)
    due = calendar.statutory_due(start, meta.deadline or 0, meta.deadline_unit)
    paused = sum(c.paused_hours or 0.0 for c in uow.dossiers.due_changes(dossier.id)
                 if c.kind == "pause")
    return calendar.add_working_hours(due, paused) if paused else due
