"""The desk attaches a scan on the dossier page and sees it listed, ready to download."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Page, expect

from tests.browser.conftest import sign_in
from tests.features.api_steps import START, ApiOffice

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x03" * 120


def test_the_desk_uploads_a_png_on_the_dossier_page_and_sees_it_listed(
        page: Page, web: ApiOffice, tmp_path: Path) -> None:
    web.at(START)
    code = web.submit()["code"]
    scan = tmp_path / "cccd-mat-truoc.png"
    scan.write_bytes(PNG)
    sign_in(page, "reception")
    page.goto(f"/ho-so/{code}")
    card = page.locator(f"section.attachments[data-scans='{code}']")
    expect(card.locator("h2")).to_have_text("Tài liệu đính kèm")
    expect(card).to_contain_text("Chưa có tài liệu đính kèm.")
    expect(card).to_contain_text("Tiếp nhận, kiểm tra hồ sơ")  # the desk's open step
    card.locator("input[type=file]").set_input_files(str(scan))
    card.locator("button[type=submit]").click()
    page.wait_for_url(f"**/ho-so/{code}")
    row = page.locator("section.attachments tr[data-scan-id]")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("cccd-mat-truoc.png")
    expect(row).to_contain_text("Nguyễn Thị Lan")  # the clerk's full name, not the login
    with page.expect_download() as fetched:
        row.locator("a[download]").click()
    saved = tmp_path / "saved.png"
    fetched.value.save_as(saved)
    assert saved.read_bytes() == PNG
    # An auditor reads the list and gets no upload form.
    page.context.clear_cookies()
    sign_in(page, "auditor")
    page.goto(f"/ho-so/{code}")
    expect(page.locator("section.attachments tr[data-scan-id]")).to_have_count(1)
    expect(page.locator("section.attachments form")).to_have_count(0)
