"""The applicant's online supplement, without an account: what the office asked for, and
sending it. The receipt's secret travels in a header or the form body, never in the URL."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Form, Header, Path, UploadFile

from api.deps import ClientDep, OfficeDep
from api.routers.files import read_upload
from api.schemas import CODE_PATTERN, problem_responses
from engine.service import applicant_supplement as online
from engine.service.applicant_supplement import Supplemented, WhatIsMissing

router = APIRouter(prefix="/public", tags=["public"])

Code = Annotated[str, Path(pattern=CODE_PATTERN, examples=["000.00.20.H26-260303-0001"])]
SUPPLEMENT_ENDING = "/supplement"
Secret = Annotated[str, Header(alias="X-Receipt-Secret", min_length=1, max_length=32,
                               description="the secret printed on the appointment receipt")]


@router.get("/dossiers/{code}/supplement", response_model=WhatIsMissing,
            responses=problem_responses(403, 404, 409, 429))
def what_is_missing(code: Code, secret: Secret, office: OfficeDep,
                    client: ClientDep) -> WhatIsMissing:
    """What the office asked the applicant to supplement (each thing with the ``slot`` its
    file goes to), until when, and whether it was already sent. Limited per client
    address, as each call tries the secret."""
    return online.what_is_missing(office, code, secret, client)


@router.post("/dossiers/{code}/supplement", status_code=201, response_model=Supplemented,
             responses=problem_responses(403, 404, 409, 413, 422, 429))
def supplement(code: Code, office: OfficeDep, client: ClientDep,
               secret: Annotated[str, Form(min_length=1, max_length=32)],
               files: Annotated[list[UploadFile], File(description="PDF, JPEG or PNG")],
               slots: Annotated[list[str] | None, Form(
                   description="the slot each file answers, in the files' order; may be left "
                               "out when the request has a single slot")] = None,
               note: Annotated[str, Form(max_length=online.MAX_NOTE)] = "") -> Supplemented:
    """Send the files the office asked for. A step that waited for the applicant is
    completed at once and the clock resumes; a request of the desk's check waits for the
    desk to check the dossier again. Nothing is written when anything is refused (a wrong
    secret, the time limit passed, a file of the wrong kind or too large)."""
    named = list(slots or [])
    uploads = [online.Upload(named[i].strip() if i < len(named) else "", f.filename or "",
                             read_upload(f, office.file_limits.per_file))
               for i, f in enumerate(files[:online.MAX_FILES + 1])]
    return online.supplement(office, code, secret, uploads, note, client)
