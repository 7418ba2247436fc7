"""A second process holding the SQLite writer lock: writers wait no longer than the bound and
are answered 503 with Retry-After, reads go on, and writes succeed again once it lets go.

The holder is a real process: either on the queue's file lock beside the database, or inside
an open ``BEGIN IMMEDIATE`` transaction on the database file itself (as the ``sqlite3`` shell
or a backup script would be)."""

from __future__ import annotations

import os
import re
import select
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from engine.errors import Unavailable
from engine.store.migrate import upgrade
from engine.store.writers import WriterQueue
from tests.conftest import ROOT
from tests.features.api_steps import APPLICANT, COPY, ApiOffice, running_api

BOUND_S = 0.5
SUBMISSION = {"procedure": "chung_thuc_ban_sao", "applicant": APPLICANT, "channel": "direct",
              "data": COPY}

HOLDER = r"""
import fcntl, os, sqlite3, sys
path, how = sys.argv[1], sys.argv[2]
if how == "flock":
    fd = os.open(path + "-writer.lock", os.O_RDWR | os.O_CREAT, 0o600)
    fcntl.flock(fd, fcntl.LOCK_EX)
else:
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("BEGIN IMMEDIATE")
print("held", flush=True)
sys.stdin.readline()
"""


@contextmanager
def held(database: str, how: str) -> Iterator[None]:
    """Another process holds the writer lock (``flock``) or the database (``transaction``)
    until the block ends; its exit releases it."""
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, database, how], text=True,
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    assert holder.stdin is not None and holder.stdout is not None
    try:
        assert holder.stdout.readline().strip() == "held"
        yield
    finally:
        holder.stdin.close()
        holder.wait(timeout=30)


def _eventually(check: object, within_s: float = 10.0) -> bool:
    deadline = time.monotonic() + within_s
    while time.monotonic() < deadline:
        if check():  # type: ignore[operator]
            return True
        time.sleep(0.01)
    return False


# ---- the queue itself ----------------------------------------------------------------------

@pytest.fixture
def queue(tmp_path: Path) -> WriterQueue:
    return WriterQueue(str(tmp_path / "motcua.db"))


def test_a_writer_waits_no_longer_than_the_bound_and_the_lock_comes_back_by_itself(
        queue: WriterQueue, tmp_path: Path) -> None:
    with held(str(tmp_path / "motcua.db"), "flock"):
        with pytest.raises(Unavailable) as refused:
            queue.acquire(0.2)
        assert refused.value.retry_after == 1
        assert "0.2 s" in refused.value.detail
        assert queue.stuck
    # Nobody asks, yet the queue sees the holder let go.
    assert _eventually(lambda: not queue.stuck)
    queue.acquire(1.0)
    queue.acquire(0.0)  # re-entrant: the same thread does not wait for itself
    queue.release()
    queue.release()


def test_a_waiting_writer_is_handed_the_lock_when_the_other_process_lets_go(
        queue: WriterQueue, tmp_path: Path) -> None:
    got: list[bool] = []

    def write() -> None:
        queue.acquire(30.0)
        got.append(True)
        queue.release()

    with held(str(tmp_path / "motcua.db"), "flock"):
        waiter = threading.Thread(target=write)
        waiter.start()
        time.sleep(0.2)  # let it start waiting
        assert got == []
    waiter.join(timeout=10)
    assert got == [True]


def test_once_stuck_the_writers_behind_the_first_are_refused_at_once(
        queue: WriterQueue) -> None:
    """A thread of this process holds the lock; the others do not each hold a thread for
    the whole bound (a full thread pool would stop the reads too)."""
    holding, done = threading.Event(), threading.Event()

    def hold() -> None:
        queue.acquire(1.0)
        holding.set()
        done.wait(30)
        queue.release()

    holder = threading.Thread(target=hold)
    holder.start()
    assert holding.wait(10)
    with pytest.raises(Unavailable):
        queue.acquire(0.2)
    refused: list[BaseException] = []

    def patient() -> None:
        try:
            queue.acquire(30.0)
            queue.release()
        except Unavailable as exc:
            refused.append(exc)

    behind = threading.Thread(target=patient)
    behind.start()
    behind.join(timeout=10)  # well before its own 30 s bound
    assert not behind.is_alive() and len(refused) == 1
    done.set()
    holder.join(timeout=10)
    assert not queue.stuck
    queue.acquire(1.0)
    queue.release()


COUNTER = r"""
import sys, threading, time
from engine.store.writers import WriterQueue
queue, counter = WriterQueue(sys.argv[1]), sys.argv[2]

def count():
    for _ in range(100):
        queue.acquire(30.0)
        try:  # read, yield, write: two writers inside at once would lose a count
            with open(counter) as f:
                value = int(f.read())
            time.sleep(0)
            with open(counter, "w") as f:
                f.write(str(value + 1))
        finally:
            queue.release()

threads = [threading.Thread(target=count) for _ in range(3)]
for t in threads:
    t.start()
for t in threads:
    t.join()
"""


