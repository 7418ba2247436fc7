"""Dossiers: the list, one dossier with its control sheet, Gantt chart and diagram, and the
printed forms (receipt, supplement request, apology letter) rendered by the engine."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Path, Query
from fastapi.responses import HTMLResponse, Response

from api.web.gantt import gantt_svg
from api.web.pages import Page, Posted, UserPage, WebRoute, text_field
from engine.errors import InvalidInput, NotFound
from engine.model import DossierStatus
from engine.service import apologies, documents, queries
from engine.service.views import dashboard, pages
from engine.service.views.printing import CONTENT_SECURITY_POLICY, Letterhead

router = APIRouter(route_class=WebRoute, include_in_schema=False)
CODE = r"^[A-Za-z0-9.\-]{1,48}$"
Code = Annotated[str, Path(pattern=CODE)]
STATUSES = tuple(DossierStatus)
PAGE_SIZE = 50


def letterhead(page: Page) -> Letterhead:
    return Letterhead(agency_name=page.settings.agency_name)


def lookup_url(page: Page, code: str) -> str:
    base = page.settings.public_url or str(page.request.base_url)
    return f"{base.rstrip('/')}/tra-cuu/{code}"


@router.get("/ho-so", response_class=HTMLResponse)
def dossier_list(page: UserPage, code: str = "", status: str = "", procedure: str = "",
                 overdue: bool = False, q: str = "",
                 offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0) -> HTMLResponse:
    user = page.me
    code = code.strip()
    if code:
        return dossier(code, page) if _exists(page, code) else page.render(
            "dossiers.html", status=404, found=None, missing=code, filters={},
            procedures=queries.procedures(page.office, user), statuses=STATUSES)
    catalogue = queries.procedures(page.office, user)
    chosen = procedure if procedure in {p.key for p in catalogue} else None
    found = queries.dossier_page(page.office, user, status=status if status in STATUSES
                                 else None, procedure=chosen, overdue=overdue,
                                 q=q, limit=PAGE_SIZE, offset=offset)
    query = "&" + urlencode({"status": status, "procedure": chosen or "", "q": q}) + (
        "&overdue=true" if overdue else "")
    return page.render("dossiers.html", found=found, missing="", procedures=catalogue,
                       statuses=STATUSES, query=query, q=q,
                       filters={"status": status, "procedure": chosen, "overdue": overdue})


def _exists(page: Page, code: str) -> bool:
    try:
        queries.dossier_detail(page.office, page.me, code)
    except NotFound:
        return False
    return True


@router.get("/ho-so/{code}", response_class=HTMLResponse)
def dossier(code: Code, page: UserPage) -> HTMLResponse:
    view = pages.dossier_page_view(page.office, page.me, code)
    return page.render(
        "dossier.html", d=view.detail, sheet=view.sheet,
        gantt=gantt_svg(view.sheet, page.office.now(), page.t, page.moment),
        results=view.results, labels=view.labels, can_apologise=view.can_apologise,
        can_reprint=view.can_reprint, has_supplement=view.has_supplement,
        checking=view.checking, refused_at_desk=view.refused_at_desk,
        apology_count=view.apology_count, current_steps=view.diagram.current_steps,
        done_steps=view.diagram.done_steps, messages=view.messages)


# The printed forms: the same engine functions, and the same headers, as the API's
# document routes (a content security policy that lets only the print button run).
PRINTED = {"Content-Security-Policy": CONTENT_SECURITY_POLICY,
           "X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer",
           "Cache-Control": "no-store"}


def printed(html: str) -> HTMLResponse:
    return HTMLResponse(html, headers=PRINTED)


@router.get("/ho-so/{code}/giay-hen", response_class=HTMLResponse)
def receipt(code: Code, page: UserPage) -> HTMLResponse:
    """The appointment receipt, printed again: without the secret, which was shown once."""
    return printed(documents.receipt(page.office, page.me, code, letterhead(page),
                                     str(page.request.base_url)))


@router.get("/ho-so/{code}/phieu-bo-sung", response_class=HTMLResponse)
def supplement(code: Code, page: UserPage) -> HTMLResponse:
    return printed(documents.supplement_request(page.office, page.me, code, letterhead(page)))


@router.get("/ho-so/{code}/phieu-xin-loi", response_class=HTMLResponse)
def apology_letter(code: Code, page: UserPage) -> HTMLResponse:
    return printed(documents.apology_letter(page.office, page.me, code, letterhead(page)))


@router.get("/ho-so/{code}/phieu-kiem-soat", response_class=HTMLResponse)
def control_sheet(code: Code, page: UserPage) -> HTMLResponse:
    return printed(documents.control_sheet(page.office, page.me, code, letterhead(page)))


@router.get("/lanh-dao", response_class=HTMLResponse)
def leader(page: UserPage) -> HTMLResponse:
    """The leader's dashboard: figures, load, signatures, overdue steps, apologies."""
    view = dashboard.dashboard(page.office, page.me)
    period = view.period_figures
    charts = {
        "outcomes": [period.early, period.on_time, period.late, period.pending - period.overdue,
                     period.overdue],
        "departments": [{"label": d.department_name, "open": d.open, "claimed": d.claimed,
                         "overdue": d.overdue} for d in view.departments],
        "people": [{"label": p.full_name, "claimed": p.claimed, "overdue": p.overdue}
                   for p in view.people],
        "labels": {k: page.t(k) for k in (
            "dash_early", "dash_on_time", "dash_late", "dash_pending_within",
            "dash_overdue", "dash_open", "dash_claimed", "dash_steps")},
    }
    return page.render("leader.html", view=view, charts=charts)


def parse_local(page: Page, day: str, clock: str) -> datetime | None:
    try:
        naive = datetime.fromisoformat(f"{day}T{clock or '17:00'}")
    except ValueError:
        return None
    return naive.replace(tzinfo=page.office.calendar.tz)


def _apology_form(page: Page, code: str, reason: str = "", day: str = "", clock: str = "17:00",
                  error: str = "", status: int = 200) -> HTMLResponse:
    detail = queries.dossier_detail(page.office, page.me, code)
    promised = detail.appointment_at or detail.due_at
    if not day and promised is not None:
        day = page.office.calendar.next_working_day(promised.date()).isoformat()
    return page.render("apology_form.html", status=status, d=detail, promised=promised,
                       reason=reason, day=day, clock=clock, error=error)


@router.get("/ho-so/{code}/xin-loi", response_class=HTMLResponse)
def apology_form(code: Code, page: UserPage) -> HTMLResponse:
    return _apology_form(page, code)


@router.post("/ho-so/{code}/xin-loi")
def record_apology(code: Code, page: UserPage, form: Posted) -> Response:
    reason = text_field(form, "reason", 1000)
    day, clock = text_field(form, "day", 10), text_field(form, "time", 5)
    new_date = parse_local(page, day, clock)
    if not reason or new_date is None:
        return _apology_form(page, code, reason, day, clock or "17:00",
                             page.t("apology_missing"), 422)
    try:
        apologies.record_apology(page.office, code, page.me, new_date, reason)
    except InvalidInput as exc:
        return _apology_form(page, code, reason, day, clock, exc.text(page.lang), 422)
    return page.redirect(f"/ho-so/{code}/phieu-xin-loi")
