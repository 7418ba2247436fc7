"""Database engines and the unit of work: one use case, one transaction."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine

from engine.errors import NotReady
from engine.store.audit_log import AuditLog
from engine.store.dossiers import DossierStore
from engine.store.organisation import Organisation
from engine.store.procedures import ProcedureCatalog
from engine.store.work_items import WorkItemStore


def make_engine(url: str, **kwargs: Any) -> Engine:
    """An engine tuned per backend: SQLite in WAL mode with immediate write transactions."""
    if url.startswith("sqlite"):
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
            mode = conn.info.get("begin_mode", "IMMEDIATE")
            conn.exec_driver_sql(f"BEGIN {mode}")

        return engine
    kwargs.setdefault("pool_size", 10)
    kwargs.setdefault("max_overflow", 20)
    kwargs.setdefault("pool_pre_ping", True)
    return sa.create_engine(url, **kwargs)


class UnitOfWork:
    """Holds one connection and transaction; rolls back unless ``commit()`` was called.

    Repositories share the connection and never commit; the use case decides.
    """

    def __init__(self, engine: Engine, readonly: bool = False) -> None:
        self._engine = engine
        self._readonly = readonly
        self.conn: Connection

    def __enter__(self) -> UnitOfWork:
        self.conn = self._engine.connect()
        if self._engine.dialect.name == "sqlite":
            self.conn.info["begin_mode"] = "DEFERRED" if self._readonly else "IMMEDIATE"
        self._tx = self.conn.begin()
        self.dossiers = DossierStore(self.conn)
        self.items = WorkItemStore(self.conn)
        self.audit = AuditLog(self.conn)
        self.catalog = ProcedureCatalog(self.conn)
        self.org = Organisation(self.conn)
        return self

    def commit(self) -> None:
        self._tx.commit()

    def __exit__(self, *exc: object) -> None:
        try:
            if self._tx.is_active:
                self._tx.rollback()
        finally:
            self.conn.close()


class Database:
    """The one handle the services get: hands out units of work."""

    def __init__(self, url: str, **kwargs: Any) -> None:
        self.url = url
        self.engine = make_engine(url, **kwargs)

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @contextmanager
    def unit_of_work(self, readonly: bool = False) -> Iterator[UnitOfWork]:
        with UnitOfWork(self.engine, readonly) as uow:
            yield uow

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
