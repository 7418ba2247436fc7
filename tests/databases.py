"""The databases tests start from.

``fresh_database`` gives an empty database migrated to the newest schema. ``seeded_database``
gives what most tests need on top of that, the demo office seeded and the procedures of
``processes/`` deployed at the tests' morning, without paying for migrating, seeding and
deploying each time: that state is built once per test run (per xdist worker) and then
copied. SQLite copies the template file; PostgreSQL empties the tables and copies the
template's rows and sequence positions back, so the copy is the same database a fresh build
would have made, down to the ids, the sequences and the audit chains' heads.
"""

from __future__ import annotations

import atexit
import os
import shutil
import sqlite3
import tempfile
from contextlib import closing
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from alembic.script import ScriptDirectory
from sqlalchemy.engine import Connection

from engine.calendar import WorkingCalendar
from engine.runtime.clock import ManualClock
from engine.runtime.workflows import WorkflowCache
from engine.service import deploy
from engine.service.demo import seed
from engine.service.office import Office
from engine.store import Database
from engine.store.migrate import alembic_config, upgrade
from engine.store.tables import metadata

ROOT = Path(__file__).resolve().parent.parent
PROCESSES = ROOT / "processes"
LOCAL = ZoneInfo("Asia/Ho_Chi_Minh")
POSTGRES_URL = os.environ.get("MOTCUA_TEST_POSTGRES_URL")
AGENCY = "000.00.81.H26"


def local(*args: int) -> datetime:
    """A moment in Hà Nội local time (how the office speaks of time)."""
    return datetime(*args, tzinfo=LOCAL)  # type: ignore[misc]


# Tuesday 3 March 2026, 09:00 in Hà Nội: an ordinary working morning, when the procedures
# of every seeded database were deployed.
MORNING = local(2026, 3, 3, 9, 0)


# A BPMN file of a version dated for later (the construction permit's 2026 rules) says so.
COMING = b'name="effective_from"'


def definition_files(*paths: Path, coming: bool = False) -> dict[str, bytes]:
    """The files under ``paths`` by name. The versions ``processes/`` dates for a later day
    only with ``coming``: the tests' calendar runs through 2026 on the rules of their
    morning, and the tests of versions in force deploy the coming ones themselves."""
    files: dict[str, bytes] = {}
    for path in paths:
        found = path.rglob("*") if path.is_dir() else [path]
        for file in found:
            if file.suffix in (".bpmn", ".dmn", ".json"):
                data = file.read_bytes()
                if coming or file.suffix != ".bpmn" or COMING not in data:
                    files[file.name] = data
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


def populate(db: Database) -> None:
    """Seed the demo office and deploy ``processes/`` on a migrated, empty database."""
    office = Office(db=db, agency_code=AGENCY, clock=ManualClock(MORNING),
                    calendar=WorkingCalendar.default(), workflows=WorkflowCache(size=0))
    seed(office)
    deploy.deploy(office, definition_files(PROCESSES), "designer")


def seeded_database(url: str, db: Database | None = None) -> Database:
    """``db`` (or a new handle on ``url``) on a database migrated, seeded and deployed.

    ``url`` is a SQLite file that does not exist yet or the test PostgreSQL database; any
    other database (an existing file, a server of a test's own) is built the slow way.
    """
    db = db or Database(url)
    if db.dialect == "sqlite" and _copy_sqlite_template(url):
        return db
    if db.dialect == "postgresql" and url == POSTGRES_URL:
        _reset_postgres(db)
        return db
    fresh_database(url, db)
    populate(db)
    return db


# ---- SQLite: one template file, copied -----------------------------------------------------

_sqlite_template: Path | None = None


def _sqlite_path(url: str) -> Path | None:
    prefix = "sqlite:///"
    if not url.startswith(prefix) or ":memory:" in url or "?" in url:
        return None
    return Path(url[len(prefix):])


def _copy_sqlite_template(url: str) -> bool:
    target = _sqlite_path(url)
    if target is None or target.exists() or not target.parent.is_dir():
        return False
    shutil.copyfile(_built_sqlite_template(), target)
    return True


def _built_sqlite_template() -> Path:
    global _sqlite_template
    if _sqlite_template is None:
        folder = Path(tempfile.mkdtemp(prefix="motcua-template-"))
        atexit.register(shutil.rmtree, folder, True)
        path = folder / "template.db"
        db = fresh_database(f"sqlite:///{path}")
        populate(db)
        db.dispose()
        # Everything into the main file, so copying that one file copies the database.
        with closing(sqlite3.connect(path)) as conn:
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        _sqlite_template = path
    return _sqlite_template


# ---- PostgreSQL: the template's rows and sequences, put back -------------------------------

@dataclass(frozen=True)
class _Snapshot:
    head: str
    rows: dict[str, bytes]  # table name: its rows in COPY's text format
    sequences: dict[str, tuple[int, bool]]  # sequence name: (last_value, is_called)


_postgres_snapshot: _Snapshot | None = None


def _reset_postgres(db: Database) -> None:
    global _postgres_snapshot
    if _postgres_snapshot is None:
        fresh_database(db.url, db)
        populate(db)
        with db.engine.connect() as conn:
            _postgres_snapshot = _take(conn)
        return
    try:
        with db.engine.begin() as conn:
            _restore(conn, _postgres_snapshot)
    except Exception:
        # Not the schema the snapshot was taken on (a migration test left it elsewhere, or a
        # test created tables): rebuild the schema, then put the rows back.
        fresh_database(db.url, db)
        with db.engine.begin() as conn:
            _restore(conn, _postgres_snapshot)


def _head() -> str:
    head = ScriptDirectory.from_config(alembic_config("sqlite://")).get_current_head()
    assert head is not None
    return head


def _sequence_names(conn: Connection) -> list[str]:
    return list(conn.exec_driver_sql(
        "SELECT sequencename FROM pg_sequences WHERE schemaname = current_schema() "
        "ORDER BY sequencename").scalars())


def _take(conn: Connection) -> _Snapshot:
    cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
    rows: dict[str, bytes] = {}
    for table in metadata.sorted_tables:
        with cursor.copy(f'COPY "{table.name}" TO STDOUT') as copy:
            rows[table.name] = b"".join(bytes(chunk) for chunk in copy)
    sequences: dict[str, tuple[int, bool]] = {}
    for name in _sequence_names(conn):
        value, called = conn.exec_driver_sql(
            f'SELECT last_value, is_called FROM "{name}"').one()
        sequences[name] = (int(value), bool(called))
    return _Snapshot(_head(), rows, sequences)


def _restore(conn: Connection, snapshot: _Snapshot) -> None:
    version = conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()
    if version != snapshot.head or set(_sequence_names(conn)) != set(snapshot.sequences):
        raise LookupError(f"schema at {version}, not {snapshot.head}")
    names = ", ".join(f'"{table.name}"' for table in metadata.sorted_tables)
    conn.exec_driver_sql(f"TRUNCATE {names} RESTART IDENTITY")
    cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
    for table in metadata.sorted_tables:
        if snapshot.rows[table.name]:
            with cursor.copy(f'COPY "{table.name}" FROM STDIN') as copy:
                copy.write(snapshot.rows[table.name])
    for name, (value, called) in snapshot.sequences.items():
        conn.exec_driver_sql(f"SELECT setval('\"{name}\"', {value}, {called})")
