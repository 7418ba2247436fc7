"""Security headers on pages and API answers, and the default sign-in limits, on a server
with the default settings."""

from __future__ import annotations

import httpx

from api.headers import API, DOCS, PAGES
from engine.documents.render import CONTENT_SECURITY_POLICY
from tests.features.api_steps import ApiOffice


def _common(answer: httpx.Response) -> None:
    assert answer.headers["x-content-type-options"] == "nosniff"
    assert "strict-transport-security" not in answer.headers  # plain HTTP here
    assert "frame-ancestors 'none'" in answer.headers["content-security-policy"]


def test_pages_send_a_policy_that_allows_no_inline_script_and_no_framing(
        api: ApiOffice) -> None:
    page = httpx.get(f"{api.url}/dang-nhap")
    _common(page)
    assert page.headers["content-security-policy"] == PAGES
    assert "script-src 'self';" in PAGES and "unsafe-eval" not in PAGES
    assert page.headers["referrer-policy"] == "same-origin"
    static = httpx.get(f"{api.url}/static/app.css")
    assert static.status_code == 200
    _common(static)


def test_api_answers_and_problems_carry_the_headers_too(api: ApiOffice) -> None:
    for answer in (api.client().get("/healthz"), api.client().get("/no-such-thing"),
                   api.client().post("/dossiers", content=b"x" * (2 * 1024 * 1024),
                                     headers={"Content-Type": "application/json"})):
        _common(answer)
        assert answer.headers["content-security-policy"] == API
        assert answer.headers["referrer-policy"] == "same-origin"
    docs = httpx.get(f"{api.url}/docs")
    assert docs.headers["content-security-policy"] == DOCS


def test_printed_documents_keep_their_own_stricter_policy(api: ApiOffice) -> None:
    code = api.submit()["code"]
    accepted = api.client("reception").post(f"/dossiers/{code}/check", json={
        "decision": "accept", "documents": [{"code": "ban_chinh"}]})
    assert accepted.status_code == 200, accepted.text
    printed = api.client("reception").get(f"/dossiers/{code}/receipt.html")
    assert printed.status_code == 200
    assert printed.headers["content-security-policy"] == CONTENT_SECURITY_POLICY
    assert printed.headers["referrer-policy"] == "no-referrer"
    assert printed.headers["x-content-type-options"] == "nosniff"


def test_the_default_limits_lock_a_username_after_five_failures(api: ApiOffice) -> None:
    for _ in range(5):
        answer = api.client().post("/auth/token",
                                   data={"username": "ghost", "password": "guess"})
        assert answer.status_code == 401
    locked = api.client().post("/auth/token", data={"username": "ghost", "password": "guess"})
    assert locked.status_code == 429
    assert 1 <= int(locked.headers["retry-after"]) <= 60
    assert api.client().post("/auth/token", data={"username": "leader", "password": "demo"}
                             ).status_code == 200
