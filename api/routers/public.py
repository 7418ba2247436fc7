"""What applicants reach without an account: the status by code, and the rating."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path

from api.deps import ClientDep, LangDep, OfficeDep
from api.schemas import (
    CODE_PATTERN,
    RatingRequest,
    SecretRecoveryOut,
    SecretRecoveryRequest,
    problem_responses,
)
from engine.i18n import translate
from engine.service import queries, ratings, recovery

router = APIRouter(prefix="/public", tags=["public"])

Code = Annotated[str, Path(pattern=CODE_PATTERN, examples=["000.00.20.H26-260303-0001"])]


@router.get("/dossiers/{code}", response_model=queries.PublicDossier,
            responses=problem_responses(404, 429))
def status(code: Code, office: OfficeDep, client: ClientDep) -> queries.PublicDossier:
    """Where a dossier is: no personal data and no form data, only its progress. Limited
    per client address."""
    return queries.public_dossier(office, code, client)


@router.post("/dossiers/{code}/rating", status_code=201, response_model=ratings.Rating,
             responses=problem_responses(403, 404, 409, 422, 429))
def rate(code: Code, body: RatingRequest, office: OfficeDep,
         client: ClientDep) -> ratings.Rating:
    """Rate a finished dossier once, with the secret printed on the appointment receipt.
    Attempts are limited per client address."""
    return ratings.rate(office, code, body.secret, ratings.Rating(
        code=code, satisfaction=body.satisfaction, on_time=body.on_time,
        staff_attitude=body.staff_attitude, visits=body.visits, comment=body.comment,
        answers=dict(body.answers)), client)


@router.get("/survey", response_model=ratings.Survey)
def survey() -> ratings.Survey:
    """The questions of the rating (``answers`` of the rating takes them by code), with
    their scales and where they come from."""
    return ratings.questions()


@router.post("/dossiers/{code}/secret-recovery", status_code=202,
             response_model=SecretRecoveryOut, responses=problem_responses(422, 429))
def recover_secret(code: Code, body: SecretRecoveryRequest, office: OfficeDep,
                   client: ClientDep, lang: LangDep) -> SecretRecoveryOut:
    """A lost receipt secret: with the ID number and phone given at filing, a new secret
    replaces the old one and is sent by SMS or e-mail to the contact on file, never
    answered here. The answer is the same whether the details matched or not (unknown codes
    included); limited per client address and per dossier code."""
    recovery.recover_secret(office, code, body.id_number, body.phone, body.channel, client)
    return SecretRecoveryOut(detail=translate(lang, f"recovery_sent_{body.channel}"))
