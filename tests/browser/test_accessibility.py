"""Keyboard-only work, a label for every form field, and the English switch."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.browser.conftest import sign_in
from tests.features.api_steps import START, ApiOffice

UNLABELLED = """() => [...document.querySelectorAll('main input, main select, main textarea')]
  .filter(e => e.type !== 'hidden' && !e.closest('.diagram'))
  .filter(e => !(e.labels && e.labels.length) && !e.getAttribute('aria-label')
               && !e.getAttribute('aria-labelledby'))
  .map(e => e.outerHTML)"""


def _tab_to(page: Page, test: str, limit: int = 120) -> None:
    """Press Tab until the focused element passes ``test`` (a JS expression on ``e``)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"(() => {{ const e = document.activeElement; return !!({test}); }})()"):
            return
    raise AssertionError(f"Tab never reached an element where {test}")


def test_keyboard_only_from_sign_in_to_a_completed_step(page: Page, web: ApiOffice) -> None:
    web.at(START)
    code = web.submit()["code"]
    page.goto("/dang-nhap")
    page.keyboard.type("reception")  # the username field has the focus
    page.keyboard.press("Tab")
    page.keyboard.type("demo")
    page.keyboard.press("Enter")
    page.wait_for_url("**/viec-cua-toi")
    _tab_to(page, "e.textContent.trim() === 'Hồ sơ của phòng'")
    page.keyboard.press("Enter")
    page.wait_for_url("**/ho-so-phong")
    _tab_to(page, f"e.matches('button') && (e.getAttribute('aria-label') || '').includes('{code}')")
    page.keyboard.press("Enter")
    page.wait_for_url("**/buoc/*")
    _tab_to(page, "e.name === 'f_ket_qua_kiem_tra'")
    page.keyboard.press("Space")
    _tab_to(page, "e.id === 'field-ghi_chu'")
    page.keyboard.type("Đủ giấy tờ")
    _tab_to(page, "e.textContent.trim() === 'Hoàn thành bước'")
    page.keyboard.press("Enter")
    page.wait_for_url("**/viec-cua-toi?completed=*")
    assert web.current(code)["step_id"] == "Task_XuLy"


def test_every_field_of_the_main_pages_has_a_label(page: Page, web: ApiOffice) -> None:
    web.at(START)
    code = web.submit()["code"]
    task = web.current(code)["id"]
    web.claim(task, "reception")
    pages = {
        None: ["/dang-nhap", "/tra-cuu", f"/tra-cuu/{code}", "/nop-truc-tuyen",
               "/nop-truc-tuyen/chung_thuc_ban_sao"],
        "reception": ["/viec-cua-toi", "/ho-so-phong", "/tiep-nhan/chung_thuc_ban_sao",
                      f"/buoc/{task}", "/ho-so", f"/ho-so/{code}/kiem-tra"],
        "leader": [f"/buoc/{task}", "/lanh-dao", f"/ho-so/{code}/xin-loi", "/thong-ke"],
        "auditor": ["/thong-ke", "/thoi-gian", "/kiem-tra-nhat-ky", f"/ho-so/{code}"],
        "designer": ["/thu-tuc", "/thu-tuc/chung_thuc_ban_sao/1/thiet-ke"],
    }
    for user, paths in pages.items():
        page.context.clear_cookies()
        if user:
            sign_in(page, user)
        for path in paths:
            page.goto(path)
            if path.endswith("/thiet-ke"):
                page.click("[data-element-id=Task_XuLy]")  # the panel's own fields too
            assert page.evaluate(UNLABELLED) == [], f"{user} {path}"
            assert page.locator("h1").count() == 1, f"{user} {path}"


def test_english_switch_keeps_the_page(page: Page, web: ApiOffice) -> None:
    sign_in(page, "justice")
    page.goto("/ho-so-phong")
    expect(page.locator("h1")).to_have_text("Hồ sơ của phòng")
    page.click("a.lang")
    page.wait_for_url("**/ho-so-phong")
    expect(page.locator("h1")).to_have_text("Department queue")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.click("a.lang")
    expect(page.locator("h1")).to_have_text("Hồ sơ của phòng")
