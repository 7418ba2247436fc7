"""Durable step cost: the bench procedure (5 user tasks, a gateway, a script task) run in pure
SpiffWorkflow in memory (the floor), with the naive full JSON round trip per step, and through
the engine's use cases on SQLite in WAL mode (audit events and work items included).

The stored state's own cost (``dump_state`` and ``load_state`` per user step, in memory) is
reported apart, since it is what a cold step pays on top of SQL.

Only the user steps are timed (starting a dossier is reported on its own), and every figure is
compared with the in-memory floor measured in the same run, because machines are noisy.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from collections.abc import Callable
from typing import Any

from SpiffWorkflow.bpmn.script_engine import PythonScriptEngine
from SpiffWorkflow.bpmn.serializer import BpmnWorkflowSerializer
from SpiffWorkflow.bpmn.workflow import BpmnWorkflow
from SpiffWorkflow.spiff.serializer.config import SPIFF_CONFIG
from SpiffWorkflow.util.task import TaskState

from bench import emit
from bench.office import (
    ANSWER,
    KEY,
    START_FORM,
    USER_STEPS,
    bench_office,
    open_items,
    people,
    procedure_files,
    submit,
)
from engine.definitions import build_specs
from engine.model import User
from engine.runtime.state import dump_state, load_state
from engine.sandbox import SandboxScriptEngine
from engine.service import work
from engine.service.office import Office


def _spiff_run(spec: Any, subs: Any, serializer: BpmnWorkflowSerializer | None,
               scripts: Any = None) -> float:
    """Seconds spent in the user steps of one run (with the round trip when ``serializer``;
    SpiffWorkflow's own script engine unless ``scripts``)."""
    wf = BpmnWorkflow(spec, subs, script_engine=scripts)
    wf.get_tasks(state=TaskState.READY)[0].data.update({**START_FORM, "channel": "direct"})
    wf.do_engine_steps()
    spent = 0.0
    while not wf.completed:
        start = time.perf_counter()
        if serializer is not None:
            wf = serializer.deserialize_json(serializer.serialize_json(wf))
        task = wf.get_tasks(state=TaskState.READY, manual=True)[0]
        task.set_data(**ANSWER)
        task.run()
        wf.do_engine_steps()
        if serializer is not None:
            serializer.serialize_json(wf)
        spent += time.perf_counter() - start
    return spent


def _states(spec: Any, subs: Any) -> list[BpmnWorkflow]:
    """The workflow before each user step of one dossier (restored from its state, as a
    cold step has it)."""
    wf = BpmnWorkflow(spec, subs, script_engine=SandboxScriptEngine())
    wf.get_tasks(state=TaskState.READY)[0].data.update({**START_FORM, "channel": "direct"})
    wf.do_engine_steps()
    found = []
    while not wf.completed:
        found.append(wf)
        task = wf.get_tasks(state=TaskState.READY, manual=True)[0]
        task.set_data(**ANSWER)
        task.run()
        wf.do_engine_steps()
        wf = load_state(dump_state(wf), spec, subs)
    return found


def _state_run(spec: Any, subs: Any, workflows: list[BpmnWorkflow]) -> tuple[float, float]:
    """(dump, load) seconds for the states of one dossier's user steps."""
    start = time.perf_counter()
    texts = [dump_state(wf) for wf in workflows]
    dumped = time.perf_counter()
    for text in texts:
        load_state(text, spec, subs)
    return dumped - start, time.perf_counter() - dumped


def _engine_run(office: Office, staff: dict[str, User]) -> tuple[float, float, float]:
    """(submit, claim total, complete total) seconds for one dossier through the use cases."""
    start = time.perf_counter()
    dossier_id = submit(office, staff)
    submitted = time.perf_counter() - start
    claims = completes = 0.0
    items = open_items(office, dossier_id)
    while items:
        item = items[0]
        user = staff[item.department_code]
        t0 = time.perf_counter()
        work.claim(office, item.id, user)
        t1 = time.perf_counter()
        work.complete(office, item.id, user, ANSWER)
        t2 = time.perf_counter()
        claims += t1 - t0
        completes += t2 - t1
        items = open_items(office, dossier_id)
    return submitted, claims, completes


def _statements(office: Office, staff: dict[str, User]) -> dict[str, float]:
    """Statements per use case, averaged over the steps of one dossier."""
    with office.db.statement_counter() as counter:
        dossier_id = submit(office, staff)
    counts = {"submit": float(counter.statements), "claim": 0.0, "complete": 0.0}
    items = open_items(office, dossier_id)
    while items:
        item = items[0]
        user = staff[item.department_code]
        with office.db.statement_counter() as counter:
            work.claim(office, item.id, user)
        counts["claim"] += counter.statements / USER_STEPS
        with office.db.statement_counter() as counter:
            work.complete(office, item.id, user, ANSWER)
        counts["complete"] += counter.statements / USER_STEPS
        items = open_items(office, dossier_id)
    return {k: round(v, 1) for k, v in counts.items()}


def _median_ms(samples: list[float], per: int = 1) -> float:
    return statistics.median(samples) / per * 1000


def _interleaved(runs: int, *fns: Callable[[], Any]) -> list[list[Any]]:
    """Run the measurements round-robin so drift on a shared machine hits them alike."""
    results: list[list[Any]] = [[] for _ in fns]
    for _ in range(runs):
        for i, fn in enumerate(fns):
            results[i].append(fn())
    return results


def measure(runs: int = 60) -> list[dict[str, Any]]:
    files = {k: v.decode() for k, v in procedure_files().items()}
    spec, subs = build_specs(files, KEY)
    serializer = BpmnWorkflowSerializer(BpmnWorkflowSerializer.configure(SPIFF_CONFIG))
    with tempfile.TemporaryDirectory() as folder:
        warm = bench_office(f"sqlite:///{folder}/warm.db")
        cold = bench_office(f"sqlite:///{folder}/cold.db", cache=False)
        # The same office with SpiffWorkflow's unguarded engine: what the sandbox costs.
        plain = bench_office(f"sqlite:///{folder}/plain.db", scripts=PythonScriptEngine())
        sandbox = SandboxScriptEngine()
        workflows = _states(spec, subs)
        staff_warm, staff_cold, staff_plain = people(warm), people(cold), people(plain)
        for _ in range(3):  # warm up caches, the allocator and SQLAlchemy's statement cache
            _spiff_run(spec, subs, None)
            _spiff_run(spec, subs, None, sandbox)
            _spiff_run(spec, subs, serializer)
            _engine_run(warm, staff_warm)
            _engine_run(cold, staff_cold)
            _engine_run(plain, staff_plain)
            _state_run(spec, subs, workflows)
        memory, memory_sandboxed, naive, engine, engine_cold, engine_plain, state = _interleaved(
            runs,
            lambda: _spiff_run(spec, subs, None),
            lambda: _spiff_run(spec, subs, None, sandbox),
            lambda: _spiff_run(spec, subs, serializer),
            lambda: _engine_run(warm, staff_warm),
            lambda: _engine_run(cold, staff_cold),
            lambda: _engine_run(plain, staff_plain),
            lambda: _state_run(spec, subs, workflows),
        )
        counts = _statements(warm, staff_warm)
        warm.db.dispose()
        cold.db.dispose()
        plain.db.dispose()
    floor = _median_ms(memory, USER_STEPS)
    rt = _median_ms(naive, USER_STEPS)
    complete = _median_ms([c for _, _, c in engine], USER_STEPS)
    both = _median_ms([a + c for _, a, c in engine], USER_STEPS)
    complete_cold = _median_ms([c for _, _, c in engine_cold], USER_STEPS)
    both_cold = _median_ms([a + c for _, a, c in engine_cold], USER_STEPS)
    started = _median_ms([s for s, _, _ in engine])
    floor_sandboxed = _median_ms(memory_sandboxed, USER_STEPS)
    complete_plain = _median_ms([c for _, _, c in engine_plain], USER_STEPS)
    started_plain = _median_ms([s for s, _, _ in engine_plain])
    state_dump = _median_ms([d for d, _ in state], USER_STEPS)
    state_load = _median_ms([lo for _, lo in state], USER_STEPS)

    def ratio(value: float) -> float:
        return round(value / floor, 2)

    return [
        {"figure": "step_memory_ms", "value": round(floor, 3),
         "note": "pure SpiffWorkflow in memory, per user step (the floor)"},
        {"figure": "step_naive_roundtrip_ms", "value": round(rt, 3), "ratio_to_memory": ratio(rt),
         "note": "full serialize + deserialize (spec included) around every step"},
        {"figure": "step_engine_complete_ms", "value": round(complete, 3),
         "ratio_to_memory": ratio(complete), "target_ratio": 1.5,
         "note": "work.complete on SQLite WAL: form check, step, work items, audit events, "
                 "state, one transaction"},
        {"figure": "step_engine_claim_complete_ms", "value": round(both, 3),
         "ratio_to_memory": ratio(both), "target_ratio": 1.5,
         "note": "work.claim + work.complete, two transactions"},
        {"figure": "step_engine_complete_cold_ms", "value": round(complete_cold, 3),
         "ratio_to_memory": ratio(complete_cold),
         "note": "workflow cache off: every step restores the workflow from the database"},
        {"figure": "step_engine_claim_complete_cold_ms", "value": round(both_cold, 3),
         "ratio_to_memory": ratio(both_cold)},
        {"figure": "submit_engine_ms", "value": round(started, 3),
         "note": "create and start a dossier (code, due date, fee, first work item, events)"},
        {"figure": "step_memory_sandboxed_ms", "value": round(floor_sandboxed, 3),
         "ratio_to_memory": ratio(floor_sandboxed),
         "note": "the floor with our sandbox as the script engine (a script task and a "
                 "gateway condition per dossier)"},
        {"figure": "step_engine_complete_unsandboxed_ms", "value": round(complete_plain, 3),
         "ratio_to_memory": ratio(complete_plain),
         "note": "work.complete with SpiffWorkflow's own eval/exec engine (what the office "
                 "ran before the sandbox)"},
        {"figure": "sandbox_cost_ratio", "value": round(complete / complete_plain, 3),
         "target_ratio": 1.1,
         "submit_ratio": round(started / started_plain, 3),
         "note": "work.complete sandboxed ÷ unsandboxed, same run, interleaved"},
        {"figure": "state_dump_ms", "value": round(state_dump, 3),
         "ratio_to_memory": ratio(state_dump),
         "note": "dump_state per user step: the task tree without spec, through "
                 "SpiffWorkflow's serializer with our converter registered"},
        {"figure": "state_load_ms", "value": round(state_load, 3),
         "ratio_to_memory": ratio(state_load),
         "note": "load_state per user step: migrations checked, restored against the "
                 "cached specs, sandboxed"},
        {"figure": "statements_per_step", "value": counts,
         "note": "SQL statements sent per use case (BEGIN and COMMIT are driver calls, "
                 "not counted)"},
    ]


def main(runs: int = 60) -> list[dict[str, Any]]:
    figures = measure(runs)
    return emit(figures)


if __name__ == "__main__":
    main()
