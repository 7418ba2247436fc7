"""The applicant's own fields, as the desk's start form and the online filing both ask them.

One table of names, labels and limits (the API's ``schemas.Applicant``) and one reader, so
the two doors cannot drift apart; each door keeps its own way of asking how to be told."""

from __future__ import annotations

from typing import Any

from starlette.datastructures import FormData

from api.web.pages import Page, text_field

FieldSpec = tuple[str, int, bool]  # (label's catalog id, longest accepted, required)
NOTIFY = ("email", "sms")  # how the applicant chooses to be told (engine.people.contacts)


def applicant_fields(email_label: str) -> dict[str, FieldSpec]:
    """The fields by name; each door words the e-mail's label for its reader."""
    return {"name": ("applicant_name", 200, True), "id_number": ("id_number", 20, False),
            "phone": ("phone", 20, False), "email": (email_label, 254, False),
            "address": ("address", 300, False)}


def read_applicant(page: Page, form: FormData, fields: dict[str, FieldSpec],
                   errors: dict[str, str]) -> dict[str, Any]:
    """The fields given (input ``applicant_<name>``); a field too long or a required one
    left empty goes into ``errors`` under its input's name."""
    applicant: dict[str, Any] = {}
    for name, (_label, limit, required) in fields.items():
        value = text_field(form, f"applicant_{name}", 10_000)
        if len(value) > limit:
            errors[f"applicant_{name}"] = page.t("form_too_long", bound=limit)
        elif required and not value:
            errors[f"applicant_{name}"] = page.t("form_required", bound=None)
        if value:
            applicant[name] = value
    return applicant
