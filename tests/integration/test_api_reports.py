"""Form 06, the steps report and the staff report over HTTP: figures, downloads that read
back to the same numbers, period checks, and who may read what."""

from __future__ import annotations

import csv
import io
from functools import cache
from typing import Any

import pytest
from openpyxl import load_workbook

from tests.features.api_steps import ApiOffice, local
from tests.features.auditor_steps import (
    add_user,
    finish,
    get_json,
    handled,
    receive,
    statistics,
    timed_step,
    xlsx_rows,
)
from tests.helpers import deploy_as_before_the_reform

APRIL = ("2026-04-01", "2026-04-17")
# The form's columns, then those the office keeps beside it, in the order of the table.
FORM = ["received", "new_online", "new_offline", "carried_over", "resolved", "resolved_early",
        "on_time", "resolved_late", "pending", "within", "overdue"]
OUTSIDE = ["awaiting_supplement", "resolved_no_deadline", "new_post", "refused", "withdrawn",
           "not_accepted"]
FIGURES = [*FORM, *OUTSIDE]


@cache
def april(api: ApiOffice) -> dict[str, str]:
    """Copy certifications and business registrations of the first half of April 2026, one
    of each outcome, and one still open; read on 20 April."""
    deploy_as_before_the_reform(api.office)  # business registration at district level
    codes = {
        "copy on time": handled(api, "chung_thuc_ban_sao", local(2026, 4, 6, 9, 0),
                                local(2026, 4, 6, 10, 0)),
        "copy late": handled(api, "chung_thuc_ban_sao", local(2026, 4, 6, 9, 0),
                             local(2026, 4, 7, 9, 30)),
        # After 15:00 a same-day procedure is due the next working day.
        "copy early": handled(api, "chung_thuc_ban_sao", local(2026, 4, 7, 15, 30),
                              local(2026, 4, 7, 16, 0)),
        "copy open": receive(api, "chung_thuc_ban_sao", local(2026, 4, 8, 10, 0), "online"),
        "business early": handled(api, "dang_ky_ho_kinh_doanh", local(2026, 4, 6, 9, 0),
                                  local(2026, 4, 6, 11, 0)),
        "business on time": handled(api, "dang_ky_ho_kinh_doanh", local(2026, 4, 7, 9, 0),
                                    local(2026, 4, 10, 16, 0)),
        "business not accepted": receive(api, "dang_ky_ho_kinh_doanh",
                                         local(2026, 4, 9, 9, 0)),
        "business refused": receive(api, "dang_ky_ho_kinh_doanh", local(2026, 4, 9, 9, 30)),
    }
    # Filed online, accepted at the desk, left open.
    api.do_step(codes["copy open"], {"ket_qua_kiem_tra": "hop_le"})
    # Refused at the desk before acceptance: never received for resolution.
    api.do_step(codes["business not accepted"], {"ket_qua_kiem_tra": "tu_choi",
                                                 "ly_do_tu_choi": "Thiếu bản sao căn cước"})
    # Accepted, then refused by the specialist office: received, and refused.
    api.do_step(codes["business refused"], {"ket_qua_kiem_tra": "hop_le"})
    api.do_step(codes["business refused"], {"ket_qua_tham_dinh": "tu_choi",
                                            "ly_do_tu_choi": "Ngành nghề không được kinh doanh"})
    # Received before the period and still open in it: carried over, then resolved late.
    codes["business carried"] = receive(api, "dang_ky_ho_kinh_doanh", local(2026, 3, 30, 9, 0))
    finish(api, codes["business carried"], "dang_ky_ho_kinh_doanh", local(2026, 4, 8, 9, 0))
    api.at(local(2026, 4, 20, 9, 0))
    return codes


def _rows(report: dict[str, Any]) -> dict[str | None, dict[str, Any]]:
    return {r["key"]: r for r in report["rows"]}


def _form_sums_hold(row: dict[str, Any]) -> bool:
    return (row["received"] == row["carried_over"] + row["new_online"] + row["new_offline"]
            and row["resolved"] == row["resolved_early"] + row["on_time"] + row["resolved_late"]
            and row["pending"] == row["within"] + row["overdue"]
            and row["received"] == row["resolved"] + row["refused"] + row["withdrawn"]
            + row["pending"])


