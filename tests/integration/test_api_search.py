"""Finding dossiers by code, name without accents, ID number and phone; checked phones and ID
numbers at filing."""

from __future__ import annotations

from typing import Any

import pytest

from tests.features.api_steps import COPY, ApiOffice, csrf_of, local, web_session

# The server and its database last the module: each test files for people of its own.
AN = {"name": "Nguyễn Văn An", "id_number": "001085012345", "phone": "0912345678"}
BINH = {"name": "Trần Thị Bình", "id_number": "079203004567", "phone": "0356123456"}
KHAI = {"name": "Phạm Văn Khải", "id_number": "031190000777", "phone": "0987000111"}
NGOC = {"name": "Võ Thị Ngọc", "id_number": "048301000888", "phone": "0708000222"}
BUSINESS = {"ten_ho_kinh_doanh": "Tạp hóa Minh Anh", "nganh_nghe": "Bán lẻ",
            "dia_chi": "Số 5 Quang Trung, Hà Đông", "von_kinh_doanh": 50_000_000,
            "ho_ten_chu_ho": "Đặng Văn Đức"}


def _codes(answer: Any) -> list[str]:
    assert answer.status_code == 200, answer.text
    return [d["code"] for d in answer.json()["items"]]


@pytest.mark.parametrize(("applicant", "field", "words"), [
    ({**AN, "phone": "abc"}, "applicant.phone", "chỉ được gồm chữ số"),
    ({**AN, "phone": "0112345678"}, "applicant.phone", "03, 05, 07, 08 hoặc 09"),
    ({**AN, "id_number": "12"}, "applicant.id_number", "12 chữ số"),
    ({**AN, "id_number": "003085012345"}, "applicant.id_number", "003"),
])
def test_a_bad_phone_or_id_number_is_refused_naming_the_field(
        api: ApiOffice, applicant: dict[str, str], field: str, words: str) -> None:
    answer = api.client("reception").post("/dossiers", json={
        "procedure": "chung_thuc_ban_sao", "applicant": applicant, "data": COPY})
    assert answer.status_code == 422, answer.text
    problem = answer.json()
    assert problem["field"] == field
    assert words in problem["detail"]  # Vietnamese by default
    english = api.client("reception").post("/dossiers", headers={"Accept-Language": "en"},
                                           json={"procedure": "chung_thuc_ban_sao",
                                                 "applicant": applicant, "data": COPY})
    assert english.json()["field"] == field and "number" in english.json()["detail"]
    found = api.client("auditor").get("/dossiers", params={"limit": 200}).json()
    assert found["total"] == 0  # nothing half-written


def test_the_phone_and_id_number_are_kept_normalised(api: ApiOffice) -> None:
    code = api.submit(applicant={"name": "Hồ Văn Sơn", "phone": "+84 912 000 333",
                                 "id_number": "001 085 000 333"})["code"]
    applicant = api.dossier(code)["applicant"]
    assert (applicant["phone"], applicant["id_number"]) == ("0912000333", "001085000333")


def test_staff_find_a_dossier_by_code_name_id_number_and_phone(api: ApiOffice) -> None:
    api.at(local(2026, 3, 4, 9, 0))
    an = api.submit(applicant=AN)["code"]
    binh = api.submit(applicant=BINH)["code"]
    duc = api.submit("dang_ky_ho_kinh_doanh", BUSINESS, applicant={"name": "Lê Thị Hoa"})["code"]
    reception = api.client("reception")

    def find(q: str) -> list[str]:
        return _codes(reception.get("/dossiers", params={"q": q}))

    assert find("nguyen van an") == [an]
    assert find("Nguyễn Văn") == [an]
    assert find("NGUYEN an") == [an]  # every word, in any order
    assert find("ngu va") == [an]  # beginnings of words
    assert find("tran thi binh") == [binh]
    assert find("thi") == [duc, binh]  # newest first
    assert find("dang van duc") == [duc]  # the owner named in the form
    assert find("001085012345") == [an]
    assert find("079 203 004 567") == [binh]
    assert find("+84 356 123 456") == [binh]
    assert find("0912.345.678") == [an]
    assert find(an) == [an]
    assert find(an.lower()) == [an]
    assert set(find(an[:-4])) == {an, binh, duc}  # the code's beginning: that day's desk
    assert find("nguyen van binh") == []
    assert find("!!!") == []
    assert reception.get("/dossiers", params={"q": "x" * 101}).status_code == 422


