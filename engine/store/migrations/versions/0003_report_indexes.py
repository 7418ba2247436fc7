"""report indexes: dossiers by finishing time, work items by completion time

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-26
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_dossiers_resolved_at", "dossiers", ["resolved_at"])
    op.create_index("ix_work_items_completed_at", "work_items", ["completed_at"])


def downgrade() -> None:
    op.drop_index("ix_work_items_completed_at", table_name="work_items")
    op.drop_index("ix_dossiers_resolved_at", table_name="dossiers")
