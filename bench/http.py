"""HTTP throughput and latency of a step: POST /tasks/{id}/complete on an open step, one
request per step (claimed and completed together), beside GET /auth/me on the same server in
the same run, and, at one client, beside the public lookup GET /public/dossiers/{code}.
/auth/me is the trivial authenticated endpoint: the token is checked and the user read with
one indexed SELECT (users joined with memberships by the unique username), which is what
every request pays; the public lookup is the lightest read of a dossier.

The server runs as a subprocess on a free loopback port with its own database; the dossiers
are received beforehand through the engine, so the timed phase only completes steps.
"""

from __future__ import annotations

import asyncio
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from bench import emit
from bench.loadgen import Connection, Operation, Run, drive
from bench.office import ANSWER, HERE, bench_office, people, reset_database, submit
from engine.service.office import Office

HOST = "127.0.0.1"
PREFIX = "/api/v1"
TARGET_SHARE = 0.40  # one-request step ÷ /auth/me, throughput at 32 clients
TARGET_LATENCY_RATIO = 2.5  # one-request step ÷ public lookup, median at 1 client
LATENCY_ROUNDS, LATENCY_CALLS = 2, 100


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


@contextmanager
def serve(url: str, workers: int) -> Iterator[int]:
    """``motcua serve`` (run from this checkout) on a free port; yields the port."""
    with server(url, workers) as (port, _proc):
        yield port


