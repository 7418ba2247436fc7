"""Flat at scale, and reports: the department queue, a dossier by code and its timeline, and
the dossier list searched by an applicant's name (typed without accents) and by an ID number
(the search index), with a small and a big history in the database (SQLite, and PostgreSQL
when given), and form 06 for a year against one hand-written GROUP BY over the same tables.

The database is filled by ``bench.loader`` (the engine's own history, then copies of its
finished dossiers); the latencies are those of the use cases the endpoints call
(``queries.task_page``, ``queries.dossier_detail``, ``queries.timeline``), in process, so HTTP
overhead does not hide a slower query.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import sqlalchemy as sa

from bench import emit, loader
from bench.office import reset_database
from engine.model import User
from engine.service import queries
from engine.service.office import Office
from engine.service.reporting import statistics as form06
from engine.store import bulk
from engine.store.tables import UTCDateTime

CALLS = 150
TARGET_FLAT = 1.5
TARGET_REPORT = 2.0
BASELINE_SQL = """
SELECT d.field, count(*) AS dossiers,
       sum(CASE WHEN d.channel = 'online' THEN 1 ELSE 0 END) AS online,
       sum(CASE WHEN d.status = 'resolved' AND d.timeliness = 'late' THEN 1 ELSE 0 END) AS late,
       sum(CASE WHEN d.status = 'refused' THEN 1 ELSE 0 END) AS refused,
       sum(CASE WHEN d.resolved_at IS NULL OR d.resolved_at >= :end THEN 1 ELSE 0 END) AS open
FROM dossiers d
WHERE d.received_at < :end AND (d.resolved_at IS NULL OR d.resolved_at >= :start)
GROUP BY d.field ORDER BY d.field
"""
# The times bound as the engine stores them (integers on SQLite, timestamptz on PostgreSQL).
BASELINE = sa.text(BASELINE_SQL).bindparams(sa.bindparam("start", type_=UTCDateTime),
                                            sa.bindparam("end", type_=UTCDateTime))


def _timed(fn: Callable[[], Any], calls: int) -> list[float]:
    out = []
    for _ in range(calls):
        start = time.perf_counter()
        fn()
        out.append(time.perf_counter() - start)
    return out


def _latencies(office: Office, reception: User, leader: User) -> dict[str, dict[str, float]]:
    with office.db.unit_of_work(readonly=True) as uow:
        codes = [r[0] for r in bulk.query(
            uow.conn, "SELECT code FROM dossiers ORDER BY random() LIMIT :n", {"n": CALLS})]
        people = bulk.query(uow.conn, "SELECT names, id_number FROM dossier_search "
                            "WHERE id_number IS NOT NULL ORDER BY random() LIMIT :n",
                            {"n": CALLS})
    picks = iter(codes * 3)
    # The applicant's full name typed without accents (the first three of the dossier's
    # names: the loader's applicants have three words), and the ID number (the search box).
    names = iter([" ".join(p[0].split()[:3]) for p in people] * 2)
    id_numbers = iter([p[1] for p in people] * 2)
    measured = {
        "department_queue": _timed(lambda: queries.task_page(office, reception,
                                                             scope="department"), CALLS),
        "dossier_by_code": _timed(lambda: queries.dossier_detail(office, leader, next(picks)),
                                  CALLS),
        "timeline": _timed(lambda: queries.timeline(office, leader, next(picks)), CALLS),
        "search_by_name": _timed(lambda: queries.dossier_page(office, leader, q=next(names)),
                                 CALLS),
        "search_by_id": _timed(lambda: queries.dossier_page(office, leader,
                                                            q=next(id_numbers)), CALLS),
    }
    return {name: {"p50_ms": round(statistics.median(v) * 1000, 3),
                   "p90_ms": round(statistics.quantiles(v, n=10)[8] * 1000, 3)}
            for name, v in measured.items()}


def _reports(office: Office) -> dict[str, Any]:
    date_to = loader.UNTIL.date()
    date_from = date_to - timedelta(days=364)
    report_s = min(_timed(lambda: form06(office, date_from, date_to, "field"), 3))
    report = form06(office, date_from, date_to, "field")
    start, end = report.period.start, report.period.end
    with office.db.unit_of_work(readonly=True) as uow:
        params = {"start": start, "end": end}
        baseline_s = min(_timed(lambda: uow.conn.execute(BASELINE, params).all(), 3))
        counted = sum(r[1] for r in uow.conn.execute(BASELINE, params))
    ratio = report_s / baseline_s
    return {"form06_year_s": round(report_s, 3), "group_by_sql_s": round(baseline_s, 3),
            "ratio": round(ratio, 2), "target": TARGET_REPORT, "holds": ratio <= TARGET_REPORT,
            "dossiers_in_scope": counted, "form06_received": report.total.received}


def measure(url: str, sizes: list[int], progress: Callable[[str], None] | None = None
            ) -> dict[str, Any]:
    say = progress or (lambda _msg: None)
    say(f"sample history on {url.split(':')[0]}")
    office = loader.make_sample(url)
    sample = loader.read_sample(office)
    with office.db.unit_of_work(readonly=True) as uow:
        reception, leader = uow.org.user("reception"), uow.org.user("leader")
    assert reception is not None and leader is not None
    points: list[dict[str, Any]] = []
    report: dict[str, Any] = {}
    for size in sizes:
        start = time.perf_counter()
        held = loader.grow(office, sample, size)
        say(f"{held} dossiers loaded in {time.perf_counter() - start:.0f} s")
        _latencies(office, reception, leader)  # warm the caches at this size
        points.append({"dossiers": held, **_latencies(office, reception, leader)})
        if size == sizes[-1]:
            report = _reports(office)
    office.db.dispose()
    small, big = points[0], points[-1]
    flat = {name: round(big[name]["p50_ms"] / small[name]["p50_ms"], 2)
            for name in ("department_queue", "dossier_by_code", "timeline", "search_by_name",
                         "search_by_id")}
    return {"sample_dossiers": sample.total, "points": points, "ratio_big_to_small": flat,
            "target": TARGET_FLAT, "holds": all(v <= TARGET_FLAT for v in flat.values()),
            "reports": report}


def main(sizes: list[int] | None = None, postgres_url: str | None = None
         ) -> list[dict[str, Any]]:
    sizes = sizes or [10_000, 25_000, 50_000]
    figures = []
    with tempfile.TemporaryDirectory() as folder:
        found = measure(f"sqlite:///{folder}/scale.db", sizes)
    figures.append({"figure": "scale_sqlite", **{k: v for k, v in found.items()
                                                  if k != "reports"}})
    figures.append({"figure": "form06_year_sqlite", "dossiers": found["points"][-1]["dossiers"],
                    **found["reports"]})
    if postgres_url:
        reset_database(postgres_url)
        found = measure(postgres_url, sizes)
        figures.append({"figure": "scale_postgresql", **{k: v for k, v in found.items()
                                                          if k != "reports"}})
        figures.append({"figure": "form06_year_postgresql",
                        "dossiers": found["points"][-1]["dossiers"], **found["reports"]})
    return emit(figures)


if __name__ == "__main__":
    main([2000, 5000])
