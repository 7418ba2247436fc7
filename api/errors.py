"""One table from engine errors to HTTP, and every error answered as problem+json (RFC 9457).

Routers raise engine errors (or let the use case raise them); only this module knows HTTP
status codes. ``type`` is a stable URI clients may switch on; ``title`` and ``detail`` are for
a person, in the language the request's ``Accept-Language`` asks for (Vietnamese by default).
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from engine.errors import (
    AlreadyClaimed,
    AlreadyDone,
    AuthenticationFailed,
    Conflict,
    DefinitionInvalid,
    FormInvalid,
    InvalidInput,
    MotcuaError,
    NotAllowed,
    NotFinished,
    NotFound,
    NotOpen,
    NotReady,
    Problem,
    StaleState,
    StepFailed,
    TooLarge,
    TooManyRequests,
    Unavailable,
    UnsafeXml,
    say,
)
from engine.i18n import negotiate, translate

log = logging.getLogger("motcua.api")

PROBLEM_JSON = "application/problem+json"
TYPE_BASE = "https://motcua.dev/problems/"

# Most specific first is not needed: the lookup walks each error's class hierarchy.
STATUS: dict[type[MotcuaError], tuple[int, str]] = {
    DefinitionInvalid: (422, "invalid-definition"),
    UnsafeXml: (422, "unsafe-xml"),
    FormInvalid: (422, "invalid-form-data"),
    StepFailed: (422, "step-failed"),
    TooLarge: (413, "too-large"),
    InvalidInput: (422, "invalid-input"),
    NotFound: (404, "not-found"),
    NotAllowed: (403, "forbidden"),
    AlreadyClaimed: (409, "already-claimed"),
    NotOpen: (409, "not-open"),
    StaleState: (409, "stale-state"),
    NotFinished: (409, "not-finished"),
    AlreadyDone: (409, "already-done"),
    Conflict: (409, "conflict"),
    AuthenticationFailed: (401, "unauthenticated"),
    TooManyRequests: (429, "too-many-requests"),
    Unavailable: (503, "unavailable"),
    NotReady: (503, "not-ready"),
}

_HTTP_TYPES = {400: "bad-request", 401: "unauthenticated", 403: "forbidden", 404: "not-found",
               405: "method-not-allowed", 406: "not-acceptable", 413: "too-large",
               415: "unsupported-media-type"}
_HTTP_TITLES = {400: "Bad request", 404: "Not found", 405: "Method not allowed",
                406: "Not acceptable", 413: "Request too large",
                415: "Unsupported media type"}


class PayloadTooLarge(StarletteHTTPException):
    """A body, an upload or a number of files over the limits: a transport concern, so an
    HTTP exception, which FastAPI lets through even while it reads the body."""

    def __init__(self, detail: str) -> None:
        super().__init__(413, detail)


def problem(status: int, slug: str, title: str, detail: str,
            headers: dict[str, str] | None = None, **extra: Any) -> JSONResponse:
    body: dict[str, Any] = {"type": TYPE_BASE + slug, "title": title, "status": status,
                            "detail": detail}
    body.update({k: v for k, v in extra.items() if v is not None})
    return JSONResponse(body, status_code=status, media_type=PROBLEM_JSON, headers=headers)


def status_of(exc: MotcuaError) -> tuple[int, str]:
    for cls in type(exc).__mro__:
        if cls in STATUS:
            return STATUS[cls]
    return 500, "internal-error"


def _problems(items: list[Problem], lang: str) -> list[dict[str, Any]]:
    return [{"file": p.file, "line": p.line, "element": p.element,
             "message": say(lang, p.message)} for p in items]


def language(request: Request) -> str:
    return negotiate(request.headers.get("accept-language"))


async def _engine_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, MotcuaError)
    lang = language(request)
    status, slug = status_of(exc)
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
    retry_after = getattr(exc, "retry_after", None)
    if retry_after is not None:
        headers = {**(headers or {}), "Retry-After": str(retry_after)}
    found = getattr(exc, "problems", None)
    return problem(status, slug, exc.title_text(lang), exc.text(lang), headers,
                   field=getattr(exc, "field", None) or None,
                   problems=_problems(found, lang) if found else None,
                   step=getattr(exc, "step_id", None),
                   step_name=getattr(exc, "step_name", None),
                   expression=getattr(exc, "expression", None))


_SOURCES = ("body", "query", "path", "header", "cookie", "form")


def _field(loc: tuple[Any, ...]) -> str:
    # ("body", "applicant", "name") → "applicant.name"; ("query", "limit") → "limit"
    parts = loc[1:] if loc and loc[0] in _SOURCES else loc
    return ".".join(str(p) for p in parts)


def _field_error(error: dict[str, Any]) -> dict[str, str]:
    loc = tuple(error.get("loc", ()))
    if error.get("type") == "json_invalid":  # loc holds the offset, not a field
        reason = (error.get("ctx") or {}).get("error", "")
        return {"field": "", "message": f"not valid JSON at character {loc[-1]}: {reason}"}
    field = _field(loc)
    message = str(error.get("msg", "invalid"))
    # Our own value checks locate the bad value inside the object (see api.schemas).
    cause = (error.get("ctx") or {}).get("error")
    inner = getattr(cause, "path", None)
    if isinstance(inner, str):
        field = f"{field}.{inner}" if field and inner else field or inner
        message = str(getattr(cause, "message", message))
    return {"field": field, "message": message}


async def _validation_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors = [_field_error(e) for e in exc.errors()]
    first = errors[0] if errors else {"field": "", "message": "invalid request"}
    title = translate(language(request), "error_invalid_request")
    return problem(422, "invalid-request", title,
                   f"{first['field']}: {first['message']}" if first["field"] else
                   first["message"], field=first["field"] or None, errors=errors)


async def http_problem(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    status = exc.status_code
    slug = _HTTP_TYPES.get(status, f"http-{status}")
    title = _HTTP_TITLES.get(status, "Error")
    detail = exc.detail if isinstance(exc.detail, str) else title
    return problem(status, slug, title, detail, dict(exc.headers or {}) or None)


async def _bug(request: Request, exc: Exception) -> JSONResponse:
    log.exception("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
    lang = language(request)
    return problem(500, "internal-error", translate(lang, "error_title_internal"),
                   translate(lang, "error_internal"))


def install(app: FastAPI) -> None:
    app.add_exception_handler(MotcuaError, _engine_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, http_problem)
    app.add_exception_handler(Exception, _bug)
