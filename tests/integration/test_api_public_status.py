"""The public status over HTTP: the steps done by name and date, what the office waits for
(the desk's check, the applicant's supplement, the departments, the result to collect), the
due date and an apology's new one; never a staff name nor what a department wrote."""

from __future__ import annotations

from typing import Any

import httpx
from lxml import html as lxml_html

from tests.features.api_steps import APPLICANT, ApiOffice, local
from tests.integration.test_api_apologies import _apologise, _at_finance

STAFF = ("Nguyễn Thị Lan", "Trần Văn Minh", "Đỗ Văn Thành", "reception", "justice", "leader")
ORIGINAL = {"code": "ban_chinh", "form": "original", "count": 1}


def _public(api: ApiOffice, code: str) -> dict[str, Any]:
    answer = api.client().get(f"/public/dossiers/{code}")
    assert answer.status_code == 200, answer.text
    for secret in (*STAFF, APPLICANT["name"], APPLICANT["id_number"], APPLICANT["phone"],
                   "125/2026", "dong_y"):
        assert secret not in answer.text, secret
    found: dict[str, Any] = answer.json()
    return found


def _page(api: ApiOffice, code: str) -> str:
    answer = httpx.get(f"{api.url}/tra-cuu/{code}")
    assert answer.status_code == 200
    return " ".join(" ".join(lxml_html.fromstring(answer.text).itertext()).split())


def test_the_steps_done_and_the_stage_from_the_desk_to_the_result(api: ApiOffice) -> None:
    api.at(local(2026, 3, 3, 8, 30))
    code = api.submit()["code"]
    first = _public(api, code)
    assert first["stage"] == "desk_check" and first["steps"] == []
    assert "Bộ phận Một cửa đang kiểm tra hồ sơ" in _page(api, code)

    api.at(local(2026, 3, 3, 9, 0))
    api.do_step(code, {"ket_qua_kiem_tra": "hop_le"})
    api.at(local(2026, 3, 3, 10, 15))
    api.do_step(code, {"ket_qua_xu_ly": "dat", "so_chung_thuc": "125/2026"})
    handled = _public(api, code)
    assert handled["stage"] == "processing"
    assert [s["name"] for s in handled["steps"]] == [
        "Tiếp nhận, kiểm tra hồ sơ", "Đối chiếu bản sao với bản chính"]
    assert [s["finished_at"] for s in handled["steps"]] == [
        "2026-03-03T09:00:00+07:00", "2026-03-03T10:15:00+07:00"]
    assert set(handled["steps"][0]) == {"name", "finished_at"}

    api.at(local(2026, 3, 3, 11, 0))
    api.do_step(code, {"y_kien_lanh_dao": "dong_y"})
    ready = _public(api, code)
    assert ready["stage"] == "result_ready" and len(ready["steps"]) == 3
    page = _page(api, code)
    assert "Đã có kết quả, mời đến nhận" in page
    assert "Đối chiếu bản sao với bản chính — 10:15 03/03/2026" in page
    assert not any(name in page for name in STAFF[:3])

    api.do_step(code, {"hinh_thuc_tra": "truc_tiep"})
    done = _public(api, code)
    assert done["stage"] == "finished" and done["status"] == "resolved"
    assert len(done["steps"]) == 4


def test_a_desk_supplement_request_reads_as_waiting_for_the_applicant(api: ApiOffice) -> None:
    api.at(local(2026, 3, 24, 11, 0))
    code = api.submit()["code"]
    asked = api.client("reception").post(f"/dossiers/{code}/check",
                                         json={"decision": "supplement", "documents": []})
    assert asked.status_code == 200, asked.text
    assert _public(api, code)["stage"] == "awaiting_supplement"
    assert "Chờ người nộp bổ sung hồ sơ" in _page(api, code)
    back = api.client("reception").post(f"/dossiers/{code}/check",
                                        json={"decision": "accept", "documents": [ORIGINAL]})
    assert back.status_code == 200, back.text
    assert _public(api, code)["stage"] == "processing"


def test_an_apology_shows_the_first_date_and_the_new_one(api: ApiOffice) -> None:
    code = _at_finance(api, local(2026, 6, 1, 9, 0))  # due Thursday 4 June, 17:00
    assert _public(api, code)["appointment_at"] is None
    api.at(local(2026, 6, 4, 10, 0))
    assert _apologise(api, code, "2026-06-09").status_code == 201
    public = _public(api, code)
    assert public["due_at"] == "2026-06-04T17:00:00+07:00"
    assert public["appointment_at"] == public["return_at"] == "2026-06-09T17:00:00+07:00"
    page = _page(api, code)
    assert "Hẹn trả lần đầu 17:00 04/06/2026" in page
    assert "Ngày hẹn trả mới (theo thư xin lỗi) 17:00 09/06/2026" in page
