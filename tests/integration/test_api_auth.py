"""Signing in, bearer tokens, and the app's refusal to run with the demo secret."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx
import jwt
import pytest

from api.app import create_app
from engine.settings import DEFAULT_SECRET, Settings
from engine.store.tables import users
from tests.features.api_steps import SECRET, ApiOffice

PROBLEM = "application/problem+json"


def _token(claims: dict[str, object], key: str = SECRET) -> str:
    return jwt.encode(claims, key, algorithm="HS256")


def _claims(**changes: object) -> dict[str, object]:
    now = datetime.now(UTC)
    return {"sub": "justice", "iss": "motcua", "iat": now, "exp": now + timedelta(minutes=5),
            **changes}


def test_health_needs_no_sign_in(api: ApiOffice) -> None:
    assert api.client().get("/healthz").json() == {"status": "ok", "incidents": 0}


def test_a_password_gives_a_bearer_token_that_names_the_user(api: ApiOffice) -> None:
    answer = api.client().post("/auth/token", data={"username": "justice", "password": "demo"})
    assert answer.status_code == 200
    body = answer.json()
    assert body["token_type"] == "bearer"
    assert body["expires_in"] == api.settings.token_minutes * 60
    claims = jwt.decode(body["access_token"], SECRET, algorithms=["HS256"], issuer="motcua")
    assert claims["sub"] == "justice"
    me = api.client().get("/auth/me", headers={"Authorization": f"Bearer {body['access_token']}"})
    assert me.json() == {"username": "justice", "full_name": "Trần Văn Minh",
                         "roles": ["staff"], "departments": ["TU_PHAP"],
                         "memberships": [{"unit": "000.00.81.H26", "department": "TU_PHAP",
                                          "roles": ["staff"]}]}


@pytest.mark.parametrize(("username", "password"), [
    ("justice", "wrong"), ("nobody", "demo"), ("justice\x00", "demo"), ("", "demo"),
])
def test_wrong_credentials_are_401_without_saying_which_part(api: ApiOffice, username: str,
                                                             password: str) -> None:
    answer = api.client().post("/auth/token", data={"username": username, "password": password})
    assert answer.status_code in (401, 422)
    assert answer.headers["content-type"] == PROBLEM
    if answer.status_code == 401:
        assert answer.headers["www-authenticate"] == "Bearer"
        assert answer.json()["detail"] == "sai tên đăng nhập hoặc mật khẩu"


@pytest.mark.parametrize("authorization", [
    None,
    "Bearer not-a-jwt",
    "Bearer " + _token(_claims(), key="another-secret-of-enough-length-0123456789"),
    "Bearer " + _token(_claims(exp=datetime.now(UTC) - timedelta(minutes=1))),
    "Bearer " + _token({"sub": "justice", "iss": "motcua"}),  # no expiry
    "Bearer " + _token(_claims(sub="ghost")),
    "Bearer " + _token(_claims(iss="someone-else")),
    "Basic anVzdGljZTpkZW1v",
])
def test_requests_without_a_valid_token_are_401_problems(api: ApiOffice,
                                                         authorization: str | None) -> None:
    headers = {"Authorization": authorization} if authorization else {}
    answer = api.client().get("/tasks", headers=headers)
    assert answer.status_code == 401
    assert answer.headers["content-type"] == PROBLEM
    assert answer.headers["www-authenticate"] == "Bearer"
    body = answer.json()
    assert body["type"] == "https://motcua.dev/problems/unauthenticated"
    assert body["status"] == 401


def test_a_deactivated_user_is_refused_even_with_a_valid_token(api: ApiOffice) -> None:
    token = api.token("urban")
    client = httpx.Client(base_url=f"{api.url}/api/v1",
                          headers={"Authorization": f"Bearer {token}"})
    assert client.get("/auth/me").status_code == 200
    with api.office.db.unit_of_work() as uow:
        uow.conn.execute(users.update().where(users.c.username == "urban").values(active=False))
        uow.commit()
    try:
        assert client.get("/auth/me").status_code == 401
        signin = client.post("/auth/token", data={"username": "urban", "password": "demo"})
        assert signin.status_code == 401
    finally:
        with api.office.db.unit_of_work() as uow:
            uow.conn.execute(users.update().where(users.c.username == "urban")
                             .values(active=True))
            uow.commit()
        client.close()


def test_the_app_refuses_to_start_with_the_demo_secret_outside_demo_mode(
        api: ApiOffice) -> None:
    with pytest.raises(RuntimeError, match="MOTCUA_SECRET_KEY"):
        create_app(Settings(secret_key=DEFAULT_SECRET, demo_mode=False), api.office)
    with pytest.raises(RuntimeError, match="at least 32 bytes"):
        create_app(Settings(secret_key="short", demo_mode=False), api.office)
    assert create_app(Settings(secret_key=DEFAULT_SECRET, demo_mode=True), api.office)
