"""Online filing without an account ("Nộp hồ sơ trực tuyến"): choose the desk and the
procedure, fill in the desk's start form with a scan per document, review, send; the answer
shows the dossier code and its secret once (Post/Redirect/Get: the secret travels in a
short-lived cookie, never in a URL)."""

from __future__ import annotations

import re
from typing import Annotated, Any

from fastapi import APIRouter, Path
from fastapi.responses import HTMLResponse, Response
from starlette.datastructures import FormData, UploadFile

from api.routers.files import read_upload
from api.web import forms, review_token, session
from api.web.applicant_form import NOTIFY, applicant_fields, read_applicant
from api.web.pages import AnyPage, Page, Posted, WebRoute, text_field
from api.web.routes.dossiers import Code
from engine.errors import FormInvalid, InvalidInput, TooLarge, TooManyRequests
from engine.i18n import msg
from engine.service import online_filing
from engine.service.online_filing import FilingForm, Scan

router = APIRouter(route_class=WebRoute, include_in_schema=False)
Key = Annotated[str, Path(pattern=r"^[A-Za-z_][A-Za-z0-9_.\-]{0,99}$")]
REVIEW_ENDING = "/xem-lai"
FILE_PREFIX = "tep_"  # the file input of a document: tep_<document code>
APPLICANT = applicant_fields("online_email")
UNIT = re.compile(r"^[0-9A-Z]{1,8}(\.[0-9A-Z]{1,8}){0,5}$")


def _unit(value: str) -> str | None:
    value = value.strip().upper()
    return value if UNIT.match(value) else None


@router.get("/nop-truc-tuyen", response_class=HTMLResponse)
def choose(page: AnyPage, don_vi: str = "", thu_tuc: str = "") -> Response:
    """The desks and the procedures; choosing both leads to the procedure's form."""
    found = online_filing.catalogue(page.office)
    keys = {p.key for p in found.procedures}
    if thu_tuc in keys:
        unit = _unit(don_vi)
        return page.redirect(f"/nop-truc-tuyen/{thu_tuc}" + (f"?don_vi={unit}" if unit else ""))
    return page.render("online_choose.html", status=422 if thu_tuc else 200, c=found,
                       unit=_unit(don_vi) or found.default_unit,
                       error=page.t("online_choose_procedure") if thu_tuc else "")


def _form_page(page: Page, filing: FilingForm, values: dict[str, Any] | None = None,
               applicant: dict[str, Any] | None = None, errors: dict[str, str] | None = None,
               error: str = "", status: int = 200) -> HTMLResponse:
    errors = errors or {}
    if errors and not error:
        error = page.t("form_has_errors", count=len(errors))
    return page.render("online_form.html", status=status, f=filing,
                       fields=forms.fields(filing.start_form, values, errors),
                       applicant=applicant or {"notify": []}, applicant_fields=APPLICANT,
                       errors=errors, error=error, file_prefix=FILE_PREFIX)


@router.get("/nop-truc-tuyen/{key}", response_class=HTMLResponse)
def start_form(key: Key, page: AnyPage, don_vi: str = "") -> HTMLResponse:
    return _form_page(page, online_filing.filing_form(page.office, key, _unit(don_vi)))


def _applicant(page: Page, form: FormData, errors: dict[str, str]) -> dict[str, Any]:
    applicant = read_applicant(page, form, APPLICANT, errors)
    # None ticked: no messages (engine.people checks the address and each channel's contact).
    applicant["notify"] = [n for n in NOTIFY if n in form.getlist("notify")]
    return applicant


def _scans(page: Page, filing: FilingForm, form: FormData,
           errors: dict[str, str]) -> list[Scan]:
    scans = []
    for document in filing.procedure.documents:
        sent = form.get(FILE_PREFIX + document.code)
        if isinstance(sent, UploadFile) and sent.filename:
            scans.append(Scan(document.code, sent.filename,
                              read_upload(sent, page.office.file_limits.per_file)))
        elif document.required:
            errors[FILE_PREFIX + document.code] = page.t("online_scan_required")
    return scans


