"""the workflow state as a snapshot plus the steps logged after it

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-03

A clerk's step no longer rewrites the dossier's whole workflow state: the audit chain holds
the step, and the state is restored as its last snapshot with the steps after it replayed.

- ``dossiers.state_seq``: the chain seq the stored state includes. NULL for every state
  written before this revision: such a state includes all of its dossier's events.
- ``dossiers.state_tail``: the clerks' steps in the chain after that seq (0 for all), and a
  partial index of the dossiers where it is not 0, for the worker's new snapshots.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0019"
down_revision: str | None = "0018"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Added in place (nullable, or with a constant default): no copy of the table.
    op.add_column("dossiers", sa.Column("state_seq", sa.Integer))
    op.add_column("dossiers", sa.Column("state_tail", sa.Integer, nullable=False,
                                        server_default="0"))
    op.create_index("ix_dossiers_state_logged", "dossiers", ["id"],
                    sqlite_where=sa.text("state_tail > 0"),
                    postgresql_where=sa.text("state_tail > 0"))


def downgrade() -> None:
    # A state with steps logged after it is not the dossier's state without them: a
    # downgrade is refused until every such dossier has been snapshotted again.
    bind = op.get_bind()
    pending = bind.execute(sa.text(
        "SELECT count(*) FROM dossiers WHERE state_tail > 0 AND state IS NOT NULL")).scalar()
    if pending:
        raise RuntimeError(f"{pending} dossiers have steps logged after their snapshot; run "
                           "`motcua state snapshot` before downgrading")
    op.drop_index("ix_dossiers_state_logged", table_name="dossiers")
    # In place (SQLite drops a column itself since 3.35): a copy of the table would trip on
    # the foreign keys that point at dossiers.
    op.drop_column("dossiers", "state_tail")
    op.drop_column("dossiers", "state_seq")
