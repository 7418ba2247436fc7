"""A sent report opens in constant time: the lookup by (period, unit, scope) and the
``submitted`` use case, timed with 100, 10,000 and 100,000 reports stored (a province of 126
communes sends about 2,000 a year: monthly, quarterly and yearly, alone and consolidated).

``python -m bench.submitted [--postgres URL]`` (that database is wiped); one JSON line per
figure. The time should not grow with the reports kept.
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from datetime import UTC, date, datetime
from typing import Any

from bench import emit
from bench.office import reset_database
from engine.service import submissions
from engine.service.office import Office
from engine.store import Database
from engine.store.migrate import upgrade
from engine.store.tables import submitted_reports

SIZES = (100, 10_000, 100_000)
LOOKUPS = 2000
AGENCY = "000.00.81.H26"


def document() -> dict[str, Any]:
    """A form-06 table of ten fields, the size a ward's report has."""
    columns = [{"key": "label", "header": "Lĩnh vực", "group": None, "kind": "text"}]
    columns += [{"key": f"c{i}", "header": f"Cột {i}", "group": "Nhóm", "kind": "int"}
                for i in range(15)]
    rows = [{"key": f"Lĩnh vực {r}", "label": f"Lĩnh vực {r}",
             **{f"c{i}": r * i for i in range(15)}} for r in range(10)]
    return {"title": "Tình hình, kết quả giải quyết thủ tục hành chính", "subtitle": "Kỳ",
            "notes": [], "columns": columns, "rows": rows,
            "totals": {"key": None, "label": "Tổng cộng", **{f"c{i}": 45 * i for i in range(15)}}}


def keys(n: int) -> list[tuple[str, str, bool]]:
    """``n`` distinct (period, unit, scope) keys."""
    found = []
    for i in range(n):
        unit, rest = divmod(i, 2 * 400)
        period, scope = divmod(rest, 2)
        found.append((f"P{period:04d}", f"000.00.{unit:05d}", bool(scope)))
    return found


def fill(db: Database, n: int) -> list[tuple[str, str, bool]]:
    stored = keys(n)
    body, at = document(), datetime(2026, 3, 3, 2, tzinfo=UTC)
    rows = [{"period_code": p, "date_from": date(2026, 1, 15), "date_to": date(2026, 2, 14),
             "unit": u, "consolidated": c, "document": body, "submitted_by": "bench",
             "submitted_at": at, "event_seq": i + 1} for i, (p, u, c) in enumerate(stored)]
    with db.engine.begin() as conn:
        for start in range(0, n, 5000):
            conn.execute(submitted_reports.insert(), rows[start:start + 5000])
        if db.dialect == "postgresql":  # as autovacuum would, before the lookups
            conn.exec_driver_sql("ANALYZE submitted_reports")
    return stored


def measure(url: str, backend: str, n: int) -> dict[str, Any]:
    db = Database(url)
    stored = fill(db, n)
    office = Office(db=db, agency_code=AGENCY)
    picks = random.Random(n).choices(stored, k=LOOKUPS)
    find_us, use_case_us = [], []
    with db.unit_of_work(readonly=True) as uow, db.statement_counter() as counted:
        for key in picks:
            started = time.perf_counter()
            assert uow.submissions.find(*key) is not None
            find_us.append((time.perf_counter() - started) * 1e6)
    for key in picks[:500]:
        started = time.perf_counter()
        assert submissions.submitted(office, None, *key) is not None
        use_case_us.append((time.perf_counter() - started) * 1e6)
    db.dispose()
    return {"benchmark": "submitted_report_open", "backend": backend, "reports": n,
            "statements_per_find": counted.statements / LOOKUPS,
            "find_median_us": round(statistics.median(find_us), 1),
            "find_p99_us": round(statistics.quantiles(find_us, n=100)[98], 1),
            "use_case_median_us": round(statistics.median(use_case_us), 1)}


TARGET = 1.5  # the use case with the most reports kept / with the fewest


def main(postgres: str | None = None) -> list[dict[str, Any]]:
    figures = []
    for n in SIZES:
        with tempfile.TemporaryDirectory() as folder:
            url = f"sqlite:///{folder}/bench.db"
            upgrade(url)
            figures += emit([measure(url, "sqlite", n)])
        if postgres:
            reset_database(postgres)
            figures += emit([measure(postgres, "postgresql", n)])
    for backend in sorted({f["backend"] for f in figures}):
        mine = [f for f in figures if f["backend"] == backend]
        ratio = round(mine[-1]["use_case_median_us"] / mine[0]["use_case_median_us"], 2)
        figures += emit([{"benchmark": "submitted_report_constant", "backend": backend,
                          "reports": [f["reports"] for f in mine], "ratio": ratio,
                          "target": TARGET, "holds": ratio <= TARGET}])
    return figures


if __name__ == "__main__":
    parser = argparse.ArgumentParser(prog="python -m bench.submitted", description=__doc__)
    parser.add_argument("--postgres", help="a PostgreSQL database the benchmark may wipe")
    main(parser.parse_args().postgres)
