"""The applicant's online supplement from the lookup page (``_supplement_online.html``):
the receipt's secret shows what the office asked for, then the files are sent (PRG). The
secret is posted, never put in a URL; a refusal is the same page with its reason."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path
from fastapi.responses import HTMLResponse, Response
from starlette.datastructures import UploadFile

from api.errors import status_of
from api.routers.files import read_upload
from api.web.pages import AnyPage, Page, Posted, WebRoute, retry_later, text_field
from engine.errors import MotcuaError, NotFound, TooManyRequests
from engine.service import applicant_supplement as online

router = APIRouter(route_class=WebRoute, include_in_schema=False)
CODE = r"^[A-Za-z0-9.\-]{1,48}$"
SUPPLEMENT_PAGE_ENDING = "/bo-sung"
Code = Annotated[str, Path(pattern=CODE)]


def _status(exc: MotcuaError) -> int:
    return status_of(exc)[0]


def _page(page: Page, code: str, secret: str, status: int = 200, error: str = "",
          note: str = "") -> HTMLResponse:
    """The supplement page: what is missing once the secret matches, else the secret form
    with the reason it was refused."""
    found: online.WhatIsMissing | None = None
    if secret:
        try:
            found = online.what_is_missing(page.office, code, secret, page.client)
        except TooManyRequests as exc:
            return retry_later(page.render(
                "supplement_online.html", status=429, code=code, found=None, secret="",
                note=note, error=page.t("error_429_wait", seconds=exc.retry_after)), exc)
        except NotFound:
            return page.render("lookup.html", status=404, code=code, missing=True)
        except MotcuaError as exc:
            status, error = (status if error else _status(exc)), error or exc.text(page.lang)
    return page.render("supplement_online.html", status=status, code=code, found=found,
                       secret=secret if found else "", note=note, error=error)


@router.post("/tra-cuu/{code}/bo-sung/xem", response_class=HTMLResponse)
def show(code: Code, page: AnyPage, form: Posted) -> HTMLResponse:
    secret = text_field(form, "secret", 32)
    if not secret:
        return _page(page, code, "", 422, page.t("sup_web_secret_needed"))
    return _page(page, code, secret)


@router.post("/tra-cuu/{code}" + SUPPLEMENT_PAGE_ENDING)
def send(code: Code, page: AnyPage, form: Posted) -> Response:
    secret = text_field(form, "secret", 32)
    note = text_field(form, "note", online.MAX_NOTE + 1)
    limit = page.office.file_limits.per_file
    uploads: list[online.Upload] = []
    for n in range(online.MAX_FILES + 1):
        sent = form.get(f"file_{n}")
        if isinstance(sent, UploadFile) and sent.filename:
            uploads.append(online.Upload(text_field(form, f"slot_{n}", 100),
                                         sent.filename, read_upload(sent, limit)))
    try:
        online.supplement(page.office, code, secret, uploads, note, page.client)
    except TooManyRequests as exc:
        return retry_later(page.render(
            "supplement_online.html", status=429, code=code, found=None, secret="", note=note,
            error=page.t("error_429_wait", seconds=exc.retry_after)), exc)
    except NotFound:
        return page.render("lookup.html", status=404, code=code, missing=True)
    except MotcuaError as exc:
        return _page(page, code, secret, _status(exc), exc.text(page.lang), note)
    return page.redirect(f"/tra-cuu/{code}/bo-sung/da-nhan")


@router.get("/tra-cuu/{code}/bo-sung/da-nhan", response_class=HTMLResponse)
def sent(code: Code, page: AnyPage) -> HTMLResponse:
    """After a supplement: said so, with the way back to the dossier's status."""
    return page.render("supplement_sent.html", code=code)
