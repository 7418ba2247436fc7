"""the answers of a rating to the survey's other questions, by question code

Revision ID: 0017
Revises: 0014
Create Date: 2026-12-03

- ``ratings.answers``: JSON, the answers to the questions of ``engine/reports/survey.toml``
  that have no column of their own (the overall satisfaction, on time, staff attitude and
  visits keep theirs); NULL for the ratings given before.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0017"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Nullable, so added in place (no copy of the table on SQLite).
    op.add_column("ratings", sa.Column("answers", sa.JSON))


def downgrade() -> None:
    op.drop_column("ratings", "answers")
