"""A refusal in the browser reads as Vietnamese: the engine's words, translated at the door."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.browser.conftest import sign_in
from tests.features.api_steps import START, ApiOffice

OLD_ENGLISH = ("has already claimed", "this step", "claimed")


def test_a_step_a_colleague_took_first_is_refused_in_vietnamese(page: Page,
                                                                 web: ApiOffice) -> None:
    web.at(START)
    code = web.submit()["code"]
    web.do_step(code, {"ket_qua_kiem_tra": "hop_le"})
    sign_in(page, "justice")
    page.click("nav >> text=Hồ sơ của phòng")
    row = page.locator(f"#queue tr:has(a:text-is('{code}'))")
    # The leader takes the step while the clerk still has the queue open.
    web.claim(web.current(code)["id"], "leader")
    row.locator("button:has-text('Nhận xử lý')").click()
    expect(page.locator("h1")).to_have_text("Trạng thái đã thay đổi")
    detail = page.locator("p.detail")
    expect(detail).to_contain_text("Bước này đã được Đỗ Văn Thành (")
    expect(detail).to_contain_text(") nhận xử lý")
    text = detail.inner_text()
    assert not any(words in text for words in OLD_ENGLISH), text
    assert "leader" not in text and "TU_PHAP" not in text  # a name, not a login or a code
