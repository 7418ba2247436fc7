"""The procedure catalogue and deploys over HTTP (multipart uploads)."""

from __future__ import annotations

from typing import Any

import pytest

from api.limits import MAX_FILES
from tests.conftest import PROCESSES, definition_files
from tests.features.api_steps import ApiOffice

PROBLEM = "application/problem+json"
COPY_BPMN = "chung_thuc_ban_sao.bpmn"


def _uploads(files: dict[str, bytes]) -> list[tuple[str, tuple[str, bytes, str]]]:
    return [("files", (name, data, "application/octet-stream")) for name, data in files.items()]


def _copy_files(bpmn: bytes | None = None) -> dict[str, bytes]:
    files = {name: data for name, data in definition_files(PROCESSES).items()
             if name.startswith(("chung_thuc_ban_sao", "phi_chung_thuc"))}
    if bpmn is not None:
        files[COPY_BPMN] = bpmn
    return files


def _line_of(text: bytes, needle: bytes) -> int:
    return text[:text.index(needle)].count(b"\n") + 1


def test_everyone_signed_in_reads_the_catalogue(api: ApiOffice) -> None:
    answer = api.client("reception").get("/procedures")
    assert answer.status_code == 200
    keys = [p["key"] for p in answer.json()]
    assert keys == ["cap_phep_xay_dung", "chung_thuc_ban_sao", "dang_ky_ho_kinh_doanh",
                    "dang_ky_khai_sinh"]
    assert api.client().get("/procedures").status_code == 401


def test_a_procedure_shows_its_lanes_departments_versions_and_start_form(
        api: ApiOffice) -> None:
    body = api.client("reception").get("/procedures/chung_thuc_ban_sao").json()
    assert body["code"] == "2.000815"
    assert body["deadline_unit"] == "same_day"
    lanes = {lane["department"]: lane["department_name"] for lane in body["lanes"]}
    # As the home unit (the first ward) names its departments.
    assert lanes == {"MOT_CUA": "Trung tâm Phục vụ hành chính công phường Hà Đông",
                     "TU_PHAP": "Văn phòng HĐND và UBND phường Hà Đông (tư pháp – hộ tịch)",
                     "LANH_DAO": "Lãnh đạo UBND phường Hà Đông"}
    assert [v["version"] for v in body["versions"]] == list(range(1, body["latest_version"] + 1))
    assert body["versions"][0]["deployed_by"] == "designer"
    assert body["start_form"]["required"] == ["ten_giay_to", "pages", "copies"]
    assert [s["id"] for s in body["steps"]][:2] == ["Task_KiemTraHoSo", "Task_XuLy"]


def test_unknown_procedures_and_versions_are_404(api: ApiOffice) -> None:
    designer = api.client("designer")
    for path in ("/procedures/khong_co", "/procedures/khong_co/versions/1/bpmn",
                 "/procedures/chung_thuc_ban_sao/versions/99/bpmn"):
        answer = designer.get(path)
        assert answer.status_code == 404, path
        assert answer.headers["content-type"] == PROBLEM
        assert answer.json()["type"] == "https://motcua.dev/problems/not-found"


def test_the_bpmn_of_a_version_is_served_as_xml(api: ApiOffice) -> None:
    answer = api.client("designer").get("/procedures/chung_thuc_ban_sao/versions/1/bpmn")
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("application/xml")
    assert answer.content == (PROCESSES / COPY_BPMN).read_bytes()
    assert "chung_thuc_ban_sao.bpmn" in answer.headers["content-disposition"]


def test_deploying_unchanged_files_answers_200_and_makes_no_version(api: ApiOffice) -> None:
    answer = api.client("designer").post("/procedures",
                                         files=_uploads(definition_files(PROCESSES)))
    assert answer.status_code == 200, answer.text
    assert {(p["key"], p["created"]) for p in answer.json()["procedures"]} == {
        ("cap_phep_xay_dung", False), ("chung_thuc_ban_sao", False),
        ("dang_ky_ho_kinh_doanh", False), ("dang_ky_khai_sinh", False)}


