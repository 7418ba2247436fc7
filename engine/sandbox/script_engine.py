"""The SpiffWorkflow script engine every workflow we build gets: expressions compiled under
the policy, run against task data with the allow-listed builtins, inside their budgets."""

from __future__ import annotations

import contextvars
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from datetime import date, datetime, timedelta
from datetime import time as clock_time
from decimal import Decimal
from typing import Any

from SpiffWorkflow.bpmn.exceptions import WorkflowTaskException
from SpiffWorkflow.bpmn.script_engine import PythonScriptEngine
from SpiffWorkflow.bpmn.script_engine.python_environment import BasePythonScriptEngineEnvironment
from SpiffWorkflow.exceptions import SpiffWorkflowException

from engine.i18n import Message, msg, number
from engine.sandbox.errors import LimitExceeded, NotAllowedInExpression
from engine.sandbox.guards import Budget, Guards
from engine.sandbox.limits import Limits
from engine.sandbox.policy import compile_expression

# What a script may leave in the task data: values the state serializer can store.
DATA_TYPES = (str, int, float, bool, type(None), list, dict, tuple, Decimal, date, datetime,
              clock_time, timedelta)
MAX_RANGE = 1_000_000


def _range(*args: int) -> range:
    span = range(*args)
    if len(span) > MAX_RANGE:
        raise LimitExceeded(msg("err_range_numbers_most",
                                value=number(len(span)), max_range=number(MAX_RANGE)))
    return span


def _sum(items: Any, start: Any = 0) -> Any:
    # sum(lists, []) copies the growing list once per item: quadratic, in C, unbudgeted.
    if not isinstance(start, (int, float, Decimal)):
        raise NotAllowedInExpression(msg("err_sum_adds_numbers_only_join"))
    return sum(items, start)


# Turning a Decimal such as 1E+999999 into an int takes the interpreter most of a minute,
# in C where no budget can stop it; numbers in procedures have a few dozen digits.
MAX_INT_DIGITS = 4300


def _huge_decimal(value: Any) -> bool:
    return isinstance(value, Decimal) and value.is_finite() and value.adjusted() > MAX_INT_DIGITS


def _int(value: Any = 0, *base: int) -> int:
    if _huge_decimal(value):
        raise LimitExceeded(msg("err_int_number_with_more_than", max_int_digits=MAX_INT_DIGITS))
    return int(value, *base)


def _round(value: Any, *digits: Any) -> Any:
    if not digits and _huge_decimal(value):
        raise LimitExceeded(msg("err_round_number_with_more_than", max_int_digits=MAX_INT_DIGITS))
    return round(value, *digits)


_REAL_TYPES: dict[Any, type] = {_int: int}


def _isinstance(value: Any, kinds: Any) -> bool:
    """isinstance(x, int) sees the real int behind the guarded one."""
    if isinstance(kinds, tuple):
        kinds = tuple(_REAL_TYPES.get(k, k) for k in kinds)
    else:
        kinds = _REAL_TYPES.get(kinds, kinds)
    return isinstance(value, kinds)


# Modules the interpreter itself imports while running allowed code (``date.today()`` and
# ``strftime`` import ``time`` through the caller's builtins). Code cannot name ``__import__``
# (the policy refuses names that start with ``_``), so nothing else ever asks for one.
_INTERNAL_MODULES = frozenset({"time", "_strptime"})


def _internal_import(name: str, *args: Any, **kwargs: Any) -> Any:
    if name not in _INTERNAL_MODULES:
        raise NotAllowedInExpression(msg("err_import_allowed_expressions", name=name))
    return __import__(name, *args, **kwargs)


# The builtins an expression may use: numbers, strings, containers and dates.
BUILTINS: dict[str, Any] = {
    "__import__": _internal_import,
    "abs": abs, "all": all, "any": any, "bool": bool, "chr": chr, "dict": dict,
    "divmod": divmod, "enumerate": enumerate, "filter": filter, "float": float,
    "frozenset": frozenset, "int": _int, "isinstance": _isinstance, "len": len, "list": list,
    "map": map, "max": max, "min": min, "ord": ord, "range": _range, "repr": repr,
    "reversed": reversed, "round": _round, "set": set, "sorted": sorted, "str": str,
    "sum": _sum, "tuple": tuple, "zip": zip,
    "Decimal": Decimal, "date": date, "datetime": datetime, "timedelta": timedelta,
    "None": None, "True": True, "False": False,
    # The exceptions an ``assert`` or ``raise`` in a script may name.
    "ValueError": ValueError, "AssertionError": AssertionError,
}


