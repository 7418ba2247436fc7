"""``/docs``: Swagger UI from this site's own copy (``swagger-ui-dist``, pinned in
``api/web/package.json`` and copied into ``static/vendor`` like the other libraries), so the
page works in an office network that cannot reach a CDN. FastAPI's own page loads it from
the internet, hence ``docs_url=None`` in the app and this route instead."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.openapi.docs import get_swagger_ui_html, get_swagger_ui_oauth2_redirect_html
from fastapi.responses import HTMLResponse

ASSETS = "/static/vendor/swagger-ui"
REDIRECT = "/docs/oauth2-redirect"


def install(app: FastAPI) -> None:
    openapi_url = app.openapi_url or ""

    @app.get("/docs", include_in_schema=False)
    async def docs() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url=openapi_url, title=f"{app.title} – API",
            swagger_js_url=f"{ASSETS}/swagger-ui-bundle.js",
            swagger_css_url=f"{ASSETS}/swagger-ui.css",
            swagger_favicon_url=f"{ASSETS}/favicon-32x32.png",
            oauth2_redirect_url=REDIRECT,
            # No call to the public validator: nothing leaves the office's network.
            swagger_ui_parameters={"validatorUrl": None})

    @app.get(REDIRECT, include_in_schema=False)
    async def oauth2_redirect() -> HTMLResponse:
        return get_swagger_ui_oauth2_redirect_html()
