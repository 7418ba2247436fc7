"""``make bench``: every benchmark, then bench/results.json and the plot for
docs/performance.md. ``--full`` loads a million dossiers (about half an hour); PostgreSQL
figures need ``--postgres URL`` (or MOTCUA_BENCH_POSTGRES_URL): that database is wiped."""

from __future__ import annotations

import argparse
import json
import os
import platform
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench import (
    accounting,
    group_commit,
    http,
    peer,
    plot,
    scale,
    state_write,
    statements,
    step_cost,
    storage,
    submitted,
    units,
    validation,
)

RESULTS = Path(__file__).parent / "results.json"
QUICK_SIZES = [10_000, 25_000, 50_000]
FULL_SIZES = [10_000, 100_000, 1_000_000]


def machine() -> dict[str, Any]:
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {"python": platform.python_version(), "system": platform.platform(),
            "processor": cpu or platform.machine(), "cores": os.cpu_count()}


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--full", action="store_true", help="1,000,000 dossiers at scale")
    parser.add_argument("--postgres", default=os.environ.get("MOTCUA_BENCH_POSTGRES_URL"),
                        help="a PostgreSQL database the benchmarks may wipe")
    parser.add_argument("--only", nargs="*",
                        help="step_cost state_write statements group_commit storage http "
                        "accounting scale units submitted peer validation")
    args = parser.parse_args()
    wanted = set(args.only or ("step_cost", "state_write", "statements", "group_commit",
                                "storage", "http", "accounting", "scale", "units",
                                "submitted", "peer", "validation"))
    started = time.perf_counter()
    results: dict[str, Any] = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    results.update(machine=machine(), run_at=datetime.now(UTC).isoformat(timespec="seconds"),
                   full=args.full)
    if "step_cost" in wanted:
        results["step_cost"] = step_cost.main()
    if "state_write" in wanted:
        results["state_write"] = state_write.main()
    if "statements" in wanted:
        results["statements"] = statements.main(args.postgres)
    if "group_commit" in wanted:
        results["group_commit"] = group_commit.main()
    if "storage" in wanted:
        results["storage"] = storage.main(1000, args.postgres)
    if "http" in wanted:
        results["http"] = http.main(args.postgres)
    if "accounting" in wanted:
        results["accounting"] = accounting.main(args.postgres, args.full)
    if "scale" in wanted:
        results["scale"] = scale.main(FULL_SIZES if args.full else QUICK_SIZES, args.postgres)
    if "units" in wanted:
        results["units"] = units.main(args.full, args.postgres)
    if "submitted" in wanted:
        results["submitted"] = submitted.main(args.postgres)
    if "peer" in wanted:
        results["peer"] = peer.main()
    if "validation" in wanted:
        results["validation"] = validation.main()
    results["seconds"] = round(time.perf_counter() - started)
    RESULTS.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    plot.draw(results)


if __name__ == "__main__":
    main()
