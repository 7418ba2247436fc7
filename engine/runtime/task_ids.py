"""Ids of the tasks SpiffWorkflow creates, reproducible inside a step.

SpiffWorkflow gives every task it creates a random ``uuid4``. Work items and audit events
name tasks by id, so a step replayed on a snapshot (``engine.runtime.replay``) must create
the tasks it created the first time under the same ids. Inside ``seeded`` they are drawn
from a hash of a seed (the completed task's id, unique in its dossier) and a counter;
outside it they stay random.
"""

from __future__ import annotations

import contextvars
import hashlib
from collections.abc import Iterator
from contextlib import contextmanager
from uuid import UUID, uuid4

from SpiffWorkflow import task as _spiff_task


class _Ids:
    def __init__(self, seed: str) -> None:
        self._seed = seed.encode()
        self._count = 0

    def next(self) -> UUID:
        self._count += 1
        digest = hashlib.sha256(self._seed + b"/" + str(self._count).encode()).digest()
        return UUID(bytes=digest[:16], version=4)


_ids: contextvars.ContextVar[_Ids | None] = contextvars.ContextVar("motcua_task_ids",
                                                                   default=None)


def _task_id() -> UUID:
    ids = _ids.get()
    return ids.next() if ids is not None else uuid4()


_spiff_task.uuid4 = _task_id


@contextmanager
def seeded(seed: str) -> Iterator[None]:
    """New task ids drawn from ``seed`` while the block runs."""
    token = _ids.set(_Ids(seed))
    try:
        yield
    finally:
        _ids.reset(token)
