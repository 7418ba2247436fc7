"""PostgreSQL stopped and started again under a running API: 503 problems with Retry-After
while it is away, and service back by itself, with no restart, once it is up.

The server is a throwaway one of these tests (``tests/throwaway_postgres.py``), never the
shared one."""

from __future__ import annotations

import re
from collections.abc import Iterator

import httpx
import pytest

from engine.errors import Unavailable
from engine.service.demo import DEMO_PASSWORD
from engine.store import Database
from tests.features.api_steps import APPLICANT, COPY, ApiOffice, running_api
from tests.throwaway_postgres import ThrowawayPostgres, missing, throwaway_postgres

pytestmark = pytest.mark.postgres

SUBMISSION = {"procedure": "chung_thuc_ban_sao", "applicant": APPLICANT, "channel": "direct",
              "data": COPY}


@pytest.fixture(scope="module")
def server() -> Iterator[ThrowawayPostgres]:
    reason = missing()
    if reason:
        pytest.skip(reason)
    with throwaway_postgres() as running:
        yield running


@pytest.fixture(scope="module")
def api(server: ThrowawayPostgres) -> Iterator[ApiOffice]:
    with running_api(server.url, db_lock_timeout_s=1.0, db_connect_timeout_s=2) as running:
        yield running


def _raw(api: ApiOffice, user: str | None = None) -> httpx.Client:
    """A client that lets 5xx answers through (the shared ones fail on them)."""
    headers = {"Authorization": f"Bearer {api.token(user)}"} if user else {}
    return httpx.Client(base_url=f"{api.url}/api/v1", headers=headers, timeout=60)


def _unavailable(answer: httpx.Response) -> None:
    assert answer.status_code == 503, answer.text
    assert answer.headers["content-type"] == "application/problem+json"
    assert answer.headers["retry-after"] == "5"
    body = answer.json()
    assert body["type"] == "https://motcua.dev/problems/unavailable"
    assert body["status"] == 503
    assert "không kết nối được cơ sở dữ liệu" in body["detail"]


def _signed_in(api: ApiOffice, user: str) -> httpx.Client:
    """A browser signed in through the web form."""
    browser = httpx.Client(base_url=api.url, timeout=60)
    found = re.search(r'name="csrf" value="([0-9a-f]+)"', browser.get("/dang-nhap").text)
    assert found
    answer = browser.post("/dang-nhap", data={"csrf": found.group(1), "username": user,
                                              "password": DEMO_PASSWORD})
    assert answer.status_code == 303, answer.text
    return browser


def test_requests_answer_503_while_the_server_is_down_and_succeed_once_it_is_back(
        api: ApiOffice, server: ThrowawayPostgres) -> None:
    code = api.submit()["code"]
    reception, auditor, anyone = _raw(api, "reception"), _raw(api, "auditor"), _raw(api)
    browser = _signed_in(api, "justice")
    assert browser.get("/viec-cua-toi").status_code == 200
    server.stop()
    try:
        # A signed-in page: the error page itself is made without looking the user up.
        page = browser.get("/viec-cua-toi")
        assert page.status_code == 503
        assert page.headers["content-type"].startswith("text/html")
        assert page.headers["retry-after"] == "5"
        assert "Hệ thống tạm thời gián đoạn" in page.text
        english = httpx.get(f"{api.url}/tra-cuu/{code}", cookies={"motcua_lang": "en"})
        assert english.status_code == 503
        assert "The service is briefly unavailable" in english.text
        _unavailable(auditor.get(f"/dossiers/{code}"))  # a read
        _unavailable(reception.post("/dossiers", json=SUBMISSION))  # a write
        _unavailable(anyone.post("/auth/token", data={"username": "justice",
                                                      "password": "demo"}))
        _unavailable(anyone.get("/healthz/ready"))
        _unavailable(anyone.get("/healthz"))
        assert anyone.get("/healthz/live").json() == {"status": "ok"}
    finally:
        server.start()
    # The first request after the restart already succeeds: the pool tests its connections
    # before use and opens new ones in place of those the server closed.
    assert auditor.get(f"/dossiers/{code}").status_code == 200
    assert reception.post("/dossiers", json=SUBMISSION).status_code == 201
    assert anyone.get("/healthz/ready").json() == {"status": "ok", "incidents": 0}
    assert browser.get("/viec-cua-toi").status_code == 200
    listed = auditor.get("/dossiers", params={"limit": 200}).json()
    assert listed["total"] == 2  # the submission refused while down left nothing behind


def test_a_connection_closed_by_the_server_inside_a_use_case_is_unavailable(
        server: ThrowawayPostgres) -> None:
    db = Database(server.url, lock_timeout_s=1.0, connect_timeout_s=2)
    try:
        with pytest.raises(Unavailable) as raised, db.unit_of_work(readonly=True) as uow:
            uow.conn.exec_driver_sql("SELECT 1")
            server.stop()  # a fast shutdown ends the open sessions
            try:
                uow.conn.exec_driver_sql("SELECT 1")
            finally:
                server.start()
        assert raised.value.retry_after == 5
        with db.unit_of_work(readonly=True) as uow:
            assert uow.conn.exec_driver_sql("SELECT 1").scalar() == 1
    finally:
        db.dispose()


def test_a_programming_error_is_not_mistaken_for_an_outage(server: ThrowawayPostgres) -> None:
    db = Database(server.url)
    try:
        with pytest.raises(Exception) as raised, db.unit_of_work(readonly=True) as uow:
            uow.conn.exec_driver_sql("SELECT no_such_column FROM alembic_version")
        assert not isinstance(raised.value, Unavailable)
    finally:
        db.dispose()


def test_a_statement_cancelled_by_its_timeout_is_busy(server: ThrowawayPostgres) -> None:
    """What a role's statement_timeout (operations.md) turns a hung request into."""
    db = Database(server.url, lock_timeout_s=2.0)
    try:
        with pytest.raises(Unavailable) as raised, db.unit_of_work(readonly=True) as uow:
            uow.conn.exec_driver_sql("SET LOCAL statement_timeout = 50")
            uow.conn.exec_driver_sql("SELECT pg_sleep(5)")
        assert raised.value.retry_after == 2
        assert "stayed busy" in raised.value.detail
    finally:
        db.dispose()
