"""The statistics page shows Biểu số 06/VPCP/KSTT as on paper: an official period or a free
range, the reporting unit among those the reader reads (consolidated, one row group per unit,
when the unit has readable units below it), the satisfaction and lateness sheets of the same
scope, and a workbook of the three sheets."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from datetime import timedelta

import httpx
import pytest
from openpyxl import load_workbook

from engine.service.demo import CITY, FIRST_WARD
from tests.features.api_steps import START, ApiOffice, web_session

SECOND_WARD = "000.00.82.H26"  # Phường Dương Nội
Q1 = "period=2026-Q1"  # 15/12/2025 – 14/03/2026, holding 3 and 10 March 2026


@pytest.fixture(scope="module")
def office(api: ApiOffice) -> ApiOffice:
    """Two copy certifications at the first ward, one at the second, all received (accepted
    at the desk) on 3 March and still pending a week later, when their same-day deadline has
    long passed."""
    api.at(START)
    for by in ("reception", "reception", "reception.duongnoi"):
        code = api.submit(by=by)["code"]
        steps = api.client("inspector").get(f"/dossiers/{code}").json()["steps"]
        [desk] = [s for s in steps if s["status"] == "open"]
        api.claim(desk["id"], by)
        api.complete(desk["id"], by, {"ket_qua_kiem_tra": "hop_le"})
    api.at(START + timedelta(days=7))
    return api


@pytest.fixture(scope="module")
def inspector(office: ApiOffice) -> Iterator[httpx.Client]:
    web = web_session(office, "inspector")
    yield web
    web.close()


@pytest.fixture(scope="module")
def auditor(office: ApiOffice) -> Iterator[httpx.Client]:
    web = web_session(office, "auditor")  # the first ward's
    yield web
    web.close()


def _page(web: httpx.Client, query: str) -> str:
    answer = web.get(f"/thong-ke?{query}")
    assert answer.status_code == 200, answer.text[:500]
    return answer.text


def _options(html: str, select: str) -> list[tuple[str, str, bool]]:
    """(value, text, selected) of each option of a select."""
    body = re.search(rf'<select id="{select}"[^>]*>(.*?)</select>', html, re.S)
    assert body, select
    return [(value, text.strip(), " selected" in attrs) for value, attrs, text in re.findall(
        r'<option value="([^"]*)"([^>]*)>([^<]*)</option>', body.group(1))]


def _text(html: str, element_id: str) -> str:
    found = re.search(rf'id="{element_id}"[^>]*>([^<]*)<', html)
    assert found, element_id
    return found.group(1).strip()


def _unit_rows(html: str) -> dict[str, int]:
    """The received total of each unit row of the form, by the unit's agency code."""
    rows = re.findall(r'<tr class="kind-unit" data-row="([^"]+)">(.*?)</tr>', html, re.S)
    return {code: int(re.search(r'data-key="received" class="num">([\d.]+)<', cells)
                      .group(1).replace(".", ""))  # type: ignore[union-attr]
            for code, cells in rows}


def test_a_preset_period_shows_its_name_and_dates_on_the_period_line(
        auditor: httpx.Client) -> None:
    html = _page(auditor, Q1)
    assert _text(html, "period-line") == "Quý I năm 2026 (Từ ngày 15/12/2025 đến ngày 14/03/2026)"
    assert ("2026-Q1", "Quý I năm 2026", True) in _options(html, "period")
    assert 'value="2025-12-15"' in html and 'value="2026-03-14"' in html
    assert _text(html, "form-code") == "Biểu số 06/VPCP/KSTT"
    assert "TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT TTHC" in html
    assert "Đơn vị tính: Số hồ sơ TTHC" in html and "THỦ TRƯỞNG ĐƠN VỊ" in html
    assert 'id="period-unconfirmed"' not in html
    # Nine months has no national cut-off text yet: the page says so.
    nine = _page(auditor, "period=2026-9M")
    assert _text(nine, "period-line") == "9 tháng năm 2026 (Từ ngày 15/12/2025 đến ngày 14/09/2026)"
    assert 'id="period-unconfirmed"' in nine


def test_without_a_period_the_page_shows_the_year_to_the_last_ended_month(
        auditor: httpx.Client) -> None:
    # 10 March 2026: month 3 runs to 14/03, so the year so far ends with month 2 (14/02).
    html = _page(auditor, "")
    assert _text(html, "period-line") == ("Từ đầu năm đến tháng 2 năm 2026 "
                                          "(Từ ngày 15/12/2025 đến ngày 14/02/2026)")
    assert [o for o in _options(html, "period") if o[2]] == \
        [("2026-YTD-M2", "Từ đầu năm đến tháng 2 năm 2026", True)]


