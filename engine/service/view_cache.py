"""What the view of a step needs besides the step itself, kept by the process, so answering a
claim or a complete needs no second transaction after the write.

A dossier's code and procedure are fixed when it is received and a committed dossier is never
deleted, so they are kept until the cache is full. Procedure names change only when a version
is deployed: a deploy in this process forgets them at once, and other processes read them again
after ``NAMES_SECONDS``.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Mapping
from typing import Any

MAX_DOSSIERS = 20_000
NAMES_SECONDS = 10.0


class ViewCache:
    def __init__(self, max_dossiers: int = MAX_DOSSIERS, names_seconds: float = NAMES_SECONDS,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self._max = max_dossiers
        self._names_seconds = names_seconds
        self._clock = clock
        self._headers: dict[int, dict[str, Any]] = {}
        self._names: dict[str, str] | None = None
        self._names_at = 0.0
        self._lock = threading.Lock()

    def header(self, dossier_id: int) -> dict[str, Any] | None:
        """The dossier's code and procedure key, when this process has read them."""
        return self._headers.get(dossier_id)

    def names(self) -> dict[str, str] | None:
        """Procedure key → name, when read recently enough."""
        names = self._names
        if names is None or self._clock() - self._names_at > self._names_seconds:
            return None
        return names

    def remember(self, headers: Mapping[int, Mapping[str, Any]],
                 names: dict[str, str] | None = None) -> None:
        with self._lock:
            if len(self._headers) + len(headers) > self._max:
                self._headers.clear()  # cheaper than an LRU; a miss costs one read
            for dossier_id, header in headers.items():
                self._headers[dossier_id] = {"code": header["code"],
                                             "procedure_key": header["procedure_key"]}
            if names is not None:
                self._names, self._names_at = names, self._clock()

    def forget_names(self) -> None:
        with self._lock:
            self._names = None
