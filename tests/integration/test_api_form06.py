"""GET /reports/statistics as Biểu số 06/VPCP/KSTT: official periods, whose units a reader
may ask for, consolidation, and the form's elements in JSON, CSV and XLSX."""

from __future__ import annotations

import csv
import io
from functools import cache
from typing import Any

import pytest
from openpyxl import load_workbook

from tests.features.api_steps import ApiOffice, local
from tests.features.auditor_steps import BUSINESS, COPY_DATA, receive
from tests.integration.form06_data import CITY, DUONG_NOI, FIRST_WARD, UNITS_IN_ORDER

Q1 = {"period": "2026-Q1"}
CODE = "Biểu số 06/VPCP/KSTT"
Q1_LINE = "(Từ ngày 15/12/2025 đến ngày 14/03/2026)"


@cache
def quarter(api: ApiOffice) -> None:
    """In March 2026: a copy certified on time in Hà Đông; in Dương Nội a copy left open and
    a business registration received at the city's desk, resolved by the ward."""
    code = receive(api, "chung_thuc_ban_sao", local(2026, 3, 3, 9, 0))
    api.at(local(2026, 3, 3, 10, 0))
    api.certify(code)
    api.at(local(2026, 3, 3, 9, 30))
    left_open = api.submit("chung_thuc_ban_sao", COPY_DATA, by="reception.duongnoi")["code"]
    _step(api, left_open, "reception.duongnoi", {"ket_qua_kiem_tra": "hop_le"})  # accepted
    sent = api.client("reception.city").post("/dossiers", json={
        "procedure": "dang_ky_ho_kinh_doanh", "applicant": {"name": "Nguyễn Văn An"},
        "channel": "direct", "data": BUSINESS, "resolving_unit": DUONG_NOI})
    assert sent.status_code == 201, sent.text
    city_code = sent.json()["code"]
    assert city_code.startswith(f"{CITY}-")  # numbered by the desk that received it
    api.at(local(2026, 3, 4, 10, 0))
    for user, data in (("reception.city", {"ket_qua_kiem_tra": "hop_le"}),
                       ("finance.duongnoi", {"ket_qua_tham_dinh": "dat"}),
                       ("leader.duongnoi", {"y_kien_lanh_dao": "dong_y"}),
                       ("reception.city", {"hinh_thuc_tra": "truc_tiep"})):
        _step(api, city_code, user, data)
    api.at(local(2026, 3, 20, 9, 0))


def _step(api: ApiOffice, code: str, user: str, data: dict[str, Any]) -> None:
    """``user`` claims and completes the dossier's open step (read by the city's inspector:
    the first ward's auditor may not read another ward's dossier)."""
    answer = api.client("inspector").get(f"/dossiers/{code}")
    assert answer.status_code == 200, answer.text
    [step] = [s for s in answer.json()["steps"] if s["status"] in ("open", "claimed")]
    api.claim(step["id"], user)
    api.complete(step["id"], user, data)


def _get(api: ApiOffice, user: str, **params: Any) -> Any:
    answer = api.client(user).get("/reports/statistics", params=params)
    assert answer.status_code == 200, answer.text
    return answer.json() if params.get("format", "json") == "json" else answer


def test_a_quarter_by_its_code(api: ApiOffice) -> None:
    quarter(api)
    report = _get(api, "inspector", **Q1)
    assert (report["date_from"], report["date_to"]) == ("2025-12-15", "2026-03-14")
    assert (report["period_code"], report["period_label"]) == ("2026-Q1", "Quý I năm 2026")
    assert report["judged_at"] == "2026-03-15T00:00:00+07:00"  # the quarter's end
    assert report["form"]["period_line"] == f"Quý I năm 2026 {Q1_LINE}"
    assert any(n.startswith("Thời gian chốt số liệu: Nghị định 09/2019/NĐ-CP")
               for n in report["form"]["notes"])
    assert _get(api, "inspector", period=" 2026-q1 ")["rows"] == report["rows"]
    lines = list(csv.reader(io.StringIO(
        _get(api, "inspector", **Q1, format="csv").content.decode("utf-8-sig"))))
    assert [f"Quý I năm 2026 {Q1_LINE}"] in lines
    subtitle = next(line[0] for line in lines if line and line[0].startswith("Kỳ báo cáo"))
    assert subtitle.startswith(f"Kỳ báo cáo: Quý I năm 2026 {Q1_LINE}; ")


@pytest.mark.parametrize("query", [
    {"period": "2026-Q5"}, {"period": "quý 1"}, {"period": "2026-YTD-M13"},
    {"period": "2026-Q1", "from": "2026-01-01"}, {"period": "2026-Q1", "to": "2026-03-31"},
])
def test_a_bad_period_is_422_naming_period(api: ApiOffice, query: dict[str, str]) -> None:
    answer = api.client("auditor").get("/reports/statistics", params=query)
    assert answer.status_code == 422, answer.text
    assert answer.headers["content-type"] == "application/problem+json"
    assert answer.json()["field"] == "period"


