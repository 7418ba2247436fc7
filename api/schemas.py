"""Request and response bodies, with the limits that keep bad input out of the engine.

Read models come from ``engine.service.queries`` as dataclasses and are served as they are;
this module holds what the API adds: request bodies, receipts, deploy results, problems.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Annotated, Any, Literal

from fastapi import Query
from fastapi.exceptions import RequestValidationError
from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    PlainValidator,
    StringConstraints,
    WithJsonSchema,
)

from engine.service.auditing import FIRST_DATE, LAST_DATE, MAX_PERIOD_DAYS

KEY_PATTERN = r"^[A-Za-z_][A-Za-z0-9_.\-]{0,99}$"
CODE_PATTERN = r"^[A-Za-z0-9.\-]{1,48}$"
DEPARTMENT_PATTERN = r"^[A-Za-z0-9_\-]{1,32}$"
USERNAME_PATTERN = r"^[A-Za-z0-9_.@\-]{1,64}$"
MAX_ID = 2**31 - 1  # ids are 32-bit integers in PostgreSQL
# JSON numbers that every client (JavaScript included) reads back exactly.
MAX_SAFE_INT = 2**53 - 1
MAX_DEPTH = 32
DossierStatus = Literal["processing", "awaiting_supplement", "resolved", "refused", "withdrawn",
                        "not_accepted"]
Channel = Literal["online", "direct", "post"]  # engine.model.CHANNELS


class JsonValueError(ValueError):
    """A value the engine must not store; ``path`` locates it inside the object."""

    def __init__(self, path: str, message: str) -> None:
        super().__init__(f"{path}: {message}" if path else message)
        self.path = path
        self.message = message


def _check_json(value: Any, path: str = "", depth: int = 0) -> None:
    if depth > MAX_DEPTH:
        raise JsonValueError(path, f"nested more than {MAX_DEPTH} levels deep")
    if isinstance(value, dict):
        for key, item in value.items():
            _check_json(key, path, depth + 1)
            _check_json(item, f"{path}.{key}" if path else str(key), depth + 1)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            _check_json(item, f"{path}.{index}" if path else str(index), depth + 1)
    elif isinstance(value, str):
        if "\x00" in value:
            raise JsonValueError(path, "text may not contain NUL characters")
    elif isinstance(value, bool) or value is None:
        return
    elif isinstance(value, int):
        if abs(value) > MAX_SAFE_INT:
            raise JsonValueError(path, f"integer out of range (±{MAX_SAFE_INT})")
    elif isinstance(value, float) and not math.isfinite(value):
        raise JsonValueError(path, "numbers must be finite")


def _json_object(value: dict[str, Any]) -> dict[str, Any]:
    _check_json(value)
    return value


def _nul_free(value: str) -> str:
    if "\x00" in value:
        raise JsonValueError("", "text may not contain NUL characters")
    return value


def _office_date(value: date) -> date:
    # The engine's range (auditing.check_dates), checked here too so the problem names the
    # query parameter.
    if not FIRST_DATE <= value <= LAST_DATE:
        raise ValueError(f"give a date between {FIRST_DATE} and {LAST_DATE}")
    return value


JsonObject = Annotated[dict[str, Any], AfterValidator(_json_object)]
OfficeDate = Annotated[date, AfterValidator(_office_date)]
NulFree = Annotated[str, AfterValidator(_nul_free)]


def _text(max_length: int, min_length: int = 0) -> Any:
    return StringConstraints(strip_whitespace=True, min_length=min_length, max_length=max_length)


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Applicant(Strict):
    name: Annotated[NulFree, _text(200, min_length=1), Field(examples=["Nguyễn Văn An"])]
    id_number: Annotated[NulFree | None, _text(20), Field(examples=["001085012345"])] = None
    phone: Annotated[NulFree | None, _text(20), Field(examples=["0912345678"])] = None
    address: Annotated[NulFree | None, _text(300)] = None
    email: Annotated[NulFree | None, _text(254), Field(examples=["an.nguyen@example.com"])] = None
    # How the applicant is told of the dossier's progress: absent, every channel with a
    # contact above; empty, none.
    notify: list[Literal["email", "sms"]] | None = Field(default=None, max_length=2)


# The ``q`` of the dossier list and the queues (engine.people.parse_query).
SEARCH_HELP = ("a dossier code or its beginning, the applicant's name with or without accents "
               "(each word or its beginning), an ID number or a phone number")

AGENCY_PATTERN = r"^[0-9A-Z]{1,8}(\.[0-9A-Z]{1,8}){0,5}$"


class SubmitRequest(Strict):
    procedure: Annotated[str, Field(pattern=KEY_PATTERN, examples=["chung_thuc_ban_sao"])]
    applicant: Applicant
    channel: Channel = "direct"
    data: JsonObject = Field(default_factory=dict,
                             examples=[{"ten_giay_to": "Bằng tốt nghiệp", "pages": 5,
                                        "copies": 1}])
    # Agency codes: the desk that receives (for an officer of several desks, or the unit an
    # online applicant files with) and the unit competent to resolve (docs/organisation.md).
    receiving_unit: Annotated[str | None, Field(pattern=AGENCY_PATTERN,
                                                examples=["000.00.81.H26"])] = None
    resolving_unit: Annotated[str | None, Field(pattern=AGENCY_PATTERN,
                                                examples=["000.00.82.H26"])] = None


class ReceiptOut(BaseModel):
    """The appointment receipt (Giấy tiếp nhận hồ sơ và hẹn trả kết quả)."""

    code: str
    procedure: str
    version: int
    received_at: datetime
    due_at: datetime | None
    fee: int
    secret: str = Field(description="printed on the receipt; needed to rate the service")


class CompleteRequest(Strict):
    data: JsonObject = Field(default_factory=dict)


class AssignRequest(Strict):
    username: Annotated[str, Field(pattern=USERNAME_PATTERN, examples=["justice"])]


class RatingRequest(Strict):
    secret: Annotated[str, Field(min_length=1, max_length=32, pattern=r"^[A-Za-z0-9 ]+$")]
    satisfaction: Annotated[int, Field(ge=1, le=5, description="1 very dissatisfied … 5 very "
                                                                "satisfied")]
    on_time: bool | None = None
    staff_attitude: Annotated[int | None, Field(ge=1, le=5)] = None
    visits: Annotated[int | None, Field(ge=0, le=100)] = None
    comment: Annotated[NulFree | None, _text(2000)] = None
    answers: Annotated[dict[str, int | bool], Field(
        max_length=20, examples=[{"access": 4, "procedure": True, "feedback": False}],
        description="the survey's other questions by code (GET /public/survey): 1 … 5, "
                    "true/false or a count, as the question's scale says")] = {}


class SecretRecoveryRequest(Strict):
    id_number: Annotated[NulFree, _text(40, min_length=1), Field(examples=["001085012345"])]
    phone: Annotated[NulFree, _text(40, min_length=1), Field(examples=["0912345678"])]
    channel: Annotated[str, Field(pattern=r"^(sms|email)$", examples=["sms"],
                                  description="where the new secret goes: the phone or "
                                              "the e-mail address given at filing")]


class SecretRecoveryOut(BaseModel):
    detail: str = Field(description="the same words whether the details matched or not")


class DeployedOut(BaseModel):
    key: str
    version: int
    sha256: str
    created: bool = Field(description="false when this content was already the latest version")
    effective_from: date | None = Field(
        None, description="the office's local day from which new dossiers start on it")


class LibraryFileOut(BaseModel):
    path: str = Field(description="the file's path inside the deploy")
    version: int
    sha256: str
    created: bool = Field(description="false when this content was already the latest version")
    provides: list[str] = Field(description="ids of its executable processes and decisions, "
                                            "which procedures of later deploys may call")


class DeployOut(BaseModel):
    procedures: list[DeployedOut]
    library: list[LibraryFileOut] = Field(
        default_factory=list, description="files with no procedure in them")


class ValidateOut(BaseModel):
    valid: bool
    files: list[str]


class ProblemItem(BaseModel):
    file: str
    line: int | None
    element: str
    message: str


class FieldError(BaseModel):
    field: str
    message: str


class ProblemOut(BaseModel):
    """application/problem+json (RFC 9457)."""

    type: str
    title: str
    status: int
    detail: str
    field: str | None = None
    problems: list[ProblemItem] | None = None
    errors: list[FieldError] | None = None


def problem_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI entries for the problems an endpoint documents."""
    return {status: {"model": ProblemOut,
                     "content": {"application/problem+json": {}}} for status in statuses}


