"""Rows in bulk, for the benchmarks' loader and for operations: read a table's rows as the
engine wrote them, write many at once with their ids, and move PostgreSQL's id sequences past
ids written explicitly. No use case calls these."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from engine.store.tables import metadata

# Tables whose ids a bulk load may write explicitly.
SEQUENCED = ("dossiers", "work_items", "due_date_changes")


def rows(conn: Connection, table: str, where: dict[str, Iterable[Any]] | None = None
         ) -> list[dict[str, Any]]:
    """Every row of ``table`` (optionally where column IN values), as the columns' Python
    values (JSON decoded, times as aware UTC), ordered by primary key."""
    t = metadata.tables[table]
    query = sa.select(t).order_by(*t.primary_key.columns)
    for column, values in (where or {}).items():
        query = query.where(t.c[column].in_(list(values)))
    return [dict(r._mapping) for r in conn.execute(query)]


def insert(conn: Connection, table: str, values: Sequence[dict[str, Any]]) -> None:
    """Insert many rows in one executemany (the column types encode values as usual)."""
    if values:
        conn.execute(metadata.tables[table].insert(), list(values))


def max_id(conn: Connection, table: str) -> int:
    t = metadata.tables[table]
    return int(conn.execute(sa.select(sa.func.coalesce(sa.func.max(t.c.id), 0))).scalar_one())


def advance_sequences(conn: Connection) -> None:
    """After explicit ids on PostgreSQL, the next generated id must come after them."""
    if conn.dialect.name != "postgresql":
        return
    for table in SEQUENCED:
        conn.execute(sa.text(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
            f"(SELECT coalesce(max(id), 0) + 1 FROM {table}), false)"))


def analyze(conn: Connection) -> None:
    """Refresh the planner's statistics after a bulk load."""
    conn.execute(sa.text("ANALYZE"))


def query(conn: Connection, sql: str,
          params: dict[str, Any] | None = None) -> list[tuple[Any, ...]]:
    """Hand-written SQL (benchmark baselines, operators' checks)."""
    return [tuple(r) for r in conn.execute(sa.text(sql), params or {})]
