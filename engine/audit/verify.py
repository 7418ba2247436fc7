"""Walk every hash chain of the audit log and say whether it is intact.

The walk streams events chain by chain (one batch in memory at a time) and recomputes each
hash. Per chain it reports the first place where the stored log stops matching what was
written: an event altered, removed from the middle or the end, or inserted. It then checks
what a walk over events cannot see: chains whose events were all removed, and dossiers whose
chain head was removed with them.

What a hash chain cannot prove: someone with write access who rewrites a chain from some
event on, recomputing every later hash and the head, leaves a consistent chain. Detecting
that needs the heads kept somewhere else (see docs/auditing.md).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import groupby
from typing import Protocol

from engine.audit.chain import GENESIS, ChainBreak, dossier_chain, event_hash
from engine.i18n import Message, msg
from engine.model import AuditEvent

MAX_BREAKS = 100
PROGRESS_EVERY = 5000


class ChainReads(Protocol):
    """The walk over the stored log (``engine.store.reports.ReportQueries``), in one read
    transaction so the chains and their heads are one snapshot."""

    def chain_walk(self) -> Iterator[tuple[AuditEvent, tuple[int, str] | None]]: ...

    def emptied_chains(self) -> list[tuple[str, int]]: ...

    def dossiers_without_chain(self, limit: int) -> list[tuple[int, str]]: ...


@dataclass(frozen=True)
class VerifyResult:
    events_checked: int
    chains_checked: int
    breaks: list[ChainBreak] = field(default_factory=list)  # the first per chain, capped
    more_breaks: bool = False  # more broken chains than listed
    files_checked: int = 0  # attached files re-hashed (``engine.audit.files``)

    @property
    def intact(self) -> bool:
        return not self.breaks

    @property
    def first(self) -> ChainBreak | None:
        return self.breaks[0] if self.breaks else None


def verify_log(reads: ChainReads, progress: Callable[[int], None] | None = None,
               max_breaks: int = MAX_BREAKS) -> VerifyResult:
    """Every chain (``system`` and one per dossier) checked against its hashes and its head.

    ``progress`` is called with the number of events checked so far, every few thousand.
    """
    events = chains = reported = 0
    breaks: list[ChainBreak] = []
    more = False

    def found(problem: ChainBreak) -> None:
        nonlocal more
        if len(breaks) < max_breaks:
            breaks.append(problem)
        else:
            more = True

    for chain, rows in groupby(reads.chain_walk(), key=lambda r: r[0].chain):
        chains += 1
        counted = _Counted(rows)
        problem = check_chain(chain, counted)
        events += counted.drain()
        if problem is not None:
            found(problem)
        if progress is not None and events - reported >= PROGRESS_EVERY:
            progress(reported := events)
    for chain, seq in reads.emptied_chains():
        chains += 1
        found(ChainBreak(chain, 1, msg("audit_all_events_removed", count=seq)))
    for dossier_id, code in reads.dossiers_without_chain(max_breaks):
        found(ChainBreak(dossier_chain(dossier_id), 1,
                         msg("audit_dossier_without_chain", code=code)))
    return VerifyResult(events, chains, breaks, more)


def check_chain(chain: str,
                rows: Iterable[tuple[AuditEvent, tuple[int, str] | None]]) -> ChainBreak | None:
    """The first place where a chain's events (ordered by seq, each with the chain's recorded
    head) stop matching their hashes, or None when the chain is intact."""
    prev, expected, head = GENESIS, 1, None
    for ev, head in rows:
        if head is None:
            return ChainBreak(chain, ev.seq, msg("audit_head_removed"))
        if ev.seq > head[0]:
            return ChainBreak(chain, ev.seq,
                              msg("audit_event_inserted", seq=ev.seq, last=head[0]))
        if ev.seq > expected:
            return ChainBreak(chain, expected, _removed("audit_removed", expected, ev.seq - 1))
        # Each hash covers the previous event's: an altered, replaced or inserted event
        # fails here, or makes the next one fail.
        if event_hash(chain, ev.seq, ev.kind, ev.actor, ev.at, ev.data, ev.dossier_id,
                      ev.work_item_id, prev) != ev.hash:
            return ChainBreak(chain, ev.seq, msg("audit_event_altered"))
        prev = ev.hash
        expected += 1
    if head is not None:
        last = expected - 1
        if head[0] > last:
            return ChainBreak(chain, last + 1, _removed("audit_removed_end", last + 1, head[0]))
        if head[1] != prev:
            return ChainBreak(chain, last,
                              msg("audit_head_mismatch"))
    return None


def _removed(id: str, first: int, last: int) -> Message:
    """Event ``first`` (or events ``first``–``last``) gone from a chain."""
    which = msg("audit_event_n", seq=first) if first == last else \
        msg("audit_events_n_m", first=first, last=last)
    return msg(id, which=which)


class _Counted:
    """Counts rows as the check consumes them; ``drain`` skips what a failed check left."""

    def __init__(self, rows: Iterable[tuple[AuditEvent, tuple[int, str] | None]]) -> None:
        self._rows = iter(rows)
        self.count = 0

    def __iter__(self) -> Iterator[tuple[AuditEvent, tuple[int, str] | None]]:
        for row in self._rows:
            self.count += 1
            yield row

    def drain(self) -> int:
        for _ in self:
            pass
        return self.count
