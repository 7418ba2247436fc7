"""The schema. Alembic migrations in ``migrations/`` create exactly these tables."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import sqlite
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeEngine

from engine.model import ACTIVE_ITEM_STATUSES, OPEN_DOSSIER_STATUSES

metadata = sa.MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)


_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MICROSECOND = timedelta(microseconds=1)


class _SQLiteMicroseconds(sqlite.DATETIME):
    """Declared DATETIME (the schema reads the same) but holding integers as they are."""

    def bind_processor(self, dialect: Dialect) -> None:
        return None

    def result_processor(self, dialect: Dialect, coltype: object) -> None:
        return None


class UTCDateTime(sa.TypeDecorator[datetime]):
    """Timezone-aware UTC in and out. PostgreSQL keeps ``timestamptz`` (8 bytes); SQLite keeps
    microseconds since 1970 as an integer: 8 bytes instead of 26 characters of text, with the
    same order, so comparisons and indexes work alike."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        if dialect.name == "sqlite":
            return _SQLiteMicroseconds()
        return dialect.type_descriptor(sa.DateTime(timezone=True))

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> Any:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the database; use UTC-aware datetimes")
        if dialect.name == "sqlite":
            return (value - _EPOCH) // _MICROSECOND
        return value.astimezone(UTC)

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if isinstance(value, int):
            return _EPOCH + value * _MICROSECOND
        if isinstance(value, str):  # a value written before migration 0004
            value = datetime.fromisoformat(value)
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


class TaskId(sa.TypeDecorator[str]):
    """A SpiffWorkflow task's UUID: text in Python and on PostgreSQL, its 16 bytes on SQLite
    (36 characters of text otherwise, in every work item row)."""

    impl = sa.String(36)
    cache_ok = True

    def process_bind_param(self, value: str | None, dialect: Dialect) -> Any:
        if value is None or dialect.name != "sqlite":
            return value
        return uuid.UUID(value).bytes

    def process_result_value(self, value: Any, dialect: Dialect) -> str | None:
        if isinstance(value, bytes):
            return str(uuid.UUID(bytes=value))
        return value


class Digest(sa.TypeDecorator[str]):
    """A SHA-256 digest: hexadecimal in Python, its 32 bytes in the database."""

    impl = sa.LargeBinary(32)
    cache_ok = True

    def process_bind_param(self, value: str | None, dialect: Dialect) -> bytes | None:
        return None if value is None else bytes.fromhex(value)

    def process_result_value(self, value: bytes | None, dialect: Dialect) -> str | None:
        return None if value is None else bytes(value).hex()


def literal_in(column: sa.Column[Any], values: tuple[str, ...]) -> sa.ColumnElement[bool]:
    """``column IN ('a', 'b')`` with the values in the statement's text, not parameters: a
    planner uses a partial index only when it can prove the query's condition implies the
    index's, and SQLAlchemy renders an expanding parameter again on every execution. For
    fixed code values only, never for input."""
    return column.in_([sa.literal_column(f"'{v}'") for v in values])


# A department of one unit (its agency code); the code is the lane name procedures use, so
# every unit with a justice office has its own TU_PHAP.
departments = sa.Table(
    "departments",
    metadata,
    sa.Column("agency_code", sa.String(32), primary_key=True),
    sa.Column("code", sa.String(32), primary_key=True),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("active", sa.Boolean, nullable=False, default=True, server_default=sa.true()),
)

users = sa.Table(
    "users",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("username", sa.String(64), nullable=False, unique=True),
    sa.Column("full_name", sa.String(200), nullable=False),
    sa.Column("password_hash", sa.String(200), nullable=False),
    # Space-separated system roles (admin, designer); the others are held per membership.
    sa.Column("roles", sa.String(200), nullable=False),
    sa.Column("active", sa.Boolean, nullable=False, default=True),
    # Raised by signing out: a token carries the generation it was issued at, and one issued
    # before the user's current generation is refused.
    sa.Column("token_generation", sa.Integer, nullable=False, default=0, server_default="0"),
)

