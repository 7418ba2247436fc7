"""The desk's check over HTTP: accept prints the receipt with the documents received and the
clerk's full name, supplement keeps the dossier at the desk, refuse ends it as not accepted
with a printable refusal slip; bad input is a problem+json, a second check a 409."""

from __future__ import annotations

from typing import Any

import httpx
from lxml import html as lxml_html

from tests.features.api_steps import ApiOffice, local

CLERK = "Nguyễn Thị Lan"  # the demo user "reception"
ORIGINAL = {"code": "ban_chinh", "form": "original", "count": 1}


def _check(api: ApiOffice, code: str, body: dict[str, Any], user: str = "reception",
           lang: str | None = None) -> httpx.Response:
    headers = {"Accept-Language": lang} if lang else {}
    return api.client(user).post(f"/dossiers/{code}/check", json=body, headers=headers)


def _problem(answer: httpx.Response, status: int) -> dict[str, Any]:
    assert answer.status_code == status, answer.text
    assert answer.headers["content-type"].startswith("application/problem+json")
    found: dict[str, Any] = answer.json()
    return found


def _text(page: str) -> str:
    return " ".join(" ".join(lxml_html.fromstring(page).itertext()).split())


def test_accepting_prints_the_receipt_with_the_documents_and_the_clerks_name(
        api: ApiOffice) -> None:
    api.at(local(2026, 3, 24, 9, 0))
    code = api.submit()["code"]
    assert api.current(code)["step_id"] == "Task_KiemTraHoSo"
    # No receipt before the check: the dossier is not received yet.
    early = api.client("reception").get(f"/dossiers/{code}/receipt.html")
    assert "chưa được tiếp nhận" in _problem(early, 409)["detail"]
    answer = _check(api, code, {"decision": "accept", "documents": [ORIGINAL]})
    assert answer.status_code == 200, answer.text
    done = answer.json()
    assert done["decision"] == "accept" and done["checked_by_name"] == CLERK
    assert [d["code"] for d in done["received"]] == ["ban_chinh"] and done["missing"] == []
    assert done["document"].endswith(f"/dossiers/{code}/receipt.html")
    # The desk step is done and the dossier went on to the justice officer.
    assert api.current(code)["department"] == "TU_PHAP"
    page = _text(api.client("reception").get(f"/dossiers/{code}/receipt.html").text)
    assert "Bản chính giấy tờ, văn bản làm cơ sở để chứng thực bản sao" in page
    assert CLERK in page and "reception" not in page.split("Người tiếp nhận")[-1]
    again = _check(api, code, {"decision": "refuse", "reasons": "x"})
    assert "đã được kiểm tra" in _problem(again, 409)["detail"]


def test_refusing_ends_the_dossier_not_accepted_with_a_refusal_slip(api: ApiOffice) -> None:
    api.at(local(2026, 3, 24, 10, 0))
    code = api.submit()["code"]
    answer = _check(api, code, {"decision": "refuse", "documents": [ORIGINAL],
                                "reasons": "Bản chính bị tẩy xóa, sửa chữa nội dung"})
    assert answer.status_code == 200, answer.text
    assert api.dossier(code)["status"] == "not_accepted"
    slip = api.client("reception").get(f"/dossiers/{code}/refusal.html")
    assert slip.status_code == 200 and "default-src 'none'" in \
        slip.headers["content-security-policy"]
    page = _text(slip.text)
    assert "PHIẾU TỪ CHỐI TIẾP NHẬN" in page.upper()
    assert "Bản chính bị tẩy xóa, sửa chữa nội dung" in page and CLERK in page
    assert "Trung tâm Phục vụ hành chính công phường Hà Đông" in page
    assert "UBND phường Hà Đông" in page
    assert _check(api, code, {"decision": "accept", "documents": [ORIGINAL]}).status_code == 409
    assert api.client("reception").get(f"/dossiers/{code}/receipt.html").status_code == 409


def test_an_incomplete_dossier_gets_a_supplement_request_and_stays_at_the_desk(
        api: ApiOffice) -> None:
    api.at(local(2026, 3, 24, 11, 0))
    code = api.submit()["code"]
    answer = _check(api, code, {"decision": "supplement", "documents": []})
    assert answer.status_code == 200, answer.text
    assert [d["code"] for d in answer.json()["missing"]] == ["ban_chinh"]
    step = api.current(code)
    assert step["step_id"] == "Task_KiemTraHoSo" and api.dossier(code)["status"] == "processing"
    page = _text(api.client("reception").get(f"/dossiers/{code}/supplement.html").text)
    assert "Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ" in page
    assert "Bản chính giấy tờ, văn bản làm cơ sở để chứng thực bản sao" in page and CLERK in page
    # The applicant comes back with the original: the desk accepts it.
    api.at(local(2026, 3, 24, 14, 0))
    assert _check(api, code, {"decision": "accept", "documents": [ORIGINAL]}).status_code == 200
    assert api.current(code)["department"] == "TU_PHAP"
    assert api.client("reception").get(f"/dossiers/{code}/refusal.html").status_code == 404


def test_bad_checks_are_problems_in_the_readers_language(api: ApiOffice) -> None:
    api.at(local(2026, 3, 25, 9, 0))
    code = api.submit()["code"]
    unknown = _problem(_check(api, code, {"decision": "accept", "documents": [
        {"code": "ho_chieu", "count": 1}]}), 422)
    assert "không có tài liệu mã ho_chieu" in unknown["detail"]
    assert "no document with code ho_chieu" in _problem(_check(api, code, {
        "decision": "accept", "documents": [{"code": "ho_chieu"}]}, lang="en"), 422)["detail"]
    missing = _problem(_check(api, code, {"documents": [ORIGINAL]}), 422)
    assert "chọn kết quả kiểm tra" in missing["detail"]
    no_reason = _problem(_check(api, code, {"decision": "refuse", "reasons": "  "}), 422)
    assert "ghi lý do từ chối tiếp nhận" in no_reason["detail"]
    incomplete = _problem(_check(api, code, {"decision": "accept", "documents": []}), 422)
    assert "hồ sơ còn thiếu: Bản chính giấy tờ" in incomplete["detail"]
    zero = _problem(_check(api, code, {"decision": "accept", "documents": [
        {"code": "ban_chinh", "count": 0}]}), 422)
    assert "số lượng '0'" in zero["detail"]
    # Nothing was written: the step still waits for the desk, unclaimed.
    step = api.current(code)
    assert step["step_id"] == "Task_KiemTraHoSo" and step["status"] == "open"


def test_only_the_receiving_desk_checks(api: ApiOffice) -> None:
    api.at(local(2026, 3, 25, 10, 0))
    code = api.submit()["code"]
    for user in ("justice", "finance", "reception.duongnoi", "auditor"):
        assert _check(api, code, {"decision": "accept", "documents": [ORIGINAL]},
                      user).status_code == 403, user
    assert api.client(None).post(f"/dossiers/{code}/check",
                                 json={"decision": "accept"}).status_code == 401
    assert _check(api, "000.00.81.H26-260324-9999", {"decision": "accept"}).status_code == 404
