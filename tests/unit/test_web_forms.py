"""The step-form renderer: the inputs drawn from a schema and the values read back."""

from __future__ import annotations

from starlette.datastructures import FormData

from api.web import forms
from engine.i18n import msg

SCHEMA = {
    "type": "object",
    "required": ["result", "pages"],
    "properties": {
        "result": {"type": "string", "title": "Kết quả",
                   "oneOf": [{"const": "dat", "title": "Đạt"},
                             {"const": "tu_choi", "title": "Từ chối"}]},
        "kind": {"type": "string", "enum": ["a", "b", "c", "d", "e"]},
        "pages": {"type": "integer", "title": "Số trang", "minimum": 1, "maximum": 500},
        "area": {"type": "number", "exclusiveMinimum": 0},
        "urgent": {"type": "boolean", "title": "Gấp"},
        "day": {"type": "string", "format": "date"},
        "note": {"type": "string", "maxLength": 500},
    },
}


def test_widgets_follow_the_schema() -> None:
    drawn = {f.name: f for f in forms.fields(SCHEMA, {"pages": 3, "urgent": True})}
    assert [(n, f.widget) for n, f in drawn.items()] == [
        ("result", "radio"), ("kind", "select"), ("pages", "integer"), ("area", "number"),
        ("urgent", "checkbox"), ("day", "date"), ("note", "textarea")]
    assert drawn["result"].options == [("dat", "Đạt"), ("tu_choi", "Từ chối")]
    assert drawn["result"].required and not drawn["kind"].required
    assert (drawn["pages"].minimum, drawn["pages"].maximum, drawn["pages"].value) == \
        (1.0, 500.0, "3")
    assert drawn["urgent"].value == "true"
    assert drawn["pages"].input_name == "f_pages"


def test_values_are_typed_and_every_problem_is_named() -> None:
    sent = FormData([("f_result", "khac"), ("f_pages", "0"), ("f_area", "0"),
                     ("f_day", "2026-02-30"), ("f_kind", "b"), ("f_note", "x" * 501)])
    reading, bounds = forms.read(SCHEMA, sent)
    assert reading.errors == {"result": "form_choice", "pages": "form_min",
                              "area": "form_above", "day": "form_date", "note": "form_too_long"}
    assert bounds["pages"] == "1" and bounds["note"] == 500
    assert reading.data == {"kind": "b", "urgent": False}


def test_good_values_pass_with_their_types() -> None:
    sent = FormData([("f_result", "dat"), ("f_pages", " 12 "), ("f_area", "45,5"),
                     ("f_urgent", "true"), ("f_day", "2026-03-03")])
    reading, _ = forms.read(SCHEMA, sent)
    assert reading.ok
    assert reading.data == {"result": "dat", "pages": 12, "area": 45.5, "urgent": True,
                            "day": "2026-03-03"}


def test_missing_required_fields_and_not_a_number() -> None:
    reading, _ = forms.read(SCHEMA, FormData([("f_pages", "mười")]))
    assert reading.errors == {"result": "form_required", "pages": msg("number_invalid")}
    assert reading.values["pages"] == "mười"


def test_numbers_are_read_as_the_office_writes_them_and_shown_back_with_a_comma() -> None:
    sent = FormData([("f_result", "dat"), ("f_pages", "1.000"), ("f_area", "1.000.000,5")])
    reading, _ = forms.read({**SCHEMA, "properties": {**SCHEMA["properties"], "pages": {
        "type": "integer"}}}, sent)
    assert reading.data == {"result": "dat", "pages": 1000, "area": 1000000.5, "urgent": False}
    ambiguous, _ = forms.read(SCHEMA, FormData([("f_result", "dat"), ("f_pages", "2"),
                                                 ("f_area", "1.234")]))
    assert ambiguous.errors == {"area": msg("number_ambiguous", text="1.234")}
    assert "area" not in ambiguous.data and ambiguous.values["area"] == "1.234"
    fraction, _ = forms.read(SCHEMA, FormData([("f_result", "dat"), ("f_pages", "2,5")]))
    assert fraction.errors == {"pages": msg("number_whole")}
    drawn = {f.name: f for f in forms.fields(SCHEMA, {"area": 85.5, "pages": 1000})}
    assert (drawn["area"].value, drawn["pages"].value) == ("85,5", "1000")
