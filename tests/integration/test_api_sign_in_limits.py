"""Sign-in lockouts over HTTP: per username and per client address, 429 with Retry-After, the
right password refused while locked, the lockout ending by itself or lifted by a leader; and
the client address taken from a proxy header only when the proxy is trusted.

The server trusts 127.0.0.1 as its proxy, so a test speaks "from" an address by sending
``X-Forwarded-For``; a client bound to 127.0.0.2 is an untrusted peer. Lockouts last a minute
here; the test that waits for one to end has a server of its own where they last two
seconds.
"""

from __future__ import annotations

import time
from collections.abc import Iterator

import httpx
import pytest

from engine.audit.chain import SYSTEM
from tests.conftest import DB_PARAMS
from tests.features.api_steps import ApiOffice, serving

PROBLEM = "application/problem+json"
LIMITS = {"sign_in_user_failures": "3/minute", "sign_in_address_failures": "6/minute",
          "sign_in_lockout_seconds": 60, "sign_in_lockout_max_seconds": 600,
          "trusted_proxies": "127.0.0.1"}


@pytest.fixture(scope="module", params=DB_PARAMS)
def api(request: pytest.FixtureRequest) -> Iterator[ApiOffice]:
    with serving(request.param, **LIMITS) as running:
        yield running


def _sign_in(api: ApiOffice, username: str, password: str, address: str,
             client: httpx.Client | None = None) -> httpx.Response:
    speaker = client or api.client()
    return speaker.post("/auth/token", data={"username": username, "password": password},
                        headers={"X-Forwarded-For": address})


def _too_many(answer: httpx.Response) -> int:
    assert answer.status_code == 429, answer.text
    assert answer.headers["content-type"] == PROBLEM
    assert answer.json()["type"] == "https://motcua.dev/problems/too-many-requests"
    assert answer.json()["status"] == 429
    wait = int(answer.headers["retry-after"])
    assert wait >= 1
    return wait


def test_failures_for_one_username_lock_it_from_every_address(api: ApiOffice) -> None:
    for n in range(3):  # three addresses, so no address reaches its own limit
        assert _sign_in(api, "justice", "wrong", f"203.0.113.{n + 1}").status_code == 401
    # Locked: the right password from a fourth address does not get in.
    right = _sign_in(api, "justice", "demo", "203.0.113.4")
    assert _too_many(right) <= 60
    assert "tài khoản này" in right.json()["detail"]
    assert "access_token" not in right.text
    # Another spelling of the name is the same account.
    _too_many(_sign_in(api, "Justice", "demo", "203.0.113.5"))
    # Another account at the same address is not affected.
    assert _sign_in(api, "finance", "demo", "203.0.113.4").status_code == 200


def test_a_lockout_ends_by_itself(database_url: str) -> None:
    with serving("postgresql" if database_url.startswith("postgresql") else "sqlite",
                 **{**LIMITS, "sign_in_lockout_seconds": 2}) as short:
        for n in range(3):
            _sign_in(short, "justice", "wrong", f"203.0.113.{n + 1}")
        wait = _too_many(_sign_in(short, "justice", "demo", "203.0.113.4"))
        assert wait <= 2
        time.sleep(wait + 0.1)
        assert _sign_in(short, "justice", "demo", "203.0.113.4").status_code == 200


def test_failures_from_one_address_lock_it_and_a_right_password_does_not_reset_it(
        api: ApiOffice) -> None:
    address = "198.51.100.7"
    for n in range(5):
        assert _sign_in(api, f"guess{n}", "demo", address).status_code == 401
    # A valid account signs in from the address; that must not wipe the five failures ...
    assert _sign_in(api, "urban", "demo", address).status_code == 200
    assert _sign_in(api, "guess5", "demo", address).status_code == 401  # ... the sixth locks
    refused = _sign_in(api, "urban", "demo", address)
    _too_many(refused)
    assert "cho địa chỉ này" in refused.json()["detail"]
    # The same account from another address is fine: it was the address that was locked.
    assert _sign_in(api, "urban", "demo", "198.51.100.8").status_code == 200