def test_a_changed_procedure_is_deployed_as_the_next_version(api: ApiOffice) -> None:
    changed = (PROCESSES / COPY_BPMN).read_bytes().replace(
        b'name="allowance" value="3h"', b'name="allowance" value="2h"')
    answer = api.client("designer").post("/procedures", files=_uploads(_copy_files(changed)))
    assert answer.status_code == 201, answer.text
    [deployed] = answer.json()["procedures"]
    assert deployed["key"] == "chung_thuc_ban_sao"
    assert deployed["created"] is True
    latest = api.client("designer").get("/procedures/chung_thuc_ban_sao").json()
    assert latest["latest_version"] == deployed["version"] >= 2
    xml = api.client("auditor").get(
        f"/procedures/chung_thuc_ban_sao/versions/{deployed['version']}/bpmn").content
    assert b'name="allowance" value="2h"' in xml


def _problems(answer: Any) -> list[dict[str, Any]]:
    assert answer.status_code == 422, answer.text
    assert answer.headers["content-type"] == PROBLEM
    body = answer.json()
    assert body["type"] == "https://motcua.dev/problems/invalid-definition"
    problems: list[dict[str, Any]] = body["problems"]
    return problems


@pytest.mark.parametrize("path", ["/procedures", "/procedures/validate"])
def test_an_invalid_bundle_is_422_with_file_line_and_element(api: ApiOffice,
                                                             path: str) -> None:
    original = (PROCESSES / COPY_BPMN).read_bytes()
    broken = original.replace(b'name="department" value="TU_PHAP"',
                              b'name="department" value="KHONG_CO"')
    before = api.client("designer").get("/procedures/chung_thuc_ban_sao").json()
    problems = _problems(api.client("designer").post(path, files=_uploads(_copy_files(broken))))
    [problem] = problems
    assert problem["file"] == COPY_BPMN
    assert problem["line"] == _line_of(original, b'<bpmn:lane id="Lane_TuPhap"')
    assert problem["element"] == "lane 'Lane_TuPhap'"
    assert "KHONG_CO" in problem["message"]
    after = api.client("designer").get("/procedures/chung_thuc_ban_sao").json()
    assert after["versions"] == before["versions"]


def test_validate_accepts_a_valid_bundle_and_deploys_nothing(api: ApiOffice) -> None:
    before = api.client("designer").get("/procedures/chung_thuc_ban_sao").json()
    changed = (PROCESSES / COPY_BPMN).read_bytes().replace(
        b'name="allowance" value="1h"', b'name="allowance" value="0.5h"', 1)
    answer = api.client("designer").post("/procedures/validate",
                                         files=_uploads(_copy_files(changed)))
    assert answer.status_code == 200, answer.text
    assert answer.json()["valid"] is True
    assert COPY_BPMN in answer.json()["files"]
    after = api.client("designer").get("/procedures/chung_thuc_ban_sao").json()
    assert after["versions"] == before["versions"]


def test_xml_with_entities_is_refused_with_its_line(api: ApiOffice) -> None:
    hostile = (b'<?xml version="1.0"?>\n<!DOCTYPE d [<!ENTITY e SYSTEM "file:///etc/passwd">]>\n'
               b"<d>&e;</d>")
    problems = _problems(api.client("designer").post(
        "/procedures/validate", files=_uploads({"hostile.bpmn": hostile})))
    assert problems[0]["file"] == "hostile.bpmn"
    assert problems[0]["line"] == 2


