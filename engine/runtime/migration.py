"""Moving one running workflow to a newer version of its procedure, on SpiffWorkflow's diff.

SpiffWorkflow 3.2 (``SpiffWorkflow.bpmn.util.diff``) aligns the task specs of two versions
(``SpecDiff``: by BPMN id first, then by position for a step whose id changed), maps a
workflow's tasks onto them (``WorkflowDiff``, ``diff_workflow`` for the sub-processes too) and
swaps the specs in place, resetting the ready and waiting tasks so that what follows them is
predicted again from the new version (``migrate_workflow``). What it leaves to the host, and
this module adds:

- whether a workflow *may* move (``plan``): a step it waits at that is gone or changed kind,
  a step it already passed that is gone (its task would have no spec to be restored with), a
  sub-process it is inside that changed, data the new version's start form requires;
- the sub-processes' specs: ``migrate_workflow`` swaps one workflow's spec, we swap the
  top workflow's ``subprocess_specs`` and move each running sub-process with its own diff;
- waiting timers keep the moment they were set for: resetting a waiting task clears its
  internal data, so a timer would count again from the move (kept unless its spec changed);
- what follows a started task (a running sub-process) predicted again from the new version;
- the step mapping (old id → new id) of the live steps, which the audit event records.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from SpiffWorkflow.bpmn.util.diff import SpecDiff, WorkflowDiff, diff_workflow, migrate_workflow
from SpiffWorkflow.bpmn.workflow import BpmnWorkflow
from SpiffWorkflow.util.task import TaskState

from engine.definitions.parsing import recursion_for
from engine.runtime import workflows
from engine.runtime.procedures import LoadedProcedure
from engine.runtime.state import serializer, spec_size

LIVE = TaskState.READY | TaskState.WAITING | TaskState.STARTED
DONE = TaskState.COMPLETED | TaskState.CANCELLED | TaskState.ERROR

# Why a workflow cannot move (the catalog's ``migrate_reason_<code>`` says it to a person).
STEP_GONE = "step_gone"
KIND_CHANGED = "kind_changed"
PASSED_STEP_GONE = "passed_step_gone"
SUBPROCESS_CHANGED = "subprocess_changed"
DATA_MISSING = "data_missing"


@dataclass(frozen=True)
class Blocker:
    reason: str
    step: str | None = None  # the BPMN id (or the sub-process id) concerned
    fields: tuple[str, ...] = ()  # for DATA_MISSING


@dataclass
class Plan:
    """What moving this workflow would do, or why it cannot."""

    blockers: list[Blocker] = field(default_factory=list)
    mapping: dict[str, str] = field(default_factory=dict)  # live steps whose id changes
    top: WorkflowDiff | None = None
    subs: dict[Any, WorkflowDiff | None] = field(default_factory=dict)

    @property
    def can_move(self) -> bool:
        return not self.blockers


def _step_id(spec: Any) -> str:
    return str(spec.bpmn_id or spec.name)


def _check(workflow: Any, diff: WorkflowDiff, plan: Plan) -> None:
    """Blockers and mapping of one workflow (the top one or a sub-process) under ``diff``."""
    seen: set[tuple[str, str]] = set()
    removed = {task.id for task in diff.removed}
    changed = {task.id for task in diff.changed}
    for task in workflow.tasks.values():
        old = task.task_spec
        if task.id in removed:
            if task.has_state(LIVE):
                blocker = Blocker(STEP_GONE, _step_id(old))
            elif task.has_state(DONE):
                blocker = Blocker(PASSED_STEP_GONE, _step_id(old))
            else:
                continue  # a predicted task: predicted again from the new version
            if (blocker.reason, blocker.step or "") not in seen:
                seen.add((blocker.reason, blocker.step or ""))
                plan.blockers.append(blocker)
            continue
        new = diff.alignment.get(task)
        if new is None or not task.has_state(LIVE):
            continue
        if task.id in changed and type(new) is not type(old):
            plan.blockers.append(Blocker(KIND_CHANGED, _step_id(old)))
        elif old.bpmn_id and new.bpmn_id and old.bpmn_id != new.bpmn_id:
            plan.mapping[old.bpmn_id] = new.bpmn_id


def _live(workflow: Any) -> bool:
    return any(task.has_state(LIVE) for task in workflow.tasks.values())


def plan(workflow: BpmnWorkflow, new: LoadedProcedure, data: dict[str, Any]) -> Plan:
    """Diff ``workflow`` against ``new`` and say whether it can move; ``data`` is the
    dossier's current data, checked against what the new start form requires."""
    registry = serializer().registry
    with recursion_for(spec_size(new.spec, new.subprocess_specs)
                       + spec_size(workflow.spec, workflow.subprocess_specs)):
        top, subs = diff_workflow(registry, workflow, new.spec, new.subprocess_specs)
    result = Plan(top=top, subs=subs)
    _check(workflow, top, result)
    for sp_id, sub in workflow.subprocesses.items():
        sub_diff = subs.get(sp_id)
        name = sub.spec.name
        if sub_diff is None:
            result.blockers.append(Blocker(SUBPROCESS_CHANGED, name))
            continue
        if _live(sub) and _spec_changed(registry, sub.spec, new.subprocess_specs[name]):
            result.blockers.append(Blocker(SUBPROCESS_CHANGED, name))
            continue
        _check(sub, sub_diff, result)
    missing = _missing(new, data)
    if missing:
        result.blockers.append(Blocker(DATA_MISSING, None, missing))
    return result


