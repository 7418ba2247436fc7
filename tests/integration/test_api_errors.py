"""The error format (application/problem+json) and the input limits, endpoint-independent."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from api.app import create_app
from api.limits import UPLOAD_BODY_BYTES
from api.testing import LiveServer
from tests.features.api_steps import APPLICANT, COPY, ApiOffice

PROBLEM = "application/problem+json"
BASE = "https://motcua.dev/problems/"


def _problem(answer: httpx.Response, status: int, slug: str) -> dict[str, Any]:
    assert answer.status_code == status, answer.text
    assert answer.headers["content-type"] == PROBLEM
    body: dict[str, Any] = answer.json()
    assert body["type"] == BASE + slug
    assert body["status"] == status
    assert body["title"]
    assert body["detail"]
    return body


def test_unknown_routes_and_methods(api: ApiOffice) -> None:
    _problem(api.client("auditor").get("/nowhere"), 404, "not-found")
    _problem(api.client("auditor").delete("/dossiers"), 405, "method-not-allowed")


def test_a_json_body_over_one_mebibyte_is_413(api: ApiOffice) -> None:
    big = b'{"data": "' + b"x" * (1024 * 1024) + b'"}'
    headers = {"content-type": "application/json"}
    body = _problem(api.client("reception").post("/dossiers", content=big, headers=headers),
                    413, "too-large")
    assert "1 MiB" in body["detail"]

    def chunks() -> Iterator[bytes]:  # no Content-Length: the bytes are counted as they come
        yield b'{"data": "'
        for _ in range(11):
            yield b"x" * 100_000
        yield b'"}'

    _problem(api.client("reception").post("/dossiers", content=chunks(), headers=headers),
             413, "too-large")


def test_an_upload_over_the_total_limit_is_413(api: ApiOffice) -> None:
    files = [("files", (f"part{n}.bpmn", b"x" * (4 * 1024 * 1024), "application/xml"))
             for n in range(UPLOAD_BODY_BYTES // (4 * 1024 * 1024) + 1)]
    _problem(api.client("designer").post("/procedures/validate", files=files), 413, "too-large")


@pytest.mark.parametrize(("content", "field"), [
    (b'{"procedure": "chung_thuc_ban_sao", "applicant": ', ""),
    (b'{"procedure": "chung_thuc_ban_sao", "applicant": {"name": "A"}, "data": {"pages": NaN}}',
     "data.pages"),
    (b'{"procedure": "chung_thuc_ban_sao", "applicant": {"name": "A"}, "data": '
     + b'{"a": ' * 40 + b"1" + b"}" * 41, "data.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a."
     "a.a.a.a.a.a.a.a"),
    (b"[1, 2, 3]", ""),
])
def test_malformed_json_is_422_naming_where(api: ApiOffice, content: bytes, field: str) -> None:
    answer = api.client("reception").post("/dossiers", content=content,
                                          headers={"content-type": "application/json"})
    body = _problem(answer, 422, "invalid-request")
    assert body.get("field", "").startswith(field)
    assert body["errors"]


def test_a_json_syntax_error_says_where(api: ApiOffice) -> None:
    answer = api.client("reception").post("/dossiers", content=b'{"procedure": }',
                                          headers={"content-type": "application/json"})
    body = _problem(answer, 422, "invalid-request")
    assert body["detail"] == "not valid JSON at character 14: Expecting value"
    assert "field" not in body


def test_json_nested_beyond_the_parser_is_400(api: ApiOffice) -> None:
    deep = b'{"data": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"
    _problem(api.client("reception").post("/dossiers", content=deep,
                                          headers={"content-type": "application/json"}),
             400, "bad-request")


def test_a_body_that_is_not_json_is_422(api: ApiOffice) -> None:
    answer = api.client("reception").post("/dossiers", content=b"procedure=x",
                                          headers={"content-type": "text/plain"})
    _problem(answer, 422, "invalid-request")


def test_engine_errors_keep_their_own_type(api: ApiOffice) -> None:
    code = api.submit()["code"]
    task_id = api.current(code)["id"]
    api.claim(task_id, "reception")
    body = _problem(api.client("leader").post(f"/tasks/{task_id}/claim"), 409,
                    "already-claimed")
    assert body["title"] == "Bước đã có người nhận"  # Vietnamese unless asked otherwise
    # The colleague by full name and department name, never by login and code.
    assert body["detail"].startswith("Bước này đã được Nguyễn Thị Lan (")
    assert body["detail"].endswith(") nhận xử lý")
    assert "reception" not in body["detail"] and "MOT_CUA" not in body["detail"]
    body = _problem(api.client("leader").post(f"/tasks/{task_id}/claim",
                                              headers={"Accept-Language": "en-GB,en;q=0.9"}),
                    409, "already-claimed")
    assert body["title"] == "Already claimed"
    assert body["detail"].startswith("Nguyễn Thị Lan (")
    assert body["detail"].endswith(") has already claimed this step")
    body = _problem(api.client("reception").post(
        f"/tasks/{task_id}/complete", json={"data": {"ket_qua_kiem_tra": "?"}}),
        422, "invalid-form-data")
    assert body["field"] == "ket_qua_kiem_tra"
    _problem(api.client("justice").get(f"/dossiers/{code}"), 403, "forbidden")
    _problem(api.client().get("/tasks"), 401, "unauthenticated")


def test_the_openapi_document_and_docs_are_served(api: ApiOffice) -> None:
    spec = api.client().get("/openapi.json").json()
    assert "/api/v1/dossiers/{code}/timeline" in spec["paths"]
    assert "OAuth2PasswordBearer" in spec["components"]["securitySchemes"]
    docs = httpx.get(f"{api.url}/docs")
    assert docs.status_code == 200


def test_a_genuine_bug_is_a_logged_500_problem(api: ApiOffice,
                                               caplog: pytest.LogCaptureFixture) -> None:
    """The catch-all, on an app of its own: no endpoint of the API reaches it."""
    app = create_app(api.settings, api.office)

    @app.get("/api/v1/bug")
    def bug() -> None:
        raise RuntimeError("a bug")

    with LiveServer(app) as server, caplog.at_level("ERROR", logger="motcua.api"):
        answer = httpx.get(f"{server.url}/api/v1/bug")
    body = _problem(answer, 500, "internal-error")
    assert "a bug" not in body["detail"]
    assert "unhandled error on GET /api/v1/bug" in caplog.text


def test_submissions_still_work_after_all_that(api: ApiOffice) -> None:
    answer = api.client("reception").post("/dossiers", json={
        "procedure": "chung_thuc_ban_sao", "applicant": APPLICANT, "data": COPY})
    assert answer.status_code == 201
