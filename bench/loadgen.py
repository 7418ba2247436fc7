"""A small HTTP/1.1 load generator on asyncio streams: keep-alive connections, a fixed number
of requests in flight, latencies per request. Loopback only; every loop is bounded by a
request count and a time limit.

It is written on bare streams rather than an HTTP client library because client and server
share the machine's two cores: the cheaper the client, the more the figure is the server's.
"""

from __future__ import annotations

import asyncio
import json
import re
import statistics
import time
from collections.abc import Awaitable, Callable
from contextlib import suppress
from dataclasses import dataclass, field
from typing import Any

LOOPBACK = ("127.0.0.1", "localhost", "::1")
_LENGTH = re.compile(rb"\r\ncontent-length:[ \t]*(\d+)", re.IGNORECASE)


class Connection:
    """One keep-alive connection to a loopback server."""

    def __init__(self, host: str, port: int) -> None:
        if host not in LOOPBACK:
            raise ValueError("the load generator only talks to this machine")
        self.host, self.port = host, port
        self._reader: asyncio.StreamReader | None = None
        self._writer: asyncio.StreamWriter | None = None

    async def request(self, method: str, path: str, token: str | None = None,
                      body: dict[str, Any] | None = None,
                      form: str | None = None) -> tuple[int, bytes]:
        if self._writer is None:
            self._reader, self._writer = await asyncio.open_connection(self.host, self.port)
        assert self._reader is not None
        payload = b""
        head = [f"{method} {path} HTTP/1.1", f"Host: {self.host}:{self.port}"]
        if token:
            head.append(f"Authorization: Bearer {token}")
        if body is not None:
            payload = json.dumps(body).encode()
            head.append("Content-Type: application/json")
        elif form is not None:
            payload = form.encode()
            head.append("Content-Type: application/x-www-form-urlencoded")
        head.append(f"Content-Length: {len(payload)}")
        self._writer.write(("\r\n".join(head) + "\r\n\r\n").encode() + payload)
        # The head in one read: the client shares the cores with the server it measures.
        response = await self._reader.readuntil(b"\r\n\r\n")
        found = _LENGTH.search(response)
        length = int(found.group(1)) if found else 0
        content = await self._reader.readexactly(length) if length else b""
        return int(response.split(None, 2)[1]), content

    async def close(self) -> None:
        if self._writer is not None:
            self._writer.close()
            with suppress(ConnectionError):
                await self._writer.wait_closed()
            self._writer = None


@dataclass
class Run:
    """What a load phase measured: one latency per operation, in seconds."""

    seconds: float = 0.0
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    extra: dict[str, list[float]] = field(default_factory=dict)

    def figures(self) -> dict[str, Any]:
        lat = sorted(self.latencies)
        out: dict[str, Any] = {
            "operations": len(lat), "errors": self.errors, "seconds": round(self.seconds, 2),
            "per_second": round(len(lat) / self.seconds, 1) if self.seconds else 0.0,
            "p50_ms": round(_pct(lat, 50) * 1000, 2), "p99_ms": round(_pct(lat, 99) * 1000, 2),
        }
        for name, values in self.extra.items():
            values = sorted(values)
            out[f"{name}_p50_ms"] = round(_pct(values, 50) * 1000, 2)
            out[f"{name}_p99_ms"] = round(_pct(values, 99) * 1000, 2)
        return out


def _pct(values: list[float], pct: float) -> float:
    if not values:
        return 0.0
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[int(pct) - 1]


Operation = Callable[[Connection, Run], Awaitable[bool]]


async def drive(host: str, port: int, operation: Operation, in_flight: int,
                max_operations: int, max_seconds: float) -> Run:
    """Run ``operation`` on ``in_flight`` connections at once until ``max_operations`` are
    done or ``max_seconds`` have passed. An operation returns False when it has no more work."""
    run = Run()
    budget = max_operations
    deadline = time.perf_counter() + max_seconds

    async def worker() -> None:
        nonlocal budget
        conn = Connection(host, port)
        try:
            while budget > 0 and time.perf_counter() < deadline:
                budget -= 1
                if not await operation(conn, run):
                    return
        finally:
            await conn.close()

    start = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(in_flight)))
    run.seconds = time.perf_counter() - start
    return run


async def drive_at_rate(host: str, port: int, operation: Operation, rate: float,
                        max_seconds: float, connections: int = 16) -> Run:
    """Offer ``rate`` operations a second for ``max_seconds`` (an open loop: each operation
    has its start slot, whatever the answers before it took), on up to ``connections``
    connections at once. When the server falls behind, operations start late rather than
    being dropped; ``late`` in the run's extra holds how late each started, in seconds."""
    run = Run()
    slot = 0
    start = time.perf_counter()
    late = run.extra.setdefault("late", [])

    async def worker() -> None:
        nonlocal slot
        conn = Connection(host, port)
        try:
            while True:
                at = start + slot / rate
                if at - start >= max_seconds:
                    return
                slot += 1
                wait = at - time.perf_counter()
                if wait > 0:
                    await asyncio.sleep(wait)
                late.append(max(0.0, -wait))
                if not await operation(conn, run):
                    return
        finally:
            await conn.close()

    await asyncio.gather(*(worker() for _ in range(connections)))
    run.seconds = time.perf_counter() - start
    return run
