"""The migrations build exactly the schema the code declares, on SQLite and PostgreSQL."""

from __future__ import annotations

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy.engine import Connection

from engine.store.migrate import alembic_config
from engine.store.search import outside_metadata
from engine.store.tables import metadata
from tests.conftest import fresh_database


def _context(conn: Connection) -> MigrationContext:
    # The search index's words index is the database's own (FTS5, pg_trgm): not declared.
    return MigrationContext.configure(conn, opts={"include_name": outside_metadata})


def test_migrated_schema_matches_the_tables(database_url: str) -> None:
    db = fresh_database(database_url)
    with db.engine.connect() as conn:
        assert compare_metadata(_context(conn), metadata) == []
    db.dispose()


def test_migrations_go_down_and_up_again(database_url: str) -> None:
    db = fresh_database(database_url)
    config = alembic_config(database_url)
    command.downgrade(config, "0001")
    command.upgrade(config, "head")
    with db.engine.connect() as conn:
        assert compare_metadata(_context(conn), metadata) == []
    db.dispose()
