"""A clerk's work on a dossier step: claim, release, reassign, complete.

Each answers with the view of the step after the change (what the API returns and the pages
show), built from what its one transaction read: no second read, no process-wide cache."""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from datetime import datetime
from typing import Any

from SpiffWorkflow.bpmn.workflow import BpmnWorkflow

from engine.audit.chain import dossier_chain
from engine.audit.status import judge_done
from engine.errors import AlreadyClaimed, NotAllowed, NotFound, NotOpen
from engine.i18n import msg
from engine.model import (
    ACTIVE_ITEM_STATUSES,
    DONE_ITEM_STATUSES,
    Dossier,
    DossierStatus,
    ItemStatus,
    User,
    WorkItem,
)
from engine.runtime import replay, workflows
from engine.runtime.clock import clock_scope
from engine.runtime.procedures import LoadedProcedure
from engine.service.forms import check_form
from engine.service.next_steps import CompletedTask, open_after
from engine.service.office import Office
from engine.service.permissions import can_handle, can_lead
from engine.service.procedures import loaded_version
from engine.service.progress import Pending, sync
from engine.service.restore import restore
from engine.service.views.common import department_names, task_view
from engine.service.views.types import TaskView
from engine.store import UnitOfWork
from engine.store.work_items import StepHeader


def _item(uow: UnitOfWork, item_id: int) -> WorkItem:
    item = uow.items.get(item_id)
    if item is None:
        raise NotFound(msg("err_work_item", item_id=item_id))
    return item


def _with_header(uow: UnitOfWork, item_id: int) -> tuple[WorkItem, StepHeader]:
    found = uow.items.with_header(item_id)
    if found is None:
        raise NotFound(msg("err_work_item", item_id=item_id))
    return found[0], found[2]


def _view(office: Office, item: WorkItem, header: StepHeader) -> TaskView:
    return task_view(office, item, header.code, header.procedure_key, header.procedure_name,
                     office.now())


def _explain_conflict(uow: UnitOfWork, item_id: int, user: User) -> Exception:
    item = _item(uow, item_id)
    if item.status == ItemStatus.CLAIMED and item.claimed_by != user.username:
        # People read the colleague's full name and department, not a login and a code.
        holder = item.claimed_by or ""
        name = uow.lookups.full_names([holder]).get(holder) or holder
        department = (department_names(uow, item.unit).get(item.department_code)
                      or item.department_code)
        return AlreadyClaimed(msg("err_has_already_claimed_step", claimed_by=name,
                                  department=department))
    if item.status in DONE_ITEM_STATUSES:
        return NotOpen(msg("err_step_already", status=msg(f"item_{item.status}")))
    return NotOpen(msg("err_step", status=msg(f"item_{item.status}")))


def conflict_of(uow: UnitOfWork, item_id: int, user: User) -> Exception:
    """Why a compare-and-set on the step failed, as its holder or its state says it."""
    return _explain_conflict(uow, item_id, user)


def claim(office: Office, item_id: int, user: User) -> TaskView:
    with office.db.unit_of_work() as uow:
        found = uow.items.with_header(item_id)
        if found is None:
            raise NotFound(msg("err_work_item", item_id=item_id))
        item, head, header = found
        can_handle(user, item)
        now = office.now()
        if item.status == ItemStatus.CLAIMED and item.claimed_by == user.username:
            raise AlreadyClaimed(msg("err_you_have_already_claimed_step"))
        if not uow.items.transition(item_id, (ItemStatus.OPEN,), None, status=ItemStatus.CLAIMED,
                                    claimed_at=now, claimed_by=user.username):
            raise _explain_conflict(uow, item_id, user)
        uow.audit.append_many(dossier_chain(item.dossier_id),
                              [("item_claimed", user.username, now, {}, item.dossier_id,
                                item_id)], head, head_known=True)
        uow.commit()
    return _view(office, replace(item, status=ItemStatus.CLAIMED, claimed_at=now,
                                 claimed_by=user.username), header)


def release(office: Office, item_id: int, user: User) -> TaskView:
    with office.db.unit_of_work() as uow:
        item, header = _with_header(uow, item_id)
        can_handle(user, item)
        if item.status != ItemStatus.CLAIMED:
            raise NotOpen(msg("err_step_claimed"))
        if item.claimed_by != user.username:
            can_lead(user, item.unit, item.department_code)
        now = office.now()
        if not uow.items.transition(item_id, (ItemStatus.CLAIMED,), item.claimed_by,
                                    status=ItemStatus.OPEN, claimed_at=None, claimed_by=None):
            raise _explain_conflict(uow, item_id, user)
        uow.audit.append(dossier_chain(item.dossier_id), "item_released", user.username, now,
                         {"step": item.step_id, "was_claimed_by": item.claimed_by},
                         item.dossier_id, item_id)
        uow.commit()
    return _view(office, replace(item, status=ItemStatus.OPEN, claimed_at=None, claimed_by=None),
                 header)


