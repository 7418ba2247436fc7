"""A seeded database copied from the run's template is the database a fresh build makes:
the same rows, ids and sequence positions (what the tests before the template relied on)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import text

from engine.store import Database
from engine.store.tables import metadata
from tests.databases import fresh_database, populate, seeded_database


def _contents(db: Database) -> dict[str, Any]:
    """Every table's rows in key order, the password hashes aside (salted), and the
    sequences' positions (PostgreSQL) or the schema (SQLite, no AUTOINCREMENT counters)."""
    found: dict[str, Any] = {}
    with db.engine.connect() as conn:
        for table in metadata.sorted_tables:
            rows = conn.execute(table.select().order_by(*table.primary_key.columns)).all()
            found[table.name] = [tuple("<hash>" if key == "password_hash" else value
                                       for key, value in row._mapping.items()) for row in rows]
        if db.dialect == "postgresql":
            names = conn.execute(text("SELECT sequencename FROM pg_sequences "
                                      "WHERE schemaname = current_schema()")).scalars().all()
            for name in names:
                found[f"sequence {name}"] = tuple(conn.execute(
                    text(f'SELECT last_value, is_called FROM "{name}"')).one())
        else:
            found["schema"] = sorted(conn.execute(
                text("SELECT type, name, sql FROM sqlite_master")).all())
        found["alembic_version"] = conn.execute(
            text("SELECT version_num FROM alembic_version")).scalar()
    return found


def _built(url: str) -> dict[str, Any]:
    db = fresh_database(url)
    populate(db)
    contents = _contents(db)
    db.dispose()
    return contents


def _copied(url: str) -> dict[str, Any]:
    db = seeded_database(url)
    contents = _contents(db)
    db.dispose()
    return contents


def test_a_copy_of_the_template_holds_what_a_fresh_build_holds(database_url: str) -> None:
    built = _built(database_url)
    assert built["procedure_versions"] and built["audit_chains"] and built["memberships"]
    if database_url.startswith("sqlite"):
        copy = database_url.replace("motcua.db", "copied.db")
    else:
        copy = database_url
        seeded_database(copy).dispose()  # the run's snapshot exists from here on
        db = Database(copy)
        with db.engine.begin() as conn:  # a test's leftovers, for the next reset to wipe
            conn.execute(text("UPDATE users SET full_name = 'x'"))
            conn.execute(text("DELETE FROM audit_chains"))
        db.dispose()
    assert _copied(copy) == built
