"""Incidents (Sự cố): dossiers whose timer path failed, for leaders, designers and auditors;
a retry button, and for a leader the dossier's submitted data to correct."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path
from fastapi.responses import HTMLResponse, Response

from api.web import forms
from api.web.pages import Page, Posted, UserPage, WebRoute, text_field
from engine.errors import FormInvalid, InvalidInput
from engine.model import IncidentStatus
from engine.service import incidents

router = APIRouter(route_class=WebRoute, include_in_schema=False)
IncidentId = Annotated[int, Path(ge=1, le=2**31 - 1)]
NOTICES = ("notice_incident_resolved", "notice_incident_still_failing")


@router.get("/su-co", response_class=HTMLResponse)
def incident_list(page: UserPage, da_xu_ly: bool = False) -> HTMLResponse:
    status = IncidentStatus.RESOLVED if da_xu_ly else IncidentStatus.OPEN
    found = incidents.incidents(page.office, page.me, status)
    done = page.request.query_params.get("done", "")
    return page.render("incidents.html", items=found, resolved=da_xu_ly,
                       notice=page.t(done) if done in NOTICES else "",
                       failing=done == "notice_incident_still_failing")


def _detail(page: Page, incident_id: int, *, values: dict[str, object] | None = None,
            errors: dict[str, str] | None = None, error: str = "", reason: str = "",
            status: int = 200) -> HTMLResponse:
    detail = incidents.incident_detail(page.office, page.me, incident_id)
    shown = detail.values if values is None else values
    done = page.request.query_params.get("done", "")
    return page.render("incident.html", status=status, incident=detail.incident,
                       fields=forms.fields(detail.form, shown, errors), error=error,
                       reason=reason, notice=page.t(done) if done in NOTICES else "",
                       failing=done == "notice_incident_still_failing")


@router.get("/su-co/{incident_id}", response_class=HTMLResponse)
def incident(incident_id: IncidentId, page: UserPage) -> HTMLResponse:
    return _detail(page, incident_id)


def _after(page: Page, view: incidents.IncidentView, back: str) -> Response:
    key = "notice_incident_resolved" if view.status == IncidentStatus.RESOLVED else \
        "notice_incident_still_failing"
    return page.redirect(f"{back}?done={key}")


@router.post("/su-co/{incident_id}/chay-lai")
def retry(incident_id: IncidentId, page: UserPage, form: Posted) -> Response:
    view = incidents.retry(page.office, incident_id, page.me)
    back = f"/su-co/{incident_id}" if text_field(form, "back", 20) == "detail" else "/su-co"
    return _after(page, view, back)


@router.post("/su-co/{incident_id}/sua-du-lieu")
def correct(incident_id: IncidentId, page: UserPage, form: Posted) -> Response:
    detail = incidents.incident_detail(page.office, page.me, incident_id)
    reading, bounds = forms.read(detail.form, form)
    reason = text_field(form, "reason", 1000)
    messages = {name: page.t(key, bound=bounds.get(name)) for name, key in
                reading.errors.items()}
    if not reason:  # said here, in the page's language, before the engine says it
        return _detail(page, incident_id, values=reading.values, errors=messages,
                       error=page.t("correct_reason_required"), status=422)
    if reading.ok:
        try:
            view = incidents.correct(page.office, incident_id, page.me, reading.data, reason)
        except FormInvalid as exc:
            field = exc.field.split(".")[0]
            messages = {field: f"{page.t('form_invalid', bound=None)} ({exc.text(page.lang)})"}
        except InvalidInput as exc:
            return _detail(page, incident_id, values=reading.values, error=exc.text(page.lang),
                           reason=reason, status=422)
        else:
            return _after(page, view, f"/su-co/{incident_id}")
    return _detail(page, incident_id, values=reading.values, errors=messages, reason=reason,
                   error=page.t("form_has_errors", count=len(messages)), status=422)
