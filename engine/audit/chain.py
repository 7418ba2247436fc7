"""Hash chaining of audit events.

Each dossier has its own chain (``d:<id>``); deploys and other office-wide events form the
``system`` chain. Chains per dossier let two dossiers be handled at once without contending on
one global head, while ``audit_chains`` keeps each chain's head so a deleted tail is detected.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

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
