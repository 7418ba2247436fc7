"""Late dossiers over HTTP: the leader's list of dossiers at risk, the apology with a new
return date, its letter, and the dossier still reported late against the legal date."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from engine.service.apologies import flag_at_risk
from tests.features.api_steps import ApiOffice, local
from tests.features.auditor_steps import (
    add_user,
    finish,
    get_json,
    receive,
    statistics,
)

REASON = "Chờ kết quả xác minh địa điểm kinh doanh từ phường"
UNKNOWN = "000.00.81.H26-260601-9999"


def _at_risk(api: ApiOffice, user: str = "leader") -> dict[str, dict[str, Any]]:
    return {d["code"]: d for d in get_json(api, user, "/dossiers/at-risk")}


def _apologise(api: ApiOffice, code: str, new_due_at: Any, reason: Any = REASON,
               user: str | None = "leader") -> httpx.Response:
    return api.client(user).post(f"/dossiers/{code}/apology",
                                 json={"new_due_at": new_due_at, "reason": reason})


def _at_finance(api: ApiOffice, at: Any) -> str:
    code = receive(api, "dang_ky_ho_kinh_doanh", at)
    api.do_step(code, {"ket_qua_kiem_tra": "hop_le"})
    return code


def test_at_risk_apology_letter_and_still_late(api: ApiOffice) -> None:
    code = _at_finance(api, local(2026, 6, 1, 9, 0))  # due Thursday 4 June, 17:00
    api.at(local(2026, 6, 3, 10, 0))
    flag_at_risk(api.office)
    assert code not in _at_risk(api)  # more than a working day left

    api.at(local(2026, 6, 4, 10, 0))
    flag_at_risk(api.office)
    listed = _at_risk(api)[code]
    assert listed == {
        "code": code, "procedure_key": "dang_ky_ho_kinh_doanh",
        "procedure_name": "Đăng ký hộ kinh doanh", "status": "processing",
        "received_at": "2026-06-01T09:00:00+07:00", "due_at": "2026-06-04T17:00:00+07:00",
        "at_risk_at": "2026-06-04T10:00:00+07:00", "deadline_status": "due_today",
        "working_hours_left": 5.5, "departments": ["MOT_CUA", "TC_KH"],
        "current_steps": [{"step_name": "Thẩm định hồ sơ", "department": "TC_KH",
                           "claimed_by": None}]}
    assert _at_risk(api, "auditor")[code] == listed

    answer = _apologise(api, code, "2026-06-09")  # a day: the office's closing time
    assert answer.status_code == 201, answer.text
    assert answer.json() == {
        "dossier_code": code, "reason": REASON,
        "original_due_at": "2026-06-04T17:00:00+07:00",
        "new_due_at": "2026-06-09T17:00:00+07:00", "signed_by": "leader",
        "issued_at": "2026-06-04T10:00:00+07:00"}
    assert code not in _at_risk(api)
    public = get_json(api, "auditor", f"/public/dossiers/{code}")
    assert public["return_at"] == "2026-06-09T17:00:00+07:00"
    assert public["due_at"] == "2026-06-04T17:00:00+07:00"

    letter = api.client("finance").get(f"/dossiers/{code}/apology.html")
    assert letter.status_code == 200
    assert letter.headers["content-type"] == "text/html; charset=utf-8"
    assert "default-src 'none'" in letter.headers["content-security-policy"]
    page = letter.text
    assert "Phiếu xin lỗi và hẹn lại ngày trả kết quả" in page
    assert f"Lý do: <strong>{REASON}</strong>" in page
    assert "Thời gian hẹn trả kết quả giải quyết hồ sơ: 17 giờ 00 phút, ngày 04/06/2026" in page
    assert "<strong>17 giờ 00 phút, ngày 09/06/2026</strong>" in page
    assert "Đỗ Văn Thành" in page  # the leader who signed
    assert "Kính gửi: Nguyễn Văn An" in page

    # A second apology: its letter promises the new date instead of the one just given.
    api.at(local(2026, 6, 8, 9, 0))
    again = _apologise(api, code, "2026-06-11T10:00:00+07:00",
                       "Bổ sung ý kiến <b>phòng</b> Tài nguyên")
    assert again.status_code == 201, again.text
    assert again.json()["original_due_at"] == "2026-06-04T17:00:00+07:00"
    page = api.client("auditor").get(f"/dossiers/{code}/apology.html").text
    assert "Lý do: <strong>Bổ sung ý kiến &lt;b&gt;phòng&lt;/b&gt; Tài nguyên</strong>" in page
    assert "giải quyết hồ sơ: 17 giờ 00 phút, ngày 09/06/2026" in page
    assert "<strong>10 giờ 00 phút, ngày 11/06/2026</strong>" in page

    finish(api, code, "dang_ky_ho_kinh_doanh", local(2026, 6, 10, 10, 0), skip=1)
    assert api.dossier(code)["deadline_status"] == "late"
    sheet = get_json(api, "auditor", f"/dossiers/{code}/timeline")
    assert [h["kind"] for h in sheet["due_history"]] == ["received", "apology", "apology"]
    assert sheet["header"]["result"] == "late"
    report = statistics(api, "auditor", "2026-06-01", "2026-06-30")
    [row] = [r for r in report["rows"] if r["key"] == "dang_ky_ho_kinh_doanh"]
    assert (row["resolved"], row["resolved_late"]) == (1, 1)
    conflict = _apologise(api, code, "2026-06-20")
    assert conflict.status_code == 409
    assert conflict.json()["type"].endswith("/not-open")


def test_an_overdue_dossier_is_listed_without_being_flagged(api: ApiOffice) -> None:
    code = receive(api, "chung_thuc_ban_sao", local(2026, 6, 15, 9, 0))  # due 17:00 that day
    api.at(local(2026, 6, 16, 9, 0))
    listed = _at_risk(api)[code]
    assert listed["at_risk_at"] is None
    assert listed["deadline_status"] == "overdue"
    assert listed["working_hours_left"] == -1.0
    assert [s["step_name"] for s in listed["current_steps"]] == ["Tiếp nhận, kiểm tra hồ sơ"]


def test_a_leader_sees_the_dossiers_of_their_departments(api: ApiOffice) -> None:
    add_user(api, "truong_tu_phap", {"leader"}, {"TU_PHAP"}, "Phan Thị Thu")
    business = _at_finance(api, local(2026, 6, 22, 9, 0))
    copy = receive(api, "chung_thuc_ban_sao", local(2026, 6, 22, 9, 0))
    api.do_step(copy, {"ket_qua_kiem_tra": "hop_le"})
    api.at(local(2026, 6, 26, 9, 0))
    everyone = _at_risk(api, "auditor")
    assert business in everyone and copy in everyone
    mine = _at_risk(api, "truong_tu_phap")
    assert copy in mine and business not in mine
    refused = _apologise(api, business, "2026-07-01", user="truong_tu_phap")
    assert refused.status_code == 403
    assert _apologise(api, copy, "2026-06-29", user="truong_tu_phap").status_code == 201


def test_a_dossier_waiting_for_the_applicant_needs_no_apology(api: ApiOffice) -> None:
    code = receive(api, "cap_phep_xay_dung", local(2026, 7, 1, 9, 0))
    api.do_step(code, {"ket_qua_kiem_tra": "hop_le"})
    api.do_step(code, {"ket_qua_tham_dinh": "bo_sung", "noi_dung_bo_sung": "Bản vẽ móng"})
    api.at(local(2026, 8, 10, 9, 0))  # past the due date, but the clock is stopped
    flag_at_risk(api.office)
    assert code not in _at_risk(api, "auditor")


@pytest.mark.parametrize(("body", "field"), [
    ({"new_due_at": "2026-07-20T17:00:00", "reason": REASON}, "new_due_at"),
    ({"new_due_at": "next monday", "reason": REASON}, "new_due_at"),
    ({"new_due_at": "2026-02-30", "reason": REASON}, "new_due_at"),
    ({"new_due_at": 1_780_000_000, "reason": REASON}, "new_due_at"),
    ({"new_due_at": "2126-07-20", "reason": REASON}, "new_due_at"),
    ({"new_due_at": "2026-07-20", "reason": "   "}, "reason"),
    ({"new_due_at": "2026-07-20", "reason": "x" * 1001}, "reason"),
    ({"new_due_at": "2026-07-20"}, "reason"),
    ({"reason": REASON}, "new_due_at"),
    ({"new_due_at": "2026-07-20", "reason": REASON, "signed_by": "chairman"}, "signed_by"),
])
def test_a_bad_apology_is_422_naming_the_field(api: ApiOffice, body: dict[str, Any],
                                               field: str) -> None:
    code = _at_finance(api, local(2026, 7, 13, 9, 0))
    answer = api.client("leader").post(f"/dossiers/{code}/apology", json=body)
    assert answer.status_code == 422, answer.text
    assert answer.headers["content-type"] == "application/problem+json"
    assert answer.json()["field"] == field


def test_the_new_date_must_be_after_the_one_promised(api: ApiOffice) -> None:
    code = _at_finance(api, local(2026, 7, 13, 9, 0))  # due Thursday 16 July, 17:00
    for earlier in ("2026-07-16", "2026-07-16T16:00:00+07:00"):
        answer = _apologise(api, code, earlier)
        assert answer.status_code == 422
        assert answer.json()["type"].endswith("/invalid-input")
        assert "phải sau 17:00 16/07/2026" in answer.json()["detail"]
    offset = _apologise(api, code, "2026-07-17T03:00:00Z")  # 10:00 in Hà Nội
    assert offset.status_code == 201
    assert offset.json()["new_due_at"] == "2026-07-17T10:00:00+07:00"


def test_who_may_apologise(api: ApiOffice) -> None:
    code = _at_finance(api, local(2026, 7, 20, 9, 0))
    for user, status in [("finance", 403), ("reception", 403), ("auditor", 403),
                         ("designer", 403), (None, 401)]:
        answer = _apologise(api, code, "2026-07-30", user=user)
        assert answer.status_code == status, user
        assert answer.headers["content-type"] == "application/problem+json"
    assert _apologise(api, UNKNOWN, "2026-07-30").status_code == 404
    assert api.client("auditor").get(f"/dossiers/{code}/apology.html").status_code == 404
    assert _apologise(api, code, "2026-07-30", user="admin").status_code == 201
    for user, status in [("finance", 200), ("justice", 403), ("designer", 403), (None, 401)]:
        assert api.client(user).get(f"/dossiers/{code}/apology.html").status_code == status


def test_only_leaders_and_auditors_list_dossiers_at_risk(api: ApiOffice) -> None:
    for reader in ("leader", "auditor", "admin"):
        assert api.client(reader).get("/dossiers/at-risk").status_code == 200
    for user, status in [("reception", 403), ("finance", 403), ("designer", 403),
                         (None, 401)]:
        answer = api.client(user).get("/dossiers/at-risk")
        assert answer.status_code == status, user
        assert answer.headers["content-type"] == "application/problem+json"
