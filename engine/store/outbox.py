"""The outbox: messages to applicants, written with their event, leased and marked by the
sender worker one row at a time."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from engine.model import OutboxMessage, OutboxStatus
from engine.store.prepared import Prepared
from engine.store.tables import outbox

# Rows a worker may take: queued ones when their attempt is due, and leased or sending ones
# whose lease ended (their worker died or hung).
DUE_STATUSES = (OutboxStatus.QUEUED, OutboxStatus.LEASED, OutboxStatus.SENDING)


# Asked by a step (was the result announced already?): at driver cost, as the step's own.
_HAS_KIND = Prepared(sa.select(outbox.c.id).where(outbox.c.dossier_id == sa.bindparam("dossier_id"),
                                                  outbox.c.kind == sa.bindparam("kind")).limit(1))


class OutboxStore:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def add(self, rows: Iterable[Mapping[str, Any]]) -> int:
        values = [dict(r) for r in rows]
        if values:
            self.conn.execute(outbox.insert(), values)
        return len(values)

    def due(self, now: datetime, batch: int, channels: Sequence[str]) -> list[OutboxMessage]:
        """Up to ``batch`` rows of ``channels`` due at ``now``, oldest first, locked for this
        transaction on PostgreSQL (another worker skips them); SQLite's writer lock
        serialises workers."""
        query = (sa.select(outbox)
                 .where(outbox.c.status.in_([s.value for s in DUE_STATUSES]),
                        outbox.c.next_attempt_at <= now, outbox.c.channel.in_(channels))
                 .order_by(outbox.c.next_attempt_at, outbox.c.id).limit(batch))
        if self.conn.dialect.name == "postgresql":
            query = query.with_for_update(skip_locked=True)
        return [_message(r) for r in self.conn.execute(query)]

    def mark(self, message_id: int, was: str, attempts_were: int, /,
             held_until: datetime | None = None, **values: Any) -> bool:
        """Compare-and-set: move the row from (status ``was``, ``attempts_were`` and, for a
        worker's own lease, ``held_until``) as it was read; False when someone else moved it
        meanwhile (another worker took it after the lease ended)."""
        where = [outbox.c.id == message_id, outbox.c.status == was,
                 outbox.c.attempts == attempts_were]
        if held_until is not None:
            where.append(outbox.c.lease_until == held_until)
        found = self.conn.execute(outbox.update().where(*where).values(**values))
        return found.rowcount == 1

    def get(self, message_id: int) -> OutboxMessage | None:
        r = self.conn.execute(sa.select(outbox).where(outbox.c.id == message_id)).first()
        return _message(r) if r is not None else None

    def for_dossier(self, dossier_id: int) -> list[OutboxMessage]:
        rows = self.conn.execute(sa.select(outbox).where(outbox.c.dossier_id == dossier_id)
                                 .order_by(outbox.c.id))
        return [_message(r) for r in rows]

    def listing(self, status: str | None = None, limit: int = 1000) -> list[OutboxMessage]:
        """Messages oldest first, of one status if given (operators list the failed ones)."""
        query = sa.select(outbox).order_by(outbox.c.id).limit(limit)
        if status is not None:
            query = query.where(outbox.c.status == status)
        return [_message(r) for r in self.conn.execute(query)]

    def has_kind(self, dossier_id: int, kind: str) -> bool:
        return _HAS_KIND.first(self.conn, {"dossier_id": dossier_id, "kind": kind}) is not None

    def counts(self) -> dict[str, int]:
        rows = self.conn.execute(sa.select(outbox.c.status, sa.func.count())
                                 .group_by(outbox.c.status))
        return {str(status): int(n) for status, n in rows}


def _message(r: Any) -> OutboxMessage:
    return OutboxMessage(id=r.id, dossier_id=r.dossier_id, kind=r.kind, channel=r.channel,
                         recipient=r.recipient, subject=r.subject, body=r.body,
                         status=r.status, attempts=r.attempts,
                         next_attempt_at=r.next_attempt_at, created_at=r.created_at,
                         lease_until=r.lease_until, sent_at=r.sent_at,
                         last_error=r.last_error, provider_ref=r.provider_ref)
