"""The small things at the desk, in Chromium: a decimal comma kept, the receipt printed, a
staff page on a phone, a page for an unknown address, a refusal that a reload does not send
again."""

from __future__ import annotations

from playwright.sync_api import Page, Route, ViewportSize, expect

from tests.browser.conftest import sign_in
from tests.features.api_steps import START, ApiOffice

PHONE: ViewportSize = {"width": 360, "height": 740}
DESKTOP: ViewportSize = {"width": 1366, "height": 768}
SUBMIT = "button:has-text('Nhận hồ sơ và kiểm tra')"


def test_the_desk_types_85_5_square_metres_and_the_dossier_shows_85_5(
        page: Page, web: ApiOffice) -> None:
    web.at(START)
    sign_in(page, "reception")
    page.goto("/tiep-nhan/cap_phep_xay_dung")
    page.fill("#applicant_name", "Phạm Thị Hằng")
    page.fill("#field-chu_dau_tu", "Phạm Thị Hằng")
    page.fill("#field-dia_chi_cong_trinh", "Tổ 3, phường Yết Kiêu")
    page.fill("#field-dien_tich_xay_dung", "85,5")
    page.fill("#field-so_tang", "4")
    page.fill("#field-tong_dien_tich_san", "1.000")  # thousands or decimals? refused
    page.click(SUBMIT)
    expect(page.locator("#field-tong_dien_tich_san-error")).to_contain_text(
        "có thể hiểu hai cách")
    expect(page.locator("#field-dien_tich_xay_dung")).to_have_value("85,5")
    page.fill("#field-tong_dien_tich_san", "342,5")
    page.click(SUBMIT)
    page.wait_for_url("**/da-tiep-nhan")
    code = page.inner_text("#dossier-code").strip()
    data = web.dossier(code)["data"]
    assert data["dien_tich_xay_dung"] == 85.5 and data["tong_dien_tich_san"] == 342.5
    # The desk checks the documents first; the receipt comes once it accepts.
    page.click("#go-check")
    page.wait_for_url(f"**/ho-so/{code}/kiem-tra")
    boxes = page.locator("input[type=checkbox][id^=doc-]")
    for i in range(boxes.count()):
        boxes.nth(i).check()
    page.check("input[name=decision][value=accept]")
    page.click("button:has-text('Ghi kết quả kiểm tra')")
    page.wait_for_url("**/da-tiep-nhan")
    # The receipt prints from the page itself: the sandboxed frame runs nothing.
    console: list[str] = []
    page.on("console", lambda message: console.append(message.text))
    page.evaluate("() => { window.printed = 0; window.print = () => { window.printed++; }; }")
    page.click("#print-receipt")
    assert page.evaluate("window.printed") == 1
    assert not [m for m in console if "sandboxed" in m], console
    page.emulate_media(media="print")
    expect(page.locator("header.top")).to_be_hidden()
    expect(page.locator("#h-summary")).to_be_hidden()
    expect(page.locator("#receipt-frame")).to_be_visible()
    page.emulate_media(media="screen")
    page.goto(f"/ho-so/{code}")
    data_list = page.locator("dl.data")
    expect(data_list).to_contain_text("85,5")
    expect(data_list).to_contain_text("342,5")
    expect(data_list).not_to_contain_text("85.5")


def test_a_staff_page_fits_a_phone_and_its_menu_opens(page: Page, web: ApiOffice) -> None:
    web.at(START)
    code = web.submit()["code"]
    web.do_step(code, {"ket_qua_kiem_tra": "hop_le"})
    page.set_viewport_size(PHONE)
    sign_in(page, "justice")
    for path in ("/ho-so-phong", "/viec-cua-toi", f"/ho-so/{code}"):
        page.goto(path)
        page.wait_for_load_state("networkidle")
        width = page.evaluate("document.scrollingElement.scrollWidth")
        assert width <= PHONE["width"], (path, width)
    page.goto("/ho-so-phong")
    menu = page.locator("button.menu-button")
    link = page.locator("#site-nav a[href='/viec-cua-toi']")
    expect(menu).to_be_visible()
    expect(menu).to_have_attribute("aria-expanded", "false")
    expect(link).to_be_hidden()
    menu.click()
    expect(menu).to_have_attribute("aria-expanded", "true")
    expect(link).to_be_visible()
    assert page.evaluate("document.scrollingElement.scrollWidth") <= PHONE["width"]
    link.click()
    page.wait_for_url("**/viec-cua-toi")
    # On the office's desktop there is no menu button: the menu is the top bar.
    page.set_viewport_size(DESKTOP)
    expect(page.locator("button.menu-button")).to_be_hidden()
    expect(page.locator("#site-nav a[href='/ho-so-phong']")).to_be_visible()


def test_an_unknown_address_is_a_page_in_vietnamese(page: Page, web: ApiOffice) -> None:
    answer = page.goto("/trang-khong-co")
    assert answer is not None and answer.status == 404
    expect(page.locator("h1")).to_have_text("Không tìm thấy trang")
    expect(page.locator("main")).to_contain_text("Địa chỉ này không dẫn đến trang nào")


def test_reloading_a_refusal_does_not_send_the_form_again(page: Page, web: ApiOffice) -> None:
    web.at(START)
    code = web.submit()["code"]
    web.do_step(code, {"ket_qua_kiem_tra": "hop_le"})
    item = web.current(code)["id"]
    web.claim(item, "justice")
    sign_in(page, "justice")
    page.goto(f"/buoc/{item}")
    page.check("input[name=f_ket_qua_xu_ly][value=dat]")
    page.fill("#field-so_chung_thuc", "125/2026/SCT-BS")
    # Meanwhile the step is completed elsewhere (another tab, the API).
    web.complete(item, "justice", {"ket_qua_xu_ly": "dat", "so_chung_thuc": "124/2026"})
    posts: list[str] = []
    page.on("request", lambda request: posts.append(request.url)
            if request.method == "POST" else None)
    page.click("button:has-text('Hoàn thành bước')")
    page.wait_for_url("**/tu-choi")
    expect(page.locator("h1")).to_have_text("Trạng thái đã thay đổi")
    assert len(posts) == 1
    page.reload()
    expect(page.locator("h1")).to_have_text("Trạng thái đã thay đổi")
    assert page.url.endswith("/tu-choi") and len(posts) == 1
    back = page.locator("main a[data-back]")
    expect(back).to_have_attribute("href", f"/buoc/{item}")  # the page the form was on


def test_the_api_docs_draw_without_the_internet(page: Page, web: ApiOffice) -> None:
    outside: list[str] = []

    def only_this_site(route: Route) -> None:
        if route.request.url.startswith(web.url):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    page.route("**/*", only_this_site)
    page.goto("/docs")
    expect(page.locator(".swagger-ui .opblock").first).to_be_visible()
    expect(page.locator(".swagger-ui")).to_contain_text("/api/v1/dossiers")
    assert outside == []
