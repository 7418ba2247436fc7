"""Running one dossier's workflow on SpiffWorkflow: start, ready steps, complete, timers."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from SpiffWorkflow.bpmn.specs.defaults import EndEvent
from SpiffWorkflow.bpmn.workflow import BpmnWorkflow
from SpiffWorkflow.util.task import TaskState

from engine.definitions.parsing import recursion_for
from engine.definitions.vocabulary import StepMeta
from engine.errors import NotOpen
from engine.i18n import msg
from engine.model import Outcome
from engine.runtime import task_ids  # noqa: F401  (reproducible task ids in a step)
from engine.runtime.failures import step_failures
from engine.runtime.procedures import LoadedProcedure
from engine.runtime.state import spec_size
from engine.sandbox import SandboxScriptEngine, default_engine


@dataclass(frozen=True)
class ReadyStep:
    task_uuid: str
    process_id: str
    step_id: str
    name: str
    meta: StepMeta | None


@contextmanager
def _budgeted(workflow: BpmnWorkflow) -> Iterator[Any]:
    """The automatic steps of one use case share one time budget and a cap on their number
    (a loop of script tasks with no person in it ends there)."""
    engine = workflow.script_engine
    with recursion_for(spec_size(workflow.spec, workflow.subprocess_specs)):
        if not isinstance(engine, SandboxScriptEngine):  # never in the office; tools may
            yield None
            return
        with engine.step() as step:
            yield step.count


def _engine_steps(workflow: BpmnWorkflow, count: Any) -> None:
    workflow.do_engine_steps(did_complete_task=count)


def start(loaded: LoadedProcedure, data: dict[str, Any],
          scripts: SandboxScriptEngine | None = None) -> BpmnWorkflow:
    with recursion_for(spec_size(loaded.spec, loaded.subprocess_specs)):
        workflow = BpmnWorkflow(loaded.spec, loaded.subprocess_specs,
                                script_engine=scripts or default_engine())
    with _budgeted(workflow) as count:
        # The submission data goes into the start task, so every later task inherits it.
        for task in workflow.get_tasks(state=TaskState.READY):
            task.data.update(data)
        with step_failures(workflow):
            _engine_steps(workflow, count)
    return workflow


def ready_steps(workflow: BpmnWorkflow, loaded: LoadedProcedure) -> list[ReadyStep]:
    steps = []
    for task in workflow.get_tasks(state=TaskState.READY, manual=True):
        process_id = task.workflow.spec.name
        step_id = task.task_spec.bpmn_id
        steps.append(ReadyStep(str(task.id), process_id, step_id,
                               task.task_spec.bpmn_name or step_id,
                               loaded.step(process_id, step_id)))
    return steps


def ready_task_ids(workflow: BpmnWorkflow) -> set[str]:
    """Ids of the ready human tasks (those that have a work item), in no order: a plain walk
    over the task maps, cheaper than the tree iterator behind ``get_tasks``."""
    found: set[str] = set()
    for wf in (workflow, *workflow.subprocesses.values()):
        for task in wf.tasks.values():
            if task.state == TaskState.READY and task.task_spec.manual:
                found.add(str(task.id))
    return found


def complete(workflow: BpmnWorkflow, task_uuid: str, data: dict[str, Any]) -> None:
    task = workflow.get_task_from_id(UUID(task_uuid))
    if task is None or task.state != TaskState.READY:
        raise NotOpen(msg("err_step_longer_waiting_done"))
    with _budgeted(workflow) as count:
        task.set_data(**data)
        with step_failures(workflow):
            task.run()
            _engine_steps(workflow, count)


def advance(workflow: BpmnWorkflow) -> None:
    """Run what is automatic now (e.g. after the workflow moved to a new version)."""
    with _budgeted(workflow) as count, step_failures(workflow):
        workflow.refresh_waiting_tasks()
        _engine_steps(workflow, count)


def fire_timers(workflow: BpmnWorkflow) -> None:
    with _budgeted(workflow) as count, step_failures(workflow):
        workflow.refresh_timers()
        _engine_steps(workflow, count)


def correct_data(workflow: BpmnWorkflow, values: dict[str, Any]) -> None:
    """Put corrected values where the steps still to come read them: every task waiting or
    ready, and the task before each (a waiting timer merges its parent's data in again when
    it fires; later tasks inherit from it)."""
    live = (TaskState.WAITING, TaskState.READY, TaskState.STARTED)
    for wf in (workflow, *workflow.subprocesses.values()):
        for task in wf.tasks.values():
            if task.state in live:
                task.data.update(values)
                if task.parent is not None:
                    task.parent.data.update(values)


def next_timer(workflow: BpmnWorkflow) -> datetime | None:
    """When the earliest waiting timer is due, so the worker can find the dossier by index."""
    due: list[datetime] = []
    for event in workflow.waiting_events():
        if event.event_type not in ("DurationTimerEventDefinition", "TimeDateEventDefinition",
                                    "CycleTimerEventDefinition"):
            continue
        value = event.value
        if isinstance(value, dict):
            value = value.get("next")
        if isinstance(value, str):
            try:
                when = datetime.fromisoformat(value)
            except ValueError:
                continue
            if when.tzinfo is not None:
                due.append(when)
    return min(due) if due else None


def current_data(workflow: BpmnWorkflow) -> dict[str, Any]:
    if workflow.completed:
        return dict(workflow.data)
    last = workflow.last_task
    return dict(last.data) if last is not None else {}


def outcome(workflow: BpmnWorkflow, loaded: LoadedProcedure) -> str | None:
    """The outcome of the end event the dossier finished at (resolved / refused / withdrawn)."""
    if not workflow.completed:
        return None
    ends = [t for t in workflow.tasks.values()
            if isinstance(t.task_spec, EndEvent) and t.state == TaskState.COMPLETED]
    if not ends:
        return Outcome.RESOLVED
    last = max(ends, key=lambda t: t.last_state_change)
    return loaded.meta.outcomes.get(last.task_spec.bpmn_id, Outcome.RESOLVED)


class WorkflowCache:
    """Live workflows by dossier id and state revision, so a step skips deserialisation when
    this process made the previous one. A revision mismatch means another process moved on."""

    def __init__(self, size: int = 2048) -> None:
        self._items: OrderedDict[int, tuple[int, BpmnWorkflow]] = OrderedDict()
        self._size = size
        self._lock = threading.Lock()

    def take(self, dossier_id: int, rev: int) -> BpmnWorkflow | None:
        """Remove and return the cached workflow if it is at ``rev``; callers put it back
        only after their transaction commits, so a failed step never leaves a dirty copy."""
        with self._lock:
            hit = self._items.pop(dossier_id, None)
        if hit is not None and hit[0] == rev:
            return hit[1]
        return None

    def put(self, dossier_id: int, rev: int, workflow: BpmnWorkflow) -> None:
        if self._size <= 0:  # disabled: every step restores from storage
            return
        with self._lock:
            self._items[dossier_id] = (rev, workflow)
            while len(self._items) > self._size:
                self._items.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
