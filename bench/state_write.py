"""What a step pays to keep the workflow state, three ways, on the bench procedure.

- **whole state**: the task tree serialised after every step (``dump_state``), as every step
  did before the step log;
- **changed tasks only**: only the tasks a step created or moved, serialised with
  SpiffWorkflow's task converter (what a table of task rows would write per step); a restore
  then reads and joins every task row of the dossier;
- **snapshot + step log**: nothing is serialised by a clerk's step (its audit event already
  holds its input); a cold restore loads the snapshot and replays the k steps after it.

Then the engine's own ``work.complete`` on SQLite with a snapshot on every step (the old
behaviour, ``SNAPSHOT_EVERY = 1``) against the step log, interleaved in one run, warm (the
process's workflow cache) and cold (every step restores from the database).
"""

from __future__ import annotations

import json
import statistics
import tempfile
import time
from datetime import UTC, datetime
from typing import Any

from SpiffWorkflow.bpmn.workflow import BpmnWorkflow
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
from bench.step_cost import _interleaved
from engine.definitions import build_specs
from engine.model import User
from engine.runtime import replay
from engine.runtime.state import CompactJson, dump_state, load_state, serializer
from engine.sandbox import SandboxScriptEngine
from engine.service import progress, work
from engine.service.office import Office

AT = datetime(2026, 3, 3, 2, 0, tzinfo=UTC)


def _started(spec: Any, subs: Any) -> BpmnWorkflow:
    wf = BpmnWorkflow(spec, subs, script_engine=SandboxScriptEngine())
    wf.get_tasks(state=TaskState.READY)[0].data.update({**START_FORM, "channel": "direct"})
    wf.do_engine_steps()
    return wf


def _next(wf: BpmnWorkflow) -> str:
    return str(wf.get_tasks(state=TaskState.READY, manual=True)[0].id)


def _marks(wf: BpmnWorkflow) -> dict[Any, tuple[Any, float]]:
    return {t.id: (t.state, t.last_state_change)
            for w in (wf, *wf.subprocesses.values()) for t in w.tasks.values()}


def _changed_tasks(wf: BpmnWorkflow, before: dict[Any, tuple[Any, float]]) -> str:
    """The tasks the step created or moved, as JSON rows."""
    registry = serializer().registry
    rows = [registry.convert(t) for w in (wf, *wf.subprocesses.values())
            for t in w.tasks.values() if before.get(t.id) != (t.state, t.last_state_change)]
    return json.dumps(rows, cls=CompactJson)


def _writes(spec: Any, subs: Any) -> tuple[float, float, float, float, float]:
    """Seconds per dossier serialising the whole state and the changed tasks after each
    user step, the bytes each wrote, and the bare steps' own seconds."""
    wf = _started(spec, subs)
    whole = changed = steps = 0.0
    whole_bytes = changed_bytes = 0
    n = 0
    while not wf.completed:
        task = _next(wf)
        before = _marks(wf)
        t0 = time.perf_counter()
        replay.complete(wf, task, ANSWER, AT.replace(minute=n))
        t1 = time.perf_counter()
        text = dump_state(wf)
        t2 = time.perf_counter()
        rows = _changed_tasks(wf, before)
        t3 = time.perf_counter()
        steps += t1 - t0
        whole += t2 - t1
        changed += t3 - t2
        whole_bytes += len(text.encode())
        changed_bytes += len(rows.encode())
        n += 1
    return whole, changed, float(whole_bytes), float(changed_bytes), steps


def _restores(spec: Any, subs: Any) -> list[float]:
    """Seconds to restore the workflow before each user step from the start's snapshot with
    the steps after it replayed: k = 0, 1, … steps logged."""
    wf = _started(spec, subs)
    snapshot = dump_state(wf)
    logged: list[replay.LoggedStep] = []
    found = []
    while not wf.completed:
        t0 = time.perf_counter()
        replay.replay(load_state(snapshot, spec, subs), logged)
        found.append(time.perf_counter() - t0)
        step = replay.LoggedStep(_next(wf), dict(ANSWER), AT.replace(minute=len(logged)))
        replay.complete(wf, step.task_uuid, step.data, step.at)
        logged.append(step)
    return found