def test_a_ward_reads_its_own_figures_and_the_inspector_every_units(api: ApiOffice) -> None:
    quarter(api)
    mine = _get(api, "auditor.duongnoi", **Q1)
    assert (mine["unit"], mine["consolidated"]) == (DUONG_NOI, False)
    assert mine["form"]["reporting_unit"] == "Đơn vị báo cáo: Phường Dương Nội"
    # Its open copy and the registration the city's desk received for it.
    assert {k: mine["totals"][k] for k in ("received", "resolved", "resolved_early",
                                           "pending", "overdue")} == {
        "received": 2, "resolved": 1, "resolved_early": 1, "pending": 1, "overdue": 1}
    assert [r["stt"] for r in mine["rows"]] == ["I", "1", "2"]
    for user, unit in (("auditor.duongnoi", FIRST_WARD), ("auditor.duongnoi", CITY),
                       ("auditor", DUONG_NOI)):
        refused = api.client(user).get("/reports/statistics", params={**Q1, "unit": unit})
        assert refused.status_code == 403, (user, unit)
        assert refused.headers["content-type"] == "application/problem+json"

    everything = _get(api, "inspector", **Q1)  # by default the city, consolidated
    assert (everything["unit"], everything["consolidated"]) == (CITY, True)
    units = [r for r in everything["rows"] if r["kind"] == "unit"]
    assert [r["label"] for r in units] == UNITS_IN_ORDER
    by_unit = {r["key"]: r for r in units}
    assert by_unit[DUONG_NOI]["received"] == 2 and by_unit[FIRST_WARD]["received"] == 1
    assert by_unit[CITY]["received"] == 0  # its desk received, the ward resolves
    for key in ("received", "resolved", "pending", "on_time", "new_offline"):
        assert everything["totals"][key] == sum(r[key] for r in units), key
    one = _get(api, "inspector", **Q1, unit=DUONG_NOI, consolidate="false")
    assert one["totals"] == mine["totals"]
    city_alone = _get(api, "inspector", **Q1, unit=CITY, consolidate="false")
    assert city_alone["rows"] == [] and city_alone["totals"]["received"] == 0


def test_an_unknown_unit_is_422_saying_so(api: ApiOffice) -> None:
    answer = api.client("inspector").get("/reports/statistics",
                                         params={**Q1, "unit": "000.99.99.H26"})
    assert answer.status_code == 422
    assert answer.headers["content-type"] == "application/problem+json"
    assert "đơn vị '000.99.99.H26' không có trong danh mục" in answer.json()["detail"]
    malformed = api.client("inspector").get("/reports/statistics",
                                            params={**Q1, "unit": "<b>"})
    assert malformed.status_code == 422 and malformed.json()["field"] == "unit"


def test_the_forms_elements_in_json_csv_and_xlsx(api: ApiOffice) -> None:
    quarter(api)
    form = _get(api, "auditor", **Q1)["form"]
    assert form["code"] == CODE
    assert form["basis"].startswith("Ban hành kèm theo Thông tư số 01/2020/TT-VPCP")
    assert form["title"] == ("Tình hình, kết quả giải quyết TTHC tại cơ quan, đơn vị trực "
                             "tiếp giải quyết TTHC")
    assert form["unit_of_measure"] == "Đơn vị tính: Số hồ sơ TTHC"
    assert form["place_date"] == "Hà Nội, ngày 20 tháng 03 năm 2026"  # the day it was made
    assert [role for role, _ in form["signers"]] == ["NGƯỜI LẬP BIỂU", "THỦ TRƯỞNG ĐƠN VỊ"]

    download = _get(api, "auditor", **Q1, format="csv")
    assert download.headers["content-disposition"] == \
        f'attachment; filename="bieu-06_2026-Q1_{FIRST_WARD}_form.csv"'
    lines = list(csv.reader(io.StringIO(download.content.decode("utf-8-sig"))))
    assert lines[0] == [CODE]
    assert lines[-3:] == [["Hà Nội, ngày 20 tháng 03 năm 2026"],
                          ["NGƯỜI LẬP BIỂU   (Ký, ghi rõ họ tên)"],
                          ["THỦ TRƯỞNG ĐƠN VỊ   (Ký, ghi rõ họ tên, đóng dấu)"]]

    book = _get(api, "auditor", **Q1, format="xlsx")
    sheet = load_workbook(io.BytesIO(book.content)).active
    assert sheet is not None
    setup = sheet.page_setup
    assert (setup.orientation, int(setup.paperSize)) == ("landscape", 9)  # 9: A4 in OOXML
    assert (setup.fitToWidth, setup.fitToHeight) == (1, 0)
    assert sheet.sheet_properties.pageSetUpPr.fitToPage is True
    cells = [list(r) for r in sheet.iter_rows(values_only=True)]
    firsts = [row[0] for row in cells]
    assert firsts[:2] == [CODE, form["basis"]]
    for line in (form["title"].upper(), f"Quý I năm 2026 {Q1_LINE}",
                 "Đơn vị báo cáo: Phường Hà Đông"):
        assert line in firsts
    header = firsts.index("STT")
    assert cells[header][1] == "Lĩnh vực, công việc giải quyết theo cấp"
    assert sheet.print_title_rows == f"${header + 1}:${header + 2}"  # on every page
    assert [row[:3] for row in cells[header + 2:header + 6]] == [
        ["I", "Cấp xã", 1], ["1", "Chứng thực", 1], [None, "Tổng cộng", 1], [None] * 3]
    values = [v for row in cells for v in row if isinstance(v, str)]
    assert "NGƯỜI LẬP BIỂU" in values and "THỦ TRƯỞNG ĐƠN VỊ" in values
