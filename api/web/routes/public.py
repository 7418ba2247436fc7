"""What applicants reach without an account: sign-in, the language switch, the status of a
dossier by its code, and rating it once with the receipt secret."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path
from fastapi.responses import HTMLResponse, Response

from api.web import session
from api.web.pages import (
    AnyPage,
    Page,
    Posted,
    WebRoute,
    home_of,
    retry_later,
    safe_next,
    text_field,
)
from engine.errors import (
    AlreadyDone,
    AuthenticationFailed,
    FormInvalid,
    NotAllowed,
    NotFinished,
    NotFound,
    TooManyRequests,
)
from engine.i18n import DEFAULT, LANGUAGES
from engine.model import typed_code
from engine.service import queries, ratings, recovery, users

router = APIRouter(route_class=WebRoute, include_in_schema=False)
LOOKUP_CODE = r"^[A-Za-z0-9.\- ]{1,60}$"


@router.get("/")
def home(page: AnyPage) -> Response:
    return page.redirect(home_of(page.user) if page.user else "/dang-nhap")


@router.get("/dang-nhap", response_class=HTMLResponse)
def sign_in_form(page: AnyPage, next: str = "") -> HTMLResponse:
    return page.render("login.html", next=safe_next(next, ""), username="", failed=False)


@router.post("/dang-nhap")
def sign_in(page: AnyPage, form: Posted) -> Response:
    username = text_field(form, "username", 64)
    password = form.get("password")
    back = safe_next(text_field(form, "next", 500), "")
    try:
        user = users.authenticate(page.office, username,
                                  password if isinstance(password, str) else "", page.client)
    except AuthenticationFailed:
        return page.render("login.html", status=401, next=back, username=username,
                           failed=True)
    except TooManyRequests as exc:
        return retry_later(page.render("login.html", status=429, next=back, username=username,
                                       failed=False, wait=exc.retry_after), exc)
    page.cookies.append(lambda r: session.sign_in(r, page.request, page.settings, user))
    return page.redirect(safe_next(text_field(form, "next", 500), home_of(user)))


@router.post("/dang-xuat")
def sign_out(page: AnyPage, _form: Posted) -> Response:
    """End the session for good: the token in the cookie is refused even if kept."""
    if page.user is not None:
        users.sign_out(page.office, page.user)
    page.cookies.append(session.sign_out)
    return page.redirect("/dang-nhap")


@router.get("/ngon-ngu/{lang}")
def language(lang: str, page: AnyPage, next: str = "/") -> Response:
    """Switch the interface language (a preference cookie; nothing else changes)."""
    chosen = lang if lang in LANGUAGES else DEFAULT
    page.cookies.append(lambda r: r.set_cookie(session.LANG_COOKIE, chosen, httponly=True,
                                               samesite="lax", path="/",
                                               max_age=60 * 60 * 24 * 365))
    return page.redirect(safe_next(next))


@router.get("/tra-cuu", response_class=HTMLResponse)
def lookup_form(page: AnyPage, code: str = "") -> Response:
    code = typed_code(code)
    if code:
        return page.redirect(f"/tra-cuu/{code}") if _valid(code) else page.render(
            "lookup.html", status=404, code=code, missing=True)
    return page.render("lookup.html", code="", missing=False)


@router.get("/tra-cuu/quen-ma", response_class=HTMLResponse)
def recovery_form(page: AnyPage, code: str = "", sent: str = "") -> HTMLResponse:
    """Ask for a new receipt secret; after the POST (PRG) the same page says what happens."""
    typed = typed_code(code)
    return page.render("recover_secret.html", values={"code": typed if _valid(typed) else ""},
                       sent=sent in recovery.CHANNELS and sent, error="", field="")


@router.post("/tra-cuu/quen-ma", response_class=HTMLResponse)
def recover(page: AnyPage, form: Posted) -> Response:
    values = {k: text_field(form, k, 60) for k in ("code", "id_number", "phone", "channel")}
    code = typed_code(values["code"])

    def again(status: int, error: str, field: str = "") -> HTMLResponse:
        return page.render("recover_secret.html", status=status, values=values, sent="",
                           error=error, field=field)

    if not _valid(code):
        return again(422, page.t("recovery_code_needed"), "code")
    try:
        recovery.recover_secret(page.office, code, values["id_number"], values["phone"],
                                values["channel"], page.client)
    except FormInvalid as exc:
        return again(422, page.t(exc.reason), exc.field)
    except TooManyRequests as exc:
        return retry_later(again(429, page.t("error_429_wait", seconds=exc.retry_after)), exc)
    # The same answer whether the details matched or not: nothing to probe with.
    return page.redirect(f"/tra-cuu/quen-ma?code={code}&sent={values['channel']}")


def _valid(code: str) -> bool:
    return 0 < len(code) <= 48 and all(c.isalnum() or c in ".-" for c in code) and \
        code.isascii()


def _status_page(page: Page, code: str, status: int = 200, counted: bool = False,
                 **extra: object) -> HTMLResponse:
    """``counted``: a lookup (counted against the address), not the page after a rating."""
    try:
        found = queries.public_dossier(page.office, code, page.client if counted else None)
    except NotFound:
        return page.render("lookup.html", status=404, code=code, missing=True)
    return page.render("public_status.html", status=status, d=found,
                       survey=ratings.questions(), **{
        "message": "", "error": "", "values": {}, **extra})


@router.get("/tra-cuu/{code}", response_class=HTMLResponse)
def lookup(code: Annotated[str, Path(pattern=r"^[A-Za-z0-9.\-]{1,48}$")],
           page: AnyPage) -> HTMLResponse:
    return _status_page(page, code, counted=True)


def _small(form: object, name: str, low: int, high: int) -> int | None:
    value = text_field(form, name, 10)  # type: ignore[arg-type]
    return int(value) if value.isdigit() and low <= int(value) <= high else None


def _answers(form: object, survey: ratings.Survey) -> dict[str, int | bool | None]:
    """The survey's answers as the form sent them; a blank or unreadable one is None (the
    required one is then asked again)."""
    found: dict[str, int | bool | None] = {}
    for q in survey.questions:
        if q.scale == "yes_no":
            found[q.code] = {"yes": True, "no": False}.get(
                text_field(form, q.code, 10))  # type: ignore[arg-type]
        else:
            found[q.code] = _small(form, q.code, *((1, 5) if q.scale == "satisfaction5"
                                                   else (0, ratings.MAX_VISITS)))
    return found


@router.post("/tra-cuu/{code}/danh-gia", response_class=HTMLResponse)
def rate(code: Annotated[str, Path(pattern=r"^[A-Za-z0-9.\-]{1,48}$")], page: AnyPage,
         form: Posted) -> HTMLResponse:
    survey = ratings.questions()
    values = {k: text_field(form, k, 2000) for k in
              (*(q.code for q in survey.questions), "comment")}
    answers = _answers(form, survey)
    satisfaction = answers.pop("satisfaction", None)
    if not isinstance(satisfaction, int) or isinstance(satisfaction, bool):
        return _status_page(page, code, 422, error=page.t("rating_choose"), values=values)
    on_time, attitude, visits = (answers.pop(k, None) for k in
                                 ("on_time", "staff_attitude", "visits"))
    rating = ratings.Rating(
        code=code, satisfaction=satisfaction,
        on_time=on_time if isinstance(on_time, bool) else None,
        staff_attitude=attitude if isinstance(attitude, int) else None,
        visits=visits if isinstance(visits, int) else None,
        comment=values["comment"] or None,
        answers={k: v for k, v in answers.items() if v is not None})
    try:
        ratings.rate(page.office, code, text_field(form, "secret", 32), rating, page.client)
    except TooManyRequests as exc:
        return retry_later(_status_page(page, code, 429, values=values, error=page.t(
            "error_429_wait", seconds=exc.retry_after)), exc)
    except NotAllowed:
        return _status_page(page, code, 403, error=page.t("rating_wrong_secret"),
                            values=values)
    except NotFinished:
        return _status_page(page, code, 409, error=page.t("rating_not_finished"))
    except AlreadyDone:
        return _status_page(page, code, 409, error=page.t("rating_done_already"))
    return _status_page(page, code, message=page.t("rating_thanks"))