def test_form_06_by_procedure(api: ApiOffice) -> None:
    april(api)
    report = statistics(api, "auditor", *APRIL)
    assert (report["date_from"], report["date_to"], report["group_by"]) == \
        ("2026-04-01", "2026-04-17", "procedure")
    assert (report["period_code"], report["period_label"]) == (None, None)  # a free range
    assert report["judged_at"] == "2026-04-18T00:00:00+07:00"  # the end of the period
    assert report["overlapping"] is False
    rows = _rows(report)
    copy, business = rows["chung_thuc_ban_sao"], rows["dang_ky_ho_kinh_doanh"]
    assert copy["label"] == "Chứng thực bản sao từ bản chính"
    assert [r["stt"] for r in report["rows"]] == ["1", "2"]
    assert {k: copy[k] for k in FIGURES} == {
        "received": 4, "new_online": 1, "new_offline": 3, "carried_over": 0,
        "resolved": 3, "resolved_early": 1, "on_time": 1, "resolved_late": 1,
        "pending": 1, "within": 0, "overdue": 1,
        "awaiting_supplement": 0, "resolved_no_deadline": 0, "new_post": 0, "refused": 0,
        "withdrawn": 0, "not_accepted": 0}
    assert copy["online_rate"] == pytest.approx(1 / 4)
    assert copy["on_time_rate"] == pytest.approx(2 / 3)
    # The desk refusal is beside the form only; the refusal after appraisal was received.
    assert {k: business[k] for k in FIGURES} == {
        "received": 4, "new_online": 0, "new_offline": 3, "carried_over": 1,
        "resolved": 3, "resolved_early": 1, "on_time": 1, "resolved_late": 1,
        "pending": 0, "within": 0, "overdue": 0,
        "awaiting_supplement": 0, "resolved_no_deadline": 0, "new_post": 0, "refused": 1,
        "withdrawn": 0, "not_accepted": 1}
    assert business["new_desk"] == 3 and business["resolved_on_time"] == 1
    totals = report["totals"]
    assert totals["key"] is None and totals["label"] == "Tổng cộng"
    assert totals["kind"] == "total"
    for name in [*FIGURES, "new", "new_desk", "resolved_on_time", "pending_within",
                 "pending_overdue", "supplement_within", "supplement_overdue"]:
        assert totals[name] == copy[name] + business[name], name
    for row in [copy, business, totals]:
        assert _form_sums_hold(row), row["label"]


def test_leaders_and_admins_read_form_06_too(api: ApiOffice) -> None:
    april(api)
    auditor = statistics(api, "auditor", *APRIL)
    for user in ("leader", "admin"):
        assert statistics(api, user, *APRIL)["rows"] == auditor["rows"]


def test_pending_dossiers_are_judged_now_while_the_period_runs(api: ApiOffice) -> None:
    april(api)
    report = statistics(api, "auditor", "2026-04-01", "2026-04-30")
    assert report["judged_at"] == "2026-04-20T09:00:00+07:00"
    assert _rows(report)["chung_thuc_ban_sao"]["pending_overdue"] == 1


def test_other_groupings(api: ApiOffice) -> None:
    april(api)
    by_field = statistics(api, "auditor", *APRIL, group_by="field")
    assert {r["key"]: r["received"] for r in by_field["rows"]} == {
        "Chứng thực": 4, "Thành lập và hoạt động của hộ kinh doanh": 4}
    by_level = statistics(api, "auditor", *APRIL, group_by="level")
    assert [(r["key"], r["label"], r["received"]) for r in by_level["rows"]] == [
        ("commune", "Cấp xã", 4), ("district", "Cấp huyện", 4)]
    by_department = statistics(api, "auditor", *APRIL, group_by="department")
    assert by_department["overlapping"] is True
    rows = _rows(by_department)
    assert rows["MOT_CUA"]["received"] == 8  # every dossier starts at the desk
    assert by_department["totals"]["received"] == 8  # each dossier once


