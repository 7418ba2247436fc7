"""The process control sheet over HTTP: hand-overs, office-hour durations, judgements,
clock pauses and the due-date history."""

from __future__ import annotations

from typing import Any

from tests.features.api_steps import ApiOffice, local

BUSINESS = {"ten_ho_kinh_doanh": "Tiệm may Hồng Nhung", "nganh_nghe": "May mặc",
            "dia_chi": "Số 8 Trần Phú, Hà Đông", "von_kinh_doanh": 30_000_000}
BUILDING = {"chu_dau_tu": "Đặng Văn Khoa", "dia_chi_cong_trinh": "Tổ 7, phường Văn Quán",
            "dien_tich_xay_dung": 60, "so_tang": 3}


def _sheet(api: ApiOffice, code: str, user: str = "auditor") -> dict[str, Any]:
    answer = api.client(user).get(f"/dossiers/{code}/timeline")
    assert answer.status_code == 200, answer.text
    sheet: dict[str, Any] = answer.json()
    return sheet


def _step(api: ApiOffice, code: str, user: str, claim_at: Any, done_at: Any,
          data: dict[str, Any]) -> None:
    step = api.current(code)
    api.at(claim_at)
    api.claim(step["id"], user)
    api.at(done_at)
    api.complete(step["id"], user, data)


def test_one_row_per_hand_over_with_durations_in_office_hours(api: ApiOffice) -> None:
    api.at(local(2026, 3, 24, 9, 0))  # Tuesday
    code = api.submit("dang_ky_ho_kinh_doanh", BUSINESS)["code"]
    _step(api, code, "reception", local(2026, 3, 24, 9, 15), local(2026, 3, 24, 9, 45),
          {"ket_qua_kiem_tra": "hop_le"})
    _step(api, code, "finance", local(2026, 3, 24, 10, 0), local(2026, 3, 24, 16, 0),
          {"ket_qua_tham_dinh": "dat"})
    _step(api, code, "leader", local(2026, 3, 25, 8, 30), local(2026, 3, 26, 9, 0),
          {"y_kien_lanh_dao": "dong_y"})
    api.at(local(2026, 3, 26, 9, 30))

    sheet = _sheet(api, code)
    header = sheet["header"]
    assert header["code"] == code
    assert header["procedure_name"] == "Đăng ký hộ kinh doanh"
    assert header["received_at"] == "2026-03-24T09:00:00+07:00"
    assert header["due_at"] == "2026-03-27T17:00:00+07:00"  # 3 working days
    assert header["status"] == "processing"
    assert header["result"] == "within"
    assert header["departments"] == ["MOT_CUA", "TC_KH", "LANH_DAO"]

    rows = sheet["rows"]
    assert [(r["from_department"], r["department"], r["handed_over_by"]) for r in rows] == [
        ("MOT_CUA", "MOT_CUA", "reception"), ("MOT_CUA", "TC_KH", "reception"),
        ("TC_KH", "LANH_DAO", "finance"), ("LANH_DAO", "MOT_CUA", "leader")]
    assert [r["number"] for r in rows] == [1, 2, 3, 4]
    assert [(r["waiting_hours"], r["working_hours"]) for r in rows] == [
        (0.25, 0.5), (0.25, 4.5), (1.5, 8.0), (None, None)]
    assert [r["allowance_hours"] for r in rows] == [3.75, 11.25, 3.75, 3.75]
    # Appraisal done the day before its due day: early; signing a day after: late.
    assert [r["result"] for r in rows] == ["on_time", "early", "late", "within"]
    assert rows[1]["due_at"] == "2026-03-25T15:00:00+07:00"
    assert rows[1]["claimed_by"] == "finance"
    assert rows[1]["completed_at"] == "2026-03-24T16:00:00+07:00"
    assert rows[3]["status"] == "open"

    api.at(local(2026, 3, 26, 14, 30))  # the desk's half day ended at 14:15
    assert _sheet(api, code)["rows"][3]["result"] == "overdue"
    _step(api, code, "reception", local(2026, 3, 27, 8, 0), local(2026, 3, 27, 8, 30),
          {"hinh_thuc_tra": "truc_tiep"})
    done = _sheet(api, code)
    assert done["rows"][3]["result"] == "late"
    assert done["header"]["status"] == "resolved"
    assert done["header"]["resolved_at"] == "2026-03-27T08:30:00+07:00"
    assert done["header"]["result"] == "on_time"  # returned on the due day
    assert done["due_history"] == [{
        "at": "2026-03-24T09:00:00+07:00", "actor": "reception", "kind": "received",
        "previous_due_at": None, "due_at": "2026-03-27T17:00:00+07:00", "reason": None,
        "paused_hours": None}]
    assert done["pauses"] == []


def test_a_supplement_request_pauses_the_clock_and_moves_the_due_date(api: ApiOffice) -> None:
    api.at(local(2026, 3, 30, 9, 0))  # Monday
    code = api.submit("cap_phep_xay_dung", BUILDING)["code"]
    first_due = api.dossier(code)["due_at"]
    api.do_step(code, {"ket_qua_kiem_tra": "hop_le"})
    api.at(local(2026, 3, 30, 10, 0))
    api.do_step(code, {"ket_qua_tham_dinh": "bo_sung",
                       "noi_dung_bo_sung": "Bổ sung bản vẽ mặt bằng tầng 3"})
    assert api.client().get(f"/public/dossiers/{code}").json()["status"] == \
        "awaiting_supplement"

    api.at(local(2026, 4, 1, 10, 0))  # two working days later, the applicant is back
    waiting = _sheet(api, code)
    [pause] = waiting["pauses"]
    assert pause["reason"] == "awaiting_applicant"
    assert pause["paused_at"] == "2026-03-30T10:00:00+07:00"
    assert pause["resumed_at"] is None
    assert pause["paused_hours"] == 15.0
    assert waiting["rows"][2]["step_id"] == "Task_TiepNhanBoSung"
    assert waiting["rows"][2]["from_department"] == "QLDT"

    api.do_step(code, {"ket_qua_bo_sung": "da_bo_sung"})
    resumed = _sheet(api, code)
    [pause] = resumed["pauses"]
    assert pause["resumed_at"] == "2026-04-01T10:00:00+07:00"
    assert pause["paused_hours"] == 15.0
    received, moved = resumed["due_history"]
    assert received["due_at"] == first_due
    assert moved["kind"] == "pause"
    assert moved["previous_due_at"] == first_due
    assert moved["paused_hours"] == 15.0
    assert moved["due_at"] == resumed["header"]["due_at"] > first_due
    assert resumed["header"]["status"] == "processing"


def test_the_sheet_follows_the_dossier_reading_rule(api: ApiOffice) -> None:
    api.at(local(2026, 3, 24, 9, 0))
    code = api.submit("dang_ky_ho_kinh_doanh", BUSINESS)["code"]
    api.do_step(code, {"ket_qua_kiem_tra": "hop_le"})
    for user, status in [("auditor", 200), ("leader", 200), ("finance", 200),
                         ("reception", 200), ("justice", 403), ("designer", 403),
                         (None, 401)]:
        answer = api.client(user).get(f"/dossiers/{code}/timeline")
        assert answer.status_code == status, user
    missing = api.client("auditor").get("/dossiers/000.00.81.H26-260324-9999/timeline")
    assert missing.status_code == 404