def reassign(office: Office, item_id: int, user: User, assignee: str) -> TaskView:
    """A leader hands the step to a member of its department (claimed on their behalf)."""
    with office.db.unit_of_work() as uow:
        item, header = _with_header(uow, item_id)
        can_lead(user, item.unit, item.department_code)
        target = uow.org.user(assignee)
        if target is None or not target.active:
            raise NotFound(msg("err_active_user", assignee=assignee))
        if not target.serves(item.unit, item.department_code, "staff", "leader"):
            raise NotAllowed(msg("err_does_work_department_unit",
                                 assignee=assignee, department_code=item.department_code,
                                 item_unit=item.unit))
        now = office.now()
        if not uow.items.transition(item_id, ACTIVE_ITEM_STATUSES, None, status=ItemStatus.CLAIMED,
                                    claimed_at=now, claimed_by=assignee):
            raise _explain_conflict(uow, item_id, user)
        uow.audit.append(dossier_chain(item.dossier_id), "item_reassigned", user.username, now,
                         {"step": item.step_id, "from": item.claimed_by, "to": assignee},
                         item.dossier_id, item_id)
        uow.commit()
    return _view(office, replace(item, status=ItemStatus.CLAIMED, claimed_at=now,
                                 claimed_by=assignee), header)


def must_take(uow: UnitOfWork, item: WorkItem, user: User) -> bool:
    """Whether completing the step also claims it for the user (it is open), checked before
    the transaction writes: False when the user holds it already; a done step or a
    colleague's hold raises (the 409 names the colleague)."""
    if item.status == ItemStatus.CLAIMED and item.claimed_by == user.username:
        return False
    if item.status in DONE_ITEM_STATUSES:
        raise NotOpen(msg("err_step_already", status=msg(f"item_{item.status}")))
    if item.status != ItemStatus.OPEN:
        raise _explain_conflict(uow, item.id, user)
    return True


def complete(office: Office, item_id: int, user: User, data: dict[str, Any]) -> CompletedTask:
    """Run the step with the form data, claiming it first if it is open (one transaction,
    both events at one moment); exactly one of two concurrent completes wins. The answer
    names the dossier's open steps after it."""
    with office.db.unit_of_work() as uow, clock_scope(office.clock):
        found = uow.items.with_dossier_named(item_id)
        if found is None:
            raise NotFound(msg("err_work_item", item_id=item_id))
        item, dossier, _head, name = found
        can_handle(user, item)
        step = complete_step(office, uow, found, user, data,
                             taking=must_take(uow, item, user))
        following = open_after(uow, user, dossier.id, step.workflow, step.loaded,
                               step.pending.events, step.others_open)
        uow.commit()
    if not step.workflow.completed:
        office.workflows.put(dossier.id, step.rev, step.workflow)
    header = StepHeader(dossier.code, dossier.procedure_key, name)
    view = _view(office, replace(item, **step.done), header)
    return CompletedTask(**{f.name: getattr(view, f.name) for f in fields(view)},
                         next_steps=following)


Found = tuple[WorkItem, Dossier, Any, str | None]


@dataclass(frozen=True)
class Completion:
    """What ``complete_step`` did: the item's new values, the workflow after it, the
    dossier's revision, the events written and whether other steps were open beside it."""

    done: dict[str, Any]
    workflow: BpmnWorkflow
    rev: int
    loaded: LoadedProcedure
    pending: Pending
    others_open: bool


def complete_in(office: Office, uow: UnitOfWork, found: Found, user: User,
                data: dict[str, Any], before: list[tuple[str, dict[str, Any]]] | None = None,
                dossier_values: dict[str, Any] | None = None,
                ) -> tuple[dict[str, Any], BpmnWorkflow, int]:
    """Complete the step the caller has claimed (its checks made), inside the caller's unit of
    work; ``before`` are events of the same act written ahead of the completion (e.g. the
    desk's check), ``dossier_values`` what the act changes on the dossier row (e.g. its due
    date). Returns the item's new values, the workflow and the dossier's revision."""
    step = complete_step(office, uow, found, user, data, before, dossier_values)
    return step.done, step.workflow, step.rev


