"""The allow-lists: which attributes of which values an expression may use, and which
builtin names it may never mention.

An attribute is allowed by the exact kind of value it is read from, so ``"a".upper`` is
allowed while ``"a".format`` (a way into any attribute of any argument) and the attributes of
functions, generators, frames, classes and modules are not. What is not listed is refused.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal

_STR = frozenset({
    "capitalize", "casefold", "center", "count", "endswith", "find", "index", "isalnum",
    "isalpha", "isdecimal", "isdigit", "islower", "isnumeric", "isspace", "istitle", "isupper",
    "join", "ljust", "lower", "lstrip", "partition", "removeprefix", "removesuffix", "replace",
    "rfind", "rindex", "rjust", "rpartition", "rsplit", "rstrip", "split", "splitlines",
    "startswith", "strip", "swapcase", "title", "upper", "zfill",
})
_LIST = frozenset({"append", "clear", "copy", "count", "extend", "index", "insert", "pop",
                   "remove", "reverse", "sort"})
_DICT = frozenset({"clear", "copy", "get", "items", "keys", "pop", "popitem", "setdefault",
                   "update", "values"})
_SET = frozenset({"add", "clear", "copy", "difference", "discard", "intersection", "isdisjoint",
                  "issubset", "issuperset", "pop", "remove", "symmetric_difference", "union",
                  "update"})
_DATE = frozenset({"day", "isocalendar", "isoformat", "isoweekday", "month", "replace",
                   "strftime", "toordinal", "weekday", "year"})
_TIME = frozenset({"hour", "isoformat", "microsecond", "minute", "replace", "second",
                   "strftime"})

# Attributes of values, by the value's exact type.
BY_TYPE: dict[type, frozenset[str]] = {
    str: _STR,
    list: _LIST,
    dict: _DICT,
    tuple: frozenset({"count", "index"}),
    set: _SET,
    frozenset: _SET - {"add", "clear", "discard", "pop", "remove", "update"},
    int: frozenset({"bit_length"}),
    bool: frozenset({"bit_length"}),
    float: frozenset({"is_integer"}),
    Decimal: frozenset({"adjusted", "is_signed", "is_zero", "normalize", "quantize", "sqrt",
                        "to_integral_value"}),
    date: _DATE,
    datetime: _DATE | _TIME | frozenset({"date", "time", "timestamp"}),
    time: _TIME,
    timedelta: frozenset({"days", "microseconds", "seconds", "total_seconds"}),
}

# Attributes of the few classes expressions may name.
BY_CLASS: dict[type, frozenset[str]] = {
    date: frozenset({"fromisoformat", "today"}),
    datetime: frozenset({"combine", "fromisoformat", "now"}),
}

ALL_ATTRIBUTES: frozenset[str] = frozenset().union(*BY_TYPE.values(), *BY_CLASS.values())

# Builtins that are a way out of the sandbox, or into the interpreter: refused at compile time
# by name, so a designer learns at deploy. (They are not in the sandbox's builtins either, so
# a diagram that bypassed the deploy check still cannot reach them.)
FORBIDDEN_NAMES: frozenset[str] = frozenset({
    "breakpoint", "classmethod", "compile", "delattr", "dir", "eval", "exec", "exit", "format",
    "getattr", "globals", "help", "input", "locals", "memoryview", "object", "open", "property",
    "quit", "setattr", "staticmethod", "super", "type", "vars",
})

# The helpers an office's script engine adds to the builtins (engine/runtime/scripting.py);
# named here so the validator can tell a call of a helper from a call of nothing.
OFFICE_HELPERS: frozenset[str] = frozenset({
    "add_working_days", "is_working_day", "next_working_day", "working_days_between",
})
