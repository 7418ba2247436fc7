"""form 06 as sent upward: one stored report per period, unit and scope

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-02

- ``submitted_reports``: the report table a unit sent for a reporting period (its own
  dossiers, or consolidated with every unit below), who sent it and when, and the seq of
  its ``report_submitted`` event on the system audit chain; unique per period code, unit
  and scope, so a submitted report is read by its key.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "submitted_reports",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("period_code", sa.String(32), nullable=False),
        sa.Column("date_from", sa.Date, nullable=False),
        sa.Column("date_to", sa.Date, nullable=False),
        sa.Column("unit", sa.String(32), nullable=False),
        sa.Column("consolidated", sa.Boolean, nullable=False),
        sa.Column("document", sa.JSON, nullable=False),
        sa.Column("submitted_by", sa.String(64), nullable=False),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("event_seq", sa.Integer, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_submitted_reports"),
        sa.UniqueConstraint("period_code", "unit", "consolidated",
                            name="uq_submitted_reports_period_code_unit_consolidated"),
    )


def downgrade() -> None:
    op.drop_table("submitted_reports")
