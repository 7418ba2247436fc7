"""``make bench``: run every benchmark and write bench/results.json."""

from __future__ import annotations

import json
import platform
from pathlib import Path

from bench import step_cost


def main() -> None:
    figures = {"machine": {"python": platform.python_version(), "system": platform.platform(),
                           "processor": platform.machine()},
               "step_cost": step_cost.main()}
    out = Path(__file__).parent / "results.json"
    out.write_text(json.dumps(figures, indent=2, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
