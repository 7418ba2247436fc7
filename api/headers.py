"""Security headers on every response (an ASGI middleware).

- ``X-Content-Type-Options: nosniff`` and ``Referrer-Policy: same-origin`` everywhere: no
  dossier code in a URL leaves the site in a ``Referer``.
- ``Content-Security-Policy``: the web pages load scripts, styles, fonts and images from
  this site only (no inline script, no ``eval``; inline styles are allowed, bpmn-js and
  htmx set them; images also as ``data:`` URLs, an icon in bpmn-js's stylesheet), and
  nobody frames them (``frame-ancestors 'none'``). The API answers JSON
  that nothing should render or frame. ``/docs`` (Swagger UI) loads its bundle from this
  site (``api.docs_page``), nothing from the internet. A response that brings its own
  policy (the printed documents) keeps it.
- ``Strict-Transport-Security`` only on requests that came over HTTPS (directly, or as a
  trusted proxy says; see ``api.client``): over plain HTTP it means nothing.
"""

from __future__ import annotations

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

PAGES = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
         "img-src 'self' data:; font-src 'self'; connect-src 'self'; "
         "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
API = "default-src 'none'; frame-ancestors 'none'"
# Swagger UI from this site (api.docs_page); its page starts it with an inline script.
DOCS = ("default-src 'none'; script-src 'self' 'unsafe-inline'; "
        "style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; "
        "base-uri 'none'; frame-ancestors 'none'")
HSTS = "max-age=31536000"
ALWAYS = {"X-Content-Type-Options": "nosniff", "Referrer-Policy": "same-origin"}


def policy_for(path: str, api_prefix: str) -> str:
    if path == "/docs" or path.startswith("/docs/"):
        return DOCS
    if path == api_prefix or path.startswith(api_prefix + "/"):
        return API
    return PAGES


class SecurityHeaders:
    def __init__(self, app: ASGIApp, api_prefix: str) -> None:
        self.app = app
        self.api_prefix = api_prefix

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        policy = policy_for(scope["path"], self.api_prefix)
        secure = scope.get("scheme") == "https"

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in ALWAYS.items():
                    headers.setdefault(name, value)
                headers.setdefault("Content-Security-Policy", policy)
                if secure:
                    headers.setdefault("Strict-Transport-Security", HSTS)
            await send(message)

        await self.app(scope, receive, with_headers)
