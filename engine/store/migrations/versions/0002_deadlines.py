"""deadlines: timeliness, apology appointments, due date history

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("dossiers") as batch:
        batch.add_column(sa.Column("appointment_at", sa.DateTime(timezone=True)))
        batch.add_column(sa.Column("timeliness", sa.String(8)))
        batch.add_column(sa.Column("at_risk_at", sa.DateTime(timezone=True)))
        batch.create_index("ix_dossiers_timeliness", ["procedure_key", "timeliness"])
    with op.batch_alter_table("work_items") as batch:
        batch.add_column(sa.Column("timeliness", sa.String(8)))
    op.create_table(
        "due_date_changes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("dossier_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=64), nullable=False),
        sa.Column("previous_due_at", sa.DateTime(timezone=True)),
        sa.Column("new_due_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("paused_hours", sa.Float()),
        sa.ForeignKeyConstraint(["dossier_id"], ["dossiers.id"],
                                name=op.f("fk_due_date_changes_dossier_id_dossiers")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_due_date_changes")),
    )
    op.create_index("ix_due_date_changes_dossier_id", "due_date_changes", ["dossier_id"])


def downgrade() -> None:
    op.drop_index("ix_due_date_changes_dossier_id", table_name="due_date_changes")
    op.drop_table("due_date_changes")
    with op.batch_alter_table("work_items") as batch:
        batch.drop_column("timeliness")
    with op.batch_alter_table("dossiers") as batch:
        batch.drop_index("ix_dossiers_timeliness")
        batch.drop_column("at_risk_at")
        batch.drop_column("timeliness")
        batch.drop_column("appointment_at")
