"""What the diagram pages need from the definitions: a diagram without its code for readers,
problems placed on elements, two versions compared, the modeler's word lists, and a new
procedure drawn from the template."""

from __future__ import annotations

import re
from dataclasses import dataclass

from engine.definitions import template
from engine.definitions.diagrams import Change, Comparison, compare, problem_element, without_code
from engine.definitions.vocabulary import DEADLINE_UNITS, LEVELS, OUTCOMES
from engine.errors import FormInvalid
from engine.model import User
from engine.service.office import Office
from engine.service.permissions import require_role
from engine.service.views.common import home_department_names

_KEY = re.compile(r"^[a-z][a-z0-9_]{0,79}$")


def modeler_choices() -> dict[str, list[str]]:
    """The values the properties panel offers for a procedure's level, deadline unit and an
    end event's outcome."""
    return {"levels": list(LEVELS), "units": list(DEADLINE_UNITS), "outcomes": list(OUTCOMES)}


@dataclass(frozen=True)
class NewBundle:
    """A procedure not deployed yet: its main BPMN file's name and every file's text."""

    main: str
    files: dict[str, str]


def new_procedure(office: Office, me: User, *, key: str, name: str, code: str, field: str,
                  level: str, deadline: str, deadline_unit: str,
                  departments: list[str]) -> NewBundle:
    """A procedure drawn from the template, with the office's desk and the chosen
    departments as lanes; nothing is stored until the designer deploys it."""
    require_role(me, "designer")
    key, name, code, field = key.strip(), name.strip(), code.strip(), field.strip()
    if not _KEY.match(key):
        raise FormInvalid("key", "write the key in lower-case ASCII snake_case, starting "
                          "with a letter (e.g. cap_ban_sao_trich_luc)")
    for value, which in ((name, "name"), (code, "code"), (field, "field")):
        if not value:
            raise FormInvalid(which, f"fill in the {which}")
    if level not in LEVELS:
        raise FormInvalid("level", f"choose one of {', '.join(LEVELS)}")
    if deadline_unit not in DEADLINE_UNITS:
        raise FormInvalid("deadline_unit", f"choose one of {', '.join(DEADLINE_UNITS)}")
    amount: float | None = None
    if deadline_unit != "same_day":
        try:
            amount = float(deadline.replace(",", "."))
        except ValueError:
            amount = None
        if amount is None or not 0 < amount <= 1000:
            raise FormInvalid("deadline", "write the statutory deadline as a positive number")
    with office.db.unit_of_work(readonly=True) as uow:
        known = home_department_names(office, uow)
    desk = office.reception_department
    if desk not in known:
        raise FormInvalid("departments", f"the one-stop desk {desk!r} is not a department of "
                          "the office")
    unknown = [d for d in departments if d not in known]
    if unknown:
        raise FormInvalid("departments", f"unknown departments: {', '.join(unknown)}")
    chosen = [desk] + [d for d in dict.fromkeys(departments) if d != desk]
    main, files = template.bundle(template.Template(
        key=key, name=name, code=code, field=field, level=level, deadline=amount,
        deadline_unit=deadline_unit, desk=(desk, known[desk]),
        departments=tuple((d, known[d]) for d in chosen)))
    return NewBundle(main, files)


__all__ = ["Change", "Comparison", "NewBundle", "compare", "modeler_choices", "new_procedure",
           "problem_element", "without_code"]
