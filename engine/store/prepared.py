"""The statements every step sends, compiled once and run on the driver's cursor.

Through SQLAlchemy Core each execute of a step's statement costs 25–30 µs beyond the
driver's 3 µs: the cache key of the statement, the compiled-cache lookup, an execution
context, result metadata and a Row per row. The few statements of the step path are
compiled here once per dialect into their SQL text, their parameters' order and the column
types' own bind and result processors (so values are written and read exactly as Core
writes and reads them: times as microseconds on SQLite, task ids as 16 bytes, JSON through
the engine's serializer), and run on the unit of work's DBAPI connection, inside its
transaction. Driver errors come out as SQLAlchemy's, as Core raises them, so the outage
handling reads them alike. Every other statement goes through Core.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Dialect, Engine
from sqlalchemy.sql.compiler import SQLCompiler

Processor = Callable[[Any], Any] | None

# Statement counters of ``Database.statement_counter``, by engine: these statements do not
# pass through Core's ``before_cursor_execute``.
_counters: weakref.WeakKeyDictionary[Engine, list[Callable[..., None]]] = \
    weakref.WeakKeyDictionary()


def count_with(engine: Engine, counter: Callable[..., None]) -> Callable[[], None]:
    """Count this module's statements on ``engine`` with ``counter``; returns the undo."""
    _counters.setdefault(engine, []).append(counter)
    return lambda: _counters.get(engine, []).remove(counter)


_through_core = False


def through_core(on: bool) -> None:
    """Send these statements through Core instead (benchmarks compare the two in one run)."""
    global _through_core
    _through_core = on


class Row(dict[str, Any]):
    """A result row read by column name, as attribute or key (like Core's ``Row``)."""

    def __getattr__(self, name: str) -> Any:
        try:
            return self[name]
        except KeyError:
            raise AttributeError(name) from None

    @property
    def _mapping(self) -> Mapping[str, Any]:
        return self


class _Compiled:
    def __init__(self, statement: Any, dialect: Dialect,
                 keys: Sequence[str] | None) -> None:
        compiled = statement.compile(dialect=dialect, column_keys=list(keys) if keys else None)
        assert isinstance(compiled, SQLCompiler)
        self.sql = compiled.string
        self.positional = dialect.positional
        binds = compiled.binds
        # The names of the parameters in the order the SQL text takes them.
        self.names: list[str] = list(compiled.positiontup or []) if self.positional else \
            list(binds)
        self.sources = [_source(binds[n]) for n in self.names]
        # Values fixed in the statement (a LIMIT, a literal compared with): theirs when the
        # caller does not name them.
        self.defaults = [_REQUIRED if binds[n].required else binds[n].effective_value
                         for n in self.names]
        self.binds: list[Processor] = [_bind(binds[n].type, dialect) for n in self.names]
        columns = getattr(statement, "selected_columns", None)
        returning = getattr(statement, "_returning", ())
        chosen = list(columns) if columns is not None else list(returning)
        self.columns = [c.key for c in chosen]
        self._types = [c.type for c in chosen]
        self._dialect = dialect
        # Known at the first result: some drivers' processors depend on the type the
        # database reports (PostgreSQL's numeric types), as Core's do.
        self._results: list[Processor] | None = None

    def arguments(self, params: Mapping[str, Any]) -> Any:
        values = [_processed(p, _value(params, s, d))
                  for p, s, d in zip(self.binds, self.sources, self.defaults, strict=True)]
        return tuple(values) if self.positional else dict(zip(self.names, values, strict=True))

    def row(self, raw: Sequence[Any], cursor: Any) -> Row:
        results = self._results
        if results is None:
            described = [d[1] for d in cursor.description]
            results = self._results = [_result(t, self._dialect, code)
                                       for t, code in zip(self._types, described, strict=True)]
        return Row({name: _processed(p, v)
                    for name, p, v in zip(self.columns, results, raw, strict=True)})


_REQUIRED = object()


def _value(params: Mapping[str, Any], name: str, default: Any) -> Any:
    value = params.get(name, default)
    if value is _REQUIRED:
        raise KeyError(f"no value for the parameter {name!r}")
    return value


def _source(bind: Any) -> str:
    # An insert's values bind under the column's key; named parameters under their own key.
    return str(bind.key)


def _bind(type_: Any, dialect: Dialect) -> Processor:
    return type_.dialect_impl(dialect).bind_processor(dialect)


def _result(type_: Any, dialect: Dialect, coltype: Any) -> Processor:
    return type_.dialect_impl(dialect).result_processor(dialect, coltype)


def _processed(processor: Processor, value: Any) -> Any:
    return value if processor is None else processor(value)


class Prepared:
    """One Core statement, compiled once per dialect (and per set of insert columns)."""

    def __init__(self, statement: Any, keys: Iterable[str] | None = None) -> None:
        self.statement = statement
        self.keys = tuple(keys) if keys is not None else None
        self._by_dialect: dict[str, _Compiled] = {}
        self._lock = threading.Lock()

    def _compiled(self, dialect: Dialect) -> _Compiled:
        found = self._by_dialect.get(dialect.name)
        if found is None:
            with self._lock:
                found = self._by_dialect.setdefault(
                    dialect.name, _Compiled(self.statement, dialect, self.keys))
        return found

    def execute(self, conn: Connection, params: Mapping[str, Any]) -> Any:
        """Run with one set of parameters; returns the driver's cursor."""
        if _through_core:
            return conn.execute(self.statement, dict(params))
        compiled = self._compiled(conn.dialect)
        return _run(conn, compiled, compiled.arguments(params), many=False)

    def execute_many(self, conn: Connection, rows: Sequence[Mapping[str, Any]]) -> None:
        if _through_core:
            conn.execute(self.statement, [dict(r) for r in rows])
            return
        compiled = self._compiled(conn.dialect)
        _run(conn, compiled, [compiled.arguments(r) for r in rows], many=True)

    def rowcount(self, conn: Connection, params: Mapping[str, Any]) -> int:
        cursor = self.execute(conn, params)
        if _through_core:
            return int(cursor.rowcount)
        try:
            return int(cursor.rowcount)
        finally:
            cursor.close()

    def first(self, conn: Connection, params: Mapping[str, Any]) -> Any:
        if _through_core:
            return conn.execute(self.statement, dict(params)).first()
        compiled = self._compiled(conn.dialect)
        cursor = _run(conn, compiled, compiled.arguments(params), many=False)
        try:
            raw = cursor.fetchone()
            return None if raw is None else compiled.row(raw, cursor)
        finally:
            cursor.close()

    def all(self, conn: Connection, params: Mapping[str, Any]) -> list[Any]:
        if _through_core:
            return list(conn.execute(self.statement, dict(params)))
        compiled = self._compiled(conn.dialect)
        cursor = _run(conn, compiled, compiled.arguments(params), many=False)
        try:
            return [compiled.row(raw, cursor) for raw in cursor.fetchall()]
        finally:
            cursor.close()


def _run(conn: Connection, compiled: _Compiled, arguments: Any, many: bool) -> Any:
    for counter in _counters.get(conn.engine, ()):
        counter()
    driver = conn.connection.driver_connection
    assert driver is not None
    cursor = driver.cursor()
    dbapi = conn.dialect.loaded_dbapi
    try:
        if many:
            cursor.executemany(compiled.sql, arguments)
        else:
            cursor.execute(compiled.sql, arguments)
    except dbapi.Error as exc:
        cursor.close()
        raise sa.exc.DBAPIError.instance(compiled.sql, arguments, exc, dbapi.Error,
                                         dialect=conn.dialect) from exc
    return cursor
