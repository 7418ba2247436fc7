"""Online filing without an account, with the scans of the procedure's documents: the
catalogue to choose from, and the filing itself (multipart)."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, File, Form, UploadFile
from fastapi.exceptions import RequestValidationError
from pydantic import Field, ValidationError

from api.deps import ClientDep, OfficeDep
from api.routers.files import read_upload
from api.schemas import (
    AGENCY_PATTERN,
    KEY_PATTERN,
    Applicant,
    JsonObject,
    NulFree,
    ReceiptOut,
    Strict,
    problem_responses,
)
from engine.errors import InvalidInput
from engine.i18n import msg
from engine.service import online_filing

router = APIRouter(prefix="/public", tags=["public"])
FILINGS_PATH = "/public/filings"
EMAIL_PATTERN = r"^[^@\s]{1,64}@[^@\s]{1,190}\.[^@\s]{2,63}$"


class OnlineApplicant(Applicant):
    email: Annotated[NulFree | None, Field(max_length=254, pattern=EMAIL_PATTERN,
                                           examples=["an.nguyen@example.vn"])] = None
    # How to be told of the dossier's progress (the desk's receipt, a supplement request).
    notify: Annotated[list[Literal["email", "sms"]], Field(max_length=2)] = Field(
        default_factory=list)


class OnlineFiling(Strict):
    procedure: Annotated[str, Field(pattern=KEY_PATTERN, examples=["chung_thuc_ban_sao"])]
    applicant: OnlineApplicant
    data: JsonObject = Field(default_factory=dict,
                             examples=[{"ten_giay_to": "Bằng tốt nghiệp", "pages": 5,
                                        "copies": 1}])
    # The desk filed at (any desk in the province) and, where the level leaves a choice,
    # the unit competent to resolve it.
    receiving_unit: Annotated[str | None, Field(pattern=AGENCY_PATTERN,
                                                examples=["000.00.81.H26"])] = None
    resolving_unit: Annotated[str | None, Field(pattern=AGENCY_PATTERN)] = None


@router.get("/filings/catalogue", response_model=online_filing.Catalogue)
def catalogue(office: OfficeDep) -> online_filing.Catalogue:
    """The desks one may file at and every procedure with its documents, deadline, the
    legal source of its fee and the level that resolves it."""
    return online_filing.catalogue(office)


@router.post("/filings", status_code=201, response_model=ReceiptOut,
             responses=problem_responses(404, 413, 422, 429, 503))
def file_online(
    office: OfficeDep,
    client: ClientDep,
    filing: Annotated[str, Form(max_length=64 * 1024, description=(
        "the filing as JSON: procedure, applicant (name, id_number, phone, email, address, "
        "notify: [\"email\", \"sms\"]), data (the start form), receiving_unit, "
        "resolving_unit"))],
    documents: Annotated[list[str], Form(description=(
        "the document code of each file, in the order of ``files``"))] = [],  # noqa: B006
    files: Annotated[list[UploadFile], File(description=(
        "one PDF, JPEG or PNG scan per document (told from its bytes)"))] = [],  # noqa: B006
) -> ReceiptOut:
    """File a dossier online without signing in, with one scan per required document, in
    one transaction: every check (procedure, unit, form, numbers, each file's kind and size,
    their total, the quotas per client address) comes before anything is written. Answers
    the receipt with its secret, shown this once; the desk then checks the dossier."""
    try:
        body = OnlineFiling.model_validate_json(filing)
    except ValidationError as exc:
        raise RequestValidationError(
            [{**e, "loc": ("body", "filing", *e["loc"])} for e in exc.errors()]) from None
    if len(documents) != len(files):
        raise InvalidInput(msg("online_error_documents_files", documents=len(documents),
                               files=len(files)))
    limit = office.file_limits.per_file
    scans = [online_filing.Scan(code.strip(), upload.filename or "", read_upload(upload, limit))
             for code, upload in zip(documents, files, strict=True)]
    receipt = online_filing.file_online(
        office, body.procedure, body.applicant.model_dump(exclude_none=True, exclude_defaults=True),
        body.data, scans, client, body.receiving_unit, body.resolving_unit)
    local = office.calendar.local_time
    return ReceiptOut(code=receipt.code, procedure=receipt.procedure_key,
                      version=receipt.version, received_at=local(receipt.received_at),
                      due_at=local(receipt.due_at) if receipt.due_at else None,
                      fee=receipt.fee, secret=receipt.secret)
