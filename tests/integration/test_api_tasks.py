"""Department queues and the work on a step: claim, release, complete, assign, escalate."""

from __future__ import annotations

from typing import Any

import pytest

from tests.features.api_steps import ApiOffice, local

PROBLEM = "application/problem+json"
BUSINESS = {"ten_ho_kinh_doanh": "Quán cà phê Sông Nhuệ", "nganh_nghe": "Dịch vụ ăn uống",
            "dia_chi": "Số 12 Lê Lợi, Hà Đông", "von_kinh_doanh": 80_000_000}
BUILDING = {"chu_dau_tu": "Phạm Thị Hằng", "dia_chi_cong_trinh": "Tổ 3, phường Yết Kiêu",
            "dien_tich_xay_dung": 72.5, "so_tang": 4}


def _type(answer: Any) -> str:
    assert answer.headers["content-type"] == PROBLEM
    return str(answer.json()["type"]).rsplit("/", 1)[-1]


def _queue(api: ApiOffice, user: str, **params: Any) -> list[dict[str, Any]]:
    answer = api.client(user).get("/tasks", params={"limit": 200, **params})
    assert answer.status_code == 200, answer.text
    items: list[dict[str, Any]] = answer.json()["items"]
    return items


def test_the_desk_queue_is_sorted_by_due_time_with_deadline_status(api: ApiOffice) -> None:
    api.at(local(2026, 3, 17, 9, 0))  # a Tuesday
    building = api.submit("cap_phep_xay_dung", BUILDING)["code"]  # 1 day: due Wed 09:00
    business = api.submit("dang_ky_ho_kinh_doanh", BUSINESS)["code"]  # 0.5 day: 14:15
    copy = api.submit()["code"]  # 1 hour: 10:00
    mine = {building, business, copy}
    queue = [t for t in _queue(api, "reception") if t["dossier_code"] in mine]
    assert [t["dossier_code"] for t in queue] == [copy, business, building]
    assert [t["due_at"] for t in queue] == ["2026-03-17T10:00:00+07:00",
                                            "2026-03-17T14:15:00+07:00",
                                            "2026-03-18T09:00:00+07:00"]
    assert [t["deadline_status"] for t in queue] == ["due_today", "due_today", "due_tomorrow"]
    assert queue[0]["procedure_name"] == "Chứng thực bản sao từ bản chính"

    api.at(local(2026, 3, 17, 10, 30))
    queue = [t for t in _queue(api, "reception") if t["dossier_code"] in mine]
    assert queue[0]["deadline_status"] == "overdue"

    api.do_step(building, {"ket_qua_kiem_tra": "hop_le"})  # appraisal: 5 days in QLDT
    [appraisal] = [t for t in _queue(api, "urban") if t["dossier_code"] == building]
    assert appraisal["deadline_status"] == "within"
    only_building = _queue(api, "reception", procedure="cap_phep_xay_dung")
    assert building not in [t["dossier_code"] for t in only_building]


def test_mine_lists_the_steps_i_hold(api: ApiOffice) -> None:
    api.at(local(2026, 3, 18, 9, 0))
    code = api.submit()["code"]
    step = api.current(code)
    assert step["id"] not in [t["id"] for t in _queue(api, "reception", scope="mine")]
    api.claim(step["id"], "reception")
    mine = _queue(api, "reception", scope="mine")
    assert step["id"] in [t["id"] for t in mine]
    assert all(t["claimed_by"] == "reception" for t in mine)


def test_queues_of_other_departments_are_forbidden_except_to_auditors(api: ApiOffice) -> None:
    assert api.client("justice").get("/tasks", params={"department": "TC_KH"}).status_code == 403
    assert api.client("leader").get("/tasks", params={"department": "TC_KH"}).status_code == 200
    assert api.client("auditor").get("/tasks", params={"department": "TC_KH"}).status_code == 200
    assert api.client("designer").get("/tasks").status_code == 403
    bad = api.client("justice").get("/tasks", params={"scope": "everything"})
    assert bad.status_code == 422
    assert bad.json()["field"] == "scope"


def test_a_step_shows_its_dossier_history_and_form(api: ApiOffice) -> None:
    api.at(local(2026, 3, 18, 9, 0))
    code = api.submit()["code"]
    api.do_step(code, {"ket_qua_kiem_tra": "hop_le", "ghi_chu": "đủ giấy tờ"})
    step = api.current(code)
    answer = api.client("justice").get(f"/tasks/{step['id']}")
    assert answer.status_code == 200
    body = answer.json()
    assert body["task"]["step_name"] == "Đối chiếu bản sao với bản chính"
    assert body["dossier"]["code"] == code
    assert body["dossier"]["data"]["pages"] == 5
    assert body["dossier"]["fee"] == 7000
    assert body["history"][0]["result"] == {"ket_qua_kiem_tra": "hop_le", "ghi_chu": "đủ giấy tờ"}
    choice = body["form"]["properties"]["ket_qua_xu_ly"]["oneOf"]
    assert {"const": "dat", "title": "Bản sao đúng với bản chính – trình ký"} in choice
    assert api.client("finance").get(f"/tasks/{step['id']}").status_code == 403
    assert api.client("auditor").get(f"/tasks/{step['id']}").status_code == 200


