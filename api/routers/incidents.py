"""Incidents: dossiers whose automatic steps failed in the timer worker, and their retry."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Path
from pydantic import Field

from api.deps import CurrentUser, OfficeDep
from api.schemas import MAX_ID, JsonObject, NulFree, Strict, problem_responses
from engine.service import incidents

router = APIRouter(prefix="/incidents", tags=["incidents"])

IncidentId = Annotated[int, Path(ge=1, le=MAX_ID)]
ACTION_ERRORS = problem_responses(401, 403, 404, 409)


class CorrectionRequest(Strict):
    data: JsonObject = Field(examples=[{"copies": 2}],
                             description="fields of the submission form, corrected")
    reason: Annotated[NulFree, Field(min_length=1, max_length=1000,
                                     examples=["Công dân xác nhận nộp 2 bản sao"])]


@router.get("", response_model=list[incidents.IncidentView],
            responses=problem_responses(401, 403, 422))
def listing(user: CurrentUser, office: OfficeDep,
            status: Literal["open", "resolved", "all"] = "open"
            ) -> list[incidents.IncidentView]:
    """Incidents the caller may see, the latest failure first: leaders those of dossiers
    whose procedure has a lane of their departments, designers and auditors all."""
    return incidents.incidents(office, user, None if status == "all" else status)


@router.get("/{incident_id}", response_model=incidents.IncidentDetail,
            responses=problem_responses(401, 403, 404))
def detail(incident_id: IncidentId, user: CurrentUser,
           office: OfficeDep) -> incidents.IncidentDetail:
    """One incident; for a leader who may correct it, the submission form and its values."""
    return incidents.incident_detail(office, user, incident_id)


@router.post("/{incident_id}/retry", response_model=incidents.IncidentView,
             responses=ACTION_ERRORS)
def retry(incident_id: IncidentId, user: CurrentUser,
          office: OfficeDep) -> incidents.IncidentView:
    """Run the failed work again now. The answer is the incident afterwards: ``resolved``
    when it worked; still ``open``, with one more try and the new error, when it did not."""
    return incidents.retry(office, incident_id, user)


@router.post("/{incident_id}/correction", response_model=incidents.IncidentView,
             responses=problem_responses(401, 403, 404, 409, 422))
def correct(incident_id: IncidentId, body: CorrectionRequest, user: CurrentUser,
            office: OfficeDep) -> incidents.IncidentView:
    """A leader of the dossier's departments corrects fields of the submission form (checked
    by that form; the change and its reason go into the audit trail), then the failed work
    runs again, as with ``retry``."""
    return incidents.correct(office, incident_id, user, body.data, body.reason)
