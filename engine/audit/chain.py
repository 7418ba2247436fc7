"""Hash chaining of audit events.

Each dossier has its own chain (``d:<id>``); deploys and other office-wide events form the
``system`` chain. Chains per dossier let two dossiers be handled at once without contending on
one global head, while ``audit_chains`` keeps each chain's head so a deleted tail is detected.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from engine.model import AuditEvent

GENESIS = "0" * 64


def dossier_chain(dossier_id: int) -> str:
    return f"d:{dossier_id}"


def event_hash(
    chain: str,
    seq: int,
    kind: str,
    actor: str | None,
    at: datetime,
    data: dict[str, Any],
    dossier_id: int | None,
    work_item_id: int | None,
    prev_hash: str,
) -> str:
    body = json.dumps(
        [chain, seq, kind, actor, at.astimezone(UTC).isoformat(timespec="microseconds"), data,
         dossier_id,
         work_item_id, prev_hash],
        sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str,
    )
    return hashlib.sha256(body.encode()).hexdigest()


@dataclass(frozen=True)
class ChainBreak:
    chain: str
    seq: int
    event_id: int | None
    reason: str


def verify_chain(
    chain: str, events: Iterable[AuditEvent], head: tuple[int, str] | None
) -> ChainBreak | None:
    """The first place where ``events`` (ordered by seq) stop matching their hashes, or None."""
    prev = GENESIS
    expected_seq = 1
    for ev in events:
        if ev.seq != expected_seq:
            what = "removed" if ev.seq > expected_seq else "inserted"
            return ChainBreak(chain, expected_seq, ev.id, f"event {expected_seq} was {what}")
        if ev.prev_hash != prev:
            return ChainBreak(chain, ev.seq, ev.id, "the link to the previous event was altered")
        recomputed = event_hash(chain, ev.seq, ev.kind, ev.actor, ev.at, ev.data, ev.dossier_id,
                                ev.work_item_id, ev.prev_hash)
        if recomputed != ev.hash:
            return ChainBreak(chain, ev.seq, ev.id, "the event's content was altered")
        prev = ev.hash
        expected_seq += 1
    if head is not None and (head[0] != expected_seq - 1 or head[1] != prev):
        return ChainBreak(chain, expected_seq, None,
                          f"the chain ends at event {expected_seq - 1} but its head says "
                          f"{head[0]}: events were removed from the end")
    return None
