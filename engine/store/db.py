"""Database engines and the unit of work: one use case, one transaction."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cached_property
from typing import Any, Literal

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine

from engine.errors import NotReady
from engine.i18n import msg
from engine.store.attachments import AttachmentStore
from engine.store.audit_log import AuditLog
from engine.store.dossiers import DossierStore
from engine.store.group_commit import GroupCommit, Member
from engine.store.incidents import IncidentStore
from engine.store.organisation import Organisation
from engine.store.outage import outage, unavailable
from engine.store.outbox import OutboxStore
from engine.store.prepared import count_with
from engine.store.procedures import LibraryCatalog, ProcedureCatalog
from engine.store.ratings import RatingStore
from engine.store.read_models import Lookups
from engine.store.report_sheets import SheetQueries
from engine.store.reports import ReportQueries
from engine.store.submissions import SubmittedReports
from engine.store.units import UnitStore
from engine.store.work_items import WorkItemStore
from engine.store.writers import WriterQueue, writer_queue

_BEGIN = {"IMMEDIATE": "BEGIN IMMEDIATE", "DEFERRED": "BEGIN DEFERRED"}


def compact_json(value: Any) -> str:
    """JSON columns as UTF-8 without padding: Vietnamese text escaped as ``\\uXXXX`` takes six
    bytes a letter instead of two or three."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


Synchronous = Literal["NORMAL", "FULL"]


def make_engine(url: str, *, lock_timeout_s: float = 5.0, synchronous: Synchronous = "NORMAL",
                connect_timeout_s: int = 5, **kwargs: Any) -> Engine:
    """An engine tuned per backend: SQLite in WAL mode with immediate write transactions.

    ``lock_timeout_s`` bounds SQLite's busy handler and the wait for a pooled connection;
    ``connect_timeout_s`` the opening of a PostgreSQL connection.
    """
    if synchronous not in ("NORMAL", "FULL"):
        raise ValueError(f"synchronous must be NORMAL or FULL, not {synchronous!r}")
    kwargs.setdefault("json_serializer", compact_json)
    kwargs.setdefault("pool_timeout", lock_timeout_s)
    if url.startswith("sqlite"):
        # Enough pooled connections for a server's threadpool: a connection opened past the
        # pool is closed on return, and opening one (with its pragmas) costs more than a step.
        kwargs.setdefault("pool_size", 20)
        kwargs.setdefault("max_overflow", 20)
        busy_ms = max(1, round(lock_timeout_s * 1000))
        engine = sa.create_engine(url, connect_args={"timeout": lock_timeout_s}, **kwargs)

        @event.listens_for(engine, "connect")
        def _pragmas(dbapi_conn: Any, _record: Any) -> None:
            # Let SQLAlchemy's listeners below issue BEGIN themselves.
            dbapi_conn.isolation_level = None
            cur = dbapi_conn.cursor()
            if ":memory:" not in url:
                cur.execute("PRAGMA journal_mode=WAL")
            cur.execute(f"PRAGMA synchronous={synchronous}")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute(f"PRAGMA busy_timeout={busy_ms}")
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
    # A pooled connection is tested before use, so after the server comes back the next
    # request reconnects by itself instead of failing on a dead socket.
    kwargs.setdefault("pool_pre_ping", True)
    # The connection returned last is taken first: under a load that needs few connections
    # at once, a process keeps reusing the same warm ones (their backends' prepared
    # statements and caches), instead of cycling through every connection it ever opened,
    # which with several processes spread the same work over many colder backends.
    kwargs.setdefault("pool_use_lifo", True)
    if url.startswith("postgresql"):
        kwargs["connect_args"] = {"connect_timeout": max(2, connect_timeout_s),
                                  **kwargs.get("connect_args", {})}
    return sa.create_engine(url, **kwargs)


