"""compact storage: audit events keyed by chain and seq with binary hashes, chain heads on the
dossier row, partial queue indexes, SQLite times as integer microseconds

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-27

What changes and why (bytes per finished dossier, see docs/performance.md):
- ``audit_events`` loses its row id, its ``prev_hash`` (the previous event's ``hash``, read in
  order) and its ``dossier_id`` (the chain number is the dossier id); the chain becomes a
  number (0 = system) and the key ``(chain_id, seq)`` is the table's only index (SQLite:
  WITHOUT ROWID). Hashes are kept as 32 bytes, not 64 hex characters. Every hash stays valid:
  what is hashed has not changed.
- Dossier chain heads move from ``audit_chains`` to ``dossiers.chain_seq/chain_head``, so a
  step moves the head with the dossier row it writes anyway; ``audit_chains`` keeps the system
  chain's head.
- The queue indexes cover only open and claimed items, the open-dossier index open dossiers.
- On SQLite every time column holds microseconds since 1970 (an integer) instead of text, and
  a work item's task UUID its 16 bytes.
"""

import uuid
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TIME_COLUMNS = {
    "procedures": ["updated_at"],
    "procedure_versions": ["deployed_at"],
    "dossiers": ["received_at", "due_at", "appointment_at", "resolved_at", "at_risk_at",
                 "next_timer_at"],
    "work_items": ["created_at", "due_at", "claimed_at", "completed_at"],
    "due_date_changes": ["at", "previous_due_at", "new_due_at"],
    "ratings": ["rated_at"],
}
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
ACTIVE = "status IN ('open', 'claimed')"
OPEN = "status IN ('processing', 'awaiting_supplement')"
BATCH = 5000


def _micros(text: str) -> int:
    value = datetime.fromisoformat(text)
    value = value.replace(tzinfo=UTC) if value.tzinfo is None else value
    return (value - EPOCH) // timedelta(microseconds=1)


def _text(micros: int) -> str:
    return (EPOCH + timedelta(microseconds=micros)).strftime("%Y-%m-%d %H:%M:%S.%f")


def _sqlite_functions(conn: sa.Connection) -> None:
    """SQLite before 3.41 has no unhex(); the conversions run in SQL with these."""
    raw: Any = conn.connection.driver_connection
    raw.create_function("m_unhex", 1, lambda s: None if s is None else bytes.fromhex(s),
                        deterministic=True)
    raw.create_function("m_hex", 1, lambda b: None if b is None else bytes(b).hex(),
                        deterministic=True)
    raw.create_function("m_micros", 1,
                        lambda s: _micros(s) if isinstance(s, str) else s, deterministic=True)
    raw.create_function("m_uuid_bytes", 1,
                        lambda s: uuid.UUID(s).bytes if isinstance(s, str) else s,
                        deterministic=True)
    raw.create_function("m_uuid_text", 1,
                        lambda b: str(uuid.UUID(bytes=b)) if isinstance(b, bytes) else b,
                        deterministic=True)
    raw.create_function("m_text", 1,
                        lambda v: _text(v) if isinstance(v, int) else v, deterministic=True)


def _convert_times(conn: sa.Connection, function: str) -> None:
    for table, columns in TIME_COLUMNS.items():
        sets = ", ".join(f"{c} = {function}({c})" for c in columns)
        conn.execute(sa.text(f"UPDATE {table} SET {sets}"))


