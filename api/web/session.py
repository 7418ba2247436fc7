"""The browser session: the API's own JWT in an HttpOnly cookie, a CSRF token per session, and
a short-lived note that carries a receipt secret from the submission to the page after it, and
one that carries a refused form's answer to the refusal page (so a reload posts nothing).
Signing out raises the user's token generation, so the cookie's token is dead even if a copy
of it was kept.

The CSRF token is an HMAC of the session (and of a random per-browser value), so it needs no
storage: it changes at every sign-in and a page of another site cannot compute it.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import UTC, datetime, timedelta

import jwt
from fastapi import Request, Response

from api import auth
from engine.errors import AuthenticationFailed
from engine.model import User
from engine.service import users
from engine.service.office import Office
from engine.settings import Settings

SESSION_COOKIE = "motcua_session"
BROWSER_COOKIE = "motcua_browser"
LANG_COOKIE = "motcua_lang"
RECEIPT_COOKIE = "motcua_receipt"
CSRF_FIELD = "csrf"
CSRF_HEADER = "X-CSRF-Token"
RECEIPT_MINUTES = 10
_RECEIPT_AUDIENCE = "motcua-receipt"


def _secure(request: Request) -> bool:
    return request.url.scheme == "https"


def sign_in(response: Response, request: Request, settings: Settings, user: User) -> None:
    token = auth.issue(settings, user.username, user.token_generation)
    response.set_cookie(SESSION_COOKIE, token.access_token, max_age=token.expires_in,
                        httponly=True, samesite="lax", secure=_secure(request), path="/")


def sign_out(response: Response) -> None:
    response.delete_cookie(SESSION_COOKIE, path="/")


def current_user(request: Request, office: Office, settings: Settings) -> User | None:
    """The signed-in user, or None when there is no session or it is no longer valid."""
    token = request.cookies.get(SESSION_COOKIE)
    if not token:
        return None
    try:
        claims = auth.read(settings, token)
        return users.active_user(office, claims.username, claims.generation)
    except AuthenticationFailed:
        return None


def browser_id(request: Request) -> str:
    """A random value per browser, made on its first visit (see ``remember_browser``)."""
    value = request.cookies.get(BROWSER_COOKIE, "")
    if len(value) == 32 and value.isalnum():
        return value
    cached = getattr(request.state, "browser_id", None)
    if cached is None:
        cached = secrets.token_hex(16)
        request.state.browser_id = cached
    return str(cached)


def remember_browser(request: Request, response: Response) -> None:
    if request.cookies.get(BROWSER_COOKIE) != browser_id(request):
        response.set_cookie(BROWSER_COOKIE, browser_id(request), httponly=True,
                            samesite="lax", secure=_secure(request), path="/",
                            max_age=60 * 60 * 24 * 365)


def csrf_token(request: Request, settings: Settings) -> str:
    message = f"csrf|{browser_id(request)}|{request.cookies.get(SESSION_COOKIE, '')}"
    return hmac.new(settings.secret_key.encode(), message.encode(), hashlib.sha256).hexdigest()


def csrf_valid(request: Request, settings: Settings, sent: str | None) -> bool:
    if not sent or BROWSER_COOKIE not in request.cookies:
        return False
    return hmac.compare_digest(sent, csrf_token(request, settings))


def keep_receipt_secret(response: Response, request: Request, settings: Settings, code: str,
                        secret: str) -> None:
    """Carry the receipt secret to the next page only (it is stored nowhere else)."""
    claims = {"code": code, "secret": secret, "aud": _RECEIPT_AUDIENCE,
              "exp": datetime.now(UTC) + timedelta(minutes=RECEIPT_MINUTES)}
    note = jwt.encode(claims, settings.secret_key, algorithm=auth.ALGORITHM)
    response.set_cookie(RECEIPT_COOKIE, note, max_age=RECEIPT_MINUTES * 60, httponly=True,
                        samesite="strict", secure=_secure(request), path="/")


def read_receipt_secret(request: Request, settings: Settings, code: str) -> str | None:
    """The secret kept for ``code`` by ``keep_receipt_secret``, if it is still there."""
    note = request.cookies.get(RECEIPT_COOKIE)
    if not note:
        return None
    try:
        claims = jwt.decode(note, settings.secret_key, algorithms=[auth.ALGORITHM],
                            audience=_RECEIPT_AUDIENCE)
    except jwt.PyJWTError:
        return None
    if claims.get("code") != code or not isinstance(claims.get("secret"), str):
        return None
    return str(claims["secret"])


def forget_receipt_secret(response: Response) -> None:
    """Shown once: the page that shows the secret deletes the note."""
    response.delete_cookie(RECEIPT_COOKIE, path="/")


REFUSAL_COOKIE = "motcua_refusal"
REFUSAL_MINUTES = 10
_REFUSAL_AUDIENCE = "motcua-refusal"
_REFUSAL_CHARS = 1500  # a cookie holds about 4 KB; a refusal's message is far shorter


def keep_refusal(response: Response, request: Request, settings: Settings, status: int,
                 title: str, detail: str, back: str) -> None:
    """Carry a refused form's answer (already in the reader's language) to the refusal page,
    signed so no other site can make the office say something."""
    claims = {"status": status, "title": title[:200], "detail": detail[:_REFUSAL_CHARS],
              "back": back[:500], "aud": _REFUSAL_AUDIENCE,
              "exp": datetime.now(UTC) + timedelta(minutes=REFUSAL_MINUTES)}
    note = jwt.encode(claims, settings.secret_key, algorithm=auth.ALGORITHM)
    response.set_cookie(REFUSAL_COOKIE, note, max_age=REFUSAL_MINUTES * 60, httponly=True,
                        samesite="strict", secure=_secure(request), path="/")


def read_refusal(request: Request, settings: Settings) -> dict[str, object] | None:
    """The refusal kept by ``keep_refusal`` (kept on reload), if it is still there."""
    note = request.cookies.get(REFUSAL_COOKIE)
    if not note:
        return None
    try:
        claims: dict[str, object] = jwt.decode(note, settings.secret_key,
                                               algorithms=[auth.ALGORITHM],
                                               audience=_REFUSAL_AUDIENCE)
    except jwt.PyJWTError:
        return None
    if not isinstance(claims.get("status"), int):
        return None
    return claims
