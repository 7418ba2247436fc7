"""A dossier's workflow state: written without its spec through SpiffWorkflow's serializer,
with the serializer's version in it; states stored before still load; older versions go
through SpiffWorkflow's migrations; every restored workflow runs in the sandbox.

``tests/data/states/*.format1.json`` were written by ``dump_state`` as it was before the
serializer's registry carried our converter (keys ``format`` and ``serializer``): the
copy-certification procedure after its first step, and the timer procedure waiting on its
one-hour timer (started at 09:00 on 3 March 2026, Hà Nội time).
"""

from __future__ import annotations

import json
import threading
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from SpiffWorkflow.bpmn.serializer import BpmnWorkflowSerializer
from SpiffWorkflow.bpmn.serializer.exceptions import VersionMigrationError
from SpiffWorkflow.bpmn.serializer.migration.version_migration import MIGRATIONS
from SpiffWorkflow.bpmn.specs.bpmn_process_spec import BpmnProcessSpec
from SpiffWorkflow.bpmn.workflow import BpmnWorkflow
from SpiffWorkflow.spiff.parser import SpiffBpmnParser
from SpiffWorkflow.util.task import TaskState

from engine.definitions import build_specs
from engine.runtime.clock import ManualClock, clock_scope
from engine.runtime.decisions import make_strict
from engine.runtime.state import dump_state, load_state, serializer
from engine.runtime.workflows import complete, fire_timers
from engine.sandbox import SandboxScriptEngine, default_engine

ROOT = Path(__file__).resolve().parents[2]
STATES = ROOT / "tests" / "data" / "states"
CURRENT = BpmnWorkflowSerializer().VERSION
Specs = tuple[BpmnProcessSpec, dict[str, BpmnProcessSpec]]

# Two signatures (a parallel multi-instance step), then an embedded subprocess whose script
# computes the fee before the result is handed out.
NESTED = """<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d"
  targetNamespace="http://motcua.dev/test">
<bpmn:process id="ky_va_tra" isExecutable="true">
<bpmn:startEvent id="start"><bpmn:outgoing>f1</bpmn:outgoing></bpmn:startEvent>
<bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="ky"/>
<bpmn:userTask id="ky" name="Ký"><bpmn:incoming>f1</bpmn:incoming><bpmn:outgoing>f2</bpmn:outgoing>
<bpmn:multiInstanceLoopCharacteristics><bpmn:loopCardinality>2</bpmn:loopCardinality>
</bpmn:multiInstanceLoopCharacteristics></bpmn:userTask>
<bpmn:sequenceFlow id="f2" sourceRef="ky" targetRef="tra"/>
<bpmn:subProcess id="tra"><bpmn:incoming>f2</bpmn:incoming><bpmn:outgoing>f3</bpmn:outgoing>
<bpmn:startEvent id="s2"><bpmn:outgoing>g1</bpmn:outgoing></bpmn:startEvent>
<bpmn:sequenceFlow id="g1" sourceRef="s2" targetRef="tinh_phi"/>
<bpmn:scriptTask id="tinh_phi"><bpmn:incoming>g1</bpmn:incoming><bpmn:outgoing>g2</bpmn:outgoing>
<bpmn:script>phi = copies * 10000</bpmn:script></bpmn:scriptTask>
<bpmn:sequenceFlow id="g2" sourceRef="tinh_phi" targetRef="tra_ket_qua"/>
<bpmn:userTask id="tra_ket_qua" name="Trả kết quả"><bpmn:incoming>g2</bpmn:incoming>
<bpmn:outgoing>g3</bpmn:outgoing></bpmn:userTask>
<bpmn:sequenceFlow id="g3" sourceRef="tra_ket_qua" targetRef="e2"/>
<bpmn:endEvent id="e2"><bpmn:incoming>g3</bpmn:incoming></bpmn:endEvent>
</bpmn:subProcess>
<bpmn:sequenceFlow id="f3" sourceRef="tra" targetRef="end"/>
<bpmn:endEvent id="end"><bpmn:incoming>f3</bpmn:incoming></bpmn:endEvent>
</bpmn:process>
</bpmn:definitions>"""


def procedure_specs(key: str, *paths: str) -> Specs:
    files = {Path(p).name: (ROOT / p).read_text(encoding="utf-8") for p in paths}
    spec, subs = build_specs(files, key)
    make_strict(spec, *subs.values())
    return spec, subs


