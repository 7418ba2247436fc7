"""The satisfaction survey's questions, kept as data with their source (``survey.toml``):
the rating page shows them, the rating use case checks the answers against them, and the
satisfaction sheet sums up the same codes.

Scales: ``satisfaction5`` (1 very dissatisfied … 5 very satisfied; 4 and 5 count as
satisfied), ``yes_no`` (true or false), ``count`` (a whole number 0 … ``MAX_COUNT``). Every
question but the required ones may be left unanswered."""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path

PATH = Path(__file__).resolve().parent / "survey.toml"
SCALES = ("satisfaction5", "yes_no", "count")
MAX_COUNT = 100
SATISFIED = (4, 5)
Answer = int | bool


@dataclass(frozen=True)
class Question:
    code: str
    factor: int  # the SIPAS factor (1 … 5), 0 for the overall question
    scale: str
    text: str  # Vietnamese, as the source file has it
    required: bool = False

    def accepts(self, value: object) -> bool:
        if self.scale == "yes_no":
            return isinstance(value, bool)
        if isinstance(value, bool) or not isinstance(value, int):
            return False
        return 1 <= value <= 5 if self.scale == "satisfaction5" else 0 <= value <= MAX_COUNT


@dataclass(frozen=True)
class Survey:
    source: str
    factors: str
    confirmed: bool
    note: str
    questions: tuple[Question, ...]

    def question(self, code: str) -> Question | None:
        return next((q for q in self.questions if q.code == code), None)

    def problem(self, answers: Mapping[str, object]) -> tuple[str, str] | None:
        """(code, why) of the first answer that does not fit: ``unknown``, ``missing`` or
        ``scale`` (the catalog then says which words); None when all fit."""
        for code in answers:
            if self.question(code) is None:
                return code, "unknown"
        for q in self.questions:
            value = answers.get(q.code)
            if value is None:
                if q.required:
                    return q.code, "missing"
            elif not q.accepts(value):
                return q.code, "scale"
        return None


def load(path: Path = PATH) -> Survey:
    """Read and check the file; a bad file is a ValueError naming the key (a start-up error)."""
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    source = data.get("source", {})
    found: list[Question] = []
    for n, raw in enumerate(data.get("question", []), 1):
        code, scale = str(raw.get("code", "")), str(raw.get("scale", ""))
        if not code.isidentifier() or scale not in SCALES or not raw.get("text"):
            raise ValueError(f"{path.name}: question {n}: needs a code, a scale of "
                             f"{', '.join(SCALES)} and a text")
        if any(q.code == code for q in found):
            raise ValueError(f"{path.name}: question {n}: code {code!r} twice")
        found.append(Question(code, int(raw.get("factor", 0)), scale, str(raw["text"]),
                              bool(raw.get("required", False))))
    return Survey(str(source.get("title", "")), str(source.get("factors", "")),
                  bool(source.get("confirmed", False)), str(source.get("note", "")),
                  tuple(found))


@cache
def survey() -> Survey:
    return load()
