"""the moment the desk accepted a dossier, which form 06 counts it received by

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-03

- ``dossiers.accepted_at``: set from ``received_at`` for every dossier already received
  except those refused at the desk (``not_accepted``, never received) — a dossier whose
  desk check was still open counts as accepted when filed, as form 06 counted it until now;
  NULL for the refused ones.
- Indexes on it (alone, and after the receiving and the resolving unit), as on
  ``received_at``.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_dossiers = sa.table("dossiers", sa.column("received_at", sa.DateTime),
                     sa.column("accepted_at", sa.DateTime), sa.column("status", sa.String))


def upgrade() -> None:
    # Nullable, so added in place (no copy of the table on SQLite).
    op.add_column("dossiers", sa.Column("accepted_at", sa.DateTime(timezone=True)))
    op.execute(_dossiers.update().where(_dossiers.c.status != "not_accepted")
               .values(accepted_at=_dossiers.c.received_at))
    op.create_index("ix_dossiers_accepted_at", "dossiers", ["accepted_at"])
    op.create_index("ix_dossiers_receiving_accepted", "dossiers",
                    ["receiving_unit", "accepted_at"])
    op.create_index("ix_dossiers_resolving_accepted", "dossiers",
                    ["resolving_unit", "accepted_at"])


def downgrade() -> None:
    op.drop_index("ix_dossiers_resolving_accepted", table_name="dossiers")
    op.drop_index("ix_dossiers_receiving_accepted", table_name="dossiers")
    op.drop_index("ix_dossiers_accepted_at", table_name="dossiers")
    # In place too (SQLite drops an unindexed column itself): copying the table would
    # trip the foreign keys that point at it.
    op.drop_column("dossiers", "accepted_at")
