"""Hash chaining of audit events.

Each dossier has its own chain (``d:<id>``); deploys and other office-wide events form the
``system`` chain. Chains per dossier let two dossiers be handled at once without contending on
one global head. Each chain's head (last seq and hash) is kept apart from its events, on the
dossier row (or in ``audit_chains`` for the system chain), so a deleted tail is detected.

In storage a chain is a number: the dossier's id, or 0 for ``system``.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from engine.i18n import Message

GENESIS = "0" * 64
SYSTEM = "system"
SYSTEM_ID = 0


def dossier_chain(dossier_id: int) -> str:
    return f"d:{dossier_id}"


def chain_id(chain: str) -> int:
    """The stored number of a chain name."""
    if chain == SYSTEM:
        return SYSTEM_ID
    if chain.startswith("d:") and chain[2:].isdigit() and int(chain[2:]) > 0:
        return int(chain[2:])
    raise ValueError(f"not an audit chain: {chain!r}")


def chain_name(number: int) -> str:
    return SYSTEM if number == SYSTEM_ID else dossier_chain(number)


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
    reason: Message  # translated where it is read
