"""The survey file: checked when read, and each answer checked against its question."""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.reports.survey import load, survey


def _file(tmp_path: Path, questions: str) -> Path:
    path = tmp_path / "survey.toml"
    path.write_text('[source]\ntitle = "x"\nconfirmed = false\n' + questions, encoding="utf-8")
    return path


@pytest.mark.parametrize("questions", [
    '[[question]]\ncode = "a"\nscale = "stars"\ntext = "A?"\n',
    '[[question]]\ncode = "a b"\nscale = "yes_no"\ntext = "A?"\n',
    '[[question]]\ncode = "a"\nscale = "yes_no"\n',
    '[[question]]\ncode = "a"\nscale = "yes_no"\ntext = "A?"\n' * 2,
])
def test_a_bad_survey_file_names_the_question(tmp_path: Path, questions: str) -> None:
    with pytest.raises(ValueError, match="question"):
        load(_file(tmp_path, questions))


def test_answers_are_checked_against_their_scales() -> None:
    found = survey()
    assert found.problem({"satisfaction": 5, "access": 4, "procedure": False,
                          "visits": 0}) is None
    assert found.problem({}) == ("satisfaction", "missing")
    assert found.problem({"satisfaction": 5, "access": 0}) == ("access", "scale")
    assert found.problem({"satisfaction": 5, "procedure": 1}) == ("procedure", "scale")
    assert found.problem({"satisfaction": True}) == ("satisfaction", "scale")
    assert found.problem({"satisfaction": 5, "visits": 101}) == ("visits", "scale")
    assert found.problem({"satisfaction": 5, "stars": 5}) == ("stars", "unknown")