# ---- deadlines ----------------------------------------------------------------------------

_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def _moment_or_day(value: Any) -> datetime | date:
    """An ISO date-time with its offset, or a local date (the office's closing time that
    day); anything else is refused."""
    if not isinstance(value, str):
        raise ValueError("give an ISO date-time with its offset, e.g. "
                         "2026-03-10T17:00:00+07:00, or a date, e.g. 2026-03-10")
    text = value.strip()
    try:
        parsed: datetime | date = date.fromisoformat(text) if _DAY.fullmatch(text) else \
            datetime.fromisoformat(text)
    except ValueError as exc:
        raise ValueError(f"not an ISO date or date-time: {text[:40]!r}") from exc
    if isinstance(parsed, datetime) and parsed.utcoffset() is None:
        raise ValueError("give the offset too, e.g. 2026-03-10T17:00:00+07:00")
    _office_date(parsed if not isinstance(parsed, datetime) else parsed.date())
    return parsed


MomentOrDay = Annotated[
    datetime | date, PlainValidator(_moment_or_day),
    WithJsonSchema({"type": "string", "examples": ["2026-03-10T17:00:00+07:00", "2026-03-10"],
                    "description": "ISO date-time with offset, or a local date meaning the "
                                   "office's closing time (17:00) that day"})]


