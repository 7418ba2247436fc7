"""Dossiers that will miss their legal deadline, and the leader's apology with a new date.

Included before the dossiers router: ``/dossiers/{code}`` would otherwise take
``/dossiers/at-risk`` for a dossier code.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path

from api.deps import CurrentUser, OfficeDep
from api.schemas import CODE_PATTERN, ApologyRequest, problem_responses
from engine.service import deadlines

router = APIRouter(prefix="/dossiers", tags=["deadlines"])

Code = Annotated[str, Path(pattern=CODE_PATTERN, examples=["000.00.20.H26-260303-0001"])]


@router.get("/at-risk", response_model=list[deadlines.AtRiskDossier],
            responses=problem_responses(401, 403))
def at_risk(user: CurrentUser, office: OfficeDep) -> list[deadlines.AtRiskDossier]:
    """Open dossiers that can no longer meet their due date (flagged one working day
    before it, or overdue) and have no apology yet, soonest due first. Leaders see those of
    their departments, auditors all."""
    return deadlines.at_risk(office, user)


@router.post("/{code}/apology", status_code=201, response_model=deadlines.ApologyView,
             responses=problem_responses(401, 403, 404, 409, 422))
def apologise(code: Code, body: ApologyRequest, user: CurrentUser,
              office: OfficeDep) -> deadlines.ApologyView:
    """A leader of a department handling the dossier signs the apology (Phiếu xin lỗi và hẹn
    lại ngày trả kết quả) with a new return date. The legal due date does not move: the
    dossier is still reported late against it."""
    return deadlines.apologise(office, user, code, body.new_due_at, body.reason)
