"""indexes for the reports: the steps that stop the clock, the ratings by date

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-02

- ``ix_work_items_pausing`` (dossier, handed over) over the work items that stop the
  dossier's clock only: form 06 asks it, for each dossier pending at the judging moment,
  whether such a step was open then.
- ``ix_ratings_rated_at``: the satisfaction sheet reads the ratings given in a period.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None



def upgrade() -> None:
    # As SQLAlchemy writes ``pauses_clock IS true`` for each, so the planners match it.
    op.create_index("ix_work_items_pausing", "work_items", ["dossier_id", "created_at"],
                    sqlite_where=sa.text("pauses_clock IS 1"),
                    postgresql_where=sa.text("pauses_clock IS true"))
    op.create_index("ix_ratings_rated_at", "ratings", ["rated_at"])


def downgrade() -> None:
    op.drop_index("ix_ratings_rated_at", table_name="ratings")
    op.drop_index("ix_work_items_pausing", table_name="work_items")
