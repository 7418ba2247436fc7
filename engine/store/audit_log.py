"""Append-only audit events, each linked to the previous one of its chain."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from engine.audit.chain import GENESIS, event_hash
from engine.errors import StaleState
from engine.model import AuditEvent
from engine.store.tables import audit_chains, audit_events

ChainHead = tuple[int, str]
_HEAD = sa.select(audit_chains.c.seq, audit_chains.c.head).where(
    audit_chains.c.chain == sa.bindparam("chain"))
_INSERT = audit_events.insert()
_NEW_CHAIN = audit_chains.insert()
_MOVE_HEAD = (audit_chains.update()
              .where(audit_chains.c.chain == sa.bindparam("chain_name"),
                     audit_chains.c.seq == sa.bindparam("expected_seq"))
              .values(seq=sa.bindparam("new_seq"), head=sa.bindparam("new_head")))


class AuditLog:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def append(
        self,
        chain: str,
        kind: str,
        actor: str | None,
        at: datetime,
        data: dict[str, Any] | None = None,
        dossier_id: int | None = None,
        work_item_id: int | None = None,
    ) -> AuditEvent:
        return self.append_many(chain, [(kind, actor, at, data or {}, dossier_id,
                                         work_item_id)])[-1]

    def append_many(
        self,
        chain: str,
        items: list[tuple[str, str | None, datetime, dict[str, Any], int | None, int | None]],
        head: ChainHead | None = None,
        head_known: bool = False,
    ) -> list[AuditEvent]:
        """Append to ``chain``. A caller that read the head in the same transaction (with the
        row it works on) passes it with ``head_known``; None then means a new chain. The
        head moves by compare-and-set either way, so a stale head fails, never forks."""
        if not head_known:
            r = self.conn.execute(_HEAD, {"chain": chain}).first()
            head = (int(r.seq), str(r.head)) if r else None
        seq, prev = head if head is not None else (0, GENESIS)
        start_seq = seq
        rows: list[dict[str, Any]] = []
        events: list[AuditEvent] = []
        for kind, actor, at, data, dossier_id, work_item_id in items:
            seq += 1
            digest = event_hash(chain, seq, kind, actor, at, data, dossier_id, work_item_id, prev)
            rows.append(dict(chain=chain, seq=seq, kind=kind, actor=actor, at=at, data=data,
                             dossier_id=dossier_id, work_item_id=work_item_id, prev_hash=prev,
                             hash=digest))
            events.append(AuditEvent(0, chain, seq, dossier_id, work_item_id, kind, actor, at,
                                     data, prev, digest))
            prev = digest
        self.conn.execute(_INSERT, rows)
        if head is None:
            self.conn.execute(_NEW_CHAIN, {"chain": chain, "seq": seq, "head": prev})
        else:
            # Compare-and-set on the head: a concurrent writer to this chain makes us retry.
            moved = self.conn.execute(_MOVE_HEAD, {"chain_name": chain, "expected_seq": start_seq,
                                                   "new_seq": seq, "new_head": prev}).rowcount
            if moved != 1:
                raise StaleState("the dossier changed while this step was recorded; try again")
        return events

    def events(self, chain: str) -> list[AuditEvent]:
        rows = self.conn.execute(
            sa.select(audit_events).where(audit_events.c.chain == chain)
            .order_by(audit_events.c.seq)
        )
        return [_event(r) for r in rows]

    def for_dossier(self, dossier_id: int) -> list[AuditEvent]:
        rows = self.conn.execute(
            sa.select(audit_events).where(audit_events.c.dossier_id == dossier_id)
            .order_by(audit_events.c.seq)
        )
        return [_event(r) for r in rows]

    def heads(self) -> dict[str, tuple[int, str]]:
        return {r.chain: (r.seq, r.head) for r in self.conn.execute(sa.select(audit_chains))}

    def iter_all(self) -> Iterator[AuditEvent]:
        """Every event, chain by chain in seq order, streamed."""
        result = self.conn.execution_options(yield_per=2000).execute(
            sa.select(audit_events).order_by(audit_events.c.chain, audit_events.c.seq)
        )
        for row in result:
            yield _event(row)


def _event(r: Any) -> AuditEvent:
    return AuditEvent(r.id, r.chain, r.seq, r.dossier_id, r.work_item_id, r.kind, r.actor, r.at,
                      r.data, r.prev_hash, r.hash)
