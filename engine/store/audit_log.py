"""Append-only audit events, each linked to the previous one of its chain."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from engine.audit.chain import GENESIS, SYSTEM_ID, chain_id, chain_name, event_hash
from engine.errors import StaleState
from engine.i18n import msg
from engine.model import AuditEvent
from engine.store.prepared import Prepared
from engine.store.tables import audit_chains, audit_events, dossiers, work_items

ChainHead = tuple[int, str]
EventItem = tuple[str, str | None, datetime, dict[str, Any], int | None, int | None]

_INSERT = Prepared(audit_events.insert(), ("chain_id", "seq", "kind", "actor", "at", "data",
                                          "work_item_id", "hash"))
# Heads of dossier chains live on the dossier row; the system chain's in audit_chains.
_DOSSIER_HEAD = sa.select(dossiers.c.chain_seq.label("seq"), dossiers.c.chain_head.label("head")) \
    .where(dossiers.c.id == sa.bindparam("chain_id"))
_OTHER_HEAD = sa.select(audit_chains.c.seq, audit_chains.c.head) \
    .where(audit_chains.c.chain_id == sa.bindparam("chain_id"))
_NEW_DOSSIER_HEAD = {"chain_seq": sa.bindparam("new_seq"),
                     "chain_head": sa.bindparam("new_head", type_=dossiers.c.chain_head.type)}
_FIRST_DOSSIER_HEAD = Prepared(dossiers.update()
                               .where(dossiers.c.id == sa.bindparam("chain_id"),
                                      dossiers.c.chain_seq.is_(None))
                               .values(_NEW_DOSSIER_HEAD))
_MOVE_DOSSIER_HEAD = Prepared(dossiers.update()
                              .where(dossiers.c.id == sa.bindparam("chain_id"),
                                     dossiers.c.chain_seq == sa.bindparam("expected_seq"))
                              .values(_NEW_DOSSIER_HEAD))
_FIRST_OTHER_HEAD = audit_chains.insert().values(
    chain_id=sa.bindparam("the_chain"), seq=sa.bindparam("new_seq"),
    head=sa.bindparam("new_head", type_=audit_chains.c.head.type))
_MOVE_OTHER_HEAD = Prepared(audit_chains.update()
                            .where(audit_chains.c.chain_id == sa.bindparam("the_chain"),
                                   audit_chains.c.seq == sa.bindparam("expected_seq"))
                            .values(seq=sa.bindparam("new_seq"),
                                    head=sa.bindparam("new_head",
                                                      type_=audit_chains.c.head.type)))
_EVENTS = (sa.select(audit_events).where(audit_events.c.chain_id == sa.bindparam("chain_id"))
           .order_by(audit_events.c.seq))


# The clerks' steps of a dossier after its state's snapshot: what a restore replays.
_STEPS_AFTER = (sa.select(work_items.c.task_uuid, audit_events.c.data, audit_events.c.at)
                .select_from(audit_events.join(
                    work_items, work_items.c.id == audit_events.c.work_item_id))
                .where(audit_events.c.chain_id == sa.bindparam("chain_id"),
                       audit_events.c.seq > sa.bindparam("after_seq"),
                       audit_events.c.kind == "item_completed")
                .order_by(audit_events.c.seq))


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

    def head(self, chain: str) -> ChainHead | None:
        number = chain_id(chain)
        r = self.conn.execute(_OTHER_HEAD if number == SYSTEM_ID else _DOSSIER_HEAD,
                              {"chain_id": number}).first()
        return (int(r.seq), str(r.head)) if r is not None and r.seq is not None else None

    def append_many(
        self,
        chain: str,
        items: list[EventItem],
        head: ChainHead | None = None,
        head_known: bool = False,
    ) -> list[AuditEvent]:
        """Append to ``chain``. A caller that read the head in the same transaction (with the
        row it works on) passes it with ``head_known``; None then means a new chain. The
        head moves by compare-and-set either way, so a stale head fails, never forks."""
        events, before, after = self.write(chain, items, head, head_known)
        number = chain_id(chain)
        params = {"chain_id": number, "the_chain": number,
                  "expected_seq": before[0] if before else 0, "new_seq": after[0],
                  "new_head": after[1]}
        if number == SYSTEM_ID and before is None:
            # A concurrent first event fails on the key (an insert's rowcount says nothing).
            self.conn.execute(_FIRST_OTHER_HEAD, params)
            return events
        if number == SYSTEM_ID:
            statement = _MOVE_OTHER_HEAD
        else:
            statement = _FIRST_DOSSIER_HEAD if before is None else _MOVE_DOSSIER_HEAD
        # Compare-and-set on the head: a concurrent writer to this chain makes us retry.
        if statement.rowcount(self.conn, params) != 1:
            raise StaleState(msg("err_dossier_changed_while_step_was"))
        return events

    def write(
        self,
        chain: str,
        items: list[EventItem],
        head: ChainHead | None = None,
        head_known: bool = False,
    ) -> tuple[list[AuditEvent], ChainHead | None, ChainHead]:
        """Insert the events without moving the head: (events, head before, head after). A
        caller that writes the dossier row anyway moves the head with it (one statement
        less per step), by compare-and-set on the head before."""
        if not head_known:
            head = self.head(chain)
        number = chain_id(chain)
        seq, prev = head if head is not None else (0, GENESIS)
        rows: list[dict[str, Any]] = []
        events: list[AuditEvent] = []
        for kind, actor, at, data, dossier_id, work_item_id in items:
            seq += 1
            digest = event_hash(chain, seq, kind, actor, at, data, dossier_id, work_item_id, prev)
            rows.append(dict(chain_id=number, seq=seq, kind=kind, actor=actor, at=at, data=data,
                             work_item_id=work_item_id, hash=digest))
            events.append(AuditEvent(chain, seq, dossier_id, work_item_id, kind, actor, at, data,
                                     digest))
            prev = digest
        if rows:
            _INSERT.execute_many(self.conn, rows)
        return events, head, (seq, prev)

    def steps_after(self, dossier_id: int, seq: int) -> list[tuple[str, dict[str, Any],
                                                                  datetime]]:
        """(task id, form data, moment) of the steps completed in the dossier's chain after
        ``seq``, in their order."""
        rows = self.conn.execute(_STEPS_AFTER, {"chain_id": dossier_id, "after_seq": seq})
        return [(str(r.task_uuid), dict(r.data.get("data") or {}), r.at) for r in rows]

    def events(self, chain: str) -> list[AuditEvent]:
        return [event_of(r) for r in self.conn.execute(_EVENTS, {"chain_id": chain_id(chain)})]

    def event(self, chain: str, seq: int) -> AuditEvent | None:
        """One event by its key (a submitted report's, say)."""
        row = self.conn.execute(sa.select(audit_events).where(
            audit_events.c.chain_id == chain_id(chain), audit_events.c.seq == seq)).first()
        return None if row is None else event_of(row)

    def for_dossier(self, dossier_id: int) -> list[AuditEvent]:
        return [event_of(r) for r in self.conn.execute(_EVENTS, {"chain_id": dossier_id})]

    def heads(self) -> dict[str, ChainHead]:
        found = {chain_name(r.chain_id): (r.seq, r.head)
                 for r in self.conn.execute(sa.select(audit_chains))}
        found.update({chain_name(r.id): (r.chain_seq, r.chain_head) for r in self.conn.execute(
            sa.select(dossiers.c.id, dossiers.c.chain_seq, dossiers.c.chain_head)
            .where(dossiers.c.chain_seq.is_not(None)))})
        return found

    def iter_all(self) -> Iterator[AuditEvent]:
        """Every event, chain by chain in seq order, streamed."""
        result = self.conn.execution_options(yield_per=2000).execute(
            sa.select(audit_events).order_by(audit_events.c.chain_id, audit_events.c.seq)
        )
        for row in result:
            yield event_of(row)


def event_of(r: Any) -> AuditEvent:
    """An event from a row with the audit_events columns."""
    return AuditEvent(chain_name(r.chain_id), r.seq, r.chain_id or None, r.work_item_id, r.kind,
                      r.actor, r.at, r.data, r.hash)
