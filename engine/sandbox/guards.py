"""The guards compiled code calls, bound to one evaluation's budget.

The policy turns ``a.b`` into ``_getattr_(a, "b")``, ``a[b]`` into ``_getitem_``, every
iteration into ``_getiter_``, ``a * b`` (and ``+ ** << %``) into ``_binop_``, and puts a
``_tick_()`` at the top of every loop and function body. Each turn of a loop and each item
built is charged to the budget; the clock is read at each charge, so a ``while True:`` ends
when its time is up instead of freezing the office.
"""

from __future__ import annotations

import operator
import time
from collections.abc import Callable, Iterable, Iterator
from datetime import date, datetime, tzinfo
from typing import Any

from RestrictedPython.Guards import guarded_iter_unpack_sequence, guarded_unpack_sequence
from RestrictedPython.PrintCollector import PrintCollector

from engine.i18n import Message, msg, number
from engine.runtime.clock import current_now
from engine.sandbox.allowed import BY_CLASS, BY_TYPE
from engine.sandbox.errors import LimitExceeded, NotAllowedInExpression
from engine.sandbox.limits import Limits

_SEQUENCES = (str, bytes, list, tuple)
_INPLACE: dict[str, Callable[[Any, Any], Any]] = {
    "-=": operator.sub, "/=": operator.truediv, "//=": operator.floordiv, "&=": operator.and_,
    "|=": operator.or_, "^=": operator.xor, ">>=": operator.rshift, "@=": operator.matmul,
}
MAX_STRFTIME = 100


class Budget:
    """Time and items left to one evaluation."""

    __slots__ = ("deadline", "int_bits", "left", "what")

    def __init__(self, limits: Limits, deadline: float, what: Message) -> None:
        self.deadline = deadline
        self.left = limits.size
        self.int_bits = limits.int_bits
        self.what = what

    def charge(self, items: int = 1) -> None:
        self.left -= items
        if self.left < 0:
            raise LimitExceeded(msg("err_builds_too_much_more_than", what=self.what))
        if time.perf_counter() > self.deadline:
            raise LimitExceeded(msg("err_ran_out_time_endless_loop", what=self.what))

    def tick(self) -> None:
        self.charge(1)


class Guards:
    """The guard functions of one evaluation, with its budget."""

    def __init__(self, budget: Budget) -> None:
        self.budget = budget

    # -- values and their attributes --------------------------------------------------------

    def getattr(self, obj: Any, name: str) -> Any:
        if isinstance(obj, type):
            allowed = BY_CLASS.get(obj, frozenset())
        else:
            allowed = BY_TYPE.get(type(obj), frozenset())
        if name.startswith("_") or name not in allowed:
            raise NotAllowedInExpression(
                msg("err_attribute_allowed_expressions", name=name, value=_kind(obj)))
        clocked = _CLOCKED.get((obj, name)) if isinstance(obj, type) else None
        if clocked is not None:
            return clocked
        value = getattr(obj, name)
        guard = _GROWING.get((type(obj), name))
        return guard(self.budget, obj, value) if guard else value

    def getitem(self, obj: Any, key: Any) -> Any:
        if not isinstance(obj, (str, list, tuple, dict, range)):
            raise NotAllowedInExpression(msg("err_cannot_indexed_expressions", value=_kind(obj)))
        return obj[key]

    def write(self, obj: Any) -> Any:
        """``obj[k] = v`` and ``obj.a = v``: only lists and dicts take items."""
        if isinstance(obj, (list, dict)):
            self.budget.charge(1)
            return obj
        raise NotAllowedInExpression(msg("err_cannot_changed_expressions", value=_kind(obj)))

    def getiter(self, obj: Iterable[Any]) -> Iterator[Any]:
        charge = self.budget.charge
        for item in obj:
            charge(1)
            yield item

    def tick(self) -> None:
        self.budget.charge(1)

    # -- operators that can build large values ------------------------------------------------

    def binop(self, op: str, a: Any, b: Any) -> Any:
        if op == "+":
            if isinstance(a, _SEQUENCES) and isinstance(b, _SEQUENCES):
                self.budget.charge(len(a) + len(b))
            return a + b
        if op == "*":
            if isinstance(a, _SEQUENCES) and isinstance(b, int):
                self.budget.charge(len(a) * max(b, 0))
            elif isinstance(b, _SEQUENCES) and isinstance(a, int):
                self.budget.charge(len(b) * max(a, 0))
            elif isinstance(a, int) and isinstance(b, int):  # squaring in a loop doubles
                self._bits(a.bit_length() + b.bit_length())
            return a * b
        if op == "**":
            if isinstance(a, int) and isinstance(b, int) and b > 0 and abs(a) > 1:
                self._bits(b * a.bit_length())
            return a**b
        if op == "<<":
            if isinstance(a, int) and isinstance(b, int) and a:
                self._bits(a.bit_length() + b)
            return a << b
        if op == "%":
            if isinstance(a, (str, bytes)):
                raise NotAllowedInExpression(msg("err_formatting_string_with_allowed_write"))
            return a % b
        raise NotAllowedInExpression(msg("err_operator_allowed", op=op))

    def inplace(self, op: str, a: Any, b: Any) -> Any:
        if op in ("+=", "*=", "**=", "<<=", "%="):
            return self.binop(op[:-1], a, b)
        fn = _INPLACE.get(op)
        if fn is None:
            raise NotAllowedInExpression(msg("err_operator_allowed", op=op))
        return fn(a, b)

    def _bits(self, bits: int) -> None:
        if bits > self.budget.int_bits:
            raise LimitExceeded(msg("err_computes_integer_more_than_bits",
                                    what=self.budget.what, int_bits=number(self.budget.int_bits)))

    # -- what compiled code looks up -----------------------------------------------------------

    def names(self) -> dict[str, Any]:
        return {
            "_getattr_": self.getattr,
            "_getitem_": self.getitem,
            "_write_": self.write,
            "_getiter_": self.getiter,
            "_iter_unpack_sequence_": guarded_iter_unpack_sequence,
            "_unpack_sequence_": guarded_unpack_sequence,
            "_apply_": _apply,
            "_binop_": self.binop,
            "_inplacevar_": self.inplace,
            "_tick_": self.tick,
            "_print_": PrintCollector,
        }


