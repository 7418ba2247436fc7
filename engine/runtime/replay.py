"""Steps that can be run again and land where they landed the first time.

A clerk's step is not written as a new workflow state: the dossier keeps its last snapshot
and the audit chain already holds the step's input (the task, the form data, the moment).
Restoring the workflow runs those steps again on the snapshot, so a step must depend on
nothing else. Two things in SpiffWorkflow would differ on a second run: the clock (timer
events, scripts, a task's ``last_state_change``) and the ids of the tasks a step creates,
which work items and later events name. Inside ``step_moment`` the clock stands at the
step's moment and new task ids come from the completed task's id (``task_ids.seeded``).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from SpiffWorkflow.bpmn.workflow import BpmnWorkflow

from engine.runtime import workflows
from engine.runtime.clock import ManualClock, clock_scope
from engine.runtime.task_ids import seeded


@dataclass(frozen=True)
class LoggedStep:
    """A step as its audit event keeps it: the task it completed, its data, its moment."""

    task_uuid: str
    data: dict[str, Any]
    at: datetime


@contextmanager
def step_moment(at: datetime, task_uuid: str) -> Iterator[None]:
    """Run a step as of ``at``, new task ids drawn from the completed task's id."""
    with seeded(task_uuid), clock_scope(ManualClock(at)):
        yield


def complete(workflow: BpmnWorkflow, task_uuid: str, data: dict[str, Any],
             at: datetime) -> None:
    """Complete a ready task so that a replay of the same step does the same."""
    with step_moment(at, task_uuid):
        workflows.complete(workflow, task_uuid, data)


def replay(workflow: BpmnWorkflow, steps: Sequence[LoggedStep]) -> BpmnWorkflow:
    """The workflow of a snapshot moved by the steps logged after it, in their order."""
    for step in steps:
        complete(workflow, step.task_uuid, step.data, step.at)
    return workflow
