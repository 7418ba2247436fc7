"""The leader's dashboard: today's and this month's figures, the load of each department
and person, and the steps waiting for the caller's signature."""

from __future__ import annotations

from fastapi import APIRouter

from api.deps import CurrentUser, OfficeDep
from api.schemas import problem_responses
from engine.service.views import dashboard as views

router = APIRouter(prefix="/dashboard", tags=["dashboard"])


@router.get("", response_model=views.Dashboard, responses=problem_responses(401, 403))
def dashboard(user: CurrentUser, office: OfficeDep) -> views.Dashboard:
    """For leaders and auditors, over the units they lead or audit: dossiers received and
    resolved (early / on time / late) today and in the reporting month, those pending and
    overdue; the active steps per department and per person (open, claimed, overdue, at
    risk: due within one working day); the steps waiting for the caller's signature; the
    overdue steps and the dossiers needing an apology."""
    return views.dashboard(office, user)
