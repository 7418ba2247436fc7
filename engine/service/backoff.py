"""Waiting longer after each failure: the first wait, doubled per try, up to a ceiling."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta


@dataclass(frozen=True)
class Backoff:
    first_seconds: float = 60.0
    max_seconds: float = 3600.0

    def seconds(self, tries: int) -> float:
        """The wait after the ``tries``-th failure in a row (1: the first wait)."""
        exponent = min(max(tries, 1) - 1, 32)  # 2**32 minutes is past any ceiling
        return min(self.max_seconds, self.first_seconds * 2 ** exponent)

    def delay(self, tries: int) -> timedelta:
        return timedelta(seconds=self.seconds(tries))
