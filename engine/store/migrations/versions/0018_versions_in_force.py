"""procedure versions in force from a day, and withdrawn before it

Revision ID: 0018
Revises: 0014
Create Date: 2026-12-03

- ``procedure_versions.effective_from``: the office's local day from which a dossier
  received (or counted from) that day starts on the version. Every version deployed before
  this revision was in force from the moment it was deployed: it gets the local day of its
  ``deployed_at``, so the timeline of every procedure reads as it ran; a procedure's first
  version keeps none (NULL: nothing came before it), as a first deploy without a day does.
- ``withdrawn_at`` / ``withdrawn_by``: a version taken back before its day; NULL for all.
- An index on (key, effective_from, version): "the newest version in force on day D".
"""

import os
from collections.abc import Sequence
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from alembic import op

from engine.store.tables import UTCDateTime

revision: str = "0018"
down_revision: str | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_versions = sa.table("procedure_versions", sa.column("id", sa.Integer),
                     sa.column("version", sa.Integer),
                     sa.column("deployed_at", UTCDateTime),
                     sa.column("effective_from", sa.Date))


def upgrade() -> None:
    # Nullable, so added in place (no copy of the table, which dossiers point at).
    op.add_column("procedure_versions", sa.Column("effective_from", sa.Date))
    op.add_column("procedure_versions",
                  sa.Column("withdrawn_at", sa.DateTime(timezone=True)))
    op.add_column("procedure_versions", sa.Column("withdrawn_by", sa.String(64)))
    # The office's zone as the settings name it (the day a deploy took effect there).
    zone = ZoneInfo(os.environ.get("MOTCUA_TIMEZONE") or "Asia/Ho_Chi_Minh")
    conn = op.get_bind()
    rows = conn.execute(sa.select(_versions.c.id, _versions.c.version,
                                  _versions.c.deployed_at)).all()
    for row in rows:
        if row.version > 1:
            conn.execute(_versions.update().where(_versions.c.id == row.id)
                         .values(effective_from=row.deployed_at.astimezone(zone).date()))
    op.create_index("ix_procedure_versions_in_force", "procedure_versions",
                    ["procedure_key", "effective_from", "version"])


def downgrade() -> None:
    op.drop_index("ix_procedure_versions_in_force", table_name="procedure_versions")
    op.drop_column("procedure_versions", "withdrawn_by")
    op.drop_column("procedure_versions", "withdrawn_at")
    op.drop_column("procedure_versions", "effective_from")