def _table_part(lines: list[list[Any]]) -> tuple[list[Any], list[list[Any]]]:
    """The column header row of a form-06 download (after the form's header lines) and the
    rows under it, up to the first empty line (the notes and signatures follow it)."""
    at = next(n for n, line in enumerate(lines) if line and line[0] == "STT")
    body = []
    for line in lines[at + 1:]:
        if not any(v not in (None, "") for v in line):
            break
        body.append(line)
    return lines[at], body


def test_csv_and_xlsx_read_back_to_the_json_figures(api: ApiOffice) -> None:
    april(api)
    report = statistics(api, "auditor", *APRIL)
    expected = [*report["rows"], report["totals"]]
    ints, rates = len(FIGURES), ["online_rate", "on_time_rate"]

    answer = statistics(api, "auditor", *APRIL, fmt="csv")
    assert answer.headers["content-type"] == "text/csv; charset=utf-8"
    assert answer.headers["content-disposition"] == \
        'attachment; filename="bieu-06_2026-04-01_2026-04-17_000.00.81.H26_procedure.csv"'
    assert answer.content.startswith("\ufeff".encode())
    lines = list(csv.reader(io.StringIO(answer.content.decode("utf-8-sig"))))
    assert lines[0] == ["Biểu số 06/VPCP/KSTT"]
    header, body = _table_part(lines)
    assert header[1] == "Thủ tục hành chính"
    assert header[2] == "Số hồ sơ nhận giải quyết – Tổng số"
    assert header[2 + FIGURES.index("not_accepted")].endswith("Từ chối tiếp nhận (không tính "
                                                               "là nhận giải quyết)")
    assert len(body) == len(expected)
    for line, row in zip(body, expected, strict=True):
        assert line[:2] == [row["stt"], row["label"]]
        assert [int(v) for v in line[2:2 + ints]] == [row[k] for k in FIGURES]
        for cell, key in zip(line[2 + ints:], rates, strict=True):
            assert float(cell) == pytest.approx(round(row[key] * 100, 1))

    answer = statistics(api, "auditor", *APRIL, fmt="xlsx")
    assert answer.headers["content-type"] == \
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert answer.headers["content-disposition"].endswith('procedure.xlsx"')
    sheet = load_workbook(io.BytesIO(answer.content)).active
    assert sheet is not None
    cells = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert cells[0][0] == "Biểu số 06/VPCP/KSTT"
    header, body = _table_part(cells)
    assert header[2] == "Số hồ sơ nhận giải quyết"  # the group, over two header rows
    body = body[1:]  # the second header row
    assert len(body) == len(expected)
    for line, row in zip(body, expected, strict=True):
        assert [line[0] or "", line[1]] == [row["stt"], row["label"]]  # "" reads back None
        assert line[2:2 + ints] == [row[k] for k in FIGURES]
        for cell, key in zip(line[2 + ints:], rates, strict=True):
            assert cell == pytest.approx(row[key])


@pytest.mark.parametrize(("query", "field"), [
    ({"from": "2026-04-17", "to": "2026-04-01"}, "to"),
    ({"from": "2023-01-01", "to": "2026-04-01"}, "to"),
    ({"from": "2026-04-01"}, "to"),
    ({"to": "2026-04-01"}, "from"),
    ({"from": "1-4-2026", "to": "2026-04-17"}, "from"),
    ({"from": "1999-12-31", "to": "2000-01-31"}, "from"),
    ({"from": "2026-04-01", "to": "2026-04-17", "group_by": "ward"}, "group_by"),
    ({"from": "2026-04-01", "to": "2026-04-17", "format": "pdf"}, "format"),
])
def test_a_bad_period_or_option_is_422_naming_the_field(api: ApiOffice, query: dict[str, str],
                                                        field: str) -> None:
    for path in ("/reports/statistics", "/reports/staff"):
        answer = api.client("auditor").get(path, params=query)
        if field == "group_by" and path == "/reports/staff":
            continue  # the staff report takes no grouping
        assert answer.status_code == 422, (path, answer.text)
        assert answer.headers["content-type"] == "application/problem+json"
        assert answer.json()["field"] == field


