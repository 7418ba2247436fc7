"""incidents (faults kept inside their dossier) and a token generation per user

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01

- ``incidents``: an automatic step of a dossier that failed (script, condition, DMN table,
  timer), with its error, tries and next try, so the timer worker goes on with the other
  dossiers and a person can see and retry it.
- ``users.token_generation``: signing out raises it; tokens issued before are refused.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# Timestamps as the schema declares them (SQLite keeps integers in a DATETIME column).
UTCDateTime = sa.DateTime(timezone=True)

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("token_generation", sa.Integer, nullable=False,
                                   server_default="0"))
    op.create_table(
        "incidents",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("dossier_id", sa.Integer, nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("step_id", sa.String(100)),
        sa.Column("step_name", sa.String(300)),
        sa.Column("expression", sa.Text),
        sa.Column("error", sa.Text, nullable=False),
        sa.Column("status", sa.String(12), nullable=False),
        sa.Column("tries", sa.Integer, nullable=False),
        sa.Column("first_at", UTCDateTime, nullable=False),
        sa.Column("last_at", UTCDateTime, nullable=False),
        sa.Column("next_try_at", UTCDateTime),
        sa.Column("resolved_at", UTCDateTime),
        sa.Column("resolved_by", sa.String(64)),
        sa.ForeignKeyConstraint(["dossier_id"], ["dossiers.id"],
                                name="fk_incidents_dossier_id_dossiers"),
        sa.PrimaryKeyConstraint("id", name="pk_incidents"),
    )
    op.create_index("ix_incidents_dossier", "incidents", ["dossier_id"])
    op.create_index("ix_incidents_status_next", "incidents", ["status", "next_try_at"])


def downgrade() -> None:
    op.drop_index("ix_incidents_status_next", table_name="incidents")
    op.drop_index("ix_incidents_dossier", table_name="incidents")
    op.drop_table("incidents")
    with op.batch_alter_table("users") as batch:
        batch.drop_column("token_generation")
