"""Durable step cost: the same procedure run in memory, with the naive full round trip per
step, and through the engine's use cases on SQLite (audit events and work items included).

Figures are per user step, and compared within one run (ratios), because machines are noisy.
"""

from __future__ import annotations

import json
import os
import statistics
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from SpiffWorkflow.bpmn.serializer import BpmnWorkflowSerializer
from SpiffWorkflow.bpmn.workflow import BpmnWorkflow
from SpiffWorkflow.spiff.serializer.config import SPIFF_CONFIG
from SpiffWorkflow.util.task import TaskState

from engine.calendar import WorkingCalendar
from engine.definitions import build_specs
from engine.runtime.clock import ManualClock
from engine.service import deploy, dossiers, work
from engine.service.demo import seed
from engine.service.office import Office
from engine.store import Database
from engine.store.migrate import upgrade

ROOT = Path(__file__).resolve().parent.parent
KEY = "chung_thuc_ban_sao"
FORM = {"pages": 5, "copies": 1, "ten_giay_to": "Bằng tốt nghiệp"}
ANSWERS = {
    "Task_KiemTraHoSo": ("reception", {"ket_qua_kiem_tra": "hop_le"}),
    "Task_XuLy": ("justice", {"ket_qua_xu_ly": "dat"}),
    "Task_KyChungThuc": ("leader", {"y_kien_lanh_dao": "dong_y"}),
    "Task_TraKetQua": ("reception", {"hinh_thuc_tra": "truc_tiep"}),
}


def _files() -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in (ROOT / "processes").rglob("*")
            if p.suffix in (".bpmn", ".dmn", ".json")}


def _run_memory(spec: Any, subs: Any, serializer: BpmnWorkflowSerializer | None) -> int:
    wf = BpmnWorkflow(spec, subs)
    wf.get_tasks(state=TaskState.READY)[0].data.update({**FORM, "channel": "direct"})
    wf.do_engine_steps()
    steps = 0
    while not wf.completed:
        if serializer is not None:
            wf = serializer.deserialize_json(serializer.serialize_json(wf))
        task = wf.get_tasks(state=TaskState.READY, manual=True)[0]
        task.set_data(**ANSWERS[task.task_spec.bpmn_id][1])
        task.run()
        wf.do_engine_steps()
        steps += 1
    return steps


def _per_step(fn: Any, runs: int) -> float:
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        steps = fn()
        samples.append((time.perf_counter() - start) / steps)
    return statistics.median(samples) * 1000


def _engine_office(folder: str) -> Office:
    url = f"sqlite:///{folder}/bench.db"
    upgrade(url)
    office = Office(db=Database(url), agency_code="000.00.20.H26",
                    clock=ManualClock(datetime(2026, 3, 3, 2, 0, tzinfo=UTC)),
                    calendar=WorkingCalendar.default())
    seed(office)
    deploy.deploy(office, _files(), "bench")
    return office


def _run_engine(office: Office, users: dict[str, Any]) -> int:
    receipt = dossiers.submit(office, KEY, {"name": "Nguyễn Văn A"}, "direct", FORM,
                              users["reception"])
    steps = 0
    while True:
        with office.db.unit_of_work(readonly=True) as uow:
            items = uow.items.active_for_dossier(receipt.dossier_id)
        if not items:
            return steps
        item = items[0]
        who, data = ANSWERS[item.step_id]
        work.claim(office, item.id, users[who])
        work.complete(office, item.id, users[who], data)
        steps += 1


def main(runs: int = 30) -> list[dict[str, Any]]:
    files = {k: v.decode() for k, v in _files().items()}
    spec, subs = build_specs(files, KEY)
    serializer = BpmnWorkflowSerializer(BpmnWorkflowSerializer.configure(SPIFF_CONFIG))
    memory = _per_step(lambda: _run_memory(spec, subs, None), runs)
    naive = _per_step(lambda: _run_memory(spec, subs, serializer), runs)
    with tempfile.TemporaryDirectory() as folder:
        office = _engine_office(folder)
        with office.db.unit_of_work(readonly=True) as uow:
            users = {u: uow.org.user(u) for u in ("reception", "justice", "leader")}
        _run_engine(office, users)  # warm the caches
        engine = _per_step(lambda: _run_engine(office, users), runs)
        size = os.path.getsize(f"{folder}/bench.db")
    figures = [
        {"figure": "step_cost_memory_ms", "value": round(memory, 3)},
        {"figure": "step_cost_naive_roundtrip_ms", "value": round(naive, 3),
         "ratio_to_memory": round(naive / memory, 2)},
        {"figure": "step_cost_engine_sqlite_ms", "value": round(engine, 3),
         "ratio_to_memory": round(engine / memory, 2),
         "note": "claim + complete per step, audit events and work items included"},
        {"figure": "sqlite_file_bytes_after_runs", "value": size},
    ]
    for figure in figures:
        print(json.dumps(figure, ensure_ascii=False))
    return figures


if __name__ == "__main__":
    main()
