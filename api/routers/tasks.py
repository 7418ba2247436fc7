"""Department queues and the work on one step: claim, release, complete, assign."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query

from api.deps import CurrentUser, OfficeDep
from api.schemas import (
    DEPARTMENT_PATTERN,
    KEY_PATTERN,
    MAX_ID,
    SEARCH_HELP,
    AssignRequest,
    CompleteRequest,
    problem_responses,
)
from engine.service import queries, work
from engine.service.next_steps import CompletedTask

router = APIRouter(prefix="/tasks", tags=["tasks"])

ItemId = Annotated[int, Path(ge=1, le=MAX_ID)]
ACTION_ERRORS = problem_responses(401, 403, 404, 409)


@router.get("", response_model=queries.TaskPage, responses=problem_responses(401, 403, 422))
def queue(
    user: CurrentUser,
    office: OfficeDep,
    scope: Literal["mine", "department"] = "department",
    department: Annotated[str | None, Query(pattern=DEPARTMENT_PATTERN)] = None,
    procedure: Annotated[str | None, Query(pattern=KEY_PATTERN)] = None,
    q: Annotated[str | None, Query(max_length=100, description=SEARCH_HELP)] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> queries.TaskPage:
    """Open and claimed steps, soonest due first, each with its deadline status.

    ``mine``: the steps you hold. ``department``: the queues of your departments (or of the
    one named); auditors may read any queue.
    """
    return queries.task_page(office, user, scope=scope, department=department,
                             procedure=procedure, q=q, limit=limit, offset=offset)


@router.get("/overdue", response_model=list[queries.TaskView],
            responses=problem_responses(401, 403))
def overdue(user: CurrentUser, office: OfficeDep) -> list[queries.TaskView]:
    """Leaders' escalation view: pending steps past their own due time in their departments."""
    return queries.overdue_tasks(office, user)


@router.get("/{item_id}", response_model=queries.TaskDetail,
            responses=problem_responses(401, 403, 404))
def detail(item_id: ItemId, user: CurrentUser, office: OfficeDep) -> queries.TaskDetail:
    """The step, the dossier data its department sees, earlier steps' results and the form
    to fill in (JSON Schema; enum labels as ``oneOf`` of ``const`` + ``title``)."""
    return queries.task_detail(office, user, item_id)


@router.post("/{item_id}/claim", response_model=queries.TaskView, responses=ACTION_ERRORS)
def claim(item_id: ItemId, user: CurrentUser, office: OfficeDep) -> queries.TaskView:
    """Take the step from the department queue; 409 when someone holds it already."""
    return work.claim(office, item_id, user)


@router.post("/{item_id}/release", response_model=queries.TaskView, responses=ACTION_ERRORS)
def release(item_id: ItemId, user: CurrentUser, office: OfficeDep) -> queries.TaskView:
    """Put the step back in the queue (its holder, or a leader of the department)."""
    return work.release(office, item_id, user)


@router.post("/{item_id}/complete", response_model=CompletedTask,
             responses=problem_responses(401, 403, 404, 409, 422))
def complete(item_id: ItemId, body: CompleteRequest, user: CurrentUser,
             office: OfficeDep) -> CompletedTask:
    """Finish a step with the form's data in one request: an open step of your department
    is claimed and completed together (one transaction); 409 names the colleague who holds
    it, 422 the first bad field. ``next_steps``: the dossier's open steps after it, and
    whether you may take each, so no queue read is needed to go on."""
    return work.complete(office, item_id, user, body.data)


@router.post("/{item_id}/assign", response_model=queries.TaskView,
             responses=problem_responses(401, 403, 404, 409, 422))
def assign(item_id: ItemId, body: AssignRequest, user: CurrentUser,
           office: OfficeDep) -> queries.TaskView:
    """A leader hands the step to a member of its department."""
    return work.reassign(office, item_id, user, body.username)
