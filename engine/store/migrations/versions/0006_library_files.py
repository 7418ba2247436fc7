"""library files: deployed files with no procedure in them

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01

- ``library_files``: called processes, shared sub-processes and decision tables deployed on
  their own, by their path in the deploy, one row per changed content; procedures deployed
  later copy the ones they call into their own version.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

UTCDateTime = sa.DateTime(timezone=True)

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "library_files",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("path", sa.String(300), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("files", sa.JSON, nullable=False),  # the file and the forms and tables it needs
        sa.Column("provides", sa.JSON, nullable=False),
        sa.Column("deployed_at", UTCDateTime, nullable=False),
        sa.Column("deployed_by", sa.String(64), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_library_files"),
        sa.UniqueConstraint("path", "version", name="uq_library_files_path_version"),
    )


def downgrade() -> None:
    op.drop_table("library_files")
