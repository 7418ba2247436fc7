"""Form data checked against a step's JSON Schema before it reaches the workflow; a form a
designer is writing, checked as a deploy checks it."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any

import jsonschema

from engine.definitions.bundle import read_form
from engine.errors import FormInvalid, Problem, TooLarge
from engine.i18n import msg, numbers
from engine.model import User
from engine.service.permissions import require_role

# A draft is previewed on every pause in typing: far above any real form (the shipped ones
# are under 3 KB), far below what would make a preview slow.
MAX_DRAFT_CHARS = 256 * 1024


@dataclass(frozen=True)
class DraftForm:
    """A form file as a designer is writing it: its schema, or the problem a deploy would
    report (never both)."""

    schema: dict[str, Any] | None
    problem: Problem | None


def draft_form(user: User, name: str, text: str) -> DraftForm:
    """Check a designer's draft of a form file with the deploy's own check."""
    require_role(user, "designer")
    if len(text) > MAX_DRAFT_CHARS:
        raise TooLarge(msg("err_form_file_most_kib_here", value=MAX_DRAFT_CHARS // 1024))
    schema, problem = read_form(name, text)
    return DraftForm(schema, problem)


def check_form(schema: dict[str, Any] | None, data: dict[str, Any]) -> dict[str, Any]:
    """Return the accepted data or raise ``FormInvalid`` naming the first bad field.

    Only the form's own fields pass: a clerk cannot set workflow variables the form does not
    offer (the fee, an outcome of another step).
    """
    if not isinstance(data, dict):
        raise FormInvalid("", msg("err_form_data_must_json_object"))
    if schema is None:
        if data:
            raise FormInvalid(sorted(data)[0], msg("err_step_has_form_send_data"))
        return {}
    allowed = set(schema.get("properties", {}))
    extra = sorted(set(data) - allowed)
    if extra:
        raise FormInvalid(extra[0], msg("err_unknown_field_form_has",
                                        allowed=', '.join(sorted(allowed))))
    data = _numbers_read(schema, data)
    validator = _validator(schema)
    errors = sorted(validator.iter_errors(data), key=lambda e: list(e.absolute_path))
    if errors:
        err = errors[0]
        if err.validator == "required":
            missing = next((f for f in err.validator_value if f not in err.instance), "")
            title = schema.get("properties", {}).get(missing, {}).get("title", missing)
            raise FormInvalid(missing, msg("err_required", title=title))
        field = ".".join(str(p) for p in err.absolute_path)
        title = schema.get("properties", {}).get(field, {}).get("title", field)
        raise FormInvalid(field, msg("err_forms", title=title, message=err.message))
    return dict(data)


def _numbers_read(schema: dict[str, Any], data: dict[str, Any]) -> dict[str, Any]:
    """A number field sent as text ("85,5", "1.000.000") is read by the office's number rule,
    as the desk's pages read it; JSON numbers pass as they are."""
    read = dict(data)
    for name, value in data.items():
        spec = schema.get("properties", {}).get(name)
        kind = spec.get("type") if isinstance(spec, dict) else None
        if kind in ("integer", "number") and isinstance(value, str):
            try:
                read[name] = numbers.parse(value, integer=kind == "integer")
            except numbers.NotANumber as exc:
                raise FormInvalid(name, exc.message) from exc
    return read


_VALIDATORS: dict[int, tuple[dict[str, Any], jsonschema.Draft202012Validator]] = {}
_LOCK = threading.Lock()
MAX_VALIDATORS = 512


def _validator(schema: dict[str, Any]) -> jsonschema.Draft202012Validator:
    """One validator per form schema: building one costs more than validating a form. Forms
    belong to immutable procedure versions, cached for the life of the process, so the
    schema object itself is the key (kept alive by the entry, so its id is never reused)."""
    hit = _VALIDATORS.get(id(schema))
    if hit is not None and hit[0] is schema:
        return hit[1]
    validator = jsonschema.Draft202012Validator(
        schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)
    with _LOCK:
        if len(_VALIDATORS) >= MAX_VALIDATORS:
            _VALIDATORS.clear()
        _VALIDATORS[id(schema)] = (schema, validator)
    return validator