def test_a_leader_or_an_admin_lifts_a_lockout_and_it_is_audited(api: ApiOffice) -> None:
    for n in range(3):
        _sign_in(api, "auditor", "wrong", f"192.0.2.{n + 1}")
    _too_many(_sign_in(api, "auditor", "demo", "192.0.2.9"))
    for who in ("reception", "finance", "designer"):
        forbidden = api.client(who).delete("/auth/lockouts/users/auditor")
        assert forbidden.status_code == 403, who
        assert forbidden.headers["content-type"] == PROBLEM
    assert api.client().delete("/auth/lockouts/users/auditor").status_code == 401
    _too_many(_sign_in(api, "auditor", "demo", "192.0.2.9"))  # still locked

    lifted = api.client("leader").delete("/auth/lockouts/users/auditor")
    assert lifted.status_code == 200, lifted.text
    assert lifted.json() == {"scope": "user", "who": "auditor", "lifted": True}
    assert _sign_in(api, "auditor", "demo", "192.0.2.9").status_code == 200
    again = api.client("admin").delete("/auth/lockouts/users/auditor")
    assert again.json()["lifted"] is False  # nothing left to lift

    with api.office.db.unit_of_work(readonly=True) as uow:
        events = [e for e in uow.audit.events(SYSTEM) if e.kind == "sign_in_lockout_lifted"]
    assert [(e.actor, e.data) for e in events][-1] == ("leader", {"user": "auditor"})


def test_an_address_lockout_is_lifted_by_address(api: ApiOffice) -> None:
    address = "192.0.2.200"
    for n in range(6):
        _sign_in(api, f"nobody{n}", "x", address)
    _too_many(_sign_in(api, "leader", "demo", address))
    lifted = api.client("admin").delete(f"/auth/lockouts/addresses/{address}")
    assert lifted.json() == {"scope": "address", "who": address, "lifted": True}
    assert _sign_in(api, "leader", "demo", address).status_code == 200
    bad = api.client("admin").delete("/auth/lockouts/addresses/not-an-address")
    assert bad.status_code == 422
    assert bad.headers["content-type"] == PROBLEM


def test_the_forwarded_address_is_believed_only_from_a_trusted_proxy(api: ApiOffice) -> None:
    """From 127.0.0.2 (not trusted) the header is ignored: every attempt counts against
    127.0.0.2 itself, whatever address it claims."""
    untrusted = httpx.Client(base_url=f"{api.url}/api/v1",
                             transport=httpx.HTTPTransport(local_address="127.0.0.2"))
    try:
        for n in range(6):
            answer = _sign_in(api, f"stuffing{n}", "x", f"203.0.113.{100 + n}", untrusted)
            assert answer.status_code == 401
        _too_many(_sign_in(api, "leader", "demo", "203.0.113.150", untrusted))
    finally:
        untrusted.close()
    # Through the trusted proxy the same claimed address is a fresh one.
    assert _sign_in(api, "leader", "demo", "203.0.113.150").status_code == 200
    lifted = api.client("admin").delete("/auth/lockouts/addresses/127.0.0.2")
    assert lifted.json()["lifted"] is True


def test_hsts_only_when_the_trusted_proxy_says_the_request_came_over_https(
        api: ApiOffice) -> None:
    plain = api.client().get("/healthz")
    assert "strict-transport-security" not in plain.headers
    secure = api.client().get("/healthz", headers={"X-Forwarded-Proto": "https"})
    assert secure.headers["strict-transport-security"].startswith("max-age=")
    # The pages' cookies follow the same scheme.
    page = httpx.get(f"{api.url}/dang-nhap", headers={"X-Forwarded-Proto": "https"})
    assert "secure" in page.headers["set-cookie"].lower()
    assert "secure" not in httpx.get(f"{api.url}/dang-nhap").headers["set-cookie"].lower()
    untrusted = httpx.Client(base_url=f"{api.url}/api/v1",
                             transport=httpx.HTTPTransport(local_address="127.0.0.2"))
    try:
        claimed = untrusted.get("/healthz", headers={"X-Forwarded-Proto": "https"})
    finally:
        untrusted.close()
    assert "strict-transport-security" not in claimed.headers
