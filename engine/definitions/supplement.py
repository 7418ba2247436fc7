"""How a step that waits for the applicant (``pauses_clock``) is answered online, and how
long the applicant has (docs/authoring.md §6).

- ``applicant_answer="field=value"``: the applicant's online supplement completes the step
  with that form value (e.g. ``ket_qua_bo_sung=da_bo_sung``), so the diagram's gateway
  routes it as if the desk had taken the papers in;
- ``missing_field``: the process variable in which the step that asked wrote what is
  missing (e.g. ``noi_dung_bo_sung``), shown to the applicant;
- ``supplement_limit_days``: working days the applicant has, counted from the day after the
  request (on the step, else on the process); past it the timer worker returns the dossier
  by completing the step with ``return_answer="field=value"`` (e.g.
  ``ket_qua_bo_sung=rut_ho_so``), the diagram's own way out.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from lxml import etree

from engine.definitions.vocabulary import NS, ProcedureMeta, StepMeta, properties_of
from engine.errors import Problem
from engine.i18n import msg

LIMIT = "supplement_limit_days"
_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


@dataclass(frozen=True)
class Answer:
    """A form value a step is completed with: ``field=value``."""

    field: str
    value: str

    @classmethod
    def parse(cls, text: str | None) -> Answer | None:
        field, eq, value = (text or "").partition("=")
        field, value = field.strip(), value.strip()
        if not eq or not _NAME.match(field) or not value:
            return None
        return cls(field, value)

    def data(self) -> dict[str, Any]:
        return {self.field: self.value}


@dataclass(frozen=True)
class ApplicantStep:
    """What the step's properties say about answering it without staff."""

    answer: Answer | None
    on_return: Answer | None
    limit_days: float | None
    missing_field: str | None


def _days(text: str | None) -> float | None:
    try:
        value = float(text) if text else None
    except ValueError:
        return None
    return value if value is not None and value > 0 else None


def applicant_step(meta: ProcedureMeta, step: StepMeta) -> ApplicantStep:
    """The rule of one step of the procedure ``meta`` (whose process may set the limit)."""
    props = dict(step.properties)
    limit = _days(props.get(LIMIT)) if props.get(LIMIT) else _days(meta.properties.get(LIMIT))
    missing = (props.get("missing_field") or "").strip()
    return ApplicantStep(Answer.parse(props.get("applicant_answer")),
                         Answer.parse(props.get("return_answer")), limit,
                         missing if _NAME.match(missing) else None)


def _choices(schema: Any, field: str) -> set[str] | None:
    """The values the form allows for ``field`` (None: the field is not in the form; an
    empty set: any value)."""
    props = schema.get("properties") if isinstance(schema, dict) else None
    spec = props.get(field) if isinstance(props, dict) else None
    if not isinstance(spec, dict):
        return None
    if isinstance(spec.get("enum"), list):
        return {str(v) for v in spec["enum"]}
    if isinstance(spec.get("oneOf"), list):
        return {str(o.get("const")) for o in spec["oneOf"] if isinstance(o, dict)}
    return set()


def check_supplement_steps(meta: ProcedureMeta, process: etree._Element,
                           forms: dict[str, str]) -> Iterator[Problem]:
    """The properties above: well written, on a step that waits for the applicant, naming a
    field of its form and a value the form allows; a time limit needs a way to return."""
    file = meta.file
    process_limit = meta.properties.get(LIMIT)
    if process_limit is not None and _days(process_limit) is None:
        yield Problem(file, process.sourceline, f"process '{meta.key}'",
                      msg("sup_err_limit", value=process_limit))
    for task in process.xpath(".//bpmn:userTask | .//bpmn:manualTask", namespaces=NS):
        props = properties_of(task)
        used = [p for p in ("applicant_answer", "return_answer", "missing_field", LIMIT)
                if p in props]
        step = meta.steps.get(task.get("id") or "")
        if step is None or not (used or (step.pauses_clock and process_limit)):
            continue
        where = f"userTask '{step.id}'"
        line = task.sourceline
        if not step.pauses_clock:
            if used:
                yield Problem(file, line, where, msg("sup_err_not_pausing", prop=used[0]))
            continue
        if LIMIT in props and _days(props[LIMIT]) is None:
            yield Problem(file, line, where, msg("sup_err_limit", value=props[LIMIT]))
        missing = props.get("missing_field")
        if missing is not None and not _NAME.match(missing.strip()):
            yield Problem(file, line, where, msg("sup_err_missing_field", value=missing))
        try:
            schema = json.loads(forms[step.form or ""])
        except (KeyError, json.JSONDecodeError):
            schema = None  # a missing or broken form is reported by the form checks
        for prop in ("applicant_answer", "return_answer"):
            if prop not in props:
                continue
            answer = Answer.parse(props[prop])
            if answer is None:
                yield Problem(file, line, where, msg("sup_err_answer", prop=prop,
                                                     value=props[prop]))
                continue
            choices = _choices(schema, answer.field) if schema is not None else set()
            if choices is None:
                yield Problem(file, line, where, msg("sup_err_answer_field", prop=prop,
                                                     field=answer.field, form=step.form))
            elif choices and answer.value not in choices:
                yield Problem(file, line, where, msg(
                    "sup_err_answer_value", prop=prop, field=answer.field,
                    value=answer.value, choices=", ".join(sorted(choices))))
        rule = applicant_step(meta, step)
        if rule.limit_days is not None and rule.on_return is None:
            yield Problem(file, line, where, msg("sup_err_limit_needs_return"))
