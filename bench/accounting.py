"""Scale-out shown by accounting, on PostgreSQL: 1, 2 and 4 API processes under the same
offered load (a fixed rate of one-request steps), and what each completed step cost the
server in CPU: the API processes (``motcua serve`` and its workers) and the PostgreSQL
backends of the benchmark's database, utime + stime from ``/proc/<pid>/stat``.

Two shared cores cannot show throughput doubling; what shows that more processes scale is
that a step costs the same CPU however many processes share the work (no process waits on
another, nothing is done twice), and that PostgreSQL never makes one step wait for another's
row. So during each run ``pg_locks`` (locks not granted) and ``pg_stat_activity`` (what the
active backends wait on) are sampled. The throughput ratio is reported beside the CPU ratio
as measured: at a fixed rate below what one process serves, it should be about 1.

The PostgreSQL server must run on this machine for its backends' CPU to be read (it is
reported as missing otherwise); its shared background processes (WAL writer, checkpointer)
serve every database of the server and are left out.
"""

from __future__ import annotations

import asyncio
import os
import threading
import time
from collections import Counter
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from bench import emit
from bench.http import HOST, completer, server, sign_in
from bench.http import _prepare as prepare
from bench.loadgen import Run, _pct, drive, drive_at_rate
from bench.office import reset_database

TICKS = os.sysconf("SC_CLK_TCK")
WORKERS = (1, 2, 4)
TARGET = 1.15  # CPU per step, 4 processes ÷ 1 process
ROW_LOCKS = ("tuple", "transactionid")  # a wait on these is a wait on another's row


def cpu_seconds(pid: int) -> float | None:
    """utime + stime of a process, in seconds (None: gone, or not on this machine)."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = text[text.rindex(")") + 2:].split()  # the name may hold spaces and parentheses
    return (int(fields[11]) + int(fields[12])) / TICKS


def process_tree(root: int) -> list[int]:
    """``root`` and every process below it."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            text = (entry / "stat").read_text()
        except OSError:
            continue
        parent = int(text[text.rindex(")") + 2:].split()[1])
        children.setdefault(parent, []).append(int(entry.name))
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo.extend(children.get(pid, []))
    return found


class Sampler(threading.Thread):
    """Samples the benchmark database's backends while a run goes on: the locks they wait
    for, what the active ones wait on, and each backend's CPU when last seen (a backend that
    ends during the run still counts up to then)."""

    def __init__(self, url: str, every: float = 0.1) -> None:
        super().__init__(daemon=True)
        self.engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
        self.every = every
        self.stop = threading.Event()
        self.samples = 0
        self.lock_waits: Counter[str] = Counter()
        self.wait_events: Counter[str] = Counter()
        self.active = 0
        self.first: dict[int, float] = {}
        self.last: dict[int, float] = {}

    def _backends(self, conn: sa.Connection) -> list[int]:
        return [int(r[0]) for r in conn.execute(sa.text(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
            "AND pid <> pg_backend_pid() AND backend_type = 'client backend'"))]

    def _cpu(self, pids: list[int], baseline: bool) -> None:
        for pid in pids:
            used = cpu_seconds(pid)
            if used is None:  # ended since the query, or the server is on another machine
                continue
            if baseline:
                self.first[pid] = used
            self.first.setdefault(pid, 0.0)  # a backend started during the run
            self.last[pid] = used

    def baseline(self) -> None:
        with self.engine.connect() as conn:
            self._cpu(self._backends(conn), baseline=True)

    def run(self) -> None:
        with self.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            while not self.stop.is_set():
                self.samples += 1
                for kind, mode, relation in conn.execute(sa.text(
                        "SELECT l.locktype, l.mode, coalesce(l.relation::regclass::text, '') "
                        "FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid "
                        "WHERE NOT l.granted AND a.datname = current_database()")):
                    self.lock_waits[f"{kind} {mode} {relation}".strip()] += 1
                for event_type, event in conn.execute(sa.text(
                        "SELECT wait_event_type, wait_event FROM pg_stat_activity "
                        "WHERE datname = current_database() AND state = 'active' "
                        "AND pid <> pg_backend_pid()")):
                    self.active += 1
                    if event_type is not None:
                        self.wait_events[f"{event_type}:{event}"] += 1
                self._cpu(self._backends(conn), baseline=False)
                self.stop.wait(self.every)
        self.engine.dispose()

    def finish(self) -> None:
        self.stop.set()
        self.join()

    @property
    def missing(self) -> bool:
        """No backend's /proc entry could be read: the server runs on another machine."""
        return not self.last

    @property
    def cpu(self) -> float:
        return sum(self.last[p] - self.first[p] for p in self.last)

    def figures(self) -> dict[str, Any]:
        rows = sum(n for key, n in self.lock_waits.items() if key.split()[0] in ROW_LOCKS)
        return {"samples": self.samples, "active_backend_samples": self.active,
                "lock_waits": dict(self.lock_waits.most_common()),
                "row_lock_waits": rows,
                "wait_events": dict(self.wait_events.most_common(8)),
                "backends": len(self.last)}