@router.post("/nop-truc-tuyen/{key}/xem-lai", response_class=HTMLResponse)
def review(key: Key, page: AnyPage, form: Posted) -> HTMLResponse:
    """Check everything and store the scans; show what will be filed, with the fee and the
    due date, and nothing recorded yet."""
    unit = _unit(text_field(form, "don_vi", 40))
    filing = online_filing.filing_form(page.office, key, unit)
    reading, bounds = forms.read(filing.start_form, form)
    errors = {name: page.t(k, bound=bounds.get(name)) for name, k in reading.errors.items()}
    applicant = _applicant(page, form, errors)
    scans = _scans(page, filing, form, errors)
    if errors:
        return _form_page(page, filing, reading.values, applicant, errors, status=422)
    try:
        found = online_filing.review(page.office, key, dict(applicant), reading.data, scans,
                                     filing.receiving.agency_code, page.client)
    except FormInvalid as exc:
        field = exc.field.replace("applicant.", "applicant_")
        errors[field] = f"{page.t('form_invalid', bound=None)} ({exc.text(page.lang)})"
        return _form_page(page, filing, reading.values, applicant, errors, status=422)
    except InvalidInput as exc:  # a scan refused, the route, a quota of size
        return _form_page(page, filing, reading.values, applicant, error=exc.text(page.lang),
                          status=413 if isinstance(exc, TooLarge) else 422)
    token = review_token.sign(page.settings, review_token.Reviewed(
        key, filing.receiving.agency_code, found.applicant, found.data,
        [(s.slot, s.filename, s.sha256) for s in found.scans]))
    return page.render("online_review.html", r=found, token=token,
                       fields=forms.fields(filing.start_form, found.data))


@router.post("/nop-truc-tuyen/{key}/sua", response_class=HTMLResponse)
def edit(key: Key, page: AnyPage, form: Posted) -> HTMLResponse:
    """Back from the review to the form, filled in as reviewed (the files to choose again)."""
    reviewed = review_token.read(page.settings, text_field(form, "review", 200_000), key)
    if reviewed is None:
        raise InvalidInput(msg("online_review_expired"))
    filing = online_filing.filing_form(page.office, key, reviewed.unit)
    return _form_page(page, filing, reviewed.data, reviewed.applicant,
                      error=page.t("online_choose_files_again"))


@router.post("/nop-truc-tuyen/{key}/gui")
def send(key: Key, page: AnyPage, form: Posted) -> Response:
    """File the reviewed dossier: everything checked again, the scans read back by their
    sha256; then the answer page, which shows the secret once."""
    reviewed = review_token.read(page.settings, text_field(form, "review", 200_000), key)
    if reviewed is None:
        raise InvalidInput(msg("online_review_expired"))
    try:
        scans = online_filing.held_scans(page.office, reviewed.scans)
        receipt = online_filing.file_online(page.office, key, reviewed.applicant,
                                            reviewed.data, scans, page.client, reviewed.unit,
                                            review_id=reviewed.nonce)
    except TooManyRequests:
        raise
    except InvalidInput as exc:  # changed since the review: the form again, with why
        filing = online_filing.filing_form(page.office, key, reviewed.unit)
        return _form_page(page, filing, reviewed.data, reviewed.applicant,
                          error=exc.text(page.lang),
                          status=413 if isinstance(exc, TooLarge) else 422)
    page.cookies.append(lambda r: session.keep_receipt_secret(
        r, page.request, page.settings, receipt.code, receipt.secret))
    return page.redirect(f"/nop-truc-tuyen/da-nop/{receipt.code}")


@router.get("/nop-truc-tuyen/da-nop/{code}", response_class=HTMLResponse)
def filed(code: Code, page: AnyPage) -> HTMLResponse:
    """The code, and the secret this once: the note that carried it is deleted."""
    secret = session.read_receipt_secret(page.request, page.settings, code)
    page.cookies.append(session.forget_receipt_secret)
    return page.render("online_filed.html", code=code, secret=secret)