@pytest.fixture(scope="module")
def chung_thuc() -> Specs:
    forms = sorted((ROOT / "processes" / "forms").glob("chung_thuc_ban_sao.*"))
    return procedure_specs("chung_thuc_ban_sao", "processes/chung_thuc_ban_sao.bpmn",
                           "processes/phi_chung_thuc_ban_sao.dmn",
                           *(str(f.relative_to(ROOT)) for f in forms))


@pytest.fixture(scope="module")
def nested() -> Specs:
    parser = SpiffBpmnParser()
    parser.add_bpmn_str(NESTED.encode())
    return parser.get_spec("ky_va_tra"), parser.get_subprocess_specs("ky_va_tra")


def started(specs: Specs, data: dict[str, Any]) -> BpmnWorkflow:
    workflow = BpmnWorkflow(*specs, script_engine=default_engine())
    workflow.get_tasks(state=TaskState.READY)[0].data.update(data)
    workflow.do_engine_steps()
    return workflow


def ready(workflow: BpmnWorkflow) -> list[str]:
    return [t.task_spec.bpmn_id for t in workflow.get_tasks(state=TaskState.READY, manual=True)]


def step(workflow: BpmnWorkflow, specs: Specs, answer: dict[str, Any]) -> BpmnWorkflow:
    """Complete the first ready step, then store and restore, as every use case does."""
    task = workflow.get_tasks(state=TaskState.READY, manual=True)[0]
    complete(workflow, str(task.id), answer)
    return load_state(dump_state(workflow), *specs)


def task_states(workflow: BpmnWorkflow, bpmn_id: str) -> list[int]:
    return [t.state for t in workflow.get_tasks(spec_name=bpmn_id)]


# ---- what a new state holds ---------------------------------------------------------------


def test_a_new_state_carries_the_serializer_version_and_no_spec(chung_thuc: Specs) -> None:
    workflow = started(chung_thuc, {"ten_giay_to": "Bằng tốt nghiệp", "pages": 2, "copies": 3})
    text = dump_state(workflow)
    state = json.loads(text)
    assert state["serializer_version"] == CURRENT
    assert "spec" not in state and "subprocess_specs" not in state
    assert state["tasks"] and state["root"] in state["tasks"]
    # Compact: no spaces between tokens, Vietnamese as it is.
    assert text == json.dumps(state, separators=(",", ":"), ensure_ascii=False)
    assert "Bằng tốt nghiệp" in text


def test_a_state_restores_to_the_same_state(chung_thuc: Specs) -> None:
    workflow = started(chung_thuc, {"ten_giay_to": "Học bạ", "pages": 1, "copies": 2})
    workflow = step(workflow, chung_thuc, {"ket_qua_kiem_tra": "hop_le"})
    text = dump_state(workflow)
    assert dump_state(load_state(text, *chung_thuc)) == text
    assert ready(workflow) == ["Task_XuLy"]


# ---- states stored before -----------------------------------------------------------------


def test_a_state_in_the_first_format_loads_and_runs_to_the_end(chung_thuc: Specs) -> None:
    text = (STATES / "chung_thuc_ban_sao.format1.json").read_text(encoding="utf-8")
    assert "format" in json.loads(text)
    workflow = load_state(text, *chung_thuc)
    assert ready(workflow) == ["Task_XuLy"]
    assert task_states(workflow, "Task_KiemTraHoSo") == [TaskState.COMPLETED]
    for answer in ({"ket_qua_xu_ly": "dat"}, {"y_kien_lanh_dao": "dong_y"},
                   {"hinh_thuc_tra": "truc_tiep"}):
        workflow = step(workflow, chung_thuc, answer)
    assert workflow.completed
    assert task_states(workflow, "End_DaTraKetQua") == [TaskState.COMPLETED]
    data = workflow.last_task.data
    # What the stored part of the run decided is still there: the fee and the first answer.
    assert data["fee"] == 12000 and data["ghi_chu"] == "đủ giấy tờ"
    assert json.loads(dump_state(workflow))["serializer_version"] == CURRENT