def test_free_dates_are_a_range_without_a_period_name(auditor: httpx.Client) -> None:
    html = _page(auditor, "date_from=2026-03-01&date_to=2026-03-31")
    assert _text(html, "period-line") == "(Từ ngày 01/03/2026 đến ngày 31/03/2026)"
    assert [o for o in _options(html, "period") if o[2]] == []


def test_a_ward_auditor_chooses_only_their_ward_and_is_offered_no_consolidation(
        auditor: httpx.Client) -> None:
    html = _page(auditor, Q1)
    assert _options(html, "unit") == [(FIRST_WARD, "Phường Hà Đông", True)]
    assert 'name="consolidate"' not in html
    assert _text(html, "reporting-unit") == "Đơn vị báo cáo: Phường Hà Đông"
    assert _unit_rows(html) == {}  # one unit: its levels and fields, no unit rows


def test_the_inspector_chooses_the_city_or_any_ward_and_may_consolidate(
        inspector: httpx.Client) -> None:
    html = _page(inspector, Q1)
    options = _options(html, "unit")
    assert options[0] == (CITY, "Thành phố Hà Nội", True)
    assert [text for _, text, _ in options[1:]] == [
        "Phường Chương Mỹ", "Phường Dương Nội", "Phường Hà Đông", "Phường Kiến Hưng",
        "Phường Phú Lương", "Phường Yên Nghĩa"]  # the wards of 2026; the district had ended
    box = re.search(r'<span class="filter choice" id="consolidate-choice"([^>]*)>\s*'
                    r'<input type="checkbox" id="consolidate" name="consolidate" value="1"'
                    r'([^>]*)>', html)
    assert box and "hidden" not in box.group(1) and "checked" in box.group(2)
    assert "Tổng hợp các đơn vị trực thuộc" in html


def test_a_consolidated_form_has_a_row_group_per_unit_and_a_ward_alone_has_none(
        inspector: httpx.Client) -> None:
    html = _page(inspector, f"{Q1}&unit={CITY}&consolidate=1")
    rows = _unit_rows(html)
    # The city, then its wards by name: Chương Mỹ, Dương Nội, Hà Đông, Kiến Hưng, Phú Lương,
    # Yên Nghĩa.
    assert list(rows) == [CITY, *(f"000.00.8{n}.H26" for n in (6, 2, 1, 4, 5, 3))]
    assert (rows[FIRST_WARD], rows[SECOND_WARD], rows[CITY]) == (2, 1, 0)
    total = re.search(r'<tr class="total">.*?data-key="received" class="num">(\d+)<', html,
                      re.S)
    assert total and int(total.group(1)) == 3
    assert _text(html, "reporting-unit") == "Đơn vị báo cáo: Thành phố Hà Nội"

    alone = _page(inspector, f"{Q1}&unit={CITY}")  # the box left unticked
    assert _unit_rows(alone) == {}
    ward = _page(inspector, f"{Q1}&unit={SECOND_WARD}")
    assert _text(ward, "reporting-unit") == "Đơn vị báo cáo: Phường Dương Nội"
    assert re.search(r'id="consolidate-choice" hidden', ward)


def test_the_outside_columns_are_set_apart_under_their_own_group(
        auditor: httpx.Client) -> None:
    html = _page(auditor, Q1)
    assert re.search(r'<th scope="colgroup" colspan="8" class="group outside outside-first">'
                     r'Ngoài biểu mẫu \(để theo dõi\)</th>', html)
    assert '<th scope="col" data-key="awaiting_supplement" class="num outside outside-first">' \
        in html
    assert '<th scope="col" data-key="received" class="num">' in html


def test_the_lateness_sheet_follows_the_chosen_unit(inspector: httpx.Client,
                                                    auditor: httpx.Client) -> None:
    def late(html: str) -> int:
        section = html.split('id="lateness"', 1)[1].split("</section>", 1)[0]
        return section.count('<tr class="kind-row">')

    assert late(_page(inspector, f"{Q1}&unit={CITY}&consolidate=1")) == 3
    assert late(_page(inspector, f"{Q1}&unit={SECOND_WARD}")) == 1
    mine = _page(auditor, Q1)
    assert late(mine) == 2
    assert "Danh sách hồ sơ quá hạn" in mine and "Kết quả đánh giá mức độ hài lòng" in mine
    assert "Chưa có đánh giá nào trong kỳ." in mine


