"""SQLite settings reach every connection, and SQLite errors that are bugs stay bugs."""

from __future__ import annotations

from pathlib import Path

import pydantic
import pytest
import sqlalchemy as sa

from engine.bootstrap import open_database
from engine.errors import Unavailable
from engine.settings import Settings
from engine.store import Database


def _pragma(db: Database, name: str) -> object:
    with db.unit_of_work(readonly=True) as uow:
        return uow.conn.exec_driver_sql(f"PRAGMA {name}").scalar()


@pytest.mark.parametrize(("setting", "level"), [(None, 1), ("normal", 1), ("FULL", 2),
                                                ("full", 2)])
def test_sqlite_synchronous_is_applied(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                       setting: str | None, level: int) -> None:
    monkeypatch.setenv("MOTCUA_DATABASE_URL", f"sqlite:///{tmp_path}/motcua.db")
    if setting is not None:
        monkeypatch.setenv("MOTCUA_SQLITE_SYNCHRONOUS", setting)
    db = open_database(Settings())
    try:
        assert _pragma(db, "synchronous") == level  # 1 NORMAL, 2 FULL
        assert _pragma(db, "journal_mode") == "wal"
    finally:
        db.dispose()


def test_other_synchronous_levels_are_refused() -> None:
    with pytest.raises(pydantic.ValidationError):
        Settings(sqlite_synchronous="OFF")  # type: ignore[arg-type]


def test_the_busy_handler_waits_as_long_as_the_lock_bound(tmp_path: Path) -> None:
    db = open_database(Settings(database_url=f"sqlite:///{tmp_path}/motcua.db",
                                db_lock_timeout_s=0.75))
    try:
        assert _pragma(db, "busy_timeout") == 750
    finally:
        db.dispose()


@pytest.mark.parametrize("statement", ["SELEC 1", "SELECT * FROM no_such_table"])
def test_a_wrong_statement_is_not_mistaken_for_an_outage(tmp_path: Path,
                                                          statement: str) -> None:
    """Python's sqlite3 raises OperationalError for these too."""
    db = Database(f"sqlite:///{tmp_path}/motcua.db")
    try:
        with pytest.raises(sa.exc.OperationalError), db.unit_of_work() as uow:
            uow.conn.exec_driver_sql(statement)
    finally:
        db.dispose()


def test_a_database_file_that_cannot_be_opened_is_unavailable(tmp_path: Path) -> None:
    db = Database(f"sqlite:///{tmp_path}/gone/motcua.db")
    try:
        for readonly in (True, False):
            with pytest.raises(Unavailable) as raised, db.unit_of_work(readonly=readonly):
                pass
            assert raised.value.retry_after == 5
    finally:
        db.dispose()