def test_upload_names_are_checked(api: ApiOffice) -> None:
    bpmn = (PROCESSES / COPY_BPMN).read_bytes()
    # Two folders may hold files of one name; one procedure defined twice is a problem.
    same_name = [("files", (f"{folder}/x.bpmn", bpmn, "text/xml")) for folder in ("a", "b")]
    problems = _problems(api.client("designer").post("/procedures/validate", files=same_name))
    assert problems == [{"file": "b/x.bpmn", "line": 6,
                         "element": "process 'chung_thuc_ban_sao'",
                         "message": "a/x.bpmn cũng định nghĩa process này; giữ một trong hai, "
                                    "hoặc đặt mã khác cho cái này"}]
    twice = [("files", ("a/x.bpmn", bpmn, "text/xml")), ("files", ("a/x.bpmn", bpmn, "text/xml"))]
    problems = _problems(api.client("designer").post("/procedures/validate", files=twice))
    assert problems == [{"file": "a/x.bpmn", "line": None, "element": "file",
                         "message": "two files have this name"}]
    unsafe = _problems(api.client("designer").post(
        "/procedures/validate", files=_uploads({"../x.bpmn": bpmn})))
    assert unsafe[0]["file"] == "../x.bpmn"
    assert "plain relative name" in unsafe[0]["message"]
    other = _problems(api.client("designer").post(
        "/procedures/validate", files=_uploads({"notes.txt": b"hello"})))
    assert other[0]["file"] == "notes.txt"


def test_a_deploy_without_files_is_422(api: ApiOffice) -> None:
    answer = api.client("designer").post("/procedures", data={"nothing": "here"})
    assert answer.status_code == 422
    assert answer.json()["field"] == "files"


def test_too_many_or_too_large_files_are_413(api: ApiOffice) -> None:
    many = {f"form_{n}.json": b'{"type": "object"}' for n in range(MAX_FILES + 1)}
    answer = api.client("designer").post("/procedures/validate", files=_uploads(many))
    assert answer.status_code == 413
    assert answer.headers["content-type"] == PROBLEM
    assert answer.json()["type"] == "https://motcua.dev/problems/too-large"
    big = {"big.bpmn": b"<a>" + b" " * (5 * 1024 * 1024) + b"</a>"}
    answer = api.client("designer").post("/procedures/validate", files=_uploads(big))
    assert answer.status_code == 413
    assert "big.bpmn" in answer.json()["detail"]


def test_only_designers_deploy_or_validate(api: ApiOffice) -> None:
    files = _uploads(_copy_files())
    for user in ("reception", "leader", "auditor"):
        for path in ("/procedures", "/procedures/validate"):
            answer = api.client(user).post(path, files=files)
            assert answer.status_code == 403, (user, path)
            assert answer.json()["type"] == "https://motcua.dev/problems/forbidden"


def test_a_renamed_procedure_shows_its_new_name_in_the_next_answer_on_a_step(
        api: ApiOffice) -> None:
    code = api.submit()["code"]
    step = api.current(code)
    assert api.claim(step["id"], "reception")["procedure_name"] == \
        "Chứng thực bản sao từ bản chính"
    renamed = (PROCESSES / COPY_BPMN).read_bytes().replace(
        'name="Chứng thực bản sao từ bản chính" isExecutable'.encode(),
        'name="Chứng thực bản sao (mới)" isExecutable'.encode())
    try:
        answer = api.client("designer").post("/procedures", files=_uploads(_copy_files(renamed)))
        assert answer.status_code == 201, answer.text
        released = api.client("reception").post(f"/tasks/{step['id']}/release")
        assert released.json()["procedure_name"] == "Chứng thực bản sao (mới)"
    finally:
        back = api.client("designer").post("/procedures", files=_uploads(_copy_files()))
        assert back.status_code == 201, back.text


def test_library_files_are_listed_over_http(api: ApiOffice) -> None:
    listed = api.client("designer").get("/procedures/library")
    assert listed.status_code == 200
    by_path = {f["path"]: f for f in listed.json()}
    assert by_path["phi_chung_thuc_ban_sao.dmn"]["provides"] == ["phi_chung_thuc_ban_sao"]
    assert by_path["phi_chung_thuc_ban_sao.dmn"]["version"] == 1
    assert api.client("reception").get("/procedures/library").status_code == 403
