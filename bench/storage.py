"""Storage per dossier: bytes a completed 5-step dossier of the bench procedure leaves in SQLite
(its row, work items, audit events and the chain head, with every index), measured with
SQLite's ``dbstat`` table after VACUUM, against the naive full state (definition inside)."""

from __future__ import annotations

import sqlite3
import tempfile
from collections import Counter
from typing import Any

from SpiffWorkflow.bpmn.serializer import BpmnWorkflowSerializer
from SpiffWorkflow.bpmn.workflow import BpmnWorkflow
from SpiffWorkflow.spiff.serializer.config import SPIFF_CONFIG
from SpiffWorkflow.util.task import TaskState

from bench import emit
from bench.office import (
    ANSWER,
    KEY,
    START_FORM,
    bench_office,
    finish,
    people,
    procedure_files,
    submit,
)
from engine.definitions import build_specs
from engine.runtime.state import dump_state

TARGET_BYTES = 4096
# dossier_sequences, procedures and the like do not grow with dossiers.
GROWING = ("dossiers", "work_items", "audit_events", "audit_chains")


def _pages(path: str) -> Counter[str]:
    """Bytes of pages per table or index, after a VACUUM packs them."""
    with sqlite3.connect(path) as conn:
        conn.execute("VACUUM")
        rows = conn.execute("SELECT name, tbl_name FROM sqlite_schema WHERE tbl_name IN "
                            f"({', '.join('?' for _ in GROWING)})", GROWING).fetchall()
        owner = dict(rows)
        sizes: Counter[str] = Counter()
        for name, size in conn.execute("SELECT name, sum(pgsize) FROM dbstat GROUP BY name"):
            if name in owner:
                sizes[f"{owner[name]}{'' if name == owner[name] else ' (' + name + ')'}"] = size
    return sizes


def _naive_state_bytes(open_steps: int) -> tuple[int, int]:
    """(naive full state, our state without spec) in bytes after ``open_steps`` steps."""
    files = {k: v.decode() for k, v in procedure_files().items()}
    spec, subs = build_specs(files, KEY)
    serializer = BpmnWorkflowSerializer(BpmnWorkflowSerializer.configure(SPIFF_CONFIG))
    wf = BpmnWorkflow(spec, subs)
    wf.get_tasks(state=TaskState.READY)[0].data.update({**START_FORM, "channel": "direct"})
    wf.do_engine_steps()
    for _ in range(open_steps):
        task = wf.get_tasks(state=TaskState.READY, manual=True)[0]
        task.set_data(**ANSWER)
        task.run()
        wf.do_engine_steps()
    return len(serializer.serialize_json(wf).encode()), len(dump_state(wf).encode())


def measure(dossiers: int = 2000) -> list[dict[str, Any]]:
    with tempfile.TemporaryDirectory() as folder:
        path = f"{folder}/storage.db"
        office = bench_office(f"sqlite:///{path}")
        staff = people(office)
        office.db.dispose()
        before = _pages(path)
        office = bench_office(f"sqlite:///{path}", migrate=False)
        for _ in range(dossiers):
            finish(office, staff, submit(office, staff))
        office.db.dispose()
        after = _pages(path)
    grown = {name: (after[name] - before.get(name, 0)) / dossiers for name in after}
    total = sum(grown.values())
    naive, ours = _naive_state_bytes(4)
    return [
        {"figure": "bytes_per_completed_dossier", "value": round(total),
         "target": TARGET_BYTES, "holds": total <= TARGET_BYTES,
         "breakdown": {k: round(v) for k, v in sorted(grown.items(), key=lambda x: -x[1])},
         "note": f"SQLite pages (data and indexes) per completed 5-step dossier, {dossiers} "
                 "dossiers, after VACUUM; the state is dropped when a dossier finishes"},
        {"figure": "state_bytes_open_dossier", "value": ours, "naive_full_state": naive,
         "ratio_to_naive": round(ours / naive, 3),
         "note": "an open dossier at its last step: the stored task tree against the naive "
                 "serialization with the spec inside"},
    ]


def measure_postgres(url: str, dossiers: int = 1000) -> dict[str, Any]:
    """Bytes per completed dossier on PostgreSQL (heap, TOAST and each index, after VACUUM
    FULL), with rows per dossier and bytes per row of the tables that grow: what sizing an
    installation starts from (operations.md). The database is wiped."""
    import sqlalchemy as sa

    from bench.office import reset_database

    reset_database(url)
    office = bench_office(url)
    staff = people(office)
    for _ in range(dossiers):
        finish(office, staff, submit(office, staff))
    office.db.dispose()
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    tables: dict[str, Any] = {}
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        for table in GROWING:
            conn.execute(sa.text(f"VACUUM FULL ANALYZE {table}"))
            rows = conn.execute(sa.text(f"SELECT count(*) FROM {table}")).scalar_one()
            heap = conn.execute(sa.text(
                "SELECT pg_table_size(CAST(:t AS regclass))"), {"t": table}).scalar_one()
            indexes: dict[str, int] = dict(conn.execute(sa.text(
                "SELECT indexrelid::regclass::text, pg_relation_size(indexrelid) "
                "FROM pg_index WHERE indrelid = CAST(:t AS regclass)"), {"t": table}).all())
            tables[table] = {
                "rows_per_dossier": round(rows / dossiers, 2),
                "bytes_per_row": round(heap / rows) if rows else 0,
                "index_bytes_per_row": {k: round(v / rows) for k, v in indexes.items()}
                if rows else {},
                "bytes_per_dossier": round((heap + sum(indexes.values())) / dossiers)}
    engine.dispose()
    total = sum(t["bytes_per_dossier"] for t in tables.values())
    return {"figure": "bytes_per_completed_dossier_postgresql", "value": total,
            "tables": tables,
            "note": f"PostgreSQL heap and indexes per completed 5-step dossier, {dossiers} "
                    "dossiers, after VACUUM FULL (a live table carries some free space too)"}


def main(dossiers: int = 2000, postgres_url: str | None = None) -> list[dict[str, Any]]:
    figures = measure(dossiers)
    if postgres_url:
        figures.append(measure_postgres(postgres_url, dossiers))
    return emit(figures)


if __name__ == "__main__":
    main()
