"""Group commit on SQLite: clerks' steps (``work.complete``) from 1, 8 and 32 threads of one
process, each on dossiers of its own, with group commit off and on, for ``synchronous``
NORMAL and FULL; the two modes alternate, so each ratio on/off is taken in one run.

Every configuration gets a database of its own with the same dossiers, submitted before the
clock starts; what is timed is the steps alone (steps per second, and each step's latency).
"""

from __future__ import annotations

import statistics
import tempfile
import threading
import time
from typing import Any

from bench import emit
from bench.office import ANSWER, FIRST_WARD, START, bench_office, open_items, people, submit
from engine.calendar import WorkingCalendar
from engine.model import User
from engine.runtime.clock import ManualClock
from engine.runtime.workflows import WorkflowCache
from engine.service import work
from engine.service.office import Office
from engine.store import Database
from engine.store.db import Synchronous

CLIENTS = (1, 8, 32)
STEPS_PER_CLIENT = 20  # four dossiers of five steps each


def _office(url: str, synchronous: Synchronous, group: bool) -> Office:
    return Office(db=Database(url, synchronous=synchronous, group_commit=group),
                  agency_code=FIRST_WARD, clock=ManualClock(START),
                  calendar=WorkingCalendar.default(), workflows=WorkflowCache())


def _run(folder: str, clients: int, synchronous: Synchronous, group: bool, n: int
         ) -> dict[str, Any]:
    url = f"sqlite:///{folder}/g{clients}{synchronous}{int(group)}_{n}.db"
    setup = bench_office(url)
    staff = people(setup)
    mine = [[submit(setup, staff) for _ in range(STEPS_PER_CLIENT // 5)] for _ in range(clients)]
    setup.db.dispose()
    office = _office(url, synchronous, group)
    latencies: list[float] = []
    errors: list[BaseException] = []
    lock = threading.Lock()
    start = threading.Barrier(clients + 1)

    def clerk(dossier_ids: list[int], staff: dict[str, User]) -> None:
        start.wait()
        own: list[float] = []
        try:
            for dossier_id in dossier_ids:
                while items := open_items(office, dossier_id):
                    item = items[0]
                    t0 = time.perf_counter()
                    work.complete(office, item.id, staff[item.department_code], ANSWER)
                    own.append(time.perf_counter() - t0)
        except BaseException as exc:  # the figure counts it
            errors.append(exc)
        with lock:
            latencies.extend(own)

    threads = [threading.Thread(target=clerk, args=(ids, staff)) for ids in mine]
    for t in threads:
        t.start()
    start.wait()
    began = time.perf_counter()
    for t in threads:
        t.join()
    seconds = time.perf_counter() - began
    grouped = office.db.group
    office.db.dispose()
    latencies.sort()
    return {"steps": len(latencies), "errors": len(errors), "seconds": seconds,
            "per_second": len(latencies) / seconds,
            "p50_ms": statistics.median(latencies) * 1000,
            "p99_ms": latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))] * 1000,
            "members_per_commit": (grouped.members / grouped.groups)
            if grouped is not None and grouped.groups else 1.0}


def measure(rounds: int = 2) -> list[dict[str, Any]]:
    figures = []
    with tempfile.TemporaryDirectory() as folder:
        for synchronous in ("NORMAL", "FULL"):
            for clients in CLIENTS:
                runs: dict[bool, list[dict[str, Any]]] = {False: [], True: []}
                for n in range(rounds):
                    for group in (False, True):
                        runs[group].append(_run(folder, clients, synchronous, group, n))
                off, on = (_median(runs[False]), _median(runs[True]))
                figures.append({
                    "figure": f"group_commit_{synchronous.lower()}_{clients}",
                    "synchronous": synchronous, "clients": clients, "off": off, "on": on,
                    "throughput_on_off": round(on["per_second"] / off["per_second"], 3),
                    "p50_on_off": round(on["p50_ms"] / off["p50_ms"], 3)})
    return figures


def _median(runs: list[dict[str, Any]]) -> dict[str, Any]:
    keys = ("per_second", "p50_ms", "p99_ms", "members_per_commit")
    found: dict[str, Any] = {k: round(statistics.median(r[k] for r in runs), 2) for k in keys}
    found["errors"] = sum(r["errors"] for r in runs)
    found["steps"] = sum(r["steps"] for r in runs)
    return found


def main(rounds: int = 2) -> list[dict[str, Any]]:
    return emit(measure(rounds))


if __name__ == "__main__":
    main()
