"""the dossiers' search index: code, folded names, ID number, phone

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-03

- ``dossier_search``: one row per dossier (``engine.store.tables``), filled from every
  dossier already received, with the words folded as the engine folds them.
- SQLite: ``dossier_search_fts``, an FTS5 table over it; PostgreSQL: the pg_trgm extension
  and a GIN trigram index over ``terms`` (``engine.store.search``).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from engine.people import search_terms
from engine.store import search

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_dossiers = sa.table("dossiers", sa.column("id", sa.Integer), sa.column("code", sa.String),
                     sa.column("applicant", sa.JSON), sa.column("data", sa.JSON),
                     sa.column("receiving_unit", sa.String),
                     sa.column("resolving_unit", sa.String),
                     sa.column("procedure_key", sa.String))
_BATCH = 2000


def upgrade() -> None:
    op.create_table(
        "dossier_search",
        sa.Column("dossier_id", sa.Integer, nullable=False),
        sa.Column("code", sa.String(48), nullable=False),
        sa.Column("names", sa.Text, nullable=False),
        sa.Column("id_number", sa.String(20)),
        sa.Column("phone", sa.String(20)),
        sa.Column("receiving_unit", sa.String(32), nullable=False),
        sa.Column("resolving_unit", sa.String(32), nullable=False),
        sa.Column("procedure_key", sa.String(100), nullable=False),
        sa.Column("terms", sa.Text, nullable=False),
        sa.ForeignKeyConstraint(["dossier_id"], ["dossiers.id"],
                                name="fk_dossier_search_dossier_id_dossiers"),
        sa.PrimaryKeyConstraint("dossier_id", name="pk_dossier_search"),
    )
    op.create_index("ix_dossier_search_id_number", "dossier_search", ["id_number"])
    op.create_index("ix_dossier_search_phone", "dossier_search", ["phone"])
    conn = op.get_bind()
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql(search.SQLITE_DDL)
    else:
        for statement in search.POSTGRES_DDL:
            conn.exec_driver_sql(statement)
    last = 0
    while True:
        rows = conn.execute(sa.select(_dossiers).where(_dossiers.c.id > last)
                            .order_by(_dossiers.c.id).limit(_BATCH)).all()
        if not rows:
            break
        search.put(conn, [search.entry(r.id, r.code, r.receiving_unit, r.resolving_unit,
                                       r.procedure_key, search_terms(r.applicant or {},
                                                                     r.data or {}))
                          for r in rows])
        last = rows[-1].id


def downgrade() -> None:
    conn = op.get_bind()
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql(f"DROP TABLE IF EXISTS {search.FTS_TABLE}")
    else:
        conn.exec_driver_sql(f"DROP INDEX IF EXISTS {search.TRGM_INDEX}")
    op.drop_index("ix_dossier_search_phone", table_name="dossier_search")
    op.drop_index("ix_dossier_search_id_number", table_name="dossier_search")
    op.drop_table("dossier_search")
