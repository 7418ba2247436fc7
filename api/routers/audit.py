"""The audit trail's verification, for auditors and admins."""

from __future__ import annotations

from fastapi import APIRouter

from api.deps import CurrentUser, LangDep, OfficeDep
from api.schemas import problem_responses
from engine.service import auditing

router = APIRouter(prefix="/audit", tags=["audit"])


@router.get("/verify", response_model=auditing.VerifyView, responses=problem_responses(401, 403))
def verify(user: CurrentUser, office: OfficeDep, lang: LangDep) -> auditing.VerifyView:
    """Walk every hash chain of the audit log (one per dossier and the system chain) and
    report the first place where each broken chain stops matching what was written. A broken
    log is still a 200: ``intact`` is false and ``first_break`` names the event; each
    ``reason`` is in the language of ``Accept-Language`` (Vietnamese by default)."""
    return auditing.verify(office, user, lang)