def test_search_keeps_to_the_dossiers_the_user_may_read(api: ApiOffice) -> None:
    api.at(local(2026, 3, 12, 9, 0))
    copy = api.submit(applicant=KHAI)["code"]
    business = api.submit("dang_ky_ho_kinh_doanh", BUSINESS, applicant=KHAI)["code"]
    api.do_step(copy, {"ket_qua_kiem_tra": "hop_le"})  # now at the justice office
    api.do_step(business, {"ket_qua_kiem_tra": "hop_le"})  # now at finance
    assert _codes(api.client("justice").get("/dossiers", params={"q": "pham van khai"})) \
        == [copy]
    assert _codes(api.client("finance").get("/dossiers", params={"q": "0987000111"})) \
        == [business]
    assert _codes(api.client("reception").get("/dossiers", params={"q": "khai"})) \
        == [business, copy]
    assert _codes(api.client("reception.duongnoi").get("/dossiers", params={"q": "khai"})) \
        == []  # another ward's desk


def test_the_queues_filter_by_the_same_search(api: ApiOffice) -> None:
    api.at(local(2026, 3, 13, 9, 0))
    an = api.submit(applicant=NGOC)["code"]
    binh = api.submit(applicant={**NGOC, "name": "Võ Thị Ngân"})["code"]
    reception = api.client("reception")
    queue = reception.get("/tasks", params={"q": "vo ngan"}).json()
    assert [t["dossier_code"] for t in queue["items"]] == [binh]
    assert queue["total"] == 1
    everything = reception.get("/tasks").json()
    assert {an, binh} <= {t["dossier_code"] for t in everything["items"]}
    assert reception.get("/tasks", params={"q": "nobody"}).json()["total"] == 0


def test_the_dossier_list_and_the_queues_have_a_search_box(api: ApiOffice) -> None:
    api.at(local(2026, 3, 16, 9, 0))
    mai = api.submit(applicant={"name": "Bùi Thị Mai", "phone": "0977000444"})["code"]
    web = web_session(api, "reception")
    page = web.get("/ho-so", params={"q": "bui thi mai"})
    assert page.status_code == 200
    assert mai in page.text and 'value="bui thi mai"' in page.text
    assert "Không tìm thấy hồ sơ nào" not in page.text
    none = web.get("/ho-so", params={"q": "khong ai ten nay"})
    assert none.status_code == 200 and "Không tìm thấy hồ sơ nào" in none.text
    assert 'value="khong ai ten nay"' in none.text
    queue = web.get("/ho-so-phong", params={"q": "0977000444"})
    assert mai in queue.text and 'value="0977000444"' in queue.text
    empty = web.get("/ho-so-phong", params={"q": "khong ai ten nay"})
    assert mai not in empty.text and "Không tìm thấy hồ sơ nào" in empty.text
    assert web.get("/ho-so", params={"q": "x" * 500}).status_code == 200  # cut, never a 500


def test_the_desk_form_shows_a_bad_phone_next_to_its_field(api: ApiOffice) -> None:
    form = "/tiep-nhan/chung_thuc_ban_sao"
    desk = web_session(api, "reception")
    csrf = csrf_of(desk.get(form).text)
    answer = desk.post(form, data={
        "csrf": csrf, "applicant_name": "Lê Thị Hoa", "applicant_phone": "abc",
        "channel": "direct", "f_pages": "1", "f_copies": "1", "f_ten_giay_to": "Học bạ"})
    assert answer.status_code == 422
    assert 'id="applicant_phone-error"' in answer.text
    assert "Số điện thoại “abc” chỉ được gồm chữ số" in answer.text
    assert 'value="abc"' in answer.text  # kept for correcting
