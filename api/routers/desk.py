"""The desk's check of a dossier: what was received, and the decision (accept, supplement,
refuse). The printed forms it leads to are in ``api.routers.documents``."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Path
from pydantic import BaseModel, Field

from api.deps import CurrentUser, OfficeDep
from api.schemas import CODE_PATTERN, NulFree, Strict, problem_responses
from engine.service import desk

router = APIRouter(prefix="/dossiers", tags=["desk"])

Code = Annotated[str, Path(pattern=CODE_PATTERN, examples=["000.00.20.H26-260303-0001"])]


class ReceivedDocument(Strict):
    code: Annotated[NulFree, Field(max_length=64, examples=["ban_chinh"])]
    form: Literal["original", "copy", "original_or_copy"] | None = Field(
        None, description="as received; the procedure's own form when left out")
    count: int = Field(1, description="how many were received (at least 1)")


class CheckRequest(Strict):
    # Left optional so that a missing decision is answered in the reader's language.
    decision: str | None = Field(None, examples=["accept"],
                                 description="accept | supplement | refuse")
    documents: list[ReceivedDocument] = Field(default_factory=list, max_length=200)
    reasons: Annotated[NulFree | None, Field(max_length=2000)] = Field(
        None, description="required to refuse; what to supplement otherwise")


class CheckedDocumentOut(BaseModel):
    code: str
    name: str
    form: str
    count: int


class CheckOut(BaseModel):
    code: str
    decision: str
    received: list[CheckedDocumentOut]
    missing: list[CheckedDocumentOut]
    reasons: str
    checked_by: str
    checked_by_name: str
    checked_at: datetime
    document: str = Field(description="the printed form the decision gives: receipt.html, "
                          "supplement.html or refusal.html")


_PRINTED = {desk.ACCEPT: "receipt.html", desk.SUPPLEMENT: "supplement.html",
            desk.REFUSE: "refusal.html"}


@router.post("/{code}/check", response_model=CheckOut,
             responses=problem_responses(401, 403, 404, 409, 422))
def check(code: Code, body: CheckRequest, user: CurrentUser, office: OfficeDep) -> CheckOut:
    """The one-stop desk checks a dossier against its procedure's documents: ``accept``
    (complete: the desk step is completed, the receipt lists what was received), ``supplement``
    (incomplete: the step stays open, the supplement request lists what is missing) or
    ``refuse`` (with ``reasons``: the dossier ends as not accepted). A dossier accepted or
    refused is not checked again (409)."""
    done = desk.check(office, user, code, [d.model_dump() for d in body.documents],
                      body.decision, body.reasons)
    local = office.calendar.local_time
    return CheckOut(code=code, decision=done.decision,
                    received=[CheckedDocumentOut(**d.to_json()) for d in done.received],
                    missing=[CheckedDocumentOut(**d.to_json()) for d in done.missing],
                    reasons=done.reasons, checked_by=done.checked_by,
                    checked_by_name=done.checked_by_name, checked_at=local(done.checked_at),
                    document=f"/api/v1/dossiers/{code}/{_PRINTED[done.decision]}")
