"""Form data checked against a step's JSON Schema before it reaches the workflow."""

from __future__ import annotations

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
    validator = jsonschema.Draft202012Validator(
        schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)
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
