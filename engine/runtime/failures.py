"""What went wrong when the engine ran a dossier's automatic steps, said for a person.

SpiffWorkflow reports a failed script, condition or decision as a ``WorkflowTaskException``
that points at its task; other failures (a service task it cannot call, an error of the
script engine itself) escape as plain exceptions, with the task left in ERROR state. Either
way the use case gets one ``StepFailed`` naming the step, the expression and the error, and
rolls its transaction back.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from SpiffWorkflow.bpmn.specs.event_definitions.timer import TimerEventDefinition
from SpiffWorkflow.bpmn.workflow import BpmnWorkflow
from SpiffWorkflow.exceptions import SpiffWorkflowException
from SpiffWorkflow.task import Task
from SpiffWorkflow.util.task import TaskState

from engine.errors import MotcuaError, StepFailed, Text
from engine.i18n import Message, msg
from engine.sandbox.errors import SandboxError

MAX_TEXT = 2000  # an error or an expression longer than this is cut: it is shown on a page
_EVALUATING = re.compile(r"^Error evaluating expression '(.*)'$", re.DOTALL)


@contextmanager
def step_failures(workflow: BpmnWorkflow) -> Iterator[None]:
    """Run engine steps; any failure of theirs comes out as ``StepFailed``."""
    try:
        yield
    except MotcuaError:
        raise
    except Exception as exc:
        raise failure(exc, workflow) from exc


def failure(exc: BaseException, workflow: BpmnWorkflow | None = None) -> StepFailed:
    task = getattr(exc, "task", None)
    spec = task.task_spec if task is not None else getattr(exc, "task_spec", None)
    if spec is None:
        working_on = _task_in_traceback(exc)
        spec = working_on.task_spec if working_on is not None else None
    if spec is None and workflow is not None:
        errored = _errored_task(workflow)
        spec = errored.task_spec if errored is not None else None
    step_id = getattr(spec, "bpmn_id", None)
    step_name = getattr(spec, "bpmn_name", None) or step_id
    said = _error_text(exc, spec)
    error = _cut(said) if isinstance(said, str) else said  # Python's own words stay as they are
    if step_id is None:
        detail = msg("err_workflow_could_not_go_on", error=error)
    else:
        label = f"'{step_name}' ({step_id})" if step_name != step_id else f"'{step_id}'"
        detail = msg("err_automatic_step_failed", step=label, error=error)
    expression = _expression(exc, spec)
    return StepFailed(detail, step_id, step_name, _cut(expression) if expression else None)


def _errored_task(workflow: BpmnWorkflow) -> Task | None:
    found: list[Task] = []
    for wf in (workflow, *workflow.subprocesses.values()):
        found.extend(t for t in wf.tasks.values() if t.state == TaskState.ERROR)
    return max(found, key=lambda t: t.last_state_change) if found else None


def _task_in_traceback(exc: BaseException) -> Task | None:
    """The task SpiffWorkflow was working on when it failed outside a task error (reading a
    timer's value, say): its methods name it ``my_task``; the innermost one is the step."""
    for error in _chain(exc):
        found: Task | None = None
        trace = error.__traceback__
        while trace is not None:
            candidate = trace.tb_frame.f_locals.get("my_task")
            if isinstance(candidate, Task):
                found = candidate
            trace = trace.tb_next
        if found is not None:
            return found
    return None


def _chain(exc: BaseException) -> Iterator[BaseException]:
    seen: BaseException | None = exc
    for _ in range(5):
        if seen is None:
            return
        yield seen
        seen = seen.__cause__ or seen.__context__


def _error_text(exc: BaseException, spec: Any) -> Text:
    operation = getattr(spec, "operation_name", None)
    if operation and any(isinstance(e, NotImplementedError) for e in _chain(exc)):
        return msg("err_cannot_call_service", operation=operation)
    timer = getattr(spec, "event_definition", None)
    if isinstance(timer, TimerEventDefinition) and not isinstance(exc, SpiffWorkflowException):
        # The expression ran; SpiffWorkflow could not read what it gave as a date or duration.
        return msg("err_timer_not_iso", expression=timer.expression,
                   error=f"{type(exc).__name__}: {exc}")
    # SpiffWorkflow wraps the Python error raised by the expression: show that one, with
    # the notes it adds (a row of a decision table, "did you mean …").
    wrapped = getattr(exc, "error_type", None)
    root = next((e for e in _chain(exc) if type(e).__name__ == wrapped), None)
    said: Text | None = None
    if isinstance(root, SandboxError) and isinstance(root.message, Message):
        said = msg("err_python_error", kind=type(root).__name__, reason=root.message)
    if isinstance(exc, SpiffWorkflowException) and root is not None:
        text = f"{type(root).__name__}: {root}"
    elif isinstance(exc, SpiffWorkflowException):
        text = str(exc.args[0]) if exc.args else type(exc).__name__
    else:
        text = f"{type(exc).__name__}: {exc}"
    # A note that repeats the step's name says nothing the step columns do not.
    name = getattr(spec, "bpmn_name", None)
    notes = [str(n).strip().rstrip(".") for n in getattr(exc, "notes", None) or []]
    notes = [n for n in notes if n and not (name and n.endswith(f"'{name}'"))]
    if said is not None:  # the sandbox's own refusal, in the reader's language
        return msg("err_with_notes", text=said, notes=". ".join(notes)) if notes else said
    return ". ".join([text.strip().rstrip("."), *notes])


def _expression(exc: BaseException, spec: Any) -> str | None:
    line = getattr(exc, "error_line", None)
    if isinstance(line, str) and line.strip():
        return line.strip()
    message = str(exc.args[0]) if exc.args else ""
    quoted = _EVALUATING.match(message)
    if quoted:
        return quoted.group(1)
    script = getattr(spec, "script", None)
    if isinstance(script, str) and script.strip():
        return script.strip()
    decisions = getattr(spec, "dmnEngine", None)
    if decisions is not None:
        inputs = [i.expression for i in decisions.decision_table.inputs if i.expression]
        return ", ".join(inputs) or None
    operation = getattr(spec, "operation_name", None)
    if operation:
        return str(operation)
    timer = getattr(getattr(spec, "event_definition", None), "expression", None)
    return timer if isinstance(timer, str) else None


def _cut(text: str) -> str:
    return text if len(text) <= MAX_TEXT else text[:MAX_TEXT - 1] + "…"
