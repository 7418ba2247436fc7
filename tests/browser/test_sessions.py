"""Sessions in a real browser: signing out for good, the error page's way back under the
pages' Content-Security-Policy, and a lockout explained on the sign-in form."""

from __future__ import annotations

from playwright.sync_api import BrowserContext, Page, expect

from tests.browser.conftest import sign_in
from tests.features.api_steps import ApiOffice


def test_a_session_cookie_kept_after_signing_out_opens_nothing(
        page: Page, context: BrowserContext) -> None:
    sign_in(page, "finance")
    kept = [c for c in context.cookies() if c["name"] == "motcua_session"]
    assert kept
    page.click("form[action='/dang-xuat'] button")
    page.wait_for_url("**/dang-nhap")
    context.add_cookies(kept)  # as if someone had copied the cookie before
    page.goto("/viec-cua-toi")
    expect(page).to_have_url("/dang-nhap?next=/viec-cua-toi")


def test_the_error_page_leads_back_where_the_user_came_from(page: Page) -> None:
    sign_in(page, "auditor")
    page.goto("/thong-ke")
    page.goto("/thong-ke?date_from=1926-01-01&date_to=2026-01-01")
    expect(page.locator("h1")).to_have_text("Dữ liệu chưa hợp lệ")
    expect(page.locator(".detail")).to_contain_text("Khoảng thời gian không hợp lệ")
    page.click("a[data-back]")
    page.wait_for_url("**/thong-ke")
    assert not page.script_errors  # type: ignore[attr-defined]


def test_a_locked_account_is_told_when_to_come_back(page: Page, web: ApiOffice) -> None:
    for _ in range(5):
        page.goto("/dang-nhap")
        page.fill("#username", "designer")
        page.fill("#password", "wrong")
        page.click("form[action='/dang-nhap'] button[type=submit]")
        expect(page.locator(".alert.error")).to_have_text("Sai tên đăng nhập hoặc mật khẩu.")
    page.fill("#password", "demo")  # the right password, during the lockout
    page.click("form[action='/dang-nhap'] button[type=submit]")
    expect(page.locator(".alert.error")).to_contain_text("Đăng nhập sai quá nhiều lần")
    assert "/dang-nhap" in page.url
    assert web.office.throttle.lift("user", "designer")