# A person's roles in one department of a unit, or in the whole unit (department_code NULL).
memberships = sa.Table(
    "memberships",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("user_id", sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    sa.Column("agency_code", sa.String(32), nullable=False),
    sa.Column("department_code", sa.String(32)),
    sa.Column("roles", sa.String(200), nullable=False),  # space-separated
    sa.Index("ix_memberships_user", "user_id"),
    sa.Index("ix_memberships_place", "agency_code", "department_code"),
)

# A unit that does not take a procedure (not offered there, or not resolved there).
procedure_switch_offs = sa.Table(
    "procedure_switch_offs",
    metadata,
    sa.Column("agency_code", sa.String(32), primary_key=True),
    sa.Column("procedure_key", sa.String(100), primary_key=True),
    sa.Column("since", UTCDateTime, nullable=False),
    sa.Column("by", sa.String(64), nullable=False),
    sa.Column("reason", sa.Text, nullable=False),
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
    # The office's local day from which new dossiers start on this version (docs/authoring.md
    # "Versions in force"); always set by a deploy, NULL only in a row no deploy wrote.
    sa.Column("effective_from", sa.Date),
    sa.Column("withdrawn_at", UTCDateTime),  # taken back before its day: never in force
    sa.Column("withdrawn_by", sa.String(64)),
    sa.UniqueConstraint("procedure_key", "version"),
    sa.Index("ix_procedure_versions_key_sha", "procedure_key", "sha256"),
    sa.Index("ix_procedure_versions_in_force", "procedure_key", "effective_from", "version"),
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
    # When the desk accepted it for resolution: form 06 counts it as received from then.
    # The filing moment for a procedure without a desk check; NULL while the desk is still
    # checking it and for one refused at the desk (not_accepted).
    sa.Column("accepted_at", UTCDateTime),
    sa.Column("received_by", sa.String(64), nullable=False),
    sa.Column("due_at", UTCDateTime),  # the legal due date; moves only with clock pauses
    sa.Column("appointment_at", UTCDateTime),  # a later return date promised by an apology
    sa.Column("resolved_at", UTCDateTime),
    sa.Column("timeliness", sa.String(8)),  # early | on_time | late, set when finished
    sa.Column("at_risk_at", UTCDateTime),  # when the deadline was first seen to be at risk
    sa.Column("receipt_secret_hash", sa.String(64), nullable=False),
    sa.Column("state", sa.Text),  # workflow state without its spec; NULL once finished
    sa.Column("state_rev", sa.Integer, nullable=False, default=0),
    # The state is a snapshot: the chain seq it includes (NULL: written before the step log,
    # it includes every event) and how many clerks' steps the chain holds after it, which a
    # restore replays (engine.service.restore).
    sa.Column("state_seq", sa.Integer),
    sa.Column("state_tail", sa.Integer, nullable=False, default=0, server_default="0"),
    sa.Column("next_timer_at", UTCDateTime),
    # The head of the dossier's audit chain (its last event's seq and hash): checked and moved
    # with every event, so a removed last event is detected.
    sa.Column("chain_seq", sa.Integer),
    sa.Column("chain_head", Digest),
    # Fixed when the dossier is received, from the version it runs and the office that took
    # it: reports read these, so redeploying a procedure never changes a past period.
    sa.Column("procedure_code", sa.String(40)),
    sa.Column("procedure_name", sa.String(300), nullable=False),
    sa.Column("field", sa.String(200)),
    sa.Column("level", sa.String(16)),
    # Agency codes of the unit whose desk received it and of the unit competent to resolve it.
    sa.Column("receiving_unit", sa.String(32), nullable=False),
    sa.Column("resolving_unit", sa.String(32), nullable=False),

    sa.Index("ix_dossiers_receiving_unit", "receiving_unit", "received_at"),
    sa.Index("ix_dossiers_resolving_unit", "resolving_unit", "received_at"),
    sa.Index("ix_dossiers_procedure_received", "procedure_key", "received_at"),
    sa.Index("ix_dossiers_received_at", "received_at"),
    # Form 06 by acceptance, as the received_at indexes above serve the lists.
    sa.Index("ix_dossiers_accepted_at", "accepted_at"),
    sa.Index("ix_dossiers_receiving_accepted", "receiving_unit", "accepted_at"),
    sa.Index("ix_dossiers_resolving_accepted", "resolving_unit", "accepted_at"),
    sa.Index("ix_dossiers_next_timer_at", "next_timer_at"),
    sa.Index("ix_dossiers_timeliness", "procedure_key", "timeliness"),
    # Form 06: dossiers finished since a period's start, and those still open.
    sa.Index("ix_dossiers_resolved_at", "resolved_at"),
    # The worker's round: dossiers with steps waiting in the log (few, all of them open).
    sa.Index("ix_dossiers_state_logged", "id", sqlite_where=sa.text("state_tail > 0"),
             postgresql_where=sa.text("state_tail > 0")),
)

# Open dossiers by due date (the at-risk sweep, overdue lists): finished ones are not indexed.
OPEN_STATUSES = tuple(s.value for s in OPEN_DOSSIER_STATUSES)
OPEN_DOSSIER = literal_in(dossiers.c.status, OPEN_STATUSES)
sa.Index("ix_dossiers_status_due", dossiers.c.status, dossiers.c.due_at,
         sqlite_where=OPEN_DOSSIER, postgresql_where=OPEN_DOSSIER)

# What staff find a dossier by (engine.people.search_terms), written with the dossier. The
# words index over ``terms`` is the database's own and lives outside this metadata
# (``engine.store.search``): an FTS5 table on SQLite, a trigram GIN index on PostgreSQL.
dossier_search = sa.Table(
    "dossier_search",
    metadata,
    sa.Column("dossier_id", sa.ForeignKey("dossiers.id"), primary_key=True),
    sa.Column("code", sa.String(48), nullable=False),
    sa.Column("names", sa.Text, nullable=False),  # folded: no accents, lower case
    sa.Column("id_number", sa.String(20)),
    sa.Column("phone", sa.String(20)),
    sa.Column("receiving_unit", sa.String(32), nullable=False),
    sa.Column("resolving_unit", sa.String(32), nullable=False),
    sa.Column("procedure_key", sa.String(100), nullable=False),
    # " " + names, ID number and phone: each word preceded by a space, so that a word's
    # prefix is ``LIKE '% prefix%'``.
    sa.Column("terms", sa.Text, nullable=False),
    # An ID number or a phone typed whole is looked up exactly.
    sa.Index("ix_dossier_search_id_number", "id_number"),
    sa.Index("ix_dossier_search_phone", "phone"),
)

work_items = sa.Table(
    "work_items",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("dossier_id", sa.ForeignKey("dossiers.id"), nullable=False),
    sa.Column("task_uuid", TaskId, nullable=False),
    sa.Column("step_id", sa.String(100), nullable=False),
    sa.Column("step_name", sa.String(300), nullable=False),
    # The department holding the step: the unit's agency code and the department's code.
    sa.Column("unit", sa.String(32), nullable=False),
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
    sa.Index("ix_work_items_dossier", "dossier_id"),
    sa.Index("ix_work_items_completed_at", "completed_at"),  # step and staff reports
)

# Items still to be done (the queues' partial indexes below).
ACTIVE_STATUSES = tuple(s.value for s in ACTIVE_ITEM_STATUSES)
ACTIVE_ITEM = literal_in(work_items.c.status, ACTIVE_STATUSES)
# The queues index only the items still to be done: finished ones are most of the table.
sa.Index("ix_work_items_queue", work_items.c.unit, work_items.c.department_code,
         work_items.c.status,
         work_items.c.due_at, sqlite_where=ACTIVE_ITEM, postgresql_where=ACTIVE_ITEM)
sa.Index("ix_work_items_claimed_by", work_items.c.claimed_by, work_items.c.status,
         sqlite_where=ACTIVE_ITEM, postgresql_where=ACTIVE_ITEM)
# Form 06 asks of every pending dossier whether a clock-stopping step was open at the judging
# moment; such steps are few, so their own small index answers without reading the others.
PAUSING = work_items.c.pauses_clock.is_(True)
sa.Index("ix_work_items_pausing", work_items.c.dossier_id, work_items.c.created_at,
         sqlite_where=PAUSING, postgresql_where=PAUSING)

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

# One row per event, keyed by its place in its chain: chain 0 is the office-wide ``system``
# chain (deploys), any other number is the dossier of that id. Without a separate row id
# (SQLite: WITHOUT ROWID), the key is the only index and per-dossier reads are a range scan.
audit_events = sa.Table(
    "audit_events",
    metadata,
    sa.Column("chain_id", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("seq", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("work_item_id", sa.Integer),
    sa.Column("kind", sa.String(40), nullable=False),
    sa.Column("actor", sa.String(64)),
    sa.Column("at", UTCDateTime, nullable=False),
    sa.Column("data", sa.JSON, nullable=False),
    sa.Column("hash", Digest, nullable=False),  # covers the previous event's hash
    sqlite_with_rowid=False,
)

# Heads of the chains that have no dossier row to keep them (the system chain).
audit_chains = sa.Table(
    "audit_chains",
    metadata,
    sa.Column("chain_id", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("seq", sa.Integer, nullable=False),
    sa.Column("head", Digest, nullable=False),
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
    # The answers to the survey's questions without a column here, by code (migration 0017).
    sa.Column("answers", sa.JSON),
    sa.Index("ix_ratings_rated_at", "rated_at"),  # the satisfaction sheet of a period
)

# A fault that stays inside its dossier (Camunda calls it an incident): an automatic step that
# failed (a script, a condition, a DMN table, a timer), kept for a person to see and retry.
# One row per dossier and step while it is open; tries and the next try move with each retry.
incidents = sa.Table(
    "incidents",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("dossier_id", sa.ForeignKey("dossiers.id"), nullable=False),
    sa.Column("kind", sa.String(16), nullable=False),  # timer | step
    sa.Column("step_id", sa.String(100)),
    sa.Column("step_name", sa.String(300)),
    sa.Column("expression", sa.Text),
    sa.Column("error", sa.Text, nullable=False),
    sa.Column("status", sa.String(12), nullable=False),  # open | resolved
    sa.Column("tries", sa.Integer, nullable=False, default=1),
    sa.Column("first_at", UTCDateTime, nullable=False),
    sa.Column("last_at", UTCDateTime, nullable=False),
    sa.Column("next_try_at", UTCDateTime),
    sa.Column("resolved_at", UTCDateTime),
    sa.Column("resolved_by", sa.String(64)),
    sa.Index("ix_incidents_dossier", "dossier_id"),
    sa.Index("ix_incidents_status_next", "status", "next_try_at"),
)

# Files deployed with no procedure in them (called processes, shared sub-processes, decision
# tables), kept by their path in the deploy; each changed content is a new version. A
# procedure deployed later that calls what one provides copies that file into its own version,
# so a version never changes under a dossier.
library_files = sa.Table(
    "library_files",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("path", sa.String(300), nullable=False),
    sa.Column("version", sa.Integer, nullable=False),
    sa.Column("sha256", sa.String(64), nullable=False),
    sa.Column("files", sa.JSON, nullable=False),  # the file and the forms and tables it needs
    sa.Column("provides", sa.JSON, nullable=False),  # process and decision ids
    sa.Column("deployed_at", UTCDateTime, nullable=False),
    sa.Column("deployed_by", sa.String(64), nullable=False),
    sa.UniqueConstraint("path", "version"),
)

# Administrative units, one row per version of a code (a code may be reused after a merger,
# one version after another). Successors are a JSON list of codes, not a link table: a link
# names a code whose version is found by date (the day after the predecessor ends), so it has
# no single row to reference, and it is always read with its unit, never queried alone.
administrative_units = sa.Table(
    "administrative_units",
    metadata,
    sa.Column("code", sa.String(16), primary_key=True),
    sa.Column("valid_from", sa.Date, primary_key=True),
    sa.Column("valid_to", sa.Date),  # the last day; NULL while the unit exists
    sa.Column("agency_code", sa.String(32), nullable=False),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("level", sa.String(16), nullable=False),  # province | district | commune
    sa.Column("parent_code", sa.String(16)),
    sa.Column("successors", sa.JSON, nullable=False),
    sa.Column("confirmed", sa.Boolean, nullable=False),
    sa.Column("source", sa.Text, nullable=False),
)

# Form 06 as a unit sent it upward for a reporting period: the table as it was then, kept
# apart from the live figures so a late correction shows as a difference, never a rewrite.
# One per period, unit and scope; its event on the system chain holds the document's hash.
submitted_reports = sa.Table(
    "submitted_reports",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("period_code", sa.String(32), nullable=False),  # e.g. 2026-Q3
    sa.Column("date_from", sa.Date, nullable=False),
    sa.Column("date_to", sa.Date, nullable=False),
    sa.Column("unit", sa.String(32), nullable=False),  # agency code
    sa.Column("consolidated", sa.Boolean, nullable=False),  # the unit and every unit below
    sa.Column("document", sa.JSON, nullable=False),  # as formats.to_json writes the table
    sa.Column("submitted_by", sa.String(64), nullable=False),
    sa.Column("submitted_at", UTCDateTime, nullable=False),
    sa.Column("event_seq", sa.Integer, nullable=False),  # its event on the system chain
    sa.UniqueConstraint("period_code", "unit", "consolidated"),
)

# Files attached to dossiers; their bytes are in the file store (engine/files) under sha256,
# which the row's ``file_attached`` event (event_seq in the dossier's chain) also records.
attachments = sa.Table(
    "attachments",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("dossier_id", sa.ForeignKey("dossiers.id"), nullable=False),
    sa.Column("slot", sa.String(100), nullable=False),  # a required document's code or a step id
    sa.Column("work_item_id", sa.ForeignKey("work_items.id")),  # the step's, for a step's file
    sa.Column("filename", sa.String(255), nullable=False),  # as the sender named it
    sa.Column("kind", sa.String(8), nullable=False),  # pdf | jpeg | png, from the bytes
    sa.Column("size", sa.Integer, nullable=False),
    sa.Column("sha256", sa.String(64), nullable=False),
    sa.Column("attached_by", sa.String(64), nullable=False),
    sa.Column("attached_at", UTCDateTime, nullable=False),
    sa.Column("event_seq", sa.Integer, nullable=False),
    sa.Index("ix_attachments_dossier_id", "dossier_id"),
)

# Messages to applicants (engine.service.notifications), written in the transaction of the
# event that causes them and sent by the worker. ``next_attempt_at`` is when the row is next
# due: the retry's moment while queued, the lease's end while a worker holds it (so one index
# serves the due query, and a killed worker's rows come due again when its lease ends).
outbox = sa.Table(
    "outbox",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("dossier_id", sa.ForeignKey("dossiers.id"), nullable=False),
    sa.Column("kind", sa.String(16), nullable=False),  # received | supplement | … | secret
    sa.Column("channel", sa.String(8), nullable=False),  # email | sms
    sa.Column("recipient", sa.String(320), nullable=False),  # the address or the number
    sa.Column("subject", sa.String(300), nullable=False),  # empty for an SMS
    sa.Column("body", sa.Text, nullable=False),
    # queued | leased | sending | sent | failed | uncertain (engine.model.OutboxStatus)
    sa.Column("status", sa.String(10), nullable=False),
    sa.Column("attempts", sa.Integer, nullable=False),
    sa.Column("next_attempt_at", UTCDateTime, nullable=False),
    sa.Column("lease_until", UTCDateTime),
    sa.Column("sent_at", UTCDateTime),
    sa.Column("last_error", sa.String(500)),
    sa.Column("provider_ref", sa.String(200)),  # the SMTP Message-ID, the gateway's id
    sa.Column("created_at", UTCDateTime, nullable=False),
    sa.Index("ix_outbox_status_next_attempt_at", "status", "next_attempt_at"),
    sa.Index("ix_outbox_dossier_id", "dossier_id"),
)
