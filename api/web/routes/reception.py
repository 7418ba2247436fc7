"""The one-stop desk: pick a procedure, fill in its start form and the applicant, check the
dossier (``api.web.routes.desk``), print the appointment receipt (with the secret, shown this
once)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path
from fastapi.responses import HTMLResponse, Response

from api.web import forms, session
from api.web.applicant_form import NOTIFY, applicant_fields, read_applicant
from api.web.pages import Page, Posted, UserPage, WebRoute, text_field
from api.web.routes.dossiers import Code, letterhead, lookup_url
from engine.errors import FormInvalid, InvalidInput, NotAllowed
from engine.model import CHANNELS
from engine.service import desk, dossiers, queries
from engine.service.permissions import may_receive
from engine.service.views import printing

router = APIRouter(route_class=WebRoute, include_in_schema=False)
Key = Annotated[str, Path(pattern=r"^[A-Za-z_][A-Za-z0-9_.\-]{0,99}$")]
APPLICANT = applicant_fields("applicant_email")


def _desk(page: Page) -> None:
    """The desk's pages are for those who may receive a dossier (``dossiers.submit``'s rule),
    said in the user's language before the form is filled in."""
    if not may_receive(page.office.reception_department, page.me):
        raise NotAllowed(page.t("error_desk_only"))


@router.get("/tiep-nhan", response_class=HTMLResponse)
def procedures(page: UserPage) -> HTMLResponse:
    _desk(page)
    return page.render("reception.html", procedures=queries.procedures(page.office, page.me))


def _form_page(page: Page, key: str, values: dict[str, Any] | None = None,
               applicant: dict[str, Any] | None = None, channel: str = "direct",
               errors: dict[str, str] | None = None, status: int = 200,
               resolving: str | None = None) -> HTMLResponse:
    detail = queries.procedure_detail(page.office, page.me, key)
    assert page.me is not None
    choices = dossiers.resolving_choices(page.office, key, page.me)
    errors = errors or {}
    return page.render("reception_form.html", status=status, procedure=detail,
                       units=choices.units, resolving=resolving or choices.default,
                       fields=forms.fields(detail.start_form, values, errors),
                       applicant=applicant or {}, channel=channel, channels=CHANNELS,
                       applicant_fields=APPLICANT, notify_channels=NOTIFY, errors=errors,
                       error=page.t("form_has_errors", count=len(errors)) if errors else "")


@router.get("/tiep-nhan/{key}", response_class=HTMLResponse)
def start_form(key: Key, page: UserPage) -> HTMLResponse:
    _desk(page)
    return _form_page(page, key)


@router.post("/tiep-nhan/{key}")
def submit(key: Key, page: UserPage, form: Posted) -> Response:
    _desk(page)
    detail = queries.procedure_detail(page.office, page.me, key)
    reading, bounds = forms.read(detail.start_form, form)
    errors = {name: page.t(k, bound=bounds.get(name)) for name, k in reading.errors.items()}
    applicant = read_applicant(page, form, APPLICANT, errors)
    # The boxes sent, from a form that offered them: all ticked (as the form comes) means
    # every channel with a contact, none ticked told by no channel, some those only.
    if text_field(form, "notify_offered", 1):
        ticked = [c for c in NOTIFY if c in form.getlist("applicant_notify")]
        if len(ticked) < len(NOTIFY):
            applicant["notify"] = ticked
    channel = text_field(form, "channel", 10)
    if channel not in CHANNELS:
        errors["channel"] = page.t("form_choice", bound=None)
    resolving = text_field(form, "resolving_unit", 32) or None
    if not errors:
        try:
            receipt = dossiers.submit(page.office, key, applicant, channel, reading.data,
                                      page.me, resolving_unit=resolving)
        except FormInvalid as exc:
            field = exc.field.replace("applicant.", "applicant_")
            errors[field] = f"{page.t('form_invalid', bound=None)} ({exc.text(page.lang)})"
        except InvalidInput as exc:  # the route: the unit chosen cannot resolve it
            errors["resolving_unit"] = f"{page.t('resolving_unit_refused')} ({exc.text(page.lang)})"
        else:
            page.cookies.append(lambda r: session.keep_receipt_secret(
                r, page.request, page.settings, receipt.code, receipt.secret))
            return page.redirect(f"/ho-so/{receipt.code}/da-tiep-nhan")
    return _form_page(page, key, reading.values, applicant, channel, errors, 422, resolving)


@router.get("/ho-so/{code}/da-tiep-nhan", response_class=HTMLResponse)
def received(code: Code, page: UserPage) -> HTMLResponse:
    """Right after a submission: the dossier waits for the desk's check, which leads back
    here once accepted; then the receipt with its secret, which is kept nowhere else."""
    checking = desk.desk_view(page.office, page.me, code)
    if checking.waiting:  # the secret stays in the browser until the receipt is printed
        return page.render("received.html", d=checking.dossier,
                           procedure_name=checking.procedure_name, secret=None, printed="",
                           checking=True)
    secret = session.read_receipt_secret(page.request, page.settings, code)
    found = printing.received(page.office, page.me, code, letterhead(page), secret,
                              lookup_url(page, code))
    page.cookies.append(session.forget_receipt_secret)
    return page.render("received.html", d=found.dossier, procedure_name=found.procedure_name,
                       secret=secret, printed=found.printed, checking=False)

