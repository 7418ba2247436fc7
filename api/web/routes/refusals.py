"""The pages that say no: a refused form's answer, shown after its redirect (so a reload
sends nothing again), and the page for an address that leads nowhere (the API's own
addresses keep answering problem+json)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from api.errors import http_problem
from api.web import session
from api.web.pages import REFUSAL_PAGE, AnyPage, Page, WebRoute, get_page
from engine.errors import MotcuaError
from engine.i18n import DEFAULT, LANGUAGES

router = APIRouter(route_class=WebRoute, include_in_schema=False)
NOT_PAGES = ("/api/", "/static/")  # what a script or a stylesheet asks for: no page


@router.get(REFUSAL_PAGE, response_class=HTMLResponse)
def refused(page: AnyPage) -> Response:
    note = session.read_refusal(page.request, page.settings)
    if note is None:  # nothing was refused here lately (or the note expired)
        return page.redirect("/")
    status = note["status"]
    assert isinstance(status, int)
    return page.render("error.html", status=status, title=str(note.get("title", "")),
                       detail=str(note.get("detail", "")), back=str(note.get("back", "/")))


def _page(request: Request) -> Page:
    settings = request.app.state.settings
    try:
        return get_page(request, request.app.state.office, settings)
    except MotcuaError:  # the database is away: the page without the signed-in user
        lang = request.cookies.get(session.LANG_COOKIE, DEFAULT)
        return Page(request, request.app.state.office, settings, None,
                    lang if lang in LANGUAGES else DEFAULT,
                    session.csrf_token(request, settings))


async def not_found(request: Request, exc: Exception) -> Response:
    """An unknown address a person opened gets a page in their language."""
    assert isinstance(exc, StarletteHTTPException)
    path = request.url.path
    if exc.status_code != 404 or request.method not in ("GET", "HEAD") or \
            path.startswith(NOT_PAGES):
        return await http_problem(request, exc)
    page = _page(request)
    return page.render("error.html", status=404, title=page.t("page_not_found"),
                       detail=page.t("page_not_found_detail"))
