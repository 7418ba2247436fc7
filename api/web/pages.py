"""What every page handler gets: the caller, the language, the CSRF token and a renderer;
and the route class that turns engine errors into pages instead of problem+json."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import quote, urlsplit

from fastapi import Depends, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.routing import APIRoute
from fastapi.templating import Jinja2Templates
from jinja2 import pass_context
from jinja2.runtime import Context
from starlette.datastructures import FormData

from api.client import client_address
from api.deps import OfficeDep, SettingsDep
from api.errors import status_of
from api.web import session
from engine.errors import FormInvalid, MotcuaError, NotAllowed, NotFound, TooManyRequests
from engine.i18n import DEFAULT, LANGUAGES, Message, translate
from engine.model import User
from engine.service import attachments
from engine.service import permissions as may
from engine.service.attachments import AttachmentsView
from engine.service.office import Office
from engine.settings import Settings

HERE = Path(__file__).resolve().parent
templates = Jinja2Templates(directory=HERE / "templates")
env = templates.env
env.trim_blocks = True
env.lstrip_blocks = True
env.add_extension("jinja2.ext.i18n")


@pass_context
def _gettext(context: Context, key: str, **values: Any) -> str:
    """``_("id", name=value)`` and ``{% trans %}`` in the reader's language (the page's)."""
    return translate(context.get("lang", DEFAULT), key, **values)


@pass_context
def _ngettext(context: Context, singular: str, plural: str, count: int, **values: Any) -> str:
    # Vietnamese has one form; the catalogs give a count its own placeholder instead.
    return translate(context.get("lang", DEFAULT), singular if count == 1 else plural,
                     num=count, **values)


env.install_gettext_callables(_gettext, _ngettext, newstyle=False)  # type: ignore[attr-defined]


class SignInRequired(Exception):
    """The page needs a signed-in user; answered by a redirect to the sign-in form."""


class CsrfFailed(Exception):
    """A form came back without this session's CSRF token."""


@dataclass
class Page:
    request: Request
    office: Office
    settings: Settings
    user: User | None
    lang: str
    csrf: str
    cookies: list[Callable[[Response], None]] = field(default_factory=list)
    _scans: dict[str, AttachmentsView | None] = field(default_factory=dict, repr=False)

    def t(self, key: str | Message, **values: Any) -> str:
        return translate(self.lang, key, **values)

    @property
    def me(self) -> User:
        if self.user is None:
            raise SignInRequired
        return self.user

    @property
    def client(self) -> str | None:
        """The client's address, for the abuse limits (see ``api.client``)."""
        return client_address(self.request)

    def local(self, moment: datetime | None) -> datetime | None:
        return self.office.calendar.local_time(moment) if moment is not None else None

    def moment(self, value: datetime | None) -> str:
        """A time as the pages print it, in the office's zone."""
        local = self.local(value)
        return f"{local:%H:%M %d/%m/%Y}" if local is not None else "—"

    def scans(self, code: str) -> AttachmentsView | None:
        """The dossier's attachments for the card of ``_attachments.html`` (None for a
        reader who may not see them), read once per page and dossier."""
        if code not in self._scans:
            try:
                self._scans[code] = attachments.attachments(self.office, self.me, code)
            except (NotAllowed, NotFound):
                self._scans[code] = None
        return self._scans[code]

    def today(self) -> date:
        return self.office.calendar.local_time(self.office.now()).date()

    def render(self, template: str, status: int = 200, **context: Any) -> HTMLResponse:
        context.update(page=self, user=self.user, lang=self.lang, csrf=self.csrf, t=self.t,
                       nav=navigation(self.user, self.office.reception_department),
                       path=self.request.url.path)
        response = templates.TemplateResponse(self.request, template, context,
                                              status_code=status)
        self.finish(response)
        return response

    def redirect(self, url: str) -> RedirectResponse:
        response = RedirectResponse(url, status_code=303)
        self.finish(response)
        return response

    def finish(self, response: Response) -> None:
        session.remember_browser(self.request, response)
        for apply in self.cookies:
            apply(response)


def navigation(user: User | None, reception_department: str) -> list[tuple[str, str]]:
    """(dictionary key, path) of the menu entries the user may open: the answers of
    ``permissions``, the same the pages and the use cases give."""
    if user is None:
        return [("nav_online_filing", "/nop-truc-tuyen"), ("nav_lookup", "/tra-cuu")]
    entries = [
        (may.may_work_steps(user), [("nav_mine", "/viec-cua-toi"),
                                    ("nav_department", "/ho-so-phong")]),
        (may.may_receive(reception_department, user), [("nav_reception", "/tiep-nhan")]),
        (may.may_see_late_dossiers(user), [("nav_leader", "/lanh-dao")]),
        (may.may_read_dossiers(user), [("nav_dossiers", "/ho-so")]),
        (may.may_read_reports(user), [("nav_statistics", "/thong-ke"),
                                      ("nav_time", "/thoi-gian")]),
        (may.may_verify_log(user), [("nav_verify", "/kiem-tra-nhat-ky")]),
        (may.may_design(user), [("nav_procedures", "/thu-tuc")]),
        (may.may_view_incidents(user), [("nav_incidents", "/su-co")]),
        (may.may_administer(user), [("nav_admin", "/quan-tri")]),
    ]
    return [item for allowed, items in entries if allowed for item in items]