def test_form_06_without_any_period_names_the_period(api: ApiOffice) -> None:
    for query in ({}, {"group_by": "field"}):
        answer = api.client("auditor").get("/reports/statistics", params=query)
        assert answer.status_code == 422
        assert answer.json()["field"] == "period"
        assert "period" in answer.json()["detail"]


def test_three_years_is_the_longest_period(api: ApiOffice) -> None:
    longest = statistics(api, "auditor", "2024-01-01", "2026-12-31")
    assert longest["date_from"] == "2024-01-01"
    answer = api.client("auditor").get("/reports/statistics",
                                       params={"from": "2024-01-01", "to": "2027-01-03"})
    assert answer.status_code == 422
    assert answer.json()["field"] == "to"


# ---- steps ------------------------------------------------------------------------------

@cache
def permits(api: ApiOffice) -> list[str]:
    """Two construction permits of May 2026: one whose site inspection overran its 7 days
    (and the permit its 15), one in time."""
    calendar = api.office.calendar
    codes = []
    for inspection_days in (16, 3):
        received = local(2026, 5, 4, 9, 0)
        code = receive(api, "cap_phep_xay_dung", received)
        checked = local(2026, 5, 4, 9, 30)
        timed_step(api, code, {"ket_qua_kiem_tra": "hop_le"}, local(2026, 5, 4, 9, 15),
                   checked)
        appraised = local(2026, 5, 5, 15, 0)
        timed_step(api, code, {"ket_qua_tham_dinh": "dat"}, local(2026, 5, 5, 8, 0),
                   appraised)
        inspected = calendar.add_working_days(appraised, inspection_days)
        timed_step(api, code, {"ket_qua_hien_trang": "phu_hop"}, appraised, inspected)
        finish(api, code, "cap_phep_xay_dung", inspected, skip=3)
        codes.append(code)
    api.at(local(2026, 7, 1, 9, 0))
    return codes


def _steps(api: ApiOffice, user: str = "auditor", **extra: str) -> Any:
    return get_json(api, user, "/reports/steps", procedure="cap_phep_xay_dung",
                    **{"from": "2026-05-01", "to": "2026-06-30", **extra})


def test_where_time_goes_per_step(api: ApiOffice) -> None:
    permits(api)
    report = _steps(api)
    assert report["procedure"] == "cap_phep_xay_dung"
    assert report["procedure_name"] == "Cấp giấy phép xây dựng nhà ở riêng lẻ"
    assert report["late_dossiers"] == 1
    steps = {s["step_id"]: s for s in report["steps"]}
    assert list(steps) == ["Task_TiepNhan", "Task_ThamDinh", "Task_KiemTraHienTrang",
                           "Task_PheDuyet", "Task_TraKetQua"]
    desk = steps["Task_TiepNhan"]
    assert (desk["department"], desk["completed"]) == ("MOT_CUA", 2)
    assert desk["waiting"] == {"median": 0.25, "p90": 0.25, "max": 0.25}
    assert desk["working"]["median"] == 0.25
    appraisal = steps["Task_ThamDinh"]
    # handed over 09:30, claimed the next day at 08:00, done at 15:00: 6 and 5.5 office hours
    assert appraisal["waiting"]["max"] == 6.0 and appraisal["working"]["max"] == 5.5
    inspection = steps["Task_KiemTraHienTrang"]
    assert inspection["working"] == {"median": pytest.approx((120 + 22.5) / 2),
                                     "p90": pytest.approx(22.5 + 0.9 * 97.5), "max": 120.0}
    assert (inspection["late"], inspection["late_share"]) == (1, 0.5)
    assert inspection["late_dossiers"] == 1
    assert [(s["step_id"], s["department"], s["dossiers"], s["share"])
            for s in report["late_steps"]] == [("Task_KiemTraHienTrang", "QLDT", 1, 1.0)]