def complete_step(office: Office, uow: UnitOfWork, found: Found, user: User,
                  data: dict[str, Any], before: list[tuple[str, dict[str, Any]]] | None = None,
                  dossier_values: dict[str, Any] | None = None,
                  taking: bool = False) -> Completion:
    """``complete_in``, with all it did; ``taking``: the step is open and is claimed by the
    same write that completes it (``must_take``), both events at the same moment."""
    item, dossier, head, _name = found
    loaded = loaded_version(office, uow, dossier.version_id)
    accepted = check_form(loaded.form(item.form), data)
    workflow = _workflow(office, uow, dossier, loaded)
    # The items open before this step are the workflow's ready tasks at the revision read
    # (both were written by the same transaction), so sync need not read them again.
    open_before = workflows.ready_task_ids(workflow) - {item.task_uuid}
    now = office.now()
    done: dict[str, Any] = dict(status=ItemStatus.COMPLETED, completed_at=now,
                                completed_by=user.username, result=accepted,
                                timeliness=judge_done(now, item.due_at, office.calendar.tz))
    if taking:  # one write claims and completes; it fails if a colleague took it meanwhile
        done.update(claimed_at=now, claimed_by=user.username)
        changed = uow.items.transition(item.id, (ItemStatus.OPEN,), None, **done)
    else:
        changed = uow.items.transition(item.id, (ItemStatus.CLAIMED,), user.username, **done)
    if not changed:
        raise _explain_conflict(uow, item.id, user)
    # Run so that a restore replays it as it ran: the audit chain keeps the step, no state.
    replay.complete(workflow, item.task_uuid, accepted, now)
    pending = Pending(dossier.id, head=head, head_known=True, active=open_before,
                      logged=True)
    if taking:
        pending.add("item_claimed", user.username, now, {}, item.id)
    for kind, event in before or []:
        pending.add(kind, user.username, now, event, item.id)
    pending.add("item_completed", user.username, now, {"data": accepted}, item.id)
    values: dict[str, Any] = dict(dossier_values or {})
    desk = loaded.meta.desk_step()
    if dossier.accepted_at is None and desk is not None and desk.id == item.step_id:
        # The desk step done through its plain form, not the desk's check: no check is
        # recorded, so it counts as accepted when received, as before the check existed
        # (the check sets the moment itself, None when it refuses).
        values.setdefault("accepted_at", dossier.received_at)
    if item.pauses_clock:
        values.update(_resume_clock(office, uow, dossier, item, user, pending))
    rev = sync(office, uow, dossier, workflow, loaded, user.username, pending, values)
    return Completion(done, workflow, rev, loaded, pending, bool(open_before))


def _resume_clock(office: Office, uow: UnitOfWork, dossier: Dossier, item: WorkItem,
                  user: User, pending: Pending) -> dict[str, Any]:
    """The applicant answered: the statutory clock moves by the working time it waited."""
    now = office.now()
    paused = office.calendar.working_hours_between(item.created_at, now)
    values: dict[str, Any] = {"status": DossierStatus.PROCESSING}
    data: dict[str, Any] = {"paused_hours": round(paused, 4), "step": item.step_id}
    if dossier.due_at is not None:
        values["due_at"] = pause_due_date(
            office, uow, dossier, user, paused, data,
            f"{item.step_name}: chờ người nộp hồ sơ ({paused:g} giờ làm việc)")
    pending.add("clock_resumed", user.username, now, data, item.id)
    return values


def pause_due_date(office: Office, uow: UnitOfWork, dossier: Dossier, user: User,
                   paused: float, event: dict[str, Any], reason: str) -> datetime:
    """The dossier's due date moved by ``paused`` working hours the applicant took, recorded
    as a pause in its due-date history and in ``event``; returns the new due date."""
    assert dossier.due_at is not None
    new_due = office.calendar.add_working_hours(dossier.due_at, paused) if paused else \
        dossier.due_at
    event.update(previous_due_at=dossier.due_at.isoformat(), due_at=new_due.isoformat())
    uow.dossiers.add_due_change(
        dossier_id=dossier.id, kind="pause", at=office.now(), actor=user.username,
        previous_due_at=dossier.due_at, new_due_at=new_due, paused_hours=paused,
        reason=reason)
    return new_due


def _workflow(office: Office, uow: UnitOfWork, dossier: Dossier,
              loaded: LoadedProcedure) -> BpmnWorkflow:
    cached = office.workflows.take(dossier.id, dossier.state_rev)
    if cached is not None:
        return cached
    return restore(uow, dossier, loaded, office.scripts)