def test_the_workbook_holds_the_form_and_its_two_sheets(inspector: httpx.Client) -> None:
    answer = inspector.get(f"/thong-ke/bao-cao.xlsx?{Q1}&unit={CITY}&consolidate=1")
    assert answer.status_code == 200
    assert "bieu-06-2026-Q1.xlsx" in answer.headers["content-disposition"]
    book = load_workbook(io.BytesIO(answer.content))
    assert book.sheetnames == ["Biểu 06", "Hài lòng", "Quá hạn"]
    form = [str(c.value) for row in book["Biểu 06"].iter_rows() for c in row if c.value]
    assert form[:2] == ["Biểu số 06/VPCP/KSTT",
                        "Ban hành kèm theo Thông tư số 01/2020/TT-VPCP ngày 21/10/2020 "
                        "của Văn phòng Chính phủ"]
    assert "Quý I năm 2026 (Từ ngày 15/12/2025 đến ngày 14/03/2026)" in form
    assert "Đơn vị báo cáo: Thành phố Hà Nội" in form and "Phường Dương Nội" in form
    late = [row for row in book["Quá hạn"].iter_rows(values_only=True)
            if isinstance(row[0], int)]  # the numbered rows, under the header
    assert [(row[3], row[7]) for row in late] == [  # unit, working days late
        ("Phường Hà Đông", 5), ("Phường Hà Đông", 5), ("Phường Dương Nội", 5)]
    assert "Kết quả đánh giá mức độ hài lòng" in str(book["Hài lòng"]["A1"].value)


def test_the_csv_is_the_form_alone(auditor: httpx.Client) -> None:
    answer = auditor.get(f"/thong-ke/bao-cao.csv?{Q1}")
    text = answer.content.decode("utf-8-sig")
    assert answer.status_code == 200
    assert text.startswith("Biểu số 06/VPCP/KSTT\r\n")
    assert "Đơn vị báo cáo: Phường Hà Đông" in text
    assert "Danh sách hồ sơ quá hạn" not in text and "Rất hài lòng" not in text


def test_a_ward_auditor_may_not_ask_for_another_wards_form(auditor: httpx.Client) -> None:
    for path in ("/thong-ke", "/thong-ke/bao-cao.xlsx"):
        answer = auditor.get(f"{path}?{Q1}&unit={SECOND_WARD}")
        assert answer.status_code == 403, path
        assert answer.headers["content-type"].startswith("text/html")
        assert f"Bạn không được xem báo cáo của đơn vị {SECOND_WARD}." in answer.text


@pytest.mark.parametrize("code", ["2026-Q5", "nam-ngoai", "2026-M13", "2027-YTD"])
def test_a_bad_period_code_is_a_page_in_vietnamese_not_a_server_error(
        auditor: httpx.Client, code: str) -> None:
    # 2027-YTD: no month of 2027 has ended on 10 March 2026.
    for path in ("/thong-ke", "/thong-ke/bao-cao.csv"):
        answer = auditor.get(path, params={"period": code})
        assert answer.status_code == 422, (path, answer.text[:300])
        assert answer.headers["content-type"].startswith("text/html")
        assert f"Kỳ báo cáo «{code}» không hợp lệ" in answer.text


def test_an_administrator_chooses_among_every_unit_that_existed_in_the_period(
        office: ApiOffice) -> None:
    admin = web_session(office, "admin")
    try:
        now = [text for _, text, _ in _options(_page(admin, Q1), "unit")]
        last_year = [text for _, text, _ in _options(_page(admin, "period=2025"), "unit")]
    finally:
        admin.close()
    assert now[0] == "Thành phố Hà Nội" and len(now) == 7
    # 2025 (15/12/2024 – 14/12/2025) saw the district and its wards end on 30 June.
    assert last_year[:2] == ["Thành phố Hà Nội", "Quận Hà Đông (đến 30/06/2025)"]
    assert last_year[2:8] == now[1:]  # the wards of today, then those that ended
    assert "Phường Yên Nghĩa (đến 30/06/2025)" in last_year[8:]
    assert len(last_year) == 2 + 6 + 17  # the seventeen wards of the former district