def home_of(user: User) -> str:
    if user.has_role("staff", "leader", "admin"):
        return "/viec-cua-toi"
    if user.has_role("auditor"):
        return "/thong-ke"
    return "/thu-tuc"


def get_page(request: Request, office: OfficeDep, settings: SettingsDep) -> Page:
    lang = request.cookies.get(session.LANG_COOKIE, DEFAULT)
    user = session.current_user(request, office, settings)
    return Page(request, office, settings, user, lang if lang in LANGUAGES else DEFAULT,
                session.csrf_token(request, settings))


def signed_in(page: Annotated[Page, Depends(get_page)]) -> Page:
    if page.user is None:
        raise SignInRequired
    return page


async def posted(request: Request, settings: SettingsDep) -> FormData:
    """The submitted form, once its CSRF token (field or header) matches the session."""
    form = await request.form()
    sent = form.get(session.CSRF_FIELD) or request.headers.get(session.CSRF_HEADER)
    if not session.csrf_valid(request, settings, sent if isinstance(sent, str) else None):
        raise CsrfFailed
    return form


AnyPage = Annotated[Page, Depends(get_page)]
UserPage = Annotated[Page, Depends(signed_in)]
Posted = Annotated[FormData, Depends(posted)]


def text_field(form: FormData, name: str, limit: int = 2000) -> str:
    value = form.get(name)
    return value.strip()[:limit] if isinstance(value, str) else ""


REFUSAL_PAGE = "/tu-choi"


def _navigated_post(request: Request) -> bool:
    """A form the browser itself submitted (not htmx, not a script asking for data)."""
    return (request.method == "POST" and not request.headers.get("HX-Request")
            and "text/html" in request.headers.get("accept", ""))


def _form_page(request: Request) -> str:
    """The page the refused form was on (this site's Referer), for the link back."""
    sent = urlsplit(request.headers.get("referer", ""))
    if sent.netloc != request.url.netloc or not sent.path:
        return "/"
    return safe_next(sent.path + (f"?{sent.query}" if sent.query else ""))


def _error_page(request: Request, status: int, key: str,
                detail: str | MotcuaError) -> Response:
    """The error as a page; a refused form submission is redirected to the refusal page
    (Post/Redirect/Get), so reloading what the clerk sees never sends the form again."""
    page = get_page(request, request.app.state.office, request.app.state.settings)
    if isinstance(detail, MotcuaError):
        detail = detail.text(page.lang)
    if _navigated_post(request):
        response = page.redirect(REFUSAL_PAGE)
        session.keep_refusal(response, request, page.settings, status, page.t(key), detail,
                             _form_page(request))
        return response
    return page.render("error.html", status=status, title=page.t(key), detail=detail)


def _unavailable_page(request: Request, status: int, retry_after: int) -> HTMLResponse:
    """The database is away: a page made without it (no signed-in user is looked up)."""
    settings: Settings = request.app.state.settings
    lang = request.cookies.get(session.LANG_COOKIE, DEFAULT)
    page = Page(request, request.app.state.office, settings, None,
                lang if lang in LANGUAGES else DEFAULT, session.csrf_token(request, settings))
    response = page.render("error.html", status=status, title=page.t("error_503"),
                           detail=page.t("error_503_retry", seconds=retry_after))
    response.headers["Retry-After"] = str(retry_after)
    return response


def retry_later(response: HTMLResponse, exc: TooManyRequests) -> HTMLResponse:
    """A 429 page says when to come back, in words and in ``Retry-After``."""
    response.headers["Retry-After"] = str(exc.retry_after)
    return response


def _too_many_page(request: Request, exc: TooManyRequests) -> HTMLResponse:
    page = get_page(request, request.app.state.office, request.app.state.settings)
    return retry_later(page.render("error.html", status=429, title=page.t("error_429"),
                                   detail=page.t("error_429_wait", seconds=exc.retry_after)),
                       exc)


def _sign_in_redirect(request: Request) -> Response:
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    if request.headers.get("HX-Request"):
        response = Response(status_code=204)
        response.headers["HX-Redirect"] = f"/dang-nhap?next={quote(target)}"
        return response
    return RedirectResponse(f"/dang-nhap?next={quote(target)}", status_code=303)


class WebRoute(APIRoute):
    """Engine errors on a page become a page (403, 404, 409 …) in the user's language."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        original = super().get_route_handler()

        async def handler(request: Request) -> Response:
            try:
                return await original(request)
            except SignInRequired:
                return _sign_in_redirect(request)
            except CsrfFailed:
                return _error_page(request, 403, "error_csrf", "")
            except RequestValidationError:
                return _error_page(request, 404, "error_404", "")
            except FormInvalid as exc:
                return _error_page(request, 422, "error_422", exc)
            except TooManyRequests as exc:
                return _too_many_page(request, exc)
            except MotcuaError as exc:
                status, _slug = status_of(exc)
                if status == 401:
                    return _sign_in_redirect(request)
                if status == 503:
                    return _unavailable_page(request, status, getattr(exc, "retry_after", 5))
                key = f"error_{status}" if status in (403, 404, 409, 413, 422) else "error_500"
                return _error_page(request, status, key, exc)

        return handler


def safe_next(target: str | None, default: str = "/") -> str:
    """Only paths on this site: never an absolute URL another site could be."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return default
    return target
