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
from engine.i18n import msg
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
        raise FormInvalid("key", msg("err_write_key_lower_case_ascii"))
    for value, which in ((name, "name"), (code, "code"), (field, "field")):
        if not value:
            raise FormInvalid(which, msg("err_fill", which=msg(f"word_template_{which}")))
    if level not in LEVELS:
        raise FormInvalid("level", msg("err_choose_one", levels=', '.join(LEVELS)))
    if deadline_unit not in DEADLINE_UNITS:
        raise FormInvalid("deadline_unit", msg("err_choose_one_2",
                                               deadline_units=', '.join(DEADLINE_UNITS)))
    amount: float | None = None
    if deadline_unit != "same_day":
        try:
            amount = float(deadline.replace(",", "."))
        except ValueError:
            amount = None
        if amount is None or not 0 < amount <= 1000:
            raise FormInvalid("deadline", msg("err_write_statutory_deadline_positive_number"))
    with office.db.unit_of_work(readonly=True) as uow:
        known = home_department_names(office, uow)
    desk = office.reception_department
    if desk not in known:
        raise FormInvalid("departments", msg("err_one_stop_desk_department_office", desk=desk))
    unknown = [d for d in departments if d not in known]
    if unknown:
        raise FormInvalid("departments", msg("err_unknown_departments", unknown=', '.join(unknown)))
    chosen = [desk] + [d for d in dict.fromkeys(departments) if d != desk]
    main, files = template.bundle(template.Template(
        key=key, name=name, code=code, field=field, level=level, deadline=amount,
        deadline_unit=deadline_unit, desk=(desk, known[desk]),
        departments=tuple((d, known[d]) for d in chosen)))
    return NewBundle(main, files)


__all__ = ["Change", "Comparison", "NewBundle", "compare", "modeler_choices", "new_procedure",
           "problem_element", "without_code"]