def _written(value: str) -> str:
    if not value.strip():
        raise ValueError("write the reason; it is printed on the letter")
    return value.strip()


class ApologyRequest(Strict):
    new_due_at: MomentOrDay
    reason: Annotated[NulFree, _text(1000), AfterValidator(_written),
                      Field(examples=["Chờ kết quả xác minh hiện trạng từ phường"])]


# ---- report periods -----------------------------------------------------------------------

def problem_422(field: str, message: str, value: object) -> RequestValidationError:
    """A 422 naming the query parameter ``field`` and what to fix."""
    return RequestValidationError([{"type": "value_error", "loc": ("query", field),
                                    "msg": message, "input": value}])


def _period_error(field: str, message: str, value: date) -> RequestValidationError:
    return RequestValidationError([{"type": "value_error", "loc": ("query", field),
                                    "msg": message, "input": value.isoformat()}])


@dataclass(frozen=True)
class ReportPeriod:
    date_from: date
    date_to: date


def report_period(
    date_from: Annotated[OfficeDate, Query(alias="from", description="first local date")],
    date_to: Annotated[OfficeDate, Query(alias="to", description="last local date, included")],
) -> ReportPeriod:
    """A report's period: ``to`` not before ``from``, at most ``MAX_PERIOD_DAYS`` days."""
    if date_from > date_to:
        raise _period_error("to", f"the period must not end before it starts on {date_from}",
                            date_to)
    if (date_to - date_from).days >= MAX_PERIOD_DAYS:
        raise _period_error("to", f"a report covers at most {MAX_PERIOD_DAYS} days", date_to)
    return ReportPeriod(date_from, date_to)


@dataclass(frozen=True)
class ExportPeriod:
    date_from: date | None
    date_to: date | None


def export_period(
    date_from: Annotated[OfficeDate | None, Query(alias="from",
                                                  description="received on or after")] = None,
    date_to: Annotated[OfficeDate | None, Query(alias="to",
                                                description="received on or before")] = None,
) -> ExportPeriod:
    """Dossiers received in these local dates; either end may stay open."""
    if date_from is not None and date_to is not None and date_from > date_to:
        raise _period_error("to", f"the period must not end before it starts on {date_from}",
                            date_to)
    return ExportPeriod(date_from, date_to)
