"""Signing out revokes the token: in the API (bearer) and on the web pages (the cookie)."""

from __future__ import annotations

import httpx

from tests.features.api_steps import ApiOffice, csrf_of, web_session

PROBLEM = "application/problem+json"


def _token(api: ApiOffice, username: str) -> str:
    answer = httpx.post(f"{api.url}/api/v1/auth/token",
                        data={"username": username, "password": "demo"})
    assert answer.status_code == 200, answer.text
    token: str = answer.json()["access_token"]
    return token


def _me(api: ApiOffice, token: str) -> httpx.Response:
    return httpx.get(f"{api.url}/api/v1/auth/me", headers={"Authorization": f"Bearer {token}"})


def test_a_token_used_after_signing_out_is_401(api: ApiOffice) -> None:
    token = _token(api, "finance")
    assert _me(api, token).status_code == 200
    out = httpx.post(f"{api.url}/api/v1/auth/logout",
                     headers={"Authorization": f"Bearer {token}"})
    assert out.status_code == 204
    after = _me(api, token)
    assert after.status_code == 401
    assert after.headers["content-type"] == PROBLEM
    assert after.headers["www-authenticate"] == "Bearer"
    assert "đã đăng xuất" in after.json()["detail"]
    # Signing out twice with the dead token is refused like any other call.
    assert httpx.post(f"{api.url}/api/v1/auth/logout",
                      headers={"Authorization": f"Bearer {token}"}).status_code == 401
    fresh = _token(api, "finance")
    assert _me(api, fresh).status_code == 200
    assert _me(api, token).status_code == 401  # the old one stays dead


def test_signing_out_needs_a_token(api: ApiOffice) -> None:
    answer = httpx.post(f"{api.url}/api/v1/auth/logout")
    assert answer.status_code == 401
    assert answer.headers["content-type"] == PROBLEM


def test_a_web_session_cookie_kept_after_signing_out_leads_to_the_sign_in_form(
        api: ApiOffice) -> None:
    api_token = _token(api, "urban")
    web = web_session(api, "urban")
    try:
        kept = web.cookies["motcua_session"]
        page = web.get("/viec-cua-toi")
        assert page.status_code == 200
        out = web.post("/dang-xuat", data={"csrf": csrf_of(page.text)})
        assert (out.status_code, out.headers["location"]) == (303, "/dang-nhap")
    finally:
        web.close()
    # Someone who copied the cookie before the sign-out comes back with it.
    replay = httpx.Client(base_url=api.url, cookies={"motcua_session": kept})
    try:
        again = replay.get("/viec-cua-toi")
    finally:
        replay.close()
    assert again.status_code == 303
    assert again.headers["location"].startswith("/dang-nhap?next=")
    # The cookie holds a bearer token: it is dead in the API too, and so is every other
    # token of the account (signing out ends all of its sessions).
    assert _me(api, kept).status_code == 401
    assert _me(api, api_token).status_code == 401
    assert _me(api, _token(api, "urban")).status_code == 200
