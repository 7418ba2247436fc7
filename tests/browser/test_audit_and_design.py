"""Auditors read the statistics, the control sheet and where time goes, and verify the log;
designers edit a procedure in the modeler, validate, deploy and compare versions."""

from __future__ import annotations

from datetime import timedelta

from playwright.sync_api import Page, expect

from engine.service.reporting import statistics
from tests.browser.conftest import numbers, sign_in
from tests.features.api_steps import START, ApiOffice

PERIOD = "date_from=2026-03-01&date_to=2026-03-31"


def _history(web: ApiOffice) -> list[str]:
    """Three certified copies, one refused, one still with justice."""
    web.at(START)
    codes = [web.submit()["code"] for _ in range(5)]
    for code in codes[:3]:
        web.certify(code)
    web.do_step(codes[3], {"ket_qua_kiem_tra": "tu_choi", "ly_do_tu_choi": "Thiếu bản chính"})
    web.do_step(codes[4], {"ket_qua_kiem_tra": "hop_le"})
    web.at(START + timedelta(hours=7))
    return codes


def test_auditor_statistics_reconcile_chart_and_export(page: Page, web: ApiOffice) -> None:
    _history(web)
    sign_in(page, "auditor")
    page.goto(f"/thong-ke?{PERIOD}&group=procedure")
    expect(page.locator("#reconcile")).to_have_class("alert ok")
    total = numbers(page, "#form06 tfoot tr")
    # The dossier refused at the desk was never received for resolution: outside the sums.
    assert (total["received"], total["not_accepted"]) == (4, 1)
    assert total["received"] == (total["resolved"] + total["refused"] + total["withdrawn"]
                                 + total["pending"])
    engine = statistics(web.office, START.date().replace(day=1), START.date().replace(day=31),
                        "procedure").total
    assert (total["resolved"], total["refused"], total["pending"]) == \
        (engine.resolved, engine.refused, engine.pending)
    for chart in ("chart-on-time", "chart-months", "chart-steps"):
        assert page.evaluate(f"!!Chart.getChart(document.getElementById('{chart}'))")
    with page.expect_download() as sheet:
        page.click("a:has-text('Xuất Excel')")
    assert sheet.value.suggested_filename.endswith(".xlsx")
    with open(sheet.value.path(), "rb") as workbook:
        assert workbook.read(2) == b"PK"
    with page.expect_download() as log:
        page.click("a:has-text('Nhật ký sự kiện XES')")
    with open(log.value.path(), encoding="utf-8") as xes:
        assert "<log" in xes.read(2000)
    assert not page.script_errors  # type: ignore[attr-defined]


def test_the_inspector_picks_a_quarter_and_consolidates_the_wards(page: Page,
                                                                  web: ApiOffice) -> None:
    web.at(START)
    code = web.submit(by="reception.duongnoi")["code"]
    # Accepted at Dương Nội's desk: received for resolution there.
    [desk] = [s for s in web.client("inspector").get(f"/dossiers/{code}").json()["steps"]
              if s["status"] == "open"]
    web.claim(desk["id"], "reception.duongnoi")
    web.complete(desk["id"], "reception.duongnoi", {"ket_qua_kiem_tra": "hop_le"})
    sign_in(page, "inspector")
    page.goto("/thong-ke?group=form")
    page.select_option("#period", "2026-Q1")
    expect(page.locator("#date_from")).to_have_value("2025-12-15")  # the preset's dates
    page.select_option("#unit", label="Thành phố Hà Nội")
    page.check("#consolidate")
    page.click("#statistics-filters button[type=submit]")
    expect(page.locator("#period-line")).to_have_text(
        "Quý I năm 2026 (Từ ngày 15/12/2025 đến ngày 14/03/2026)")
    units = page.locator("#form06 tr.kind-unit td[data-key=label]")
    expect(units.first).to_have_text("Thành phố Hà Nội")
    expect(page.locator("#form06 tr.kind-unit", has_text="Phường Dương Nội")).to_have_count(1)
    assert units.count() == 7  # the city and its six wards of 2026
    assert numbers(page, "#form06 tr.kind-unit[data-row='000.00.82.H26']")["received"] >= 1
    page.select_option("#unit", label="Phường Dương Nội")  # a ward has none below it
    expect(page.locator("#consolidate-choice")).to_be_hidden()
    assert not page.script_errors  # type: ignore[attr-defined]


