"""The API as the office meets it over HTTP: a real server on a fresh database, one HTTP
client per demo user, the verbs tests and features share (submit, claim, complete), and the
steps every API feature uses.

Used by the API integration tests (``tests/integration/conftest.py`` imports the ``api``
fixture) and by the API features (``from tests.features.api_steps import *``). The server
runs in this process, so tests move its clock by hand.
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import httpx
import pytest
from pytest_bdd import given, parsers, when

from api.app import create_app
from api.testing import LiveServer
from engine.bootstrap import build_office, open_database
from engine.runtime.clock import ManualClock
from engine.service.demo import DEMO_PASSWORD, USERS
from engine.service.office import Office
from engine.settings import Settings
from tests.conftest import DB_PARAMS, POSTGRES_URL, local, seeded_database

SECRET = "api-tests-signing-secret-0123456789abcdef"
# Tuesday 3 March 2026, 09:00 in Hà Nội: an ordinary working morning.
START = local(2026, 3, 3, 9, 0)
# The role matrices' callers: the first ward's people (reception, justice, finance, urban,
# leader, auditor), the designer and the administrator, the desk, justice officer, leader
# and auditor of a second ward, and the city's inspector.
SECOND_WARD = ("reception.duongnoi", "justice.duongnoi", "leader.duongnoi", "auditor.duongnoi")
DEMO = (*USERS[:6], "designer", "admin", *SECOND_WARD, "inspector")
assert set(DEMO) <= set(USERS)
# Who handles a step of each department in the demo office.
HANDLER = {"MOT_CUA": "reception", "TU_PHAP": "justice", "TC_KH": "finance", "QLDT": "urban",
           "LANH_DAO": "leader"}
COPY = {"ten_giay_to": "Bằng tốt nghiệp trung học phổ thông", "pages": 5, "copies": 1}
APPLICANT = {"name": "Nguyễn Văn An", "id_number": "001085012345", "phone": "0912345678"}


class ServerError(AssertionError):
    """The API answered 5xx: always a bug, whatever the input."""


def _no_server_errors(response: httpx.Response) -> None:
    if response.status_code >= 500:
        response.read()
        raise ServerError(f"{response.request.method} {response.request.url} answered "
                          f"{response.status_code}: {response.text}")


@dataclass(eq=False)  # compared (and cached) by identity: one per running server
class ApiOffice:
    """A running API and its office; ``client(user)`` speaks as that demo user."""

    url: str
    office: Office
    clock: ManualClock
    settings: Settings
    _tokens: dict[str, str] = field(default_factory=dict)
    _clients: dict[str | None, httpx.Client] = field(default_factory=dict)

    def new_client(self, user: str | None = None) -> httpx.Client:
        """A client of its own (for threads); ``client`` shares one per user."""
        headers = {"Authorization": f"Bearer {self.token(user)}"} if user else {}
        return httpx.Client(base_url=f"{self.url}/api/v1", headers=headers, timeout=60,
                            event_hooks={"response": [_no_server_errors]})

    def client(self, user: str | None = None) -> httpx.Client:
        if user not in self._clients:
            self._clients[user] = self.new_client(user)
        return self._clients[user]

    def token(self, user: str) -> str:
        if user not in self._tokens:
            with httpx.Client(base_url=f"{self.url}/api/v1") as raw:
                answer = raw.post("/auth/token",
                                  data={"username": user, "password": DEMO_PASSWORD})
            assert answer.status_code == 200, answer.text
            self._tokens[user] = answer.json()["access_token"]
        return self._tokens[user]

    def at(self, moment: datetime) -> None:
        self.clock.set(moment)

    # ---- verbs --------------------------------------------------------------------------

    def submit(self, procedure: str = "chung_thuc_ban_sao", data: dict[str, Any] | None = None,
               *, by: str | None = "reception", channel: str = "direct",
               applicant: dict[str, Any] | None = None) -> dict[str, Any]:
        answer = self.client(by).post("/dossiers", json={
            "procedure": procedure, "applicant": applicant or APPLICANT, "channel": channel,
            "data": COPY if data is None else data})
        assert answer.status_code == 201, answer.text
        receipt: dict[str, Any] = answer.json()
        return receipt

    def dossier(self, code: str) -> dict[str, Any]:
        answer = self.client("auditor").get(f"/dossiers/{code}")
        assert answer.status_code == 200, answer.text
        found: dict[str, Any] = answer.json()
        return found

    def current(self, code: str) -> dict[str, Any]:
        """The one step of the dossier waiting to be done."""
        pending = [s for s in self.dossier(code)["steps"] if s["status"] in ("open", "claimed")]
        assert len(pending) == 1, pending
        return pending[0]

    def claim(self, task_id: int, user: str) -> dict[str, Any]:
        answer = self.client(user).post(f"/tasks/{task_id}/claim")
        assert answer.status_code == 200, answer.text
        claimed: dict[str, Any] = answer.json()
        return claimed

    def complete(self, task_id: int, user: str, data: dict[str, Any]) -> dict[str, Any]:
        answer = self.client(user).post(f"/tasks/{task_id}/complete", json={"data": data})
        assert answer.status_code == 200, answer.text
        done: dict[str, Any] = answer.json()
        return done

    def do_step(self, code: str, data: dict[str, Any], user: str | None = None
                ) -> dict[str, Any]:
        """The department's handler claims the current step and completes it."""
        step = self.current(code)
        who = user or HANDLER[step["department"]]
        self.claim(step["id"], who)
        return self.complete(step["id"], who, data)

    def certify(self, code: str) -> None:
        """Take a copy certification through every step to the returned result."""
        self.do_step(code, {"ket_qua_kiem_tra": "hop_le"})
        self.do_step(code, {"ket_qua_xu_ly": "dat", "so_chung_thuc": "125/2026"})
        self.do_step(code, {"y_kien_lanh_dao": "dong_y"})
        self.do_step(code, {"hinh_thuc_tra": "truc_tiep"})

    def close(self) -> None:
        for client in self._clients.values():
            client.close()


