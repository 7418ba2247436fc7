"""Receiving dossiers and finding them: receipts, filters, paging and the department rule."""

from __future__ import annotations

import re

import pytest

from tests.features.api_steps import APPLICANT, COPY, ApiOffice, local

PROBLEM = "application/problem+json"
CODE = re.compile(r"^000\.00\.81\.H26-\d{6}-\d{4}$")  # the first ward
BUSINESS = {"ten_ho_kinh_doanh": "Tạp hóa Minh Anh", "nganh_nghe": "Bán lẻ",
            "dia_chi": "Số 5 Quang Trung, Hà Đông", "von_kinh_doanh": 50_000_000}


def test_reception_receives_a_dossier_and_gets_the_appointment_receipt(api: ApiOffice) -> None:
    api.at(local(2026, 3, 3, 9, 0))
    receipt = api.submit()
    assert CODE.match(receipt["code"])
    assert receipt["code"].split("-")[1] == "260303"
    assert receipt["procedure"] == "chung_thuc_ban_sao"
    assert receipt["received_at"] == "2026-03-03T09:00:00+07:00"
    assert receipt["due_at"] == "2026-03-03T17:00:00+07:00"  # same day, before 15:00
    assert receipt["fee"] == 7000  # 2 × 2,000 + 3 × 1,000 VND for 5 pages
    assert re.fullmatch(r"[A-Z2-9]{8}", receipt["secret"])
    dossier = api.dossier(receipt["code"])
    assert dossier["applicant"] == APPLICANT
    assert dossier["received_by"] == "reception"
    assert dossier["steps"][0]["step_id"] == "Task_KiemTraHoSo"


def test_an_applicant_submits_online_without_an_account(api: ApiOffice) -> None:
    receipt = api.submit(by=None, channel="online")
    assert api.dossier(receipt["code"])["received_by"] == "applicant"
    answer = api.client().post("/dossiers", json={
        "procedure": "chung_thuc_ban_sao", "applicant": APPLICANT, "channel": "direct",
        "data": COPY})
    assert answer.status_code == 422  # at the desk an officer receives it


@pytest.mark.parametrize(("body", "field"), [
    ({"data": {**COPY, "pages": 0}}, "pages"),
    ({"data": {"pages": 5, "copies": 1}}, "ten_giay_to"),
    ({"data": {**COPY, "fee": 0}}, "fee"),  # a clerk cannot set workflow variables
    ({"applicant": {"name": "  "}}, "applicant.name"),
    ({"applicant": {**APPLICANT, "email": "a@b"}}, "applicant.email"),
    ({"applicant": {**APPLICANT, "notify": ["fax"]}}, "applicant.notify.0"),
    ({"applicant": {**APPLICANT, "notify": ["email"]}}, "applicant.notify"),  # no address
    ({"applicant": {**APPLICANT, "nickname": "An"}}, "applicant.nickname"),
    ({"channel": "fax"}, "channel"),
    ({"procedure": "khong có"}, "procedure"),
    ({"data": {**COPY, "pages": 2**60}}, "data.pages"),
    ({"data": {**COPY, "ten_giay_to": "nul\x00"}}, "data.ten_giay_to"),
])
def test_bad_submissions_are_422_naming_the_field(api: ApiOffice, body: dict[str, object],
                                                  field: str) -> None:
    payload = {"procedure": "chung_thuc_ban_sao", "applicant": APPLICANT, "channel": "direct",
               "data": COPY, **body}
    answer = api.client("reception").post("/dossiers", json=payload)
    assert answer.status_code == 422, answer.text
    assert answer.headers["content-type"] == PROBLEM
    assert answer.json()["field"] == field


def test_an_unknown_procedure_is_404(api: ApiOffice) -> None:
    answer = api.client("reception").post("/dossiers", json={
        "procedure": "khong_co", "applicant": APPLICANT, "data": {}})
    assert answer.status_code == 404


def test_only_the_desk_receives_dossiers(api: ApiOffice) -> None:
    for user in ("justice", "auditor", "designer"):
        answer = api.client(user).post("/dossiers", json={
            "procedure": "chung_thuc_ban_sao", "applicant": APPLICANT, "data": COPY})
        assert answer.status_code == 403, user


