"""A deadline set per dossier: the ``deadline_working_days`` variable (docs/authoring.md §2).

Some procedures have two statutory deadlines, chosen by what the applicant asks for (birth
registration: same day; 3 working days together with the recognition of a parent). A
script task right after the start sets ``deadline_working_days``; the due date is then that
many working days instead of the procedure's ``deadline``. The value must be a number
written in the script (or one of two numbers, ``3 if x else 1``), so the deploy can check it
and the step allowances can be measured against the longest deadline the procedure has.
"""

from __future__ import annotations

import ast
import math
from dataclasses import dataclass

from lxml import etree

from engine.definitions.vocabulary import NS
from engine.errors import Problem
from engine.i18n import msg

DEADLINE_VARIABLE = "deadline_working_days"

_SCRIPTS = ("//bpmn:script", "//spiffworkflow:preScript", "//spiffworkflow:postScript")


@dataclass(frozen=True)
class DossierDeadlines:
    """The numbers the scripts of one process may set, and what is wrong with them."""

    values: tuple[float, ...]
    problems: tuple[Problem, ...]

    @property
    def longest(self) -> float | None:
        return max(self.values) if self.values else None


def read_dossier_deadlines(process: etree._Element, file: str) -> DossierDeadlines:
    values: list[float] = []
    problems: list[Problem] = []
    for script in process.xpath(" | ".join("." + path for path in _SCRIPTS), namespaces=NS):
        text = script.text or ""
        if DEADLINE_VARIABLE not in text:
            continue
        try:
            tree = ast.parse(text)
        except SyntaxError:
            continue  # the expression checks report it
        owner = script.getparent()
        if etree.QName(owner).localname == "extensionElements":
            owner = owner.getparent()
        where = f"{etree.QName(owner).localname} '{owner.get('id', '')}'"
        for node in ast.walk(tree):
            for value, ok in _assignments(node):
                if ok:
                    values.extend(value)
                else:
                    problems.append(Problem(
                        file, script.sourceline, where,
                        msg("err_must_set_positive_number_working",
                            deadline_variable=DEADLINE_VARIABLE)))
    return DossierDeadlines(tuple(values), tuple(problems))


def _assignments(node: ast.AST) -> list[tuple[list[float], bool]]:
    """(the numbers assigned, whether the assignment is one we accept) for each assignment
    of the variable in ``node``."""
    if isinstance(node, ast.Assign):
        if any(_names(t) for t in node.targets):
            numbers = _numbers(node.value)
            return [(numbers or [], numbers is not None)]
    elif isinstance(node, ast.AnnAssign | ast.AugAssign | ast.NamedExpr):
        if _names(node.target):
            return [([], False)]
    elif isinstance(node, ast.For | ast.comprehension) and _names(node.target):
        return [([], False)]
    return []


def _names(target: ast.AST) -> bool:
    if isinstance(target, ast.Name):
        return target.id == DEADLINE_VARIABLE
    if isinstance(target, ast.Tuple | ast.List):
        return any(_names(t) for t in target.elts)
    return False


def _numbers(value: ast.expr) -> list[float] | None:
    if isinstance(value, ast.IfExp):
        body, orelse = _numbers(value.body), _numbers(value.orelse)
        return None if body is None or orelse is None else body + orelse
    if isinstance(value, ast.Constant):
        number = _positive(value.value)
        return None if number is None else [number]
    return None


def _positive(value: object) -> float | None:
    """A positive, finite int or float (not a bool, not a text) as a float; else None."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    number = float(value)
    return number if math.isfinite(number) and number > 0 else None


def dossier_deadline(data: dict[str, object]) -> float | None:
    """The per-dossier deadline the start steps set, if any; a value the deploy could not
    see (from a decision table, say) that is not a positive number is refused."""
    if DEADLINE_VARIABLE not in data:
        return None
    value = data[DEADLINE_VARIABLE]
    number = _positive(value)
    if number is None:
        raise ValueError(f"{DEADLINE_VARIABLE} is {value!r}; the automatic steps after the "
                         "start must set it to a positive number of working days")
    return number