def test_writers_of_several_processes_and_threads_never_overlap(tmp_path: Path) -> None:
    counter = tmp_path / "counter"
    counter.write_text("0")
    writers = [subprocess.Popen([sys.executable, "-c", COUNTER, str(tmp_path / "motcua.db"),
                                 str(counter)], cwd=ROOT) for _ in range(3)]
    assert [w.wait(timeout=120) for w in writers] == [0, 0, 0]
    assert counter.read_text() == str(3 * 3 * 100)


# ---- the timer worker ----------------------------------------------------------------------

def test_the_worker_waits_out_a_held_lock_instead_of_stopping(tmp_path: Path) -> None:
    database = str(tmp_path / "motcua.db")
    upgrade(f"sqlite:///{database}")
    env = {**os.environ, "MOTCUA_DATABASE_URL": f"sqlite:///{database}",
           "MOTCUA_DB_LOCK_TIMEOUT_S": "0.2", "MOTCUA_LANG": "en"}
    command = [sys.executable, "-c", "from engine.cli import app; app()", "worker"]
    with held(database, "flock"):
        once = subprocess.run([*command, "--once"], env=env, capture_output=True, text=True,
                              timeout=60, cwd=ROOT)
        assert once.returncode == 1
        assert "the round did not finish: another writer has held" in once.stderr
        assert "Traceback" not in once.stderr
        looping = subprocess.Popen([*command, "--interval", "0.1"], env=env, text=True,
                                   stderr=subprocess.PIPE, cwd=ROOT)
        assert looping.stderr is not None
        try:
            refused = 0
            while refused < 2:  # two polls refused, and it is still polling
                assert select.select([looping.stderr], [], [], 30)[0], "the worker went quiet"
                line = looping.stderr.readline()
                assert line, "the worker stopped"
                refused += "; trying again in " in line
            assert looping.poll() is None
        finally:
            looping.terminate()
            looping.wait(timeout=30)


# ---- over HTTP -----------------------------------------------------------------------------

@pytest.fixture(scope="module")
def api() -> Iterator[ApiOffice]:
    with tempfile.TemporaryDirectory() as folder, \
            running_api(f"sqlite:///{folder}/motcua.db", db_lock_timeout_s=BOUND_S) as running:
        yield running


def _database(api: ApiOffice) -> str:
    path = api.office.db.engine.url.database
    assert path
    return path


def _raw(api: ApiOffice, user: str | None = None) -> httpx.Client:
    """A client that lets 5xx answers through (the shared ones fail on them)."""
    headers = {"Authorization": f"Bearer {api.token(user)}"} if user else {}
    return httpx.Client(base_url=f"{api.url}/api/v1", headers=headers, timeout=60)


def _total(api: ApiOffice) -> int:
    total: int = api.client("auditor").get("/dossiers").json()["total"]
    return total


@pytest.mark.parametrize("how", ["flock", "transaction"])
def test_a_write_meets_a_held_lock_with_503_reads_go_on_and_it_succeeds_afterwards(
        api: ApiOffice, how: str) -> None:
    code = api.submit()["code"]
    before = _total(api)
    reception, auditor, anyone = _raw(api, "reception"), _raw(api, "auditor"), _raw(api)
    with held(_database(api), how):
        answer = reception.post("/dossiers", json=SUBMISSION)
        assert answer.status_code == 503, answer.text
        assert answer.headers["content-type"] == "application/problem+json"
        assert answer.headers["retry-after"] == "1"
        body = answer.json()
        assert body["type"] == "https://motcua.dev/problems/unavailable"
        assert "chưa có gì được ghi" in body["detail"]
        # Reads do not need the writer lock: they answer while it is held.
        assert auditor.get(f"/dossiers/{code}").status_code == 200
        assert reception.get("/auth/me").status_code == 200
        assert anyone.get("/healthz/ready").json() == {"status": "ok", "incidents": 0}
        assert httpx.get(f"{api.url}/tra-cuu/{code}").status_code == 200
        assert _total(api) == before
    assert reception.post("/dossiers", json=SUBMISSION).status_code == 201
    assert _total(api) == before + 1


def test_a_form_sent_while_the_lock_is_held_gets_a_page_in_vietnamese(api: ApiOffice) -> None:
    code = api.submit()["code"]
    with httpx.Client(base_url=api.url, timeout=60) as browser:
        form = browser.get("/dang-nhap")  # any form carries the browser's CSRF token
        found = re.search(r'name="csrf" value="([0-9a-f]+)"', form.text)
        assert found, form.text
        with held(_database(api), "flock"):
            answer = browser.post(f"/tra-cuu/{code}/danh-gia", data={
                "csrf": found.group(1), "secret": "WRONG", "satisfaction": "5"})
    assert answer.status_code == 503
    assert answer.headers["content-type"].startswith("text/html")
    assert answer.headers["retry-after"] == "1"
    assert "Hệ thống tạm thời gián đoạn" in answer.text
    assert "thử lại sau khoảng 1 giây" in answer.text
