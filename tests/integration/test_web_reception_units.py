"""The desk's form offers the units that may resolve the procedure (Decree 118/2025: file at
any desk in the province) and goes where it is told."""

from __future__ import annotations

from tests.features.api_steps import ApiOffice, csrf_of, web_session

FORM = "/tiep-nhan/chung_thuc_ban_sao"
FILLED = {"applicant_name": "Nguyễn Văn An", "channel": "direct", "f_pages": "5",
          "f_copies": "1", "f_ten_giay_to": "Bằng tốt nghiệp THPT"}


def test_the_city_desk_chooses_the_ward_that_resolves(api: ApiOffice) -> None:
    desk = web_session(api, "reception.city")
    page = desk.get(FORM)
    assert page.status_code == 200
    assert 'name="resolving_unit"' in page.text
    assert "Phường Dương Nội" in page.text and "Phường Hà Đông" in page.text
    assert "— Chọn đơn vị —" in page.text  # the city desk has no ward of its own
    csrf = csrf_of(page.text)
    unnamed = desk.post(FORM, data={"csrf": csrf, **FILLED})
    assert unnamed.status_code == 422
    assert "Không thể chuyển hồ sơ đến đơn vị này" in unnamed.text
    sent = desk.post(FORM, data={"csrf": csrf, **FILLED, "resolving_unit": "000.00.82.H26"})
    assert sent.status_code == 303, sent.text
    code = sent.headers["location"].split("/")[2]
    assert code.startswith("000.00.00.H26-")
    dossier = api.client("auditor.duongnoi").get(f"/dossiers/{code}")
    assert dossier.status_code == 200  # resolved in Dương Nội, so its auditor reads it
    desk.close()


def test_a_ward_desk_resolves_its_own_by_default(api: ApiOffice) -> None:
    desk = web_session(api, "reception.duongnoi")
    page = desk.get(FORM)
    assert '<option value="000.00.82.H26" selected>' in page.text
    desk.close()
