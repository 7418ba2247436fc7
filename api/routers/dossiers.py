"""Receiving dossiers, finding them, reading one and its process control sheet."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Annotated

from fastapi import APIRouter, Path, Query

from api.deps import ClientDep, CurrentUser, OfficeDep, OptionalUser
from api.schemas import (
    CODE_PATTERN,
    DEPARTMENT_PATTERN,
    KEY_PATTERN,
    SEARCH_HELP,
    DossierStatus,
    OfficeDate,
    ReceiptOut,
    SubmitRequest,
    problem_responses,
)
from engine.service import dossiers, queries
from engine.service.office import Office
from engine.service.types import ControlSheet

router = APIRouter(prefix="/dossiers", tags=["dossiers"])

Code = Annotated[str, Path(pattern=CODE_PATTERN, examples=["000.00.20.H26-260303-0001"])]


@router.post("", status_code=201, response_model=ReceiptOut,
             responses=problem_responses(401, 403, 404, 413, 422, 429))
def submit(body: SubmitRequest, user: OptionalUser, office: OfficeDep,
           client: ClientDep) -> ReceiptOut:
    """Receive a dossier: at the desk (reception staff, any channel) or online without
    signing in (channel ``online``; limited per client address and in size). Answers with
    the appointment receipt."""
    receipt = dossiers.submit(office, body.procedure, body.applicant.model_dump(exclude_none=True),
                              body.channel, body.data, user, client,
                              receiving_unit=body.receiving_unit,
                              resolving_unit=body.resolving_unit)
    local = office.calendar.local_time
    return ReceiptOut(code=receipt.code, procedure=receipt.procedure_key,
                      version=receipt.version, received_at=local(receipt.received_at),
                      due_at=local(receipt.due_at) if receipt.due_at else None,
                      fee=receipt.fee, secret=receipt.secret)


def _day_start(office: Office, day: date) -> datetime:
    return datetime.combine(day, time(), tzinfo=office.calendar.tz).astimezone(UTC)


@router.get("", response_model=queries.DossierPage, responses=problem_responses(401, 403, 422))
def find(
    user: CurrentUser,
    office: OfficeDep,
    status: DossierStatus | None = None,
    procedure: Annotated[str | None, Query(pattern=KEY_PATTERN)] = None,
    department: Annotated[str | None, Query(pattern=DEPARTMENT_PATTERN,
                                            description="has or had a step there")] = None,
    received_from: Annotated[OfficeDate | None, Query(description="local date, inclusive")]
    = None,
    received_to: Annotated[OfficeDate | None, Query(description="local date, inclusive")]
    = None,
    overdue: Annotated[bool, Query(description="pending and past the due date")] = False,
    q: Annotated[str | None, Query(max_length=100, description=SEARCH_HELP)] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> queries.DossierPage:
    """Dossiers the caller may read, newest first, with the total for paging."""
    return queries.dossier_page(
        office, user, status=status, procedure=procedure, department=department,
        received_from=_day_start(office, received_from) if received_from else None,
        received_to=_day_start(office, received_to + timedelta(days=1)) if received_to
        else None,
        overdue=overdue, q=q, limit=limit, offset=offset)


@router.get("/{code}", response_model=queries.DossierDetail,
            responses=problem_responses(401, 403, 404))
def detail(code: Code, user: CurrentUser, office: OfficeDep) -> queries.DossierDetail:
    """One dossier with the applicant, its data and every step so far."""
    return queries.dossier_detail(office, user, code)


@router.get("/{code}/timeline", response_model=ControlSheet,
            responses=problem_responses(401, 403, 404))
def timeline(code: Code, user: CurrentUser, office: OfficeDep) -> ControlSheet:
    """The process control sheet (Phiếu kiểm soát quá trình giải quyết hồ sơ)."""
    return queries.timeline(office, user, code)