@contextmanager
def server(url: str, workers: int) -> Iterator[tuple[int, subprocess.Popen[bytes]]]:
    """As ``serve``, and the server's process (whose tree does the work)."""
    port = _free_port()
    # The public lookup's per-address limit would stop the latency rounds, not a citizen.
    env = {**os.environ, "MOTCUA_DATABASE_URL": url, "MOTCUA_DEMO_MODE": "true",
           "MOTCUA_PUBLIC_LOOKUP_LIMIT": "1000000/minute"}
    command = [sys.executable, "-c", "from engine.cli import app; app()", "serve",
               "--host", HOST, "--port", str(port), "--workers", str(workers)]
    proc = subprocess.Popen(command, cwd=HERE.parent, env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    try:
        _wait_ready(port, proc)
        yield port, proc
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def _wait_ready(port: int, proc: subprocess.Popen[bytes], timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout

    async def ping() -> int:
        conn = Connection(HOST, port)
        try:
            return (await conn.request("GET", f"{PREFIX}/healthz"))[0]
        finally:
            await conn.close()

    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError("motcua serve exited before answering")
        try:
            if asyncio.run(ping()) == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError("motcua serve did not answer in time")


def _prepare(url: str, dossiers: int) -> tuple[list[int], list[str], Office]:
    """A database with ``dossiers`` received dossiers; returns their open items' ids and
    the dossiers' codes."""
    office = bench_office(url)
    staff = people(office)
    ids = [submit(office, staff) for _ in range(dossiers)]
    with office.db.unit_of_work(readonly=True) as uow:
        items = [i.id for d in ids for i in uow.items.active_for_dossier(d)]
        headers = uow.dossiers.headers(ids)
    return items, [str(headers[d]["code"]) for d in ids], office


async def sign_in(port: int, username: str = "reception") -> str:
    conn = Connection(HOST, port)
    status, body = await conn.request("POST", f"{PREFIX}/auth/token",
                                      form=f"username={username}&password=demo")
    await conn.close()
    if status != 200:
        raise RuntimeError(f"sign-in failed: {status} {body[:200]!r}")
    return str(json.loads(body)["access_token"])


def completer(token: str, queue: list[int]) -> Operation:
    """One step per request: the next open item of ``queue`` (popped from its end)."""
    async def complete(c: Connection, run: Run) -> bool:
        if not queue:
            return False
        item = queue.pop()
        start = time.perf_counter()
        code, _ = await c.request("POST", f"{PREFIX}/tasks/{item}/complete", token,
                                  {"data": ANSWER})
        run.latencies.append(time.perf_counter() - start)
        run.errors += code != 200
        return True
    return complete


async def _phases(port: int, items: list[int], codes: list[str], in_flight: int,
                  seconds: float) -> dict[str, Run]:
    token = await sign_in(port)
    queue = list(reversed(items))

    async def me(c: Connection, run: Run) -> bool:
        start = time.perf_counter()
        code, _ = await c.request("GET", f"{PREFIX}/auth/me", token)
        run.latencies.append(time.perf_counter() - start)
        run.errors += code != 200
        return True

    looked = iter(codes * 4)

    async def lookup(c: Connection, run: Run) -> bool:
        start = time.perf_counter()
        code, _ = await c.request("GET", f"{PREFIX}/public/dossiers/{next(looked)}")
        run.latencies.append(time.perf_counter() - start)
        run.errors += code != 200
        return True

    complete = completer(token, queue)
    # Warm every worker: the first step of a procedure version parses it once per process.
    await drive(HOST, port, me, in_flight, 400, seconds)
    await drive(HOST, port, complete, in_flight, 4 * in_flight, seconds)
    await drive(HOST, port, lookup, in_flight, 4 * in_flight, seconds)
    first = await drive(HOST, port, me, in_flight, 10**9, seconds)
    done = await drive(HOST, port, complete, in_flight, 10**9, seconds)
    second = await drive(HOST, port, me, in_flight, 10**9, seconds)
    trivial = Run(first.seconds + second.seconds, first.latencies + second.latencies,
                  first.errors + second.errors)
    # One client, nothing else in flight: the step's own latency beside the lightest read,
    # rounds interleaved so both see the same machine.
    alone, public = Run(), Run()
    for _ in range(LATENCY_ROUNDS):
        for run, operation in ((public, lookup), (alone, complete)):
            part = await drive(HOST, port, operation, 1, LATENCY_CALLS, seconds)
            run.seconds += part.seconds
            run.latencies += part.latencies
            run.errors += part.errors
    return {"me": trivial, "complete": done, "alone": alone, "public": public}


def measure_one(url: str, workers: int, in_flight: int = 32, seconds: float = 6.0,
                dossiers: int = 2500) -> dict[str, Any]:
    items, codes, office = _prepare(url, dossiers)
    office.db.dispose()
    with serve(url, workers) as port:
        runs = asyncio.run(_phases(port, items, codes, in_flight, seconds))
    me, done = runs["me"].figures(), runs["complete"].figures()
    alone, public = runs["alone"].figures(), runs["public"].figures()
    share = done["per_second"] / me["per_second"] if me["per_second"] else 0.0
    if done["operations"] >= len(items) - 4 * in_flight - LATENCY_ROUNDS * LATENCY_CALLS:
        done["note"] = "ran out of prepared items before the time limit"
    ratio = alone["p50_ms"] / public["p50_ms"] if public["p50_ms"] else 0.0
    return {"workers": workers, "in_flight": in_flight, "trivial_me": me,
            "complete_one_request": done, "complete_share_of_trivial": round(share, 3),
            "one_client": {"complete_one_request": alone, "public_lookup": public,
                           "complete_over_public_p50": round(ratio, 2),
                           "target": TARGET_LATENCY_RATIO,
                           "holds": 0 < ratio <= TARGET_LATENCY_RATIO}}


def measure(postgres_url: str | None, seconds: float = 6.0,
            dossiers: int = 2500) -> list[dict[str, Any]]:
    figures: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory() as folder:
        sqlite = measure_one(f"sqlite:///{Path(folder) / 'http.db'}", 2, seconds=seconds,
                             dossiers=dossiers)
    figures.append({"figure": "http_sqlite_2_workers", **sqlite, "target_share": TARGET_SHARE,
                    "holds": sqlite["complete_share_of_trivial"] >= TARGET_SHARE})
    if postgres_url:
        by_workers = {}
        for workers in (1, 2):
            reset_database(postgres_url)
            by_workers[workers] = measure_one(postgres_url, workers, seconds=seconds,
                                              dossiers=dossiers)
            figures.append({"figure": f"http_postgresql_{workers}_worker"
                            + ("s" if workers > 1 else ""), **by_workers[workers],
                            "target_share": TARGET_SHARE,
                            "holds": by_workers[workers]["complete_share_of_trivial"]
                            >= TARGET_SHARE})
        one = by_workers[1]["complete_one_request"]["per_second"]
        two = by_workers[2]["complete_one_request"]["per_second"]
        me_one = by_workers[1]["trivial_me"]["per_second"]
        me_two = by_workers[2]["trivial_me"]["per_second"]
        figures.append({
            "figure": "scale_out_postgresql_2_vs_1_worker",
            "complete_ratio": round(two / one, 2) if one else None,
            "trivial_ratio": round(me_two / me_one, 2) if me_one else None,
            "target": 1.7, "holds": bool(one) and two / one >= 1.7,
            "cores": os.cpu_count(),
            "note": "the load generator runs on the same cores as the server",
        })
    return figures


def main(postgres_url: str | None = None, seconds: float = 6.0) -> list[dict[str, Any]]:
    figures = measure(postgres_url or os.environ.get("MOTCUA_BENCH_POSTGRES_URL"), seconds)
    return emit(figures)


if __name__ == "__main__":
    main()
