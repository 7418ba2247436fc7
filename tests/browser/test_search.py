"""Staff find a dossier in the browser by the applicant's name typed without accents."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.browser.conftest import sign_in
from tests.features.api_steps import START, ApiOffice


def test_reception_finds_nguyen_van_an_by_typing_without_accents(page: Page,
                                                                 web: ApiOffice) -> None:
    web.at(START)
    an = web.submit(applicant={"name": "Nguyễn Văn An", "phone": "0912345678"})["code"]
    other = web.submit(applicant={"name": "Trần Thị Bình"})["code"]
    sign_in(page, "reception")
    page.goto("/ho-so")
    page.fill("#q", "nguyen van")
    page.press("#q", "Enter")
    page.wait_for_url("**/ho-so?*q=nguyen+van*")
    rows = page.locator("table.list tbody tr")
    expect(rows.filter(has_text=an)).to_contain_text("Nguyễn Văn An")
    expect(page.locator("table.list")).not_to_contain_text(other)
    expect(page.locator("#q")).to_have_value("nguyen van")  # the box keeps what was typed
    page.fill("#q", "khong co ai")
    page.press("#q", "Enter")
    expect(page.locator("p.empty")).to_have_text("Không tìm thấy hồ sơ nào")
