"""Database engines and the unit of work: one use case, one transaction."""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine

from engine.errors import NotReady
from engine.store.audit_log import AuditLog
from engine.store.dossiers import DossierStore
from engine.store.incidents import IncidentStore
from engine.store.organisation import Organisation
from engine.store.procedures import ProcedureCatalog
from engine.store.work_items import WorkItemStore

try:
    import fcntl
except ImportError:  # not POSIX: writers wait in SQLite's busy handler alone
    fcntl = None  # type: ignore[assignment]

_BEGIN = {"IMMEDIATE": "BEGIN IMMEDIATE", "DEFERRED": "BEGIN DEFERRED"}


class WriterQueue:
    """Writers of one SQLite file, queued on an OS file lock beside it.

    SQLite lets one writer in at a time; the others wait in its busy handler, which sleeps
    1, 2, 5 … 100 ms between tries, so under load the lock sits free while they sleep and
    latencies jump by tens of milliseconds. Queued on ``flock`` instead, the next writer is
    woken by the kernel the moment the lock is released. Threads of a process queue on a
    lock of their own first, because a file lock belongs to the process. Re-entrant: a write
    transaction opened inside another on the same thread does not wait for itself.
    """

    def __init__(self, path: str) -> None:
        self._path = f"{path}-writer.lock"
        self._lock = threading.RLock()
        self._depth = 0
        self._fd: int | None = None
        self._pid = 0

    def acquire(self) -> None:
        self._lock.acquire()
        if self._depth == 0:
            try:
                if self._fd is None or self._pid != os.getpid():  # reopen after a fork
                    self._fd = os.open(self._path, os.O_RDWR | os.O_CREAT, 0o600)
                    self._pid = os.getpid()
                fcntl.flock(self._fd, fcntl.LOCK_EX)
            except BaseException:
                self._lock.release()
                raise
        self._depth += 1

    def release(self) -> None:
        self._depth -= 1
        try:
            if self._depth == 0 and self._fd is not None:
                fcntl.flock(self._fd, fcntl.LOCK_UN)
        finally:
            self._lock.release()


_QUEUES: dict[str, WriterQueue] = {}
_QUEUES_LOCK = threading.Lock()


def writer_queue(engine: Engine) -> WriterQueue | None:
    """The queue of an SQLite file's writers (one per file in a process), or None."""
    if engine.dialect.name != "sqlite" or fcntl is None:
        return None
    database = engine.url.database
    if not database or database == ":memory:" or database.startswith("file:"):
        return None
    path = os.path.realpath(database)
    with _QUEUES_LOCK:
        return _QUEUES.setdefault(path, WriterQueue(path))


def compact_json(value: Any) -> str:
    """JSON columns as UTF-8 without padding: Vietnamese text escaped as ``\\uXXXX`` takes six
    bytes a letter instead of two or three."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def make_engine(url: str, **kwargs: Any) -> Engine:
    """An engine tuned per backend: SQLite in WAL mode with immediate write transactions."""
    kwargs.setdefault("json_serializer", compact_json)
    if url.startswith("sqlite"):
        # Enough pooled connections for a server's threadpool: a connection opened past the
        # pool is closed on return, and opening one (with its pragmas) costs more than a step.
        kwargs.setdefault("pool_size", 20)
        kwargs.setdefault("max_overflow", 20)
        engine = sa.create_engine(url, connect_args={"timeout": 30}, **kwargs)

        @event.listens_for(engine, "connect")
        def _pragmas(dbapi_conn: Any, _record: Any) -> None:
            # Let SQLAlchemy's listeners below issue BEGIN themselves.
            dbapi_conn.isolation_level = None
            cur = dbapi_conn.cursor()
            if ":memory:" not in url:
                cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA synchronous=NORMAL")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA busy_timeout=30000")
            cur.close()

        @event.listens_for(engine, "begin")
        def _begin(conn: Connection) -> None:
            # A deferred transaction that later writes can fail with SQLITE_BUSY without
            # waiting; writers take the lock up front and queue on busy_timeout instead.
            # Sent on the driver's connection: the statement machinery would cost more than
            # the BEGIN itself, on every use case.
            mode = conn.info.get("begin_mode", "IMMEDIATE")
            conn.connection.driver_connection.execute(_BEGIN[mode])  # type: ignore[union-attr]

        return engine
    kwargs.setdefault("pool_size", 10)
    kwargs.setdefault("max_overflow", 20)
    kwargs.setdefault("pool_pre_ping", True)
    return sa.create_engine(url, **kwargs)


class UnitOfWork:
    """Holds one connection and transaction; rolls back unless ``commit()`` was called.

    Repositories share the connection and never commit; the use case decides.
    """

    def __init__(self, engine: Engine, readonly: bool = False,
                 writers: WriterQueue | None = None) -> None:
        self._engine = engine
        self._readonly = readonly
        self._writers = None if readonly else writers
        self.conn: Connection

    def __enter__(self) -> UnitOfWork:
        if self._writers is not None:
            self._writers.acquire()
        try:
            return self._open()
        except BaseException:
            if self._writers is not None:
                self._writers.release()
            raise

    def _open(self) -> UnitOfWork:
        self.conn = self._engine.connect()
        if self._engine.dialect.name == "sqlite":
            self.conn.info["begin_mode"] = "DEFERRED" if self._readonly else "IMMEDIATE"
        self._tx = self.conn.begin()
        self.dossiers = DossierStore(self.conn)
        self.items = WorkItemStore(self.conn)
        self.audit = AuditLog(self.conn)
        self.catalog = ProcedureCatalog(self.conn)
        self.org = Organisation(self.conn)
        self.incidents = IncidentStore(self.conn)
        return self

    def commit(self) -> None:
        self._tx.commit()

    def __exit__(self, *exc: object) -> None:
        try:
            if self._tx.is_active:
                self._tx.rollback()
        finally:
            try:
                self.conn.close()
            finally:
                if self._writers is not None:
                    self._writers.release()


class StatementCounter:
    """How many statements went to the database while it was active (benchmarks, ops)."""

    def __init__(self) -> None:
        self.statements = 0

    def __call__(self, *_args: Any) -> None:
        self.statements += 1


class Database:
    """The one handle the services get: hands out units of work."""

    def __init__(self, url: str, **kwargs: Any) -> None:
        self.url = url
        self.engine = make_engine(url, **kwargs)
        self.writers = writer_queue(self.engine)

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @contextmanager
    def unit_of_work(self, readonly: bool = False) -> Iterator[UnitOfWork]:
        with UnitOfWork(self.engine, readonly, self.writers) as uow:
            yield uow

    @contextmanager
    def statement_counter(self) -> Iterator[StatementCounter]:
        """Count the statements sent by this process while the block runs."""
        counter = StatementCounter()
        event.listen(self.engine, "before_cursor_execute", counter)
        try:
            yield counter
        finally:
            event.remove(self.engine, "before_cursor_execute", counter)

    def check_schema(self) -> None:
        """Fail with a clear message when the database was never migrated."""
        try:
            with self.engine.connect() as conn:
                conn.exec_driver_sql("SELECT version_num FROM alembic_version").first()
        except sa.exc.SQLAlchemyError as exc:
            raise NotReady(f"the database at {self.engine.url.render_as_string()} has no "
                           "schema yet; run `motcua migrate` first") from exc

    def dispose(self) -> None:
        self.engine.dispose()
