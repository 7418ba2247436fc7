"""Shared fixtures: a real database (SQLite always, PostgreSQL when configured), the demo
organisation, the procedures of ``processes/`` deployed, and a clock tests move by hand."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import settings

from engine import security
from engine.calendar import WorkingCalendar
from engine.model import User
from engine.runtime.clock import ManualClock
from engine.runtime.workflows import WorkflowCache
from engine.service.office import Office
from tests.databases import (
    LOCAL,
    POSTGRES_URL,
    PROCESSES,
    ROOT,
    definition_files,
    fresh_database,
    local,
    seeded_database,
)

# Property tests judge behaviour, not speed: on a loaded machine Hypothesis's default 200 ms
# per example made them fail for being slow.
settings.register_profile("motcua", deadline=None)
settings.load_profile("motcua")

__all__ = ["LOCAL", "POSTGRES_URL", "PROCESSES", "ROOT", "definition_files", "fresh_database",
           "local", "seeded_database"]

# Hashing at production cost takes a tenth of a second a password; the tests sign in
# thousands of times and measure nothing about the hash.
security.use_cheap_hashing_in_tests()

DATA = Path(__file__).resolve().parent / "data"


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
    db = seeded_database(database_url)
    # No workflow cache: every step restores the workflow from the database, so persistence
    # is exercised by every test rather than by one.
    office = Office(db=db, agency_code="000.00.81.H26", clock=clock,
                    calendar=WorkingCalendar.default(), workflows=WorkflowCache(size=0))
    yield office
    db.dispose()


@pytest.fixture
def users(office: Office) -> dict[str, User]:
    with office.db.unit_of_work(readonly=True) as uow:
        found = {name: uow.org.user(name) for name in
                 ("reception", "justice", "finance", "urban", "leader", "auditor", "designer",
                  "admin")}
    return {k: v for k, v in found.items() if v is not None}