def _engine(office: Office, staff: dict[str, User], every: int) -> float:
    """Seconds of ``work.complete`` over one dossier's steps, a snapshot every ``every``."""
    progress.SNAPSHOT_EVERY = every
    dossier_id = submit(office, staff)
    spent = 0.0
    items = open_items(office, dossier_id)
    while items:
        item = items[0]
        user = staff[item.department_code]
        t0 = time.perf_counter()
        work.complete(office, item.id, user, ANSWER)
        spent += time.perf_counter() - t0
        items = open_items(office, dossier_id)
    return spent


def _ms(samples: list[float], per: int = USER_STEPS) -> float:
    return statistics.median(samples) / per * 1000


def measure(runs: int = 40) -> list[dict[str, Any]]:
    files = {k: v.decode() for k, v in procedure_files().items()}
    spec, subs = build_specs(files, KEY)
    default_every = progress.SNAPSHOT_EVERY
    with tempfile.TemporaryDirectory() as folder:
        warm = bench_office(f"sqlite:///{folder}/warm.db")
        cold = bench_office(f"sqlite:///{folder}/cold.db", cache=False)
        staff_warm, staff_cold = people(warm), people(cold)
        try:
            for _ in range(3):
                _writes(spec, subs)
                _restores(spec, subs)
                for every in (1, default_every):
                    _engine(warm, staff_warm, every)
                    _engine(cold, staff_cold, every)
            writes, restores, warm_old, warm_new, cold_old, cold_new = _interleaved(
                runs,
                lambda: _writes(spec, subs),
                lambda: _restores(spec, subs),
                lambda: _engine(warm, staff_warm, 1),
                lambda: _engine(warm, staff_warm, default_every),
                lambda: _engine(cold, staff_cold, 1),
                lambda: _engine(cold, staff_cold, default_every),
            )
        finally:
            progress.SNAPSHOT_EVERY = default_every
            warm.db.dispose()
            cold.db.dispose()
    floor = _ms([w[4] for w in writes])
    whole = _ms([w[0] for w in writes])
    changed = _ms([w[1] for w in writes])
    by_k = [statistics.median(r[k] for r in restores) * 1000 for k in range(USER_STEPS)]

    def ratio(value: float) -> float:
        return round(value / floor, 2)

    return [
        {"figure": "state_write_step_floor_ms", "value": round(floor, 3),
         "note": "the user step itself in memory (replay.complete), per step"},
        {"figure": "state_write_whole_ms", "value": round(whole, 3),
         "ratio_to_step": ratio(whole),
         "bytes_per_step": round(statistics.median(w[2] for w in writes) / USER_STEPS),
         "note": "dump_state after every step (before the step log)"},
        {"figure": "state_write_changed_tasks_ms", "value": round(changed, 3),
         "ratio_to_step": ratio(changed),
         "bytes_per_step": round(statistics.median(w[3] for w in writes) / USER_STEPS),
         "note": "only the tasks the step created or moved, through the task converter "
                 "(before any SQL: one row per task to upsert, all rows read to restore)"},
        {"figure": "state_write_log_ms", "value": 0.0, "bytes_per_step": 0,
         "note": "snapshot + step log: a clerk's step serialises nothing"},
        {"figure": "state_restore_replay_ms", "value": [round(x, 3) for x in by_k],
         "ratio_to_step": [ratio(x) for x in by_k],
         "note": "cold restore: load the snapshot and replay k = 0…4 logged steps"},
        {"figure": "state_engine_complete_ms",
         "snapshot_every_step": round(_ms(warm_old), 3),
         "step_log": round(_ms(warm_new), 3),
         "ratio_log_to_snapshots": round(_ms(warm_new) / _ms(warm_old), 3),
         "snapshot_every": default_every,
         "note": "work.complete on SQLite, warm (workflow cache), per step, interleaved"},
        {"figure": "state_engine_complete_cold_ms",
         "snapshot_every_step": round(_ms(cold_old), 3),
         "step_log": round(_ms(cold_new), 3),
         "ratio_log_to_snapshots": round(_ms(cold_new) / _ms(cold_old), 3),
         "note": "the same with the cache off: every step restores (and replays)"},
    ]


def main(runs: int = 40) -> list[dict[str, Any]]:
    return emit(measure(runs))


if __name__ == "__main__":
    main()
