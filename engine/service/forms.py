"""Form data checked against a step's JSON Schema before it reaches the workflow."""

from __future__ import annotations

import threading
from typing import Any

import jsonschema

from engine.errors import FormInvalid


def check_form(schema: dict[str, Any] | None, data: dict[str, Any]) -> dict[str, Any]:
    """Return the accepted data or raise ``FormInvalid`` naming the first bad field.

    Only the form's own fields pass: a clerk cannot set workflow variables the form does not
    offer (the fee, an outcome of another step).
    """
    if not isinstance(data, dict):
        raise FormInvalid("", "form data must be a JSON object")
    if schema is None:
        if data:
            raise FormInvalid(sorted(data)[0], "this step has no form; send no data")
        return {}
    allowed = set(schema.get("properties", {}))
    extra = sorted(set(data) - allowed)
    if extra:
        raise FormInvalid(extra[0], f"unknown field; this form has: {', '.join(sorted(allowed))}")
    validator = _validator(schema)
    errors = sorted(validator.iter_errors(data), key=lambda e: list(e.absolute_path))
    if errors:
        err = errors[0]
        if err.validator == "required":
            missing = next((f for f in err.validator_value if f not in err.instance), "")
            title = schema.get("properties", {}).get(missing, {}).get("title", missing)
            raise FormInvalid(missing, f"'{title}' is required")
        field = ".".join(str(p) for p in err.absolute_path)
        title = schema.get("properties", {}).get(field, {}).get("title", field)
        raise FormInvalid(field, f"'{title}': {err.message}")
    return dict(data)


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