def test_lists_filter_and_page(api: ApiOffice) -> None:
    api.at(local(2026, 3, 10, 9, 0))
    business = [api.submit("dang_ky_ho_kinh_doanh", BUSINESS)["code"] for _ in range(3)]
    api.at(local(2026, 3, 11, 9, 0))
    copy = api.submit()["code"]
    auditor = api.client("auditor")

    page = auditor.get("/dossiers", params={"procedure": "dang_ky_ho_kinh_doanh",
                                            "limit": 2}).json()
    assert page["total"] >= 3
    assert len(page["items"]) == 2
    assert page["items"][0]["received_at"] >= page["items"][1]["received_at"]  # newest first
    rest = auditor.get("/dossiers", params={"procedure": "dang_ky_ho_kinh_doanh", "limit": 2,
                                            "offset": 2}).json()
    seen = [d["code"] for d in page["items"] + rest["items"]]
    assert set(business) <= set(seen)

    day = auditor.get("/dossiers", params={"received_from": "2026-03-11",
                                           "received_to": "2026-03-11"}).json()
    assert [d["code"] for d in day["items"]] == [copy]
    assert day["items"][0]["applicant_name"] == APPLICANT["name"]
    assert day["items"][0]["deadline_status"] == "due_today"

    tu_phap = auditor.get("/dossiers", params={"department": "TU_PHAP"}).json()
    assert copy not in [d["code"] for d in tu_phap["items"]]  # still at the desk
    api.do_step(copy, {"ket_qua_kiem_tra": "hop_le"})
    tu_phap = auditor.get("/dossiers", params={"department": "TU_PHAP"}).json()
    assert copy in [d["code"] for d in tu_phap["items"]]

    api.at(local(2026, 3, 11, 17, 30))
    late = auditor.get("/dossiers", params={"overdue": True, "received_from": "2026-03-11"})
    assert [d["code"] for d in late.json()["items"]] == [copy]
    processing = auditor.get("/dossiers", params={"status": "resolved",
                                                  "received_from": "2026-03-11"}).json()
    assert processing["total"] == 0


@pytest.mark.parametrize(("params", "field"), [
    ({"limit": 0}, "limit"), ({"limit": 1000}, "limit"), ({"offset": -1}, "offset"),
    ({"status": "lost"}, "status"), ({"received_from": "03/11/2026"}, "received_from"),
    ({"received_to": "0001-01-01"}, "received_to"), ({"overdue": "perhaps"}, "overdue"),
])
def test_bad_list_parameters_are_422(api: ApiOffice, params: dict[str, str | int],
                                     field: str) -> None:
    answer = api.client("auditor").get("/dossiers", params=params)
    assert answer.status_code == 422
    assert answer.json()["field"] == field


def test_staff_see_only_dossiers_their_departments_touched(api: ApiOffice) -> None:
    api.at(local(2026, 3, 12, 9, 0))
    copy = api.submit()["code"]
    business = api.submit("dang_ky_ho_kinh_doanh", BUSINESS)["code"]
    api.do_step(copy, {"ket_qua_kiem_tra": "hop_le"})  # now at the justice office
    api.do_step(business, {"ket_qua_kiem_tra": "hop_le"})  # now at finance

    justice = api.client("justice")
    listed = [d["code"] for d in justice.get("/dossiers", params={"limit": 200}).json()["items"]]
    assert copy in listed
    assert business not in listed
    assert justice.get(f"/dossiers/{copy}").status_code == 200
    assert justice.get(f"/dossiers/{business}").status_code == 403
    assert justice.get("/dossiers", params={"department": "TC_KH"}).status_code == 403
    assert api.client("finance").get(f"/dossiers/{business}").status_code == 200
    # The desk received both; leaders and auditors read everything.
    for user in ("reception", "leader", "auditor", "admin"):
        assert api.client(user).get(f"/dossiers/{business}").status_code == 200, user
    assert api.client("designer").get(f"/dossiers/{business}").status_code == 403


def test_an_unknown_code_is_404_and_a_malformed_one_422(api: ApiOffice) -> None:
    assert api.client("auditor").get("/dossiers/000.00.81.H26-260303-9999").status_code == 404
    assert api.client("auditor").get("/dossiers/bad code!").status_code == 422
