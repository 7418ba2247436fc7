"""Benchmarks: ``python -m bench`` (``make bench``); each prints one JSON object per figure."""

from __future__ import annotations

import json
from typing import Any


def emit(figures: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Print each figure as one JSON line, as it is measured, and hand them on."""
    for figure in figures:
        print(json.dumps(figure, ensure_ascii=False), flush=True)
    return figures