class UnitOfWork:
    """Holds one connection and transaction; rolls back unless ``commit()`` was called.

    Repositories share the connection and never commit; the use case decides. A database that
    is away or busy past ``lock_timeout_s`` comes out as ``Unavailable``, from whichever of
    opening, the statements, the commit or the closing met it; other errors stay as they are.
    """

    def __init__(self, engine: Engine, readonly: bool = False,
                 writers: WriterQueue | None = None, lock_timeout_s: float = 5.0,
                 group: GroupCommit | None = None) -> None:
        self._engine = engine
        self._readonly = readonly
        self._group = None if readonly else group
        self._writers = None if readonly or group is not None else writers
        self._lock_timeout_s = lock_timeout_s
        self._member: Member | None = None
        self.conn: Connection

    def __enter__(self) -> UnitOfWork:
        if self._group is not None:
            try:
                self._member = self._group.enter(self._lock_timeout_s)
            except BaseException as exc:
                gone = unavailable(exc, self._lock_timeout_s)
                if gone is None:
                    raise
                raise gone from exc
            self.conn = self._member.conn
            self._repositories()
            return self
        if self._writers is not None:
            self._writers.acquire(self._lock_timeout_s)
        try:
            return self._open()
        except BaseException as exc:
            if self._writers is not None:
                self._writers.release()
            gone = unavailable(exc, self._lock_timeout_s)
            if gone is None:
                raise
            raise gone from exc

    def _open(self) -> UnitOfWork:
        self.conn = self._engine.connect()
        try:
            if self._engine.dialect.name == "sqlite":
                self.conn.info["begin_mode"] = "DEFERRED" if self._readonly else "IMMEDIATE"
            self._tx = self.conn.begin()
        except BaseException:
            self.conn.close()
            raise
        self._repositories()
        return self

    def _repositories(self) -> None:
        self.dossiers = DossierStore(self.conn)
        self.items = WorkItemStore(self.conn)
        self.audit = AuditLog(self.conn)
        self.catalog = ProcedureCatalog(self.conn)
        self.library = LibraryCatalog(self.conn)
        self.org = Organisation(self.conn)
        self.incidents = IncidentStore(self.conn)

    # The read side's repositories, made on first use: a step never needs them.
    @cached_property
    def ratings(self) -> RatingStore:
        return RatingStore(self.conn)

    @cached_property
    def units(self) -> UnitStore:
        return UnitStore(self.conn)

    @cached_property
    def lookups(self) -> Lookups:
        return Lookups(self.conn)

    @cached_property
    def reports(self) -> ReportQueries:
        return ReportQueries(self.conn)

    @cached_property
    def sheets(self) -> SheetQueries:
        return SheetQueries(self.conn)

    @cached_property
    def submissions(self) -> SubmittedReports:
        return SubmittedReports(self.conn)

    @cached_property
    def attachments(self) -> AttachmentStore:
        return AttachmentStore(self.conn)

    @cached_property
    def outbox(self) -> OutboxStore:
        return OutboxStore(self.conn)

    def commit(self) -> None:
        try:
            if self._member is not None:  # returns once the group's commit is done
                self._member.commit()
                return
            self._tx.commit()
        except sa.exc.SQLAlchemyError as exc:
            gone = unavailable(exc, self._lock_timeout_s, committing=True)
            if gone is None:
                raise
            raise gone from exc

    def __exit__(self, _type: object, exc: BaseException | None, _tb: object) -> None:
        if self._member is not None:
            self._member.leave(committed=False)  # nothing when it committed
            if exc is not None:
                gone = unavailable(exc, self._lock_timeout_s)
                if gone is not None:
                    raise gone from exc
            return
        try:
            try:
                if self._tx.is_active:
                    self._tx.rollback()
            finally:
                try:
                    self.conn.close()
                finally:
                    if self._writers is not None:
                        self._writers.release()
        except BaseException as failed:
            gone = unavailable(failed, self._lock_timeout_s)
            if gone is None:
                raise
            raise gone from failed
        if exc is not None:
            gone = unavailable(exc, self._lock_timeout_s)
            if gone is not None:
                raise gone from exc


class StatementCounter:
    """How many statements went to the database while it was active (benchmarks, ops)."""

    def __init__(self) -> None:
        self.statements = 0

    def __call__(self, *_args: Any) -> None:
        self.statements += 1


class Database:
    """The one handle the services get: hands out units of work.

    ``lock_timeout_s`` is the longest a unit of work waits for the database (the SQLite writer
    lock, SQLite's busy handler, a pooled connection) before it is refused as ``Unavailable``.
    """

    def __init__(self, url: str, *, lock_timeout_s: float = 5.0,
                 synchronous: Synchronous = "NORMAL", connect_timeout_s: int = 5,
                 group_commit: bool = False, **kwargs: Any) -> None:
        self.url = url
        self.lock_timeout_s = lock_timeout_s
        self.engine = make_engine(url, lock_timeout_s=lock_timeout_s, synchronous=synchronous,
                                  connect_timeout_s=connect_timeout_s, **kwargs)
        self.writers = writer_queue(self.engine.dialect.name, self.engine.url.database)
        # One transaction for the writers queued at one moment (a file's, SQLite only).
        self.group = GroupCommit(self.engine, self.writers) \
            if group_commit and self.writers is not None else None

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @property
    def where(self) -> str:
        """The database's address for an operator, password hidden (never sent to clients)."""
        return self.engine.url.render_as_string(hide_password=True)

    @contextmanager
    def unit_of_work(self, readonly: bool = False) -> Iterator[UnitOfWork]:
        with UnitOfWork(self.engine, readonly, self.writers, self.lock_timeout_s,
                        self.group) as uow:
            yield uow

    @contextmanager
    def statement_counter(self) -> Iterator[StatementCounter]:
        """Count the statements sent by this process while the block runs."""
        counter = StatementCounter()
        event.listen(self.engine, "before_cursor_execute", counter)
        stop = count_with(self.engine, counter)  # the step's statements skip Core's events
        try:
            yield counter
        finally:
            stop()
            event.remove(self.engine, "before_cursor_execute", counter)

    def check_schema(self) -> None:
        """Whether the database takes requests, within about ``lock_timeout_s``: raises
        ``Unavailable`` when it cannot be reached or is stuck, ``NotReady`` when it was never
        migrated."""
        missing = NotReady(msg("err_database_has_schema_yet_run"))
        with self.unit_of_work(readonly=True) as uow:
            if self.dialect == "postgresql":  # a server that accepts but never answers
                timeout_ms = max(1, round(self.lock_timeout_s * 1000))
                uow.conn.exec_driver_sql(f"SET LOCAL statement_timeout = {timeout_ms}")
            try:
                found = uow.conn.exec_driver_sql("SELECT version_num FROM alembic_version")
                if found.first() is None:
                    raise missing
            except sa.exc.SQLAlchemyError as exc:
                if outage(exc) is not None:
                    raise
                raise missing from exc

    def dispose(self) -> None:
        self.engine.dispose()