def _spec_changed(registry: Any, old: Any, new: Any) -> bool:
    """Any step added, removed or changed in a sub-process (not only those it has tasks of)."""
    diff = SpecDiff(registry, old, new)
    return bool(diff.added or diff.removed or diff.changed)


def _missing(new: LoadedProcedure, data: dict[str, Any]) -> tuple[str, ...]:
    """The fields the new version's start form requires that the dossier's data lacks."""
    schema = new.form(new.meta.start_form) or {}
    required = schema.get("required") or []
    return tuple(str(name) for name in required if data.get(name) in (None, ""))


def apply(moving: Plan, workflow: BpmnWorkflow, new: LoadedProcedure) -> None:
    """Move ``workflow`` onto ``new`` in place (``moving`` must allow it), then run what the
    new version makes automatic. Raises ``StepFailed`` when one of those steps fails."""
    assert moving.can_move and moving.top is not None
    with recursion_for(spec_size(new.spec, new.subprocess_specs)
                       + spec_size(workflow.spec, workflow.subprocess_specs)):
        timers = _waiting_timers(workflow, moving)
        migrate_workflow(moving.top, workflow, new.spec)
        workflow.subprocess_specs = new.subprocess_specs
        for sp_id, sub in workflow.subprocesses.items():
            sub_diff = moving.subs.get(sp_id)
            if sub_diff is not None:
                migrate_workflow(sub_diff, sub, new.subprocess_specs[sub.spec.name])
        _restore_timers(workflow, timers)
        _predict_after_started(workflow)
    workflows.advance(workflow)


def _predict_after_started(workflow: BpmnWorkflow) -> None:
    """``migrate_workflow`` predicts again only below the ready and waiting tasks it resets:
    what follows a started task (a sub-process running) is predicted again here, from the
    new version, the way SpiffWorkflow's own reset does it."""
    mask = TaskState.STARTED | TaskState.FUTURE | TaskState.PREDICTED_MASK
    for wf in (workflow, *workflow.subprocesses.values()):
        for task in list(wf.tasks.values()):
            if task.state == TaskState.STARTED and task.id in wf.tasks:
                # Nothing below a started task has run: its children are all predictions.
                task._drop_children()
                task.task_spec._predict(task, mask=mask)


def _waiting_timers(workflow: BpmnWorkflow, moving: Plan) -> dict[Any, Any]:
    """The moments the waiting events of unchanged specs were set for, by task id."""
    changed: set[Any] = set()
    for diff in (moving.top, *moving.subs.values()):
        if diff is not None:
            changed |= {task.id for task in diff.changed}
    kept: dict[Any, Any] = {}
    for wf in (workflow, *workflow.subprocesses.values()):
        for task in wf.tasks.values():
            if task.state == TaskState.WAITING and task.id not in changed and \
                    "event_value" in task.internal_data:
                kept[task.id] = task.internal_data["event_value"]
    return kept


def _restore_timers(workflow: BpmnWorkflow, kept: dict[Any, Any]) -> None:
    for wf in (workflow, *workflow.subprocesses.values()):
        for task_id, value in kept.items():
            task = wf.tasks.get(task_id)
            if task is not None and task.state == TaskState.WAITING:
                task.internal_data["event_value"] = value