@contextmanager
def running_api(database_url: str, **overrides: Any) -> Iterator[ApiOffice]:
    """Serve the demo office, seeded and with ``processes/`` deployed, on a fresh database;
    ``overrides`` are settings (``db_lock_timeout_s=0.5``, smaller abuse limits)."""
    files = tempfile.TemporaryDirectory()
    overrides.setdefault("files_dir", files.name)  # attachments of this server only
    settings = Settings(database_url=database_url, secret_key=SECRET, demo_mode=False,
                        **overrides)
    db = seeded_database(database_url, open_database(settings))
    clock = ManualClock(START)
    office = build_office(settings, clock=clock, database=db)
    live = LiveServer(create_app(settings, office))
    live.start()
    api = ApiOffice(live.url, office, clock, settings)
    try:
        yield api
    finally:
        api.close()
        live.stop()
        db.dispose()
        files.cleanup()


@contextmanager
def serving(database: str, **overrides: Any) -> Iterator[ApiOffice]:
    """``running_api`` on a fresh SQLite file, or on the test PostgreSQL (``database`` is
    a ``DB_PARAMS`` value)."""
    if database == "postgresql":
        assert POSTGRES_URL
        with running_api(POSTGRES_URL, **overrides) as running:
            yield running
        return
    with tempfile.TemporaryDirectory() as folder, \
            running_api(f"sqlite:///{folder}/motcua.db", **overrides) as running:
        yield running


@pytest.fixture(scope="module", params=DB_PARAMS)
def api(request: pytest.FixtureRequest) -> Iterator[ApiOffice]:
    """One server and database per test module."""
    with serving(request.param) as running:
        yield running


# ---- the web pages, as a browser without JavaScript --------------------------------------

def csrf_of(html: str) -> str:
    """The CSRF token of a page's forms."""
    found = re.search(r'name="csrf" value="([0-9a-f]+)"', html)
    assert found, html[:300]
    return found.group(1)


def web_session(api: ApiOffice, username: str) -> httpx.Client:
    """A browser-like client signed in through the sign-in form."""
    web = httpx.Client(base_url=api.url)
    form = web.get("/dang-nhap")
    answer = web.post("/dang-nhap", data={"csrf": csrf_of(form.text), "username": username,
                                          "password": "demo"})
    assert answer.status_code == 303, answer.text
    return web


# ---- steps every API feature shares ------------------------------------------------------

@dataclass
class Journey:
    """What a scenario has seen so far: dossiers and receipts by name, values noted for a
    later step, and the last answer."""

    codes: dict[str, str] = field(default_factory=dict)
    receipts: dict[str, dict[str, Any]] = field(default_factory=dict)
    notes: dict[str, Any] = field(default_factory=dict)
    answer: httpx.Response | None = None

    def last(self) -> httpx.Response:
        assert self.answer is not None, "nothing has been asked yet in this scenario"
        return self.answer


@pytest.fixture
def journey() -> Journey:
    return Journey()


def moment(day: str, time: str) -> datetime:
    """``2026-03-03`` and ``09:30`` in Hà Nội time."""
    year, month, date_ = (int(x) for x in day.split("-"))
    hour, minute = (int(x) for x in time.split(":"))
    return local(year, month, date_, hour, minute)


@given(parsers.parse("it is {time} on {day} at the ward office"))
@when(parsers.parse("it is {time} on {day}"))
def office_time(api: ApiOffice, time: str, day: str) -> None:
    api.at(moment(day, time))


@when(parsers.re(r"it is (?P<time>\d\d:\d\d)$"))
def later_that_day(api: ApiOffice, time: str) -> None:
    today = api.clock.now().astimezone(START.tzinfo).date().isoformat()
    api.at(moment(today, time))