def test_the_steps_report_downloads_with_the_same_figures(api: ApiOffice) -> None:
    permits(api)
    report = _steps(api)
    answer = api.client("leader").get("/reports/steps", params={
        "procedure": "cap_phep_xay_dung", "from": "2026-05-01", "to": "2026-06-30",
        "format": "csv"})
    assert answer.status_code == 200
    assert answer.headers["content-disposition"] == \
        'attachment; filename="buoc-xu-ly_cap_phep_xay_dung_2026-05-01_2026-06-30.csv"'
    body = list(csv.reader(io.StringIO(answer.content.decode("utf-8-sig"))))[1:]
    assert [(line[1], line[2], int(line[3]), int(line[10])) for line in body] == \
        [(s["step_id"], s["department_name"], s["completed"], s["late"])
         for s in report["steps"]]
    assert all(s["department_name"] for s in report["steps"])
    assert [float(line[7]) for line in body] == \
        [round(s["working"]["median"], 1) for s in report["steps"]]

    answer = api.client("leader").get("/reports/steps", params={
        "procedure": "cap_phep_xay_dung", "from": "2026-05-01", "to": "2026-06-30",
        "format": "xlsx"})
    rows = xlsx_rows(answer.content)
    assert [(r[1], r[3], r[6], r[9]) for r in rows[:len(report["steps"])]] == \
        [(s["step_id"], s["completed"], s["waiting"]["max"], s["working"]["max"])
         for s in report["steps"]]


def test_steps_report_errors(api: ApiOffice) -> None:
    auditor = api.client("auditor")
    unknown = auditor.get("/reports/steps", params={"procedure": "khong_co", "from": "2026-05-01",
                                                     "to": "2026-06-30"})
    assert unknown.status_code == 404
    assert unknown.headers["content-type"] == "application/problem+json"
    missing = auditor.get("/reports/steps", params={"from": "2026-05-01", "to": "2026-06-30"})
    assert missing.status_code == 422 and missing.json()["field"] == "procedure"
    bad = auditor.get("/reports/steps", params={"procedure": "<script>", "from": "2026-05-01",
                                                 "to": "2026-06-30"})
    assert bad.status_code == 422 and bad.json()["field"] == "procedure"
    backwards = auditor.get("/reports/steps", params={
        "procedure": "cap_phep_xay_dung", "from": "2026-06-30", "to": "2026-05-01"})
    assert backwards.status_code == 422 and backwards.json()["field"] == "to"
    for user, status in [("urban", 403), ("designer", 403), (None, 401)]:
        answer = api.client(user).get("/reports/steps", params={
            "procedure": "cap_phep_xay_dung", "from": "2026-05-01", "to": "2026-06-30"})
        assert answer.status_code == status, user


# ---- staff ------------------------------------------------------------------------------

def _staff(api: ApiOffice, user: str, **extra: str) -> Any:
    return get_json(api, user, "/reports/staff", **{"from": "2026-04-01", "to": "2026-04-17",
                                                    **extra})


