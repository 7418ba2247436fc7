"""Shared fixtures: a real database (SQLite always, PostgreSQL when configured), the demo
organisation, the procedures of ``processes/`` deployed, and a clock tests move by hand."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from engine import security
from engine.calendar import WorkingCalendar
from engine.model import User
from engine.runtime.clock import ManualClock
from engine.runtime.workflows import WorkflowCache
from engine.service import deploy
from engine.service.demo import seed
from engine.service.office import Office
from engine.store import Database
from engine.store.migrate import upgrade
from engine.store.tables import metadata

ROOT = Path(__file__).resolve().parent.parent
PROCESSES = ROOT / "processes"
DATA = Path(__file__).resolve().parent / "data"
LOCAL = ZoneInfo("Asia/Ho_Chi_Minh")
POSTGRES_URL = os.environ.get("MOTCUA_TEST_POSTGRES_URL")

# Hashing at production cost takes a tenth of a second a password; the tests sign in
# thousands of times and measure nothing about the hash.
security.use_cheap_hashing_in_tests()


def local(*args: int) -> datetime:
    """A moment in Hà Nội local time (how the office speaks of time)."""
    return datetime(*args, tzinfo=LOCAL)  # type: ignore[misc]


def definition_files(*paths: Path) -> dict[str, bytes]:
    files: dict[str, bytes] = {}
    for path in paths:
        found = path.rglob("*") if path.is_dir() else [path]
        for file in found:
            if file.suffix in (".bpmn", ".dmn", ".json"):
                files[file.name] = file.read_bytes()
    return files


def fresh_database(url: str, db: Database | None = None) -> Database:
    """``db`` (or a new handle on ``url``) on an empty database migrated to the newest schema."""
    db = db or Database(url)
    if db.dialect == "postgresql":
        with db.engine.begin() as conn:
            metadata.drop_all(conn)
            conn.exec_driver_sql("DROP TABLE IF EXISTS alembic_version")
    upgrade(url)
    return db


DB_PARAMS = ["sqlite"] + ([pytest.param("postgresql", marks=pytest.mark.postgres)]
                          if POSTGRES_URL else [])


@pytest.fixture(params=DB_PARAMS)
def database_url(request: pytest.FixtureRequest) -> Iterator[str]:
    if request.param == "postgresql":
        assert POSTGRES_URL
        yield POSTGRES_URL
        return
    with tempfile.TemporaryDirectory() as folder:
        yield f"sqlite:///{folder}/motcua.db"


@pytest.fixture
def clock() -> ManualClock:
    # Tuesday 3 March 2026, 09:00 in Hà Nội: an ordinary working morning.
    return ManualClock(local(2026, 3, 3, 9, 0))


@pytest.fixture
def office(database_url: str, clock: ManualClock) -> Iterator[Office]:
    db = fresh_database(database_url)
    # No workflow cache: every step restores the workflow from the database, so persistence
    # is exercised by every test rather than by one.
    office = Office(db=db, agency_code="000.00.20.H26", clock=clock,
                    calendar=WorkingCalendar.default(), workflows=WorkflowCache(size=0))
    seed(office)
    deploy.deploy(office, definition_files(PROCESSES), "designer")
    yield office
    db.dispose()


@pytest.fixture
def users(office: Office) -> dict[str, User]:
    with office.db.unit_of_work(readonly=True) as uow:
        found = {name: uow.org.user(name) for name in
                 ("reception", "justice", "finance", "urban", "leader", "auditor", "designer",
                  "admin")}
    return {k: v for k, v in found.items() if v is not None}