def _apply(fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    return fn(*args, **kwargs)


def _kind(obj: Any) -> Message:
    if isinstance(obj, type):
        return msg("word_the_class", name=obj.__name__)
    if callable(obj):
        return msg("word_a_function")
    return msg("word_value_of_type", name=type(obj).__name__)


# Methods that make a value larger than the one they are called on: charged before they run
# when the size can be told in advance, after otherwise.

def _join(budget: Budget, sep: str, method: Callable[..., str]) -> Callable[..., str]:
    def join(items: Iterable[Any]) -> str:
        parts = list(items)
        budget.charge(len(parts) + sum(len(p) for p in parts if isinstance(p, str))
                      + len(sep) * max(len(parts) - 1, 0))
        return method(parts)
    return join


def _replace(budget: Budget, text: str, method: Callable[..., str]) -> Callable[..., str]:
    def replace(old: str, new: str, count: int = -1) -> str:
        if isinstance(old, str) and isinstance(new, str) and len(new) > len(old):
            times = text.count(old) if old else len(text) + 1
            if count >= 0:
                times = min(times, count)
            budget.charge(times * (len(new) - len(old)))
        return method(old, new, count)
    return replace


def _pad(budget: Budget, text: str, method: Callable[..., str]) -> Callable[..., str]:
    def pad(width: int, *fill: str) -> str:
        if isinstance(width, int) and width > len(text):
            budget.charge(width - len(text))
        return method(width, *fill)
    return pad


def _strftime(budget: Budget, moment: date, method: Callable[[str], str]) -> Callable[[str], str]:
    def strftime(fmt: str) -> str:
        if len(fmt) > MAX_STRFTIME:
            raise LimitExceeded(msg("err_date_format_longer_than_characters",
                                    max_strftime=MAX_STRFTIME))
        return method(fmt)
    return strftime


def _grow_by_argument(budget: Budget, target: Any, method: Callable[..., Any]) \
        -> Callable[..., Any]:
    def grow(*args: Any, **kwargs: Any) -> Any:
        for arg in args:
            if hasattr(arg, "__len__"):
                budget.charge(len(arg))
        budget.charge(1 + len(kwargs))
        return method(*args, **kwargs)
    return grow


def _grow_by_result(budget: Budget, target: Any, method: Callable[..., Any]) \
        -> Callable[..., Any]:
    def grow(*args: Any, **kwargs: Any) -> Any:
        result = method(*args, **kwargs)
        if hasattr(result, "__len__"):
            budget.charge(len(result))
        return result
    return grow


def _now(tz: tzinfo | None = None) -> datetime:
    """``datetime.now`` at the use case's moment: a step replayed from the audit chain reads
    the moment it first ran (engine.runtime.replay), not the moment of the replay."""
    moment = current_now()
    if tz is not None:
        return datetime.fromtimestamp(moment.timestamp(), tz)
    return datetime.fromtimestamp(moment.timestamp())  # the server's local time, as before


def _today() -> date:
    return _now().date()


_CLOCKED: dict[tuple[type, str], Callable[..., Any]] = {
    (datetime, "now"): _now,
    (date, "today"): _today,
}

_Guard = Callable[[Budget, Any, Any], Any]
_GROWING: dict[tuple[type, str], _Guard] = {
    (str, "join"): _join,
    (str, "replace"): _replace,
    **{(str, name): _pad for name in ("center", "ljust", "rjust", "zfill")},
    **{(str, name): _grow_by_result
       for name in ("split", "rsplit", "splitlines", "partition", "rpartition")},
    **{(kind, "strftime"): _strftime for kind in (date, datetime)},
    **{(list, name): _grow_by_argument for name in ("append", "extend", "insert")},
    **{(kind, name): _grow_by_argument for kind in (set, dict) for name in ("add", "update",
                                                                            "setdefault")},
    **{(kind, name): _grow_by_result
       for kind in (list, dict, set, frozenset)
       for name in ("copy", "union", "intersection", "difference", "symmetric_difference",
                    "items", "keys", "values")},
}
