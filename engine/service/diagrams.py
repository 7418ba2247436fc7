"""What the diagram pages need from the definitions: a diagram without its code for readers,
problems placed on elements, two versions compared, and the modeler's word lists."""

from __future__ import annotations

from engine.definitions.diagrams import Change, Comparison, compare, problem_element, without_code
from engine.definitions.vocabulary import DEADLINE_UNITS, LEVELS, OUTCOMES


def modeler_choices() -> dict[str, list[str]]:
    """The values the properties panel offers for a procedure's level, deadline unit and an
    end event's outcome."""
    return {"levels": list(LEVELS), "units": list(DEADLINE_UNITS), "outcomes": list(OUTCOMES)}


__all__ = ["Change", "Comparison", "compare", "modeler_choices", "problem_element",
           "without_code"]