def _people(report: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {p["username"]: p for p in report["people"]}


def test_the_staff_report_per_person(api: ApiOffice) -> None:
    april(api)
    report = _staff(api, "auditor")
    assert report["departments"] is None
    people = _people(report)
    assert set(people) == {"reception", "justice", "finance", "leader"}
    justice = people["justice"]
    assert justice["full_name"] == "Trần Văn Minh"
    assert justice["departments"] == ["TU_PHAP"]
    assert justice["completed"] == 3
    assert report["people"][0]["username"] == "reception"  # busiest first
    assert _staff(api, "admin") == report
    # A leader of every department sees the whole office.
    assert _staff(api, "leader")["people"] == report["people"]
    only = _staff(api, "auditor", department="TU_PHAP")
    assert only["departments"] == ["TU_PHAP"]
    assert [p["username"] for p in only["people"]] == ["justice"]


def test_a_leader_sees_only_their_departments(api: ApiOffice) -> None:
    april(api)
    add_user(api, "truong_tu_phap", {"leader"}, {"TU_PHAP"}, "Phan Thị Thu")
    add_user(api, "truong_hai_phong", {"leader"}, {"TU_PHAP", "TC_KH"}, "Mai Văn Dũng")
    mine = _staff(api, "truong_tu_phap")
    assert mine["departments"] == ["TU_PHAP"]
    assert [p["username"] for p in mine["people"]] == ["justice"]
    assert api.client("truong_tu_phap").get("/reports/staff", params={
        "from": "2026-04-01", "to": "2026-04-17", "department": "TC_KH"}).status_code == 403

    both = _staff(api, "truong_hai_phong")
    assert both["departments"] == ["TC_KH", "TU_PHAP"]
    office = _people(_staff(api, "auditor"))
    assert _people(both) == {name: office[name] for name in ("justice", "finance")}

    answer = api.client("truong_hai_phong").get("/reports/staff", params={
        "from": "2026-04-01", "to": "2026-04-17", "format": "csv"})
    body = list(csv.reader(io.StringIO(answer.content.decode("utf-8-sig"))))[1:]
    assert sorted((line[1], int(line[3])) for line in body) == \
        sorted((p["username"], p["completed"]) for p in both["people"])
    assert answer.headers["content-disposition"] == \
        'attachment; filename="can-bo_2026-04-01_2026-04-17.csv"'


def test_staff_report_errors(api: ApiOffice) -> None:
    april(api)  # the steps the report counts, whichever test of the module runs first
    params = {"from": "2026-04-01", "to": "2026-04-17"}
    unknown = api.client("auditor").get("/reports/staff", params={**params, "department": "XYZ"})
    assert unknown.status_code == 404
    for user, status in [("justice", 403), ("reception", 403), ("designer", 403),
                         (None, 401)]:
        assert api.client(user).get("/reports/staff", params=params).status_code == status
    xlsx = api.client("auditor").get("/reports/staff", params={**params, "format": "xlsx",
                                                               "department": "TU_PHAP"})
    assert xlsx.headers["content-disposition"] == \
        'attachment; filename="can-bo_2026-04-01_2026-04-17_TU_PHAP.xlsx"'
    assert xlsx_rows(xlsx.content)[0][1] == "justice"


def test_the_reports_words_follow_the_readers_language(api: ApiOffice) -> None:
    """Vietnamese by default, as the official form is printed; English when the reader's
    Accept-Language asks for it. The figures are the same in both."""
    april(api)
    params = {"from": APRIL[0], "to": APRIL[1], "group_by": "level"}
    reader = api.client("auditor")
    vi = reader.get("/reports/statistics", params=params).json()
    en = reader.get("/reports/statistics", params=params,
                    headers={"Accept-Language": "en-US,en;q=0.9"}).json()
    names = {"district": ("Cấp huyện", "District level"), "commune": ("Cấp xã", "Commune level")}
    assert [r["label"] for r in vi["rows"]] == [names[r["key"]][0] for r in vi["rows"]]
    assert [r["label"] for r in en["rows"]] == [names[r["key"]][1] for r in vi["rows"]]
    assert [{k: r[k] for k in FIGURES} for r in vi["rows"]] == \
        [{k: r[k] for k in FIGURES} for r in en["rows"]]
    assert vi["form"]["title"].startswith("Tình hình, kết quả giải quyết TTHC")
    assert en["form"]["title"].startswith("Handling and results of administrative procedures")
    assert en["form"]["code"] == vi["form"]["code"] == "Biểu số 06/VPCP/KSTT"

    answer = reader.get("/reports/statistics", params={**params, "format": "csv"},
                        headers={"Accept-Language": "en"})
    lines = list(csv.reader(io.StringIO(answer.content.decode("utf-8-sig"))))
    header = next(line for line in lines if line and line[0] == "No.")
    assert header[1:3] == ["Level", "Dossiers received for resolution – Total"]
    lateness = reader.get("/reports/lateness", params={"from": APRIL[0], "to": APRIL[1]},
                          headers={"Accept-Language": "en"}).json()
    assert lateness["title"] == "Dossiers late or overdue"
    assert [c["header"] for c in lateness["columns"]][:2] == ["Dossier code", "Procedure"]
