"""The version comparison's sentences: what changed, from what, to what, as catalog
Messages with the values shown by their meaning ("3 giờ → 3,5 giờ", "ngày làm việc"),
not as the raw attribute text."""

from __future__ import annotations

from engine.definitions.vocabulary import DEADLINE_UNITS, LEVELS, Allowance
from engine.i18n import Message, msg

# Signature keys with a word of their own (cmp_key_<key>); other keys show as they are.
_KEYS = frozenset({"name", "lane", "sourceRef", "targetRef", "attachedToRef", "calledElement",
                   "default", "condition", "script", "decision", "timer"})
_PROPERTIES = frozenset({"allowance", "department", "deadline", "deadline_unit", "level",
                         "procedure_code", "field", "outcome", "form"})


def _what(key: str) -> Message | str:
    if key.startswith("property "):
        name = key.removeprefix("property ")
        if name in _PROPERTIES:
            return msg(f"cmp_property_{name}")
        return msg("cmp_property", name=name)
    return msg(f"cmp_key_{key}") if key in _KEYS else key


def _value(key: str, value: str | None) -> Message | str:
    if not value:
        return "∅"
    if key == "property allowance":
        try:
            allowance = Allowance.parse(value)
        except ValueError:
            return value
        unit = "cmp_hours" if allowance.unit == "working_hours" else "cmp_days"
        return msg(unit, amount=allowance.amount)
    if key == "property deadline_unit" and value in DEADLINE_UNITS:
        return msg(f"unit_{value}")
    if key == "property level" and value in LEVELS:
        return msg(f"word_level_{value}")
    if key == "property deadline":
        try:
            return msg("cmp_number", amount=float(value))
        except ValueError:
            return value
    return value


def changed(key: str, before: str | None, after: str | None) -> Message:
    """One line of a changed element: ``what: before → after``."""
    return msg("cmp_changed", what=_what(key), before=_value(key, before),
               after=_value(key, after))
