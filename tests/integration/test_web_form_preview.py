"""The form preview of the designer's workbench, over real HTTP: the clerk's renderer draws
a schema the deploy would accept; a schema the deploy refuses, however odd, is a short
message in Vietnamese (never a 500); only designers, with the session's CSRF token."""

from __future__ import annotations

import json
from collections.abc import Iterator

import httpx
import pytest

from api.web.forms import fields
from engine.service.forms import MAX_DRAFT_CHARS
from tests.conftest import PROCESSES
from tests.features.api_steps import ApiOffice, csrf_of, web_session

PREVIEW = "/thiet-ke/bieu-mau/xem-truoc"
FORM = PROCESSES / "forms" / "chung_thuc_ban_sao.xu_ly.json"


@pytest.fixture(scope="module")
def designer(api: ApiOffice) -> Iterator[tuple[httpx.Client, str]]:
    web = web_session(api, "designer")
    yield web, csrf_of(web.get("/thu-tuc").text)
    web.close()


def _preview(designer: tuple[httpx.Client, str], schema: str) -> httpx.Response:
    web, csrf = designer
    return web.post(PREVIEW, data={"csrf": csrf, "name": "x.json", "schema": schema})


def test_a_shipped_form_is_drawn_as_the_clerk_sees_it(
        designer: tuple[httpx.Client, str]) -> None:
    text = FORM.read_text(encoding="utf-8")
    answer = _preview(designer, text)
    assert answer.status_code == 200, answer.text[:300]
    for field in fields(json.loads(text)):
        assert f'id="{field.input_id}"' in answer.text
        assert field.title in answer.text
    assert "<html" not in answer.text  # a fragment, not a page


def test_a_new_required_field_shows_with_its_title_and_mark(
        designer: tuple[httpx.Client, str]) -> None:
    schema = {"type": "object", "required": ["so_to"],
              "properties": {"so_to": {"type": "string", "title": "Số tờ khai"}}}
    answer = _preview(designer, json.dumps(schema))
    assert answer.status_code == 200
    assert 'for="field-so_to">Số tờ khai <span class="req"' in answer.text
    assert 'name="f_so_to"' in answer.text and 'aria-required="true"' in answer.text


@pytest.mark.parametrize("schema", [
    '{"type": "object", "properties": {',  # not JSON
    '{"type": "object", "properties": 3}',  # not a JSON Schema
    '{"type": "array"}',  # not a form
    "true", "[]", '"x"', "",
    "[" * 50_000 + "]" * 50_000,  # nested past the parser's recursion
    '{"type": "object", "minimum": ' + "9" * 5000 + "}",  # more digits than Python converts
])
def test_a_schema_the_deploy_refuses_is_a_short_message_in_vietnamese(
        designer: tuple[httpx.Client, str], schema: str) -> None:
    answer = _preview(designer, schema)
    assert answer.status_code == 422, answer.text[:300]
    assert "Chưa xem trước được" in answer.text
    assert "<html" not in answer.text and "f_" not in answer.text


def test_the_line_of_a_syntax_error_is_said(designer: tuple[httpx.Client, str]) -> None:
    answer = _preview(designer, '{\n  "type": "object",\n  "properties": {,}\n}')
    assert answer.status_code == 422
    assert "(dòng 3)" in answer.text


def test_bounds_no_input_can_carry_are_left_out(designer: tuple[httpx.Client, str]) -> None:
    schema = ('{"type": "object", "properties": {"n": {"type": "integer", "title": "Số",'
              ' "minimum": 1e400, "maximum": 1' + "0" * 400 + "}}}")
    answer = _preview(designer, schema)
    assert answer.status_code == 200, answer.text[:300]
    assert 'id="field-n"' in answer.text and "min=" not in answer.text


def test_a_draft_too_large_to_preview_is_said_so(designer: tuple[httpx.Client, str]) -> None:
    big = json.dumps({"type": "object", "description": "x" * MAX_DRAFT_CHARS})
    answer = _preview(designer, big)
    assert answer.status_code == 413
    assert "quá lớn để xem trước" in answer.text


def test_only_designers_with_the_token_get_a_preview(api: ApiOffice,
                                                     designer: tuple[httpx.Client, str]
                                                     ) -> None:
    web, _csrf = designer
    assert web.post(PREVIEW, data={"csrf": "0" * 64, "schema": "{}"}).status_code == 403
    clerk = web_session(api, "reception")
    csrf = csrf_of(clerk.get("/tiep-nhan").text)
    answer = clerk.post(PREVIEW, data={"csrf": csrf, "schema": FORM.read_text("utf-8")})
    assert answer.status_code == 403 and "field-" not in answer.text
    clerk.close()
