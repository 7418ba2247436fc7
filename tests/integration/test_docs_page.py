"""``/docs`` works without the internet: Swagger UI comes from this site."""

from __future__ import annotations

import re

import httpx

from api.headers import DOCS
from tests.features.api_steps import ApiOffice


def test_the_docs_page_loads_swagger_ui_from_this_site(api: ApiOffice) -> None:
    page = httpx.get(f"{api.url}/docs")
    assert page.status_code == 200
    sources = re.findall(r'(?:src|href)="([^"]+)"', page.text)
    assert "/static/vendor/swagger-ui/swagger-ui-bundle.js" in sources
    assert "/static/vendor/swagger-ui/swagger-ui.css" in sources
    assert all(s.startswith("/") for s in sources), sources
    assert "cdn.jsdelivr.net" not in page.text and "/api/v1/openapi.json" in page.text
    assert "https://" not in page.headers["content-security-policy"]
    assert page.headers["content-security-policy"] == DOCS
    redirect = httpx.get(f"{api.url}/docs/oauth2-redirect")
    assert redirect.status_code == 200


def test_the_swagger_ui_files_are_served(api: ApiOffice) -> None:
    for name in ("swagger-ui-bundle.js", "swagger-ui.css"):
        answer = httpx.get(f"{api.url}/static/vendor/swagger-ui/{name}")
        assert answer.status_code == 200, (name, "run `make assets`")
        assert len(answer.content) > 10_000