async def _warm(port: int, token: str, queue: list[int], workers: int, rate: float,
                seconds: float) -> None:
    """Every worker parses the procedure, then the load it will meet for a while, so that
    its connections (and the backends' prepared statements) are those the rate needs."""
    await drive(HOST, port, completer(token, queue), 4 * workers, 8 * workers, 30.0)
    await drive_at_rate(HOST, port, completer(token, queue), rate, seconds)


def _needed(workers: int, rate: float, seconds: float, warm: float) -> int:
    return int(rate * (seconds + warm) * 1.05) + 8 * workers + 10


def measure_one(url: str, workers: int, rate: float, seconds: float, warm: float,
                items: list[int]) -> dict[str, Any]:
    """One run on a database prepared beforehand; takes its open items from ``items``."""
    queue = list(reversed(items[-_needed(workers, rate, seconds, warm):]))
    del items[-len(queue):]
    with server(url, workers) as (port, proc):
        token = asyncio.run(sign_in(port))
        asyncio.run(_warm(port, token, queue, workers, rate, warm))
        pids = process_tree(proc.pid)
        api_before = {p: cpu_seconds(p) for p in pids}
        sampler = Sampler(url)
        sampler.baseline()
        sampler.start()
        run: Run = asyncio.run(drive_at_rate(HOST, port, completer(token, queue), rate,
                                             seconds))
        sampler.finish()
        api_after = {p: cpu_seconds(p) for p in pids}
    api = sum((api_after[p] or 0.0) - (api_before[p] or 0.0) for p in pids
              if api_before[p] is not None)
    figures = run.figures()
    steps = figures["operations"] - figures["errors"]
    late = sorted(run.extra.get("late", []))
    return {
        "workers": workers, "offered_per_second": rate, "steps": steps,
        "errors": figures["errors"], "seconds": figures["seconds"],
        "per_second": figures["per_second"],
        "p50_ms": figures["p50_ms"], "p99_ms": figures["p99_ms"],
        "late_start_p99_ms": round(_pct(late, 99) * 1000, 1),
        "api_processes": len(pids), "api_cpu_s": round(api, 2),
        "postgres_cpu_s": round(sampler.cpu, 2) if not sampler.missing else None,
        "cpu_ms_per_step": round((api + sampler.cpu) / steps * 1000, 2) if steps else 0.0,
        "postgres": sampler.figures(), "left_items": len(queue),
    }


