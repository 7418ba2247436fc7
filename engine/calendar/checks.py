"""Argument checks shared by the calendar modules."""

from __future__ import annotations

import math
import numbers
from datetime import datetime

# Far beyond any statutory deadline or pause; larger values come from bad input and would
# only make the day-by-day arithmetic run for a very long time.
MAX_AMOUNT = 100_000


def require_aware(value: datetime, name: str) -> None:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{name} must be timezone-aware, got naive {value.isoformat()}")


def as_amount(value: object, name: str) -> float:
    """A finite, non-negative number as float (Decimal from a database column is fine)."""
    # bool is an int and str converts with float(): both are almost surely caller mistakes.
    if isinstance(value, bool | str | bytes) or not isinstance(value, numbers.Number):
        raise ValueError(f"{name} must be a number, got {value!r}")
    try:
        amount = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{name} must be a real number, got {value!r}") from exc
    if not math.isfinite(amount) or amount < 0:
        raise ValueError(f"{name} must be a finite number >= 0, got {value!r}")
    if amount > MAX_AMOUNT:
        raise ValueError(f"{name} must be at most {MAX_AMOUNT}, got {value!r}")
    return amount
