"""The schema. Alembic migrations in ``migrations/`` create exactly these tables."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Dialect

metadata = sa.MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)


class UTCDateTime(sa.TypeDecorator[datetime]):
    """Timezone-aware UTC in and out, whatever the database keeps (SQLite keeps naive text)."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the database; use UTC-aware datetimes")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


departments = sa.Table(
    "departments",
    metadata,
    sa.Column("code", sa.String(32), primary_key=True),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("agency_code", sa.String(32), nullable=False),
)

users = sa.Table(
    "users",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("username", sa.String(64), nullable=False, unique=True),
    sa.Column("full_name", sa.String(200), nullable=False),
    sa.Column("password_hash", sa.String(200), nullable=False),
    sa.Column("roles", sa.String(200), nullable=False),  # space-separated role names
    sa.Column("active", sa.Boolean, nullable=False, default=True),
)

memberships = sa.Table(
    "memberships",
    metadata,
    sa.Column("user_id", sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("department_code", sa.ForeignKey("departments.code"), primary_key=True),
)

procedures = sa.Table(
    "procedures",
    metadata,
    sa.Column("key", sa.String(100), primary_key=True),
    sa.Column("name", sa.String(300), nullable=False),
    sa.Column("code", sa.String(40)),
    sa.Column("field", sa.String(200)),
    sa.Column("level", sa.String(16)),
    sa.Column("latest_version", sa.Integer, nullable=False),
    sa.Column("updated_at", UTCDateTime, nullable=False),
)

procedure_versions = sa.Table(
    "procedure_versions",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("procedure_key", sa.ForeignKey("procedures.key"), nullable=False),
    sa.Column("version", sa.Integer, nullable=False),
    sa.Column("sha256", sa.String(64), nullable=False),
    sa.Column("deployed_at", UTCDateTime, nullable=False),
    sa.Column("deployed_by", sa.String(64), nullable=False),
    sa.Column("meta", sa.JSON, nullable=False),
    sa.Column("files", sa.JSON, nullable=False),
    sa.UniqueConstraint("procedure_key", "version"),
    sa.Index("ix_procedure_versions_key_sha", "procedure_key", "sha256"),
)

dossier_sequences = sa.Table(
    "dossier_sequences",
    metadata,
    sa.Column("agency_code", sa.String(32), primary_key=True),
    sa.Column("day", sa.String(6), primary_key=True),
    sa.Column("last_seq", sa.Integer, nullable=False),
)

dossiers = sa.Table(
    "dossiers",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("code", sa.String(48), nullable=False, unique=True),
    sa.Column("agency_code", sa.String(32), nullable=False),
    sa.Column("procedure_key", sa.String(100), nullable=False),
    sa.Column("version_id", sa.ForeignKey("procedure_versions.id"), nullable=False),
    sa.Column("channel", sa.String(8), nullable=False),
    sa.Column("status", sa.String(24), nullable=False),
    sa.Column("applicant", sa.JSON, nullable=False),
    sa.Column("data", sa.JSON, nullable=False),
    sa.Column("fee", sa.Integer, nullable=False, default=0),
    sa.Column("received_at", UTCDateTime, nullable=False),
    sa.Column("received_by", sa.String(64), nullable=False),
    sa.Column("due_at", UTCDateTime),  # the legal due date; moves only with clock pauses
    sa.Column("appointment_at", UTCDateTime),  # a later return date promised by an apology
    sa.Column("resolved_at", UTCDateTime),
    sa.Column("timeliness", sa.String(8)),  # early | on_time | late, set when finished
    sa.Column("at_risk_at", UTCDateTime),  # when the deadline was first seen to be at risk
    sa.Column("receipt_secret_hash", sa.String(64), nullable=False),
    sa.Column("state", sa.Text),  # workflow state without its spec; NULL once finished
    sa.Column("state_rev", sa.Integer, nullable=False, default=0),
    sa.Column("next_timer_at", UTCDateTime),
    sa.Index("ix_dossiers_status_due", "status", "due_at"),
    sa.Index("ix_dossiers_procedure_received", "procedure_key", "received_at"),
    sa.Index("ix_dossiers_received_at", "received_at"),
    sa.Index("ix_dossiers_next_timer_at", "next_timer_at"),
    sa.Index("ix_dossiers_timeliness", "procedure_key", "timeliness"),
    # Form 06: dossiers finished since a period's start, and those still open.
    sa.Index("ix_dossiers_resolved_at", "resolved_at"),
)

work_items = sa.Table(
    "work_items",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("dossier_id", sa.ForeignKey("dossiers.id"), nullable=False),
    sa.Column("task_uuid", sa.String(36), nullable=False),
    sa.Column("step_id", sa.String(100), nullable=False),
    sa.Column("step_name", sa.String(300), nullable=False),
    sa.Column("department_code", sa.String(32), nullable=False),
    sa.Column("status", sa.String(12), nullable=False),  # open | claimed | completed | cancelled
    sa.Column("allowance_hours", sa.Float),
    sa.Column("pauses_clock", sa.Boolean, nullable=False, default=False),
    sa.Column("form", sa.String(200)),
    sa.Column("created_at", UTCDateTime, nullable=False),
    sa.Column("handed_over_by", sa.String(64)),
    sa.Column("due_at", UTCDateTime),
    sa.Column("claimed_at", UTCDateTime),
    sa.Column("claimed_by", sa.String(64)),
    sa.Column("completed_at", UTCDateTime),
    sa.Column("completed_by", sa.String(64)),
    sa.Column("timeliness", sa.String(8)),  # early | on_time | late against the allowance
    sa.Column("result", sa.JSON),
    sa.Index("ix_work_items_queue", "department_code", "status", "due_at"),
    sa.Index("ix_work_items_claimed_by", "claimed_by", "status"),
    sa.Index("ix_work_items_dossier", "dossier_id"),
    sa.Index("ix_work_items_completed_at", "completed_at"),  # step and staff reports
)

due_date_changes = sa.Table(
    "due_date_changes",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("dossier_id", sa.ForeignKey("dossiers.id"), nullable=False, index=True),
    sa.Column("kind", sa.String(12), nullable=False),  # pause | apology
    sa.Column("at", UTCDateTime, nullable=False),
    sa.Column("actor", sa.String(64), nullable=False),
    sa.Column("previous_due_at", UTCDateTime),
    sa.Column("new_due_at", UTCDateTime, nullable=False),
    sa.Column("reason", sa.Text, nullable=False),
    sa.Column("paused_hours", sa.Float),
)

# 64-bit on PostgreSQL: tens of events per dossier add up; SQLite's rowid is 64-bit already.
BIG_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")

audit_events = sa.Table(
    "audit_events",
    metadata,
    sa.Column("id", BIG_ID, primary_key=True),
    sa.Column("chain", sa.String(24), nullable=False),  # "d:<dossier id>" or "system"
    sa.Column("seq", sa.Integer, nullable=False),
    sa.Column("dossier_id", sa.Integer),
    sa.Column("work_item_id", sa.Integer),
    sa.Column("kind", sa.String(40), nullable=False),
    sa.Column("actor", sa.String(64)),
    sa.Column("at", UTCDateTime, nullable=False),
    sa.Column("data", sa.JSON, nullable=False),
    sa.Column("prev_hash", sa.String(64), nullable=False),
    sa.Column("hash", sa.String(64), nullable=False),
    sa.UniqueConstraint("chain", "seq"),
    sa.Index("ix_audit_events_dossier", "dossier_id"),
)

audit_chains = sa.Table(
    "audit_chains",
    metadata,
    sa.Column("chain", sa.String(24), primary_key=True),
    sa.Column("seq", sa.Integer, nullable=False),
    sa.Column("head", sa.String(64), nullable=False),
)

ratings = sa.Table(
    "ratings",
    metadata,
    sa.Column("dossier_id", sa.ForeignKey("dossiers.id"), primary_key=True),
    sa.Column("satisfaction", sa.Integer, nullable=False),  # 1 very dissatisfied … 5 very
    sa.Column("on_time", sa.Boolean),
    sa.Column("staff_attitude", sa.Integer),
    sa.Column("visits", sa.Integer),
    sa.Column("comment", sa.Text),
    sa.Column("rated_at", UTCDateTime, nullable=False),
)
