"""The leader opens the dashboard: its charts are drawn, its figures read as Vietnamese write
them, and the signing step waiting for them is one click away."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.browser.conftest import sign_in
from tests.features.api_steps import START, ApiOffice


def test_the_leader_s_dashboard_draws_its_charts(page: Page, web: ApiOffice) -> None:
    web.at(START)
    code = web.submit()["code"]
    web.do_step(code, {"ket_qua_kiem_tra": "hop_le"})
    web.do_step(code, {"ket_qua_xu_ly": "dat", "so_chung_thuc": "7/2026"})
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    sign_in(page, "leader")
    page.goto("/lanh-dao")
    expect(page.locator("body")).to_have_attribute("data-charts", "3")
    for chart in ("chart-outcomes", "chart-departments", "chart-people"):
        drawn = page.evaluate(
            "id => { const c = document.getElementById(id); const chart = window.Chart.getChart(c);"
            " return chart ? [c.width, chart.data.datasets.length] : null; }", chart)
        assert drawn is not None and drawn[0] > 0 and drawn[1] > 0, (chart, drawn)
    departments = page.evaluate(
        "() => window.Chart.getChart(document.getElementById('chart-departments'))"
        ".data.labels.map(l => [].concat(l).join(' '))")
    assert "Lãnh đạo UBND phường Hà Đông" in departments
    assert not any("MOT_CUA" in label or "LANH_DAO" in label for label in departments)
    signature = page.locator("section[aria-labelledby='h-signature']")
    expect(signature).to_contain_text(code)
    expect(signature).to_contain_text("Lãnh đạo UBND phường Hà Đông")
    signature.locator(f"tr:has(a:text-is('{code}')) a.button").click()
    page.wait_for_url("**/buoc/*")
    expect(page.locator("h1")).to_contain_text("Ký chứng thực")
    assert errors == []
