"""a dossier is fixed when it is received

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02

- ``dossiers`` keeps what it was when received: the procedure's code, name, field and level
  from the version it runs, and its receiving and resolving units. Reports read these, so a
  later deploy of the procedure (a new level, a renamed field) leaves past periods as they
  were reported.
- Existing dossiers are filled from the metadata of the version each ran and from the single
  office they belonged to (``agency_code``), in one UPDATE per version; the JSON is read here
  rather than by the database, which SQLite and PostgreSQL spell differently. The procedure's
  name falls back to the procedure row, then its key, for a version whose metadata lacks it.
- Name and units always exist and are NOT NULL (on SQLite with a default of '', which it
  needs to add such a column in place); code, field and level stay nullable (a version
  deployed without them is reported as unclassified).
"""

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COLUMNS = ("procedure_code", "procedure_name", "field", "level", "receiving_unit",
           "resolving_unit")
ALWAYS = {"procedure_name": sa.String(300), "receiving_unit": sa.String(32),
          "resolving_unit": sa.String(32)}

_versions = sa.table("procedure_versions", sa.column("id", sa.Integer),
                     sa.column("procedure_key", sa.String), sa.column("meta", sa.JSON))
_procedures = sa.table("procedures", sa.column("key", sa.String), sa.column("name", sa.String))
_dossiers = sa.table("dossiers", sa.column("version_id", sa.Integer),
                     sa.column("agency_code", sa.String),
                     *(sa.column(name, sa.String) for name in COLUMNS))


def _text(value: Any, longest: int) -> str | None:
    """A metadata value as the column keeps it (None when absent or empty)."""
    if value is None or value == "":
        return None
    return str(value)[:longest]


def _fill(conn: sa.Connection) -> None:
    names = dict(conn.execute(sa.select(_procedures.c.key, _procedures.c.name)).all())
    versions = conn.execute(sa.select(_versions.c.id, _versions.c.procedure_key,
                                      _versions.c.meta).order_by(_versions.c.id)).all()
    for version_id, key, meta in versions:
        meta = meta if isinstance(meta, dict) else {}
        name = _text(meta.get("name"), 300) or names.get(key) or key
        # Every dossier runs a version (a foreign key), so this reaches each row once.
        conn.execute(_dossiers.update().where(_dossiers.c.version_id == version_id).values(
            procedure_code=_text(meta.get("code"), 40), procedure_name=name,
            field=_text(meta.get("field"), 200), level=_text(meta.get("level"), 16),
            receiving_unit=_dossiers.c.agency_code, resolving_unit=_dossiers.c.agency_code))


def upgrade() -> None:
    # In place, as 0004 does: a batch copy of the dossiers table would be refused by the
    # foreign keys that point at it. SQLite adds a NOT NULL column only with a default, so
    # the columns that always exist start as '' and are filled below; PostgreSQL then drops
    # the default, SQLite cannot (the engine writes every one of them).
    with op.batch_alter_table("dossiers") as batch:
        batch.add_column(sa.Column("procedure_code", sa.String(40)))
        for name, type_ in ALWAYS.items():
            batch.add_column(sa.Column(name, type_, nullable=False, server_default=""))
        batch.add_column(sa.Column("field", sa.String(200)))
        batch.add_column(sa.Column("level", sa.String(16)))
    conn = op.get_bind()
    _fill(conn)
    if conn.dialect.name != "sqlite":
        for name, type_ in ALWAYS.items():
            op.alter_column("dossiers", name, existing_type=type_, server_default=None)


def downgrade() -> None:
    # In place (SQLite 3.35+ drops columns itself), as 0004 does: no copy of the table.
    for name in reversed(COLUMNS):
        op.execute(f"ALTER TABLE dossiers DROP COLUMN {name}")
