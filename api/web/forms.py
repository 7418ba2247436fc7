"""Step forms from their JSON Schema, for the subset our procedures use: string, integer,
number, boolean, ``format: date``, ``oneOf`` of ``const`` + ``title`` (or ``enum``) choices,
``required``, ``minimum`` / ``maximum`` / ``exclusiveMinimum`` / ``exclusiveMaximum`` and
``minLength`` / ``maxLength``.

``fields`` describes the inputs to draw (numbers as text inputs with a decimal keypad, shown
with a decimal comma); ``read`` turns what the browser sent back into typed data, numbers read
by ``engine.i18n.numbers`` (85,5 · 1.000.000 · 1 000 000), and a message per field, so a
person sees every mistake at once. The engine checks the
data again (``engine.service.forms``), including the conditional rules this renderer does not
evaluate; its ``FormInvalid`` lands next to the field it names.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from starlette.datastructures import FormData

from engine.i18n import Message, numbers

RADIO_MAX = 4  # more choices than this: a drop-down list
TEXTAREA_FROM = 120  # strings allowed to be this long or longer get a text area
Key = str | Message  # a catalog key (filled with the field's bound) or a whole message
PREFIX = "f_"  # form inputs are named f_<field>, apart from csrf and the page's own inputs


@dataclass(frozen=True)
class Field:
    name: str
    title: str
    description: str
    widget: str  # text | textarea | integer | number | checkbox | date | radio | select
    required: bool
    options: list[tuple[str, str]] = field(default_factory=list)
    minimum: float | None = None
    maximum: float | None = None
    value: str = ""
    error: str = ""

    @property
    def input_name(self) -> str:
        return PREFIX + self.name

    @property
    def input_id(self) -> str:
        return "field-" + self.name


def _options(spec: dict[str, Any]) -> list[tuple[str, str]]:
    if isinstance(spec.get("oneOf"), list):
        return [(str(o.get("const")), str(o.get("title") or o.get("const")))
                for o in spec["oneOf"] if isinstance(o, dict) and "const" in o]
    if isinstance(spec.get("enum"), list):
        return [(str(v), str(v)) for v in spec["enum"]]
    return []


def _widget(spec: dict[str, Any], options: list[tuple[str, str]]) -> str:
    kind = spec.get("type")
    if options:
        return "radio" if len(options) <= RADIO_MAX else "select"
    if kind == "boolean":
        return "checkbox"
    if kind in ("integer", "number"):
        return str(kind)
    if spec.get("format") == "date":
        return "date"
    max_length = spec.get("maxLength")
    if isinstance(max_length, int) and max_length >= TEXTAREA_FROM:
        return "textarea"
    return "text"


def _bound(value: Any) -> float | None:
    """A limit the input can carry: a finite number (a schema may say 1e400 or 10**400)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    try:
        bound = float(value)
    except OverflowError:
        return None
    return bound if math.isfinite(bound) else None


def _shown(widget: str, value: Any) -> str:
    """A stored number goes back as the clerk would type it (85,5), so it reads the same."""
    if widget in ("integer", "number") and isinstance(value, int | float):
        return numbers.plain(value)
    return str(value)


def fields(schema: dict[str, Any] | None, values: dict[str, Any] | None = None,
           errors: dict[str, str] | None = None) -> list[Field]:
    """The inputs of a form in the schema's order, filled with ``values``."""
    if not schema:
        return []
    values, errors = values or {}, errors or {}
    required = set(schema.get("required") or [])
    found = []
    for name, spec in (schema.get("properties") or {}).items():
        if not isinstance(spec, dict):
            continue
        options = _options(spec)
        low = _bound(spec.get("minimum", spec.get("exclusiveMinimum")))
        high = _bound(spec.get("maximum", spec.get("exclusiveMaximum")))
        value = values.get(name)
        widget = _widget(spec, options)
        shown = "" if value is None else ("true" if value is True else "false"
                                          if value is False else _shown(widget, value))
        found.append(Field(name, str(spec.get("title") or name),
                           str(spec.get("description") or ""), widget,
                           name in required, options, low, high, shown,
                           errors.get(name, "")))
    return found


@dataclass
class Reading:
    data: dict[str, Any]
    errors: dict[str, Key]  # field -> the message (a catalog key, its bound beside it)
    values: dict[str, Any]  # what to show again in the inputs

    @property
    def ok(self) -> bool:
        return not self.errors


def _bounds(spec: dict[str, Any], number: float) -> tuple[str, Any] | None:
    """The limit broken, written as the clerk reads numbers (0,5, not 0.5)."""
    for key, limit, broken in (("form_min", "minimum", float.__lt__),
                               ("form_above", "exclusiveMinimum", float.__le__),
                               ("form_max", "maximum", float.__gt__),
                               ("form_below", "exclusiveMaximum", float.__ge__)):
        bound = _bound(spec.get(limit))
        if bound is not None and broken(number, bound):
            return key, numbers.plain(spec[limit])
    return None


def _one(spec: dict[str, Any], raw: str) -> tuple[Any, tuple[Key, Any] | None]:
    """(typed value, (message key, bound) or None) for one non-empty input."""
    options = _options(spec)
    kind = spec.get("type")
    if options:
        return raw, None if raw in {v for v, _ in options} else ("form_choice", None)
    if kind in ("integer", "number"):
        try:
            number = numbers.parse(raw, integer=kind == "integer")
        except numbers.NotANumber as exc:
            return raw, (exc.message, None)
        return number, _bounds(spec, float(number))
    if spec.get("format") == "date":
        try:
            date.fromisoformat(raw)
        except ValueError:
            return raw, ("form_date", None)
        return raw, None
    if isinstance(spec.get("minLength"), int) and len(raw) < spec["minLength"]:
        return raw, ("form_required", None)
    if isinstance(spec.get("maxLength"), int) and len(raw) > spec["maxLength"]:
        return raw, ("form_too_long", spec["maxLength"])
    return raw, None


def read(schema: dict[str, Any] | None, form: FormData) -> tuple[Reading, dict[str, Any]]:
    """Typed data and the problems found, plus the bounds each message mentions."""
    reading = Reading({}, {}, {})
    bounds: dict[str, Any] = {}
    if not schema:
        return reading, bounds
    required = set(schema.get("required") or [])
    for name, spec in (schema.get("properties") or {}).items():
        if not isinstance(spec, dict):
            continue
        sent = form.get(PREFIX + name)
        raw = sent.strip() if isinstance(sent, str) else ""
        if spec.get("type") == "boolean":
            reading.data[name] = raw in ("true", "on", "1")
            reading.values[name] = reading.data[name]
            continue
        reading.values[name] = raw
        if not raw:
            if name in required:
                reading.errors[name] = "form_required"
            continue
        value, problem = _one(spec, raw)
        if problem is None:
            reading.data[name] = value
        else:
            reading.errors[name], bounds[name] = problem
    return reading, bounds


def with_errors(found: list[Field], messages: dict[str, str]) -> list[Field]:
    return [replace(f, error=messages.get(f.name, f.error)) for f in found]