def test_claim_release_and_the_conflicts_between_clerks(api: ApiOffice) -> None:
    code = api.submit()["code"]
    step = api.current(code)
    claimed = api.client("reception").post(f"/tasks/{step['id']}/claim")
    assert claimed.status_code == 200
    assert claimed.json()["claimed_by"] == "reception"
    again = api.client("reception").post(f"/tasks/{step['id']}/claim")
    assert again.status_code == 409
    assert _type(again) == "already-claimed"
    other = api.client("leader").post(f"/tasks/{step['id']}/claim")
    assert other.status_code == 409
    assert "Nguyễn Thị Lan" in other.json()["detail"]  # the colleague's name, not login
    assert api.client("justice").post(f"/tasks/{step['id']}/claim").status_code == 403

    released = api.client("reception").post(f"/tasks/{step['id']}/release")
    assert released.status_code == 200
    assert released.json()["status"] == "open"
    twice = api.client("reception").post(f"/tasks/{step['id']}/release")
    assert twice.status_code == 409
    assert _type(twice) == "not-open"


def test_complete_checks_holder_form_and_state(api: ApiOffice) -> None:
    code = api.submit()["code"]
    step = api.current(code)
    api.claim(step["id"], "reception")
    by_other = api.client("leader").post(f"/tasks/{step['id']}/complete",
                                         json={"data": {"ket_qua_kiem_tra": "hop_le"}})
    assert by_other.status_code == 409
    assert _type(by_other) == "already-claimed"
    assert "Nguyễn Thị Lan" in by_other.json()["detail"]  # the colleague's name, not login
    outside = api.client("justice").post(f"/tasks/{step['id']}/complete",
                                         json={"data": {"ket_qua_kiem_tra": "hop_le"}})
    assert outside.status_code == 403
    for data, field in [({"ket_qua_kiem_tra": "co_le"}, "ket_qua_kiem_tra"),
                        ({}, "ket_qua_kiem_tra"),
                        ({"ket_qua_kiem_tra": "tu_choi"}, "ly_do_tu_choi"),
                        ({"ket_qua_kiem_tra": "hop_le", "fee": 0}, "fee")]:
        bad = api.client("reception").post(f"/tasks/{step['id']}/complete", json={"data": data})
        assert bad.status_code == 422, data
        assert _type(bad) == "invalid-form-data"
        assert bad.json()["field"] == field
    no_body = api.client("reception").post(f"/tasks/{step['id']}/complete", json={"x": 1})
    assert no_body.status_code == 422
    assert no_body.json()["field"] == "x"
    done = api.client("reception").post(f"/tasks/{step['id']}/complete",
                                        json={"data": {"ket_qua_kiem_tra": "hop_le"}})
    assert done.status_code == 200
    assert done.json()["status"] == "completed"
    repeated = api.client("reception").post(f"/tasks/{step['id']}/complete",
                                            json={"data": {"ket_qua_kiem_tra": "hop_le"}})
    assert repeated.status_code == 409
    assert _type(repeated) == "not-open"
    assert api.current(code)["department"] == "TU_PHAP"


def test_a_leader_assigns_a_step_within_its_department(api: ApiOffice) -> None:
    code = api.submit()["code"]
    api.do_step(code, {"ket_qua_kiem_tra": "hop_le"})
    step = api.current(code)
    assigned = api.client("leader").post(f"/tasks/{step['id']}/assign",
                                         json={"username": "justice"})
    assert assigned.status_code == 200
    assert assigned.json()["claimed_by"] == "justice"
    assert api.client("leader").post(f"/tasks/{step['id']}/assign",
                                     json={"username": "finance"}).status_code == 403
    assert api.client("leader").post(f"/tasks/{step['id']}/assign",
                                     json={"username": "khong_co"}).status_code == 404
    assert api.client("justice").post(f"/tasks/{step['id']}/assign",
                                      json={"username": "justice"}).status_code == 403
    api.complete(step["id"], "justice", {"ket_qua_xu_ly": "dat"})


def test_leaders_see_overdue_steps_of_their_departments(api: ApiOffice) -> None:
    api.at(local(2026, 3, 19, 9, 0))
    code = api.submit()["code"]
    api.at(local(2026, 3, 19, 11, 0))  # the desk's one hour has passed
    overdue = api.client("leader").get("/tasks/overdue")
    assert overdue.status_code == 200
    late = [t for t in overdue.json() if t["dossier_code"] == code]
    assert [t["deadline_status"] for t in late] == ["overdue"]
    assert api.client("auditor").get("/tasks/overdue").status_code == 200
    assert api.client("reception").get("/tasks/overdue").status_code == 403


@pytest.mark.parametrize(("path", "status"), [
    ("/tasks/999999", 404), ("/tasks/0", 422), ("/tasks/99999999999999999999", 422),
    ("/tasks/abc", 422),
])
def test_unknown_or_malformed_task_ids(api: ApiOffice, path: str, status: int) -> None:
    assert api.client("auditor").get(path).status_code == status
    assert api.client("reception").post(f"{path}/claim").status_code == status
