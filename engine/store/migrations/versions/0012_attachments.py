"""attachments: files attached to dossiers

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-03

- ``attachments``: one row per file attached to a dossier (the required document's code or
  the step it belongs to, the sender's file name, the kind told from its bytes, size,
  sha256, who and when) and the seq of its ``file_attached`` event in the dossier's audit
  chain. The bytes are in the file store, not in the database.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "attachments",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("dossier_id", sa.Integer, nullable=False),
        sa.Column("slot", sa.String(100), nullable=False),
        sa.Column("work_item_id", sa.Integer),
        sa.Column("filename", sa.String(255), nullable=False),
        sa.Column("kind", sa.String(8), nullable=False),
        sa.Column("size", sa.Integer, nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("attached_by", sa.String(64), nullable=False),
        sa.Column("attached_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("event_seq", sa.Integer, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_attachments"),
        sa.ForeignKeyConstraint(["dossier_id"], ["dossiers.id"],
                                name="fk_attachments_dossier_id_dossiers"),
        sa.ForeignKeyConstraint(["work_item_id"], ["work_items.id"],
                                name="fk_attachments_work_item_id_work_items"),
    )
    op.create_index("ix_attachments_dossier_id", "attachments", ["dossier_id"])


def downgrade() -> None:
    op.drop_index("ix_attachments_dossier_id", table_name="attachments")
    op.drop_table("attachments")
