"""administrative units: provinces, districts (history) and communes with their validity

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01

- ``administrative_units``: one row per version of a national unit code, with its agency
  code, level, parent, validity and successors (a JSON list of codes); filled by
  ``motcua units import``.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "administrative_units",
        sa.Column("code", sa.String(16), nullable=False),
        sa.Column("valid_from", sa.Date, nullable=False),
        sa.Column("valid_to", sa.Date),
        sa.Column("agency_code", sa.String(32), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("level", sa.String(16), nullable=False),
        sa.Column("parent_code", sa.String(16)),
        sa.Column("successors", sa.JSON, nullable=False),
        sa.Column("confirmed", sa.Boolean, nullable=False),
        sa.Column("source", sa.Text, nullable=False),
        sa.PrimaryKeyConstraint("code", "valid_from", name="pk_administrative_units"),
    )


def downgrade() -> None:
    op.drop_table("administrative_units")