def test_auditor_reads_control_sheet_gantt_heat_map_and_verifies(page: Page,
                                                                  web: ApiOffice) -> None:
    codes = _history(web)
    sign_in(page, "auditor")
    page.goto(f"/ho-so/{codes[0]}")
    expect(page.locator("table.sheet tbody tr")).to_have_count(4)
    expect(page.locator("table.sheet tbody tr").first).to_contain_text(
        "Trung tâm Phục vụ hành chính công")
    expect(page.locator("svg.gantt .gantt-row rect.working")).to_have_count(4)
    expect(page.locator("svg.gantt .gantt-row rect.waiting")).to_have_count(4)
    expect(page.locator("#diagram .djs-element.m-done")).to_have_count(4)
    printed = page.request.get(f"/ho-so/{codes[0]}/phieu-kiem-soat")
    assert printed.status == 200
    assert "kiểm soát quá trình giải quyết hồ sơ" in printed.text().lower()
    assert "script-src" in printed.headers["content-security-policy"]
    page.goto(f"/thoi-gian?procedure=chung_thuc_ban_sao&{PERIOD}")
    expect(page.locator("#heatmap[data-ready=true]")).to_have_count(1)
    expect(page.locator("#heatmap .heat-label")).to_have_count(4)
    expect(page.locator("#heatmap .djs-element[class*='heat-']")).to_have_count(4)
    expect(page.locator("#step-table tbody tr")).to_have_count(4)
    page.goto("/kiem-tra-nhat-ky")
    page.click("button:has-text('Kiểm tra ngay')")
    expect(page.locator("#verify-result")).to_contain_text("Nhật ký toàn vẹn")
    assert not page.script_errors  # type: ignore[attr-defined]


def test_designer_edits_validates_deploys_and_compares(page: Page, web: ApiOffice) -> None:
    sign_in(page, "designer")
    page.click("nav >> text=Thủ tục")
    section = page.locator("section").filter(has_text="chung_thuc_ban_sao")
    section.locator("a:has-text('Thiết kế')").first.click()
    expect(page.locator("#canvas[data-ready=true]")).to_have_count(1)
    expect(page.locator("#prop-procedure_code")).to_have_value("2.000815")
    page.click("[data-element-id=Task_XuLy]")
    expect(page.locator("#prop-allowance")).to_have_value("3h")
    page.fill("#prop-allowance", "ba giờ")
    page.locator("#prop-allowance").dispatch_event("change")
    page.click("#validate")
    expect(page.locator("#status")).to_contain_text("Số lỗi")
    expect(page.locator("[data-element-id=Task_XuLy].has-problem")).to_have_count(1)
    problem = page.locator("#problems li[data-element=Task_XuLy]")
    expect(problem).to_contain_text("allowance 'ba giờ' phải có dạng '0.5d' (ngày làm việc)")
    problem.click()  # the problem list selects its element
    page.fill("#prop-allowance", "2h")
    page.locator("#prop-allowance").dispatch_event("change")
    page.click("#validate")
    expect(page.locator("#status")).to_contain_text("Hợp lệ")
    expect(page.locator(".has-problem")).to_have_count(0)
    page.click("#deploy")
    page.wait_for_url("**/so-sanh?a=1&b=2")
    change = page.locator("#changes tr[data-element=Task_XuLy]")
    expect(change).to_contain_text("thời gian xử lý: 3 giờ → 2 giờ")
    expect(page.locator("#diagram-new [data-element-id=Task_XuLy].diff-changed")).to_have_count(1)
    expect(page.locator("#changes tbody tr")).to_have_count(1)
    detail = web.client("designer").get("/procedures/chung_thuc_ban_sao").json()
    assert detail["latest_version"] == 2
    assert any(s["id"] == "Task_XuLy" and s["allowance"] == "2h" for s in detail["steps"])
    assert not page.script_errors  # type: ignore[attr-defined]
