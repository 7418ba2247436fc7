"""Numbers as the desk types them: 85,5 m² is stored as 85.5, 1.000.000 as a million, and what
cannot be decided is refused with a message, never stored wrong. The API reads text the same
way and keeps JSON numbers as they are."""

from __future__ import annotations

import re
from typing import Any

from tests.features.api_steps import ApiOffice, csrf_of, web_session

FORM = "/tiep-nhan/cap_phep_xay_dung"
BUILDING = {"applicant_name": "Phạm Thị Hằng", "channel": "direct",
            "f_chu_dau_tu": "Phạm Thị Hằng", "f_dia_chi_cong_trinh": "Tổ 3, phường Yết Kiêu",
            "f_so_tang": "4"}


def _dossiers(api: ApiOffice) -> int:
    answer = api.client("auditor").get("/dossiers", params={"limit": 1})
    assert answer.status_code == 200, answer.text
    total: int = answer.json()["total"]
    return total


def _data(api: ApiOffice, code: str) -> dict[str, Any]:
    answer = api.client("auditor").get(f"/dossiers/{code}")
    assert answer.status_code == 200, answer.text
    data: dict[str, Any] = answer.json()["data"]
    return data


def test_the_desk_stores_a_decimal_comma_and_dotted_thousands(api: ApiOffice) -> None:
    desk = web_session(api, "reception")
    page = desk.get(FORM)
    assert 'id="field-dien_tich_xay_dung"' in page.text
    assert 'type="text" inputmode="decimal"' in page.text  # a number input drops the comma
    sent = desk.post(FORM, data={"csrf": csrf_of(page.text), **BUILDING,
                                 "f_dien_tich_xay_dung": "85,5",
                                 "f_tong_dien_tich_san": "1.000.000"})
    assert sent.status_code == 303, sent.text
    code = sent.headers["location"].split("/")[2]
    data = _data(api, code)
    assert data["dien_tich_xay_dung"] == 85.5 and data["tong_dien_tich_san"] == 1_000_000
    shown = desk.get(f"/ho-so/{code}")
    assert "85,5" in shown.text and "1.000.000" in shown.text and "85.5" not in shown.text
    desk.close()


def test_an_ambiguous_number_is_refused_and_nothing_is_stored(api: ApiOffice) -> None:
    desk = web_session(api, "reception")
    before = _dossiers(api)
    page = desk.get(FORM)
    sent = desk.post(FORM, data={"csrf": csrf_of(page.text), **BUILDING,
                                 "f_dien_tich_xay_dung": "1.000", "f_so_tang": "2,5"})
    assert sent.status_code == 422
    assert "“1.000” có thể hiểu hai cách" in sent.text
    assert "Vui lòng nhập số nguyên" in sent.text
    assert 'value="1.000"' in sent.text  # what was typed stays in the field
    assert _dossiers(api) == before
    desk.close()


def test_the_api_reads_number_text_the_same_way(api: ApiOffice) -> None:
    clerk = api.client("reception")
    body = {"procedure": "cap_phep_xay_dung", "applicant": {"name": "Phạm Thị Hằng"},
            "channel": "direct",
            "data": {"chu_dau_tu": "Phạm Thị Hằng", "dia_chi_cong_trinh": "Tổ 3",
                     "dien_tich_xay_dung": "85,5", "so_tang": 4,
                     "tong_dien_tich_san": 1000000}}
    made = clerk.post("/dossiers", json=body)
    assert made.status_code == 201, made.text
    data = _data(api, made.json()["code"])
    assert data["dien_tich_xay_dung"] == 85.5 and data["tong_dien_tich_san"] == 1_000_000
    before = _dossiers(api)
    body["data"] = {**body["data"], "dien_tich_xay_dung": "1.000"}  # type: ignore[dict-item]
    refused = clerk.post("/dossiers", json=body)
    assert refused.status_code == 422
    assert refused.headers["content-type"].startswith("application/problem+json")
    assert "có thể hiểu hai cách" in refused.json()["detail"]
    assert _dossiers(api) == before


def test_a_deadline_in_whole_days_has_no_fraction(api: ApiOffice) -> None:
    desk = web_session(api, "reception")
    page = desk.get(FORM)
    assert re.search(r"\b\d+ ngày làm việc", page.text), page.text
    assert not re.search(r"\d,0 ngày", page.text)
    designer = web_session(api, "designer")
    listed = designer.get("/thu-tuc")
    assert listed.status_code == 200 and "ngày làm việc" in listed.text
    assert not re.search(r"\d,0 ngày", listed.text)
    desk.close()
    designer.close()
