"""The step's statements three ways: through SQLAlchemy Core, prepared on the driver's cursor
(``engine.store.prepared``, what the engine runs) and as bare driver calls with the SQL and
parameters ready (the floor); then ``work.complete`` with the statements through Core and
prepared, interleaved in one run.

The statements are timed without writing anything: the read of a step's item with its
dossier, and the two compare-and-set updates of a step (the item's, the dossier's) with a
condition that matches no row, so what is measured is each statement's own overhead, not
the database's writes.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from collections.abc import Callable
from typing import Any

from bench import emit
from bench.office import ANSWER, bench_office, open_items, people, reset_database, submit
from engine.model import User
from engine.service import work
from engine.service.office import Office
from engine.store import UnitOfWork, prepared
from engine.store.dossiers import _save
from engine.store.work_items import _WITH_DOSSIER, _transition

REPEAT = 2000


def _timed(fn: Callable[[], Any], repeat: int = REPEAT) -> float:
    start = time.perf_counter()
    for _ in range(repeat):
        fn()
    return (time.perf_counter() - start) / repeat * 1e6


def _statements(uow: UnitOfWork, item_id: int, dossier_id: int
                ) -> dict[str, tuple[prepared.Prepared, dict[str, Any]]]:
    cas_item = _transition(("__none__",), False, ("status",))
    cas_dossier = _save(("next_timer_at",), None)
    return {
        "item_with_dossier": (_WITH_DOSSIER, {"item_id": item_id}),
        "item_compare_and_set": (cas_item, {"item_id": item_id, "new_status": "open"}),
        "dossier_compare_and_set": (cas_dossier, {"dossier_id": dossier_id, "expected_rev": -1,
                                                  "new_rev": 0, "new_next_timer_at": None}),
    }


def _driver(uow: UnitOfWork, statement: prepared.Prepared, params: dict[str, Any]
            ) -> Callable[[], Any]:
    compiled = statement._compiled(uow.conn.dialect)
    sql, args = compiled.sql, compiled.arguments(params)
    driver = uow.conn.connection.driver_connection
    assert driver is not None

    def run() -> Any:
        cursor = driver.cursor()
        cursor.execute(sql, args)
        found = cursor.fetchone() if cursor.description else cursor.rowcount
        cursor.close()
        return found

    return run


def _per_statement(office: Office, item_id: int, dossier_id: int) -> list[dict[str, Any]]:
    figures = []
    with office.db.unit_of_work() as uow:
        for name, (statement, params) in _statements(uow, item_id, dossier_id).items():
            reads = name == "item_with_dossier"

            def fast(s: prepared.Prepared = statement, p: dict[str, Any] = params,
                     reads: bool = reads) -> Any:
                return s.first(uow.conn, p) if reads else s.rowcount(uow.conn, p)

            def core(s: prepared.Prepared = statement, p: dict[str, Any] = params,
                     reads: bool = reads) -> Any:
                prepared.through_core(True)
                try:
                    return fast(s, p, reads)
                finally:
                    prepared.through_core(False)

            raw = _driver(uow, statement, params)
            for fn in (core, fast, raw):  # warm up
                _timed(fn, 200)
            rounds = [(_timed(core), _timed(fast), _timed(raw)) for _ in range(3)]
            c, f, r = (statistics.median(x[i] for x in rounds) for i in range(3))
            figures.append({"statement": name, "core_us": round(c, 1),
                            "prepared_us": round(f, 1), "driver_us": round(r, 1),
                            "overhead_core_us": round(c - r, 1),
                            "overhead_prepared_us": round(f - r, 1)})
    return figures


def _dossier_steps(office: Office, staff: dict[str, User], core: bool) -> float:
    prepared.through_core(core)
    try:
        dossier_id = submit(office, staff)
        spent = 0.0
        while items := open_items(office, dossier_id):
            item = items[0]
            t0 = time.perf_counter()
            work.complete(office, item.id, staff[item.department_code], ANSWER)
            spent += time.perf_counter() - t0
        return spent
    finally:
        prepared.through_core(False)


def _measure(url: str, backend: str, runs: int) -> list[dict[str, Any]]:
    office = bench_office(url)
    staff = people(office)
    dossier_id = submit(office, staff)
    item = open_items(office, dossier_id)[0]
    statements = _per_statement(office, item.id, dossier_id)
    for _ in range(3):
        _dossier_steps(office, staff, True)
        _dossier_steps(office, staff, False)
    core: list[float] = []
    fast: list[float] = []
    for _ in range(runs):
        core.append(_dossier_steps(office, staff, True))
        fast.append(_dossier_steps(office, staff, False))
    office.db.dispose()
    steps = 5
    core_ms = statistics.median(core) / steps * 1000
    fast_ms = statistics.median(fast) / steps * 1000
    return [
        {"figure": f"statements_{backend}", "statements": statements,
         "note": "µs per execute, one transaction, no row written"},
        {"figure": f"statements_step_complete_{backend}", "through_core_ms": round(core_ms, 3),
         "prepared_ms": round(fast_ms, 3), "ratio": round(fast_ms / core_ms, 3),
         "note": "work.complete per step (warm), the step's statements through Core vs "
                 "prepared, interleaved"},
    ]


def main(postgres: str | None = None, runs: int = 30) -> list[dict[str, Any]]:
    figures = []
    with tempfile.TemporaryDirectory() as folder:
        figures += _measure(f"sqlite:///{folder}/statements.db", "sqlite", runs)
    if postgres:
        reset_database(postgres)
        figures += _measure(postgres, "postgresql", runs)
    return emit(figures)


if __name__ == "__main__":
    main()