def test_a_waiting_timer_in_the_first_format_fires_when_due() -> None:
    specs = procedure_specs("cho_hen_gio", "tests/data/cho_hen_gio.bpmn")
    text = (STATES / "cho_hen_gio.format1.json").read_text(encoding="utf-8")
    clock = ManualClock(datetime(2026, 3, 3, 2, 59, tzinfo=UTC))
    with clock_scope(clock):
        workflow = load_state(text, *specs)
        fire_timers(workflow)
        assert ready(workflow) == []
        clock.set(datetime(2026, 3, 3, 3, 0, 1, tzinfo=UTC))
        workflow = load_state(dump_state(workflow), *specs)
        fire_timers(workflow)
        assert ready(workflow) == ["xu_ly"]
        workflow = step(workflow, specs, {})
    assert workflow.completed


# ---- older serializer versions ------------------------------------------------------------


def test_a_state_from_serializer_1_3_is_migrated_on_load(nested: Specs) -> None:
    """SpiffWorkflow 1.4 made a reached multi-instance task STARTED instead of WAITING; its
    migration finds those tasks by their spec's typename, so it needs the spec we lend it."""
    workflow = started(nested, {"copies": 3})
    state = json.loads(dump_state(workflow))
    (ky,) = [t for t in state["tasks"].values() if t["task_spec"] == "ky"]
    assert ky["state"] == TaskState.STARTED
    ky["state"] = TaskState.WAITING
    state["serializer_version"] = "1.3"

    workflow = load_state(json.dumps(state), *nested)

    assert task_states(workflow, "ky") == [TaskState.STARTED]
    workflow = step(workflow, nested, {})
    workflow = step(workflow, nested, {})
    assert ready(workflow) == ["tra_ket_qua"]
    workflow = step(workflow, nested, {})
    assert workflow.completed and workflow.last_task.data["phi"] == 30000


def test_the_last_migration_runs_with_the_spec_of_the_version(
        chung_thuc: Specs, monkeypatch: pytest.MonkeyPatch) -> None:
    """1.4 → 1.5 rewrites only the specs of event-based gateways (ours come from the BPMN
    files); what we pin is that it runs, and sees every task's spec."""
    seen: list[dict[str, Any]] = []
    original = MIGRATIONS["1.4"]

    def recorded(dct: dict[str, Any]) -> None:
        seen.append({"specs": set(dct["spec"]["task_specs"]),
                     "tasks": {t["task_spec"] for t in dct["tasks"].values()}})
        original(dct)

    monkeypatch.setitem(MIGRATIONS, "1.4", recorded)
    state = json.loads((STATES / "chung_thuc_ban_sao.format1.json").read_text(encoding="utf-8"))
    state["serializer"] = "1.4"

    workflow = load_state(json.dumps(state), *chung_thuc)

    assert len(seen) == 1 and seen[0]["tasks"] <= seen[0]["specs"]
    assert ready(workflow) == ["Task_XuLy"]
    assert json.loads(dump_state(workflow))["serializer_version"] == CURRENT


def test_a_state_from_a_newer_serializer_is_refused(chung_thuc: Specs) -> None:
    state = json.loads(dump_state(started(chung_thuc, {"pages": 1, "copies": 1})))
    state["serializer_version"] = "9.0"
    with pytest.raises(VersionMigrationError, match=r"9\.0"):
        load_state(json.dumps(state), *chung_thuc)


# ---- the sandbox --------------------------------------------------------------------------


def test_every_restored_workflow_runs_in_the_sandbox(nested: Specs) -> None:
    workflow = step(step(started(nested, {"copies": 1}), nested, {}), nested, {})
    text = dump_state(workflow)
    assert json.loads(text)["subprocesses"]  # the subprocess is under way

    restored = load_state(text, *nested)
    assert restored.script_engine is default_engine()
    assert all(sub.script_engine is default_engine() for sub in restored.subprocesses.values())

    office = SandboxScriptEngine()
    restored = load_state(text, *nested, scripts=office)
    assert restored.script_engine is office
    assert all(sub.script_engine is office for sub in restored.subprocesses.values())


def test_each_thread_writes_with_its_own_serializer() -> None:
    """``serialize_json`` flips a flag on its registry while it writes."""
    mine = serializer()
    theirs: list[BpmnWorkflowSerializer] = []
    worker = threading.Thread(target=lambda: theirs.append(serializer()))
    worker.start()
    worker.join()
    assert serializer() is mine
    assert theirs[0] is not mine and theirs[0].registry is not mine.registry