def _new_events_table(name: str) -> None:
    op.create_table(
        name,
        sa.Column("chain_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("seq", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("work_item_id", sa.Integer()),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("actor", sa.String(length=64)),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("hash", sa.LargeBinary(length=32), nullable=False),
        sa.PrimaryKeyConstraint("chain_id", "seq", name="pk_audit_events"),
        sqlite_with_rowid=False,
    )


def upgrade() -> None:
    conn = op.get_bind()
    sqlite = conn.dialect.name == "sqlite"
    if sqlite:
        _sqlite_functions(conn)
        _convert_times(conn, "m_micros")
        conn.execute(sa.text("UPDATE work_items SET task_uuid = m_uuid_bytes(task_uuid)"))
    unhex = "m_unhex({})" if sqlite else "decode({}, 'hex')"
    micros = "m_micros({})" if sqlite else "{}"
    number = ("CASE WHEN chain = 'system' THEN 0 ELSE CAST(substr(chain, 3) AS INTEGER) END")

    with op.batch_alter_table("dossiers") as batch:
        batch.add_column(sa.Column("chain_seq", sa.Integer()))
        batch.add_column(sa.Column("chain_head", sa.LargeBinary(length=32)))
    conn.execute(sa.text(
        f"UPDATE dossiers SET chain_seq = (SELECT seq FROM audit_chains c WHERE c.chain = "
        f"'d:' || CAST(dossiers.id AS VARCHAR)), chain_head = (SELECT {unhex.format('head')} "
        f"FROM audit_chains c WHERE c.chain = 'd:' || CAST(dossiers.id AS VARCHAR))"))

    op.execute("ALTER TABLE audit_events RENAME TO audit_events_old")
    if not sqlite:
        op.execute("ALTER TABLE audit_events_old RENAME CONSTRAINT pk_audit_events "
                   "TO pk_audit_events_old")
    _new_events_table("audit_events")
    conn.execute(sa.text(
        f"INSERT INTO audit_events (chain_id, seq, work_item_id, kind, actor, at, data, hash) "
        f"SELECT {number}, seq, work_item_id, kind, actor, {micros.format('at')}, data, "
        f"{unhex.format('hash')} FROM audit_events_old"))
    op.drop_table("audit_events_old")

    op.execute("ALTER TABLE audit_chains RENAME TO audit_chains_old")
    if not sqlite:
        op.execute("ALTER TABLE audit_chains_old RENAME CONSTRAINT pk_audit_chains "
                   "TO pk_audit_chains_old")
    op.create_table(
        "audit_chains",
        sa.Column("chain_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("head", sa.LargeBinary(length=32), nullable=False),
        sa.PrimaryKeyConstraint("chain_id", name="pk_audit_chains"),
    )
    conn.execute(sa.text(
        f"INSERT INTO audit_chains (chain_id, seq, head) SELECT 0, seq, {unhex.format('head')} "
        f"FROM audit_chains_old WHERE chain = 'system'"))
    op.drop_table("audit_chains_old")

    op.drop_index("ix_work_items_queue", table_name="work_items")
    op.drop_index("ix_work_items_claimed_by", table_name="work_items")
    op.create_index("ix_work_items_queue", "work_items", ["department_code", "status", "due_at"],
                    sqlite_where=sa.text(ACTIVE), postgresql_where=sa.text(ACTIVE))
    op.create_index("ix_work_items_claimed_by", "work_items", ["claimed_by", "status"],
                    sqlite_where=sa.text(ACTIVE), postgresql_where=sa.text(ACTIVE))
    op.drop_index("ix_dossiers_status_due", table_name="dossiers")
    op.create_index("ix_dossiers_status_due", "dossiers", ["status", "due_at"],
                    sqlite_where=sa.text(OPEN), postgresql_where=sa.text(OPEN))


def downgrade() -> None:
    conn = op.get_bind()
    sqlite = conn.dialect.name == "sqlite"
    if sqlite:
        _sqlite_functions(conn)
    to_hex = "m_hex({})" if sqlite else "encode({}, 'hex')"
    to_text = "m_text({})" if sqlite else "{}"
    name = "CASE WHEN chain_id = 0 THEN 'system' ELSE 'd:' || CAST(chain_id AS VARCHAR) END"

    op.drop_index("ix_dossiers_status_due", table_name="dossiers")
    op.create_index("ix_dossiers_status_due", "dossiers", ["status", "due_at"])
    op.drop_index("ix_work_items_claimed_by", table_name="work_items")
    op.drop_index("ix_work_items_queue", table_name="work_items")
    op.create_index("ix_work_items_claimed_by", "work_items", ["claimed_by", "status"])
    op.create_index("ix_work_items_queue", "work_items", ["department_code", "status", "due_at"])

    op.execute("ALTER TABLE audit_events RENAME TO audit_events_new")
    op.execute("ALTER TABLE audit_chains RENAME TO audit_chains_new")
    if not sqlite:
        op.execute("ALTER TABLE audit_events_new RENAME CONSTRAINT pk_audit_events "
                   "TO pk_audit_events_new")
        op.execute("ALTER TABLE audit_chains_new RENAME CONSTRAINT pk_audit_chains "
                   "TO pk_audit_chains_new")
    op.create_table(
        "audit_chains",
        sa.Column("chain", sa.String(length=24), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("head", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("chain", name="pk_audit_chains"),
    )
    op.create_table(
        "audit_events",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("chain", sa.String(length=24), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("dossier_id", sa.Integer(), nullable=True),
        sa.Column("work_item_id", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("actor", sa.String(length=64), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("prev_hash", sa.String(length=64), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_audit_events"),
        sa.UniqueConstraint("chain", "seq", name="uq_audit_events_chain_seq"),
    )
    op.create_index("ix_audit_events_dossier", "audit_events", ["dossier_id"])
    # prev_hash is the hash of the event before in the same chain (zeros for the first).
    previous = (f"coalesce((SELECT {to_hex.format('p.hash')} FROM audit_events_new p "
                f"WHERE p.chain_id = e.chain_id AND p.seq = e.seq - 1), "
                f"'{'0' * 64}')")
    conn.execute(sa.text(
        f"INSERT INTO audit_events (chain, seq, dossier_id, work_item_id, kind, actor, at, data, "
        f"prev_hash, hash) SELECT {name}, seq, NULLIF(chain_id, 0), work_item_id, kind, actor, "
        f"{to_text.format('at')}, data, {previous}, {to_hex.format('hash')} "
        f"FROM audit_events_new e ORDER BY chain_id, seq"))
    conn.execute(sa.text(
        f"INSERT INTO audit_chains (chain, seq, head) SELECT 'system', seq, "
        f"{to_hex.format('head')} FROM audit_chains_new"))
    conn.execute(sa.text(
        f"INSERT INTO audit_chains (chain, seq, head) SELECT 'd:' || CAST(id AS VARCHAR), "
        f"chain_seq, {to_hex.format('chain_head')} FROM dossiers WHERE chain_seq IS NOT NULL"))
    op.drop_table("audit_events_new")
    op.drop_table("audit_chains_new")
    # In place (SQLite 3.35+ drops columns itself): a batch copy of the dossiers table would
    # be refused by the foreign keys of the work items that point at it.
    op.execute("ALTER TABLE dossiers DROP COLUMN chain_head")
    op.execute("ALTER TABLE dossiers DROP COLUMN chain_seq")
    if sqlite:
        _convert_times(conn, "m_text")
        conn.execute(sa.text("UPDATE work_items SET task_uuid = m_uuid_text(task_uuid)"))