def _combined(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """The runs of one process count together: CPU and steps summed, waits summed."""
    steps = sum(r["steps"] for r in runs)
    cpu = sum(r["api_cpu_s"] + (r["postgres_cpu_s"] or 0.0) for r in runs)
    return {"workers": runs[0]["workers"], "runs": len(runs), "steps": steps,
            "per_second": round(steps / sum(r["seconds"] for r in runs), 1),
            "api_cpu_s": round(sum(r["api_cpu_s"] for r in runs), 2),
            "postgres_cpu_s": round(sum(r["postgres_cpu_s"] or 0.0 for r in runs), 2),
            "cpu_ms_per_step_all_runs": round(cpu / steps * 1000, 2) if steps else 0.0,
            # The machine's other load only adds to a run's cost: the quietest run is the
            # closest to the step's own.
            "cpu_ms_per_step": min(r["cpu_ms_per_step"] for r in runs),
            "cpu_ms_per_step_by_run": [r["cpu_ms_per_step"] for r in runs],
            "row_lock_waits": sum(r["postgres"]["row_lock_waits"] for r in runs),
            "lock_waits": sum(sum(r["postgres"]["lock_waits"].values()) for r in runs),
            "p50_ms": max(r["p50_ms"] for r in runs), "p99_ms": max(r["p99_ms"] for r in runs),
            "postgres_backends": max(r["postgres"]["backends"] for r in runs),
            "api_processes": runs[0]["api_processes"],
            "postgres_cpu_counted": all(r["postgres_cpu_s"] is not None for r in runs)}


def measure(url: str, rate: float = 40.0, seconds: float = 10.0, warm: float = 4.0,
            rounds: int = 2) -> list[dict[str, Any]]:
    """Each process count ``rounds`` times, in the order 1 2 4 4 2 1 …, so that a change
    in the shared machine's other load falls on every count alike."""
    order = [w for r in range(rounds) for w in (WORKERS if r % 2 == 0 else WORKERS[::-1])]
    reset_database(url)
    items, _codes, office = prepare(url, sum(_needed(w, rate, seconds, warm) for w in order))
    office.db.dispose()
    done: dict[int, list[dict[str, Any]]] = {w: [] for w in WORKERS}
    for w in order:
        done[w].append(measure_one(url, w, rate, seconds, warm, items))
    runs = {w: _combined(r) for w, r in done.items()}
    one = runs[1]
    figures: list[dict[str, Any]] = [{"figure": f"accounting_postgresql_{w}_process"
                                      + ("es" if w > 1 else ""), **r,
                                      "each_run": done[w]}
                                     for w, r in runs.items()]

    def ratio(key: str, w: int) -> float | None:
        return round(runs[w][key] / one[key], 3) if one[key] else None

    cpu4, cpu2 = ratio("cpu_ms_per_step", 4), ratio("cpu_ms_per_step", 2)
    all4 = ratio("cpu_ms_per_step_all_runs", 4)
    waits = sum(r["row_lock_waits"] for r in runs.values())
    figures.append({
        "figure": "accounting_postgresql_cpu_per_step",
        "cpu_per_step_4_over_1": cpu4, "cpu_per_step_2_over_1": cpu2,
        "cpu_per_step_4_over_1_all_runs": all4,
        "throughput_4_over_1": ratio("per_second", 4),
        "throughput_2_over_1": ratio("per_second", 2),
        "row_lock_waits": waits, "target": TARGET,
        "holds": cpu4 is not None and cpu4 <= TARGET and waits == 0,
        "postgres_cpu_counted": all(r["postgres_cpu_counted"] for r in runs.values()),
        "offered_per_second": rate, "seconds_per_run": seconds, "rounds": rounds,
        "cores": os.cpu_count(),
        "note": "same fixed offered rate in each run; server CPU = API processes + the "
                "benchmark database's PostgreSQL backends; per process count the quietest "
                "of its runs (all runs together beside it)",
    })
    return figures


def main(postgres_url: str | None = None, full: bool = False) -> list[dict[str, Any]]:
    url = postgres_url or os.environ.get("MOTCUA_BENCH_POSTGRES_URL")
    if not url:
        return emit([{"figure": "accounting_postgresql_cpu_per_step",
                      "skipped": "needs --postgres (a database the benchmark may wipe)"}])
    started = time.perf_counter()
    figures = measure(url, seconds=30.0 if full else 10.0, rounds=3 if full else 2)
    figures[-1]["seconds"] = round(time.perf_counter() - started)
    return emit(figures)


if __name__ == "__main__":
    main()