class _Step:
    """The budget of every evaluation inside one use case."""

    __slots__ = ("deadline", "limits", "tasks")

    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self.deadline = time.perf_counter() + limits.step_ms / 1000
        self.tasks = 0

    def count(self, _task: Any = None) -> None:
        self.tasks += 1
        if self.tasks > self.limits.engine_tasks:
            raise LimitExceeded(msg("err_more_than_automatic_steps_row",
                                    engine_tasks=number(self.limits.engine_tasks)))


_STEP: contextvars.ContextVar[_Step | None] = contextvars.ContextVar("motcua_step",
                                                                     default=None)


class SandboxEnvironment(BasePythonScriptEngineEnvironment):
    """Evaluates and executes compiled-under-policy code with guarded names only."""

    def __init__(self, limits: Limits, helpers: Mapping[str, Callable[..., Any]]) -> None:
        super().__init__({})
        self.limits = limits
        self.builtins = {**BUILTINS, **helpers}

    def _budget(self, what: Message) -> Budget:
        now = time.perf_counter()
        deadline = now + self.limits.time_ms / 1000
        step = _STEP.get()
        if step is not None:
            if now > step.deadline:
                raise LimitExceeded(msg("err_automatic_steps_action_took_longer",
                                        step_ms=self.limits.step_ms))
            deadline = min(deadline, step.deadline)
        return Budget(self.limits, deadline, what)

    def _scope(self, what: Message, context: dict[str, Any],
               external: dict[str, Any] | None) -> tuple[dict[str, Any], dict[str, Any]]:
        guards = Guards(self._budget(what)).names()
        # The guards and builtins come last: task data (an applicant's form) must never
        # replace them, whatever its keys.
        scope = {**(external or {}), **context, "__builtins__": self.builtins, **guards}
        return scope, guards

    def evaluate(self, expression: str, context: dict[str, Any],
                 external_context: dict[str, Any] | None = None) -> Any:
        code = compile_expression(expression, "eval")
        scope, _ = self._scope(msg("word_the_expression"), context, external_context)
        return eval(code, scope)  # code compiled under the policy, guarded names only

    def execute(self, script: str, context: dict[str, Any],
                external_context: dict[str, Any] | None = None) -> bool:
        code = compile_expression(script, "exec")
        scope, guards = self._scope(msg("word_the_script"), context, external_context)
        exec(code, scope)  # code compiled under the policy, guarded names only
        external = external_context or {}
        for key in [k for k in context if k not in scope]:  # ``del name`` in the script
            del context[key]
        for key, value in scope.items():
            if key == "__builtins__" or key in guards or key in external:
                continue
            if isinstance(value, DATA_TYPES) and not (key.startswith("_") and
                                                      key not in context):
                context[key] = value
            elif key in context:  # a variable turned into a function or another object
                del context[key]
        return True


class SandboxScriptEngine(PythonScriptEngine):
    """SpiffWorkflow's script engine with our environment; its errors keep SpiffWorkflow's
    shape (engine/runtime/failures.py reads them) with a readable detail for scripts."""

    def __init__(self, limits: Limits | None = None,
                 helpers: Mapping[str, Callable[..., Any]] | None = None) -> None:
        self.limits = limits or Limits()
        super().__init__(environment=SandboxEnvironment(self.limits, helpers or {}))

    def call_service(self, task: Any, **kwargs: Any) -> Any:
        """No connector exists yet: the step fails, naming the service it asked for.
        (SpiffWorkflow's own version fails on an undefined name in its error handler.)"""
        name = kwargs.get("operation_name") or getattr(task.task_spec, "operation_name", "")
        raise WorkflowTaskException(
            f"the engine cannot call the service '{name}': this office runs no service tasks",
            task=task) from NotImplementedError(name)

    def create_task_exec_exception(self, task: Any, script: str, err: Exception) -> Any:
        """SpiffWorkflow's error for a failed script, its detail written as people read it."""
        wrapped = super().create_task_exec_exception(task, script, err)
        if not isinstance(err, SpiffWorkflowException) and err.args:
            wrapped.error_msg = f"{type(err).__name__}: {err.args[0]}"
            wrapped.args = (wrapped.error_msg,)
        return wrapped

    @contextmanager
    def step(self) -> Iterator[_Step]:
        """One use case's budget; nested calls share the outermost one."""
        current = _STEP.get()
        if current is not None:
            yield current
            return
        step = _Step(self.limits)
        token = _STEP.set(step)
        try:
            yield step
        finally:
            _STEP.reset(token)


_DEFAULT: SandboxScriptEngine | None = None


def default_engine() -> SandboxScriptEngine:
    """The engine with default limits and no helpers, for workflows built without an office
    (tools, tests): still sandboxed."""
    global _DEFAULT
    if _DEFAULT is None:
        _DEFAULT = SandboxScriptEngine()
    return _DEFAULT
