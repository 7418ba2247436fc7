"""An applicant files a dossier online in the browser, without an account: the desk and the
procedure, the desk's form with two scans, the review, the code and the secret once."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Page, expect

from tests.features.api_steps import START, ApiOffice

PDF = b"%PDF-1.7\n" + b"ban chinh bang tot nghiep " * 100
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x05" * 300


def test_an_applicant_files_online_with_two_scans_and_sees_the_secret_once(
        page: Page, web: ApiOffice, tmp_path: Path) -> None:
    web.at(START)
    original, copy = tmp_path / "bằng tốt nghiệp.pdf", tmp_path / "ban-sao.png"
    original.write_bytes(PDF)
    copy.write_bytes(PNG)
    page.goto("/dang-nhap")
    page.click("nav a:has-text('Nộp hồ sơ trực tuyến')")
    page.wait_for_url("**/nop-truc-tuyen")
    procedure = page.locator("article:has(input[value=chung_thuc_ban_sao])")
    expect(procedure).to_contain_text("Bản chính giấy tờ, văn bản làm cơ sở để chứng thực")
    expect(procedure).to_contain_text("226/2016/TT-BTC")
    procedure.locator("input[type=radio]").check()
    page.click("#online-next")
    page.wait_for_url("**/nop-truc-tuyen/chung_thuc_ban_sao?don_vi=*")
    page.fill("#applicant_name", "Trần Thị Bình")
    page.fill("#applicant_phone", "0912 345 678")
    page.fill("#applicant_email", "binh.tran@example.vn")
    page.check("input[name=notify][value=email]")
    page.fill("#field-ten_giay_to", "Bằng tốt nghiệp đại học")
    page.fill("#field-pages", "5")
    page.fill("#field-copies", "2")
    page.set_input_files("#tep_ban_chinh", str(original))
    page.set_input_files("#tep_ban_sao", str(copy))
    page.click("#online-review")
    page.wait_for_url("**/xem-lai")
    expect(page.locator("#review-scans")).to_contain_text("bằng tốt nghiệp.pdf")
    expect(page.locator("#review-scans")).to_contain_text("ban-sao.png")
    expect(page.locator("#review-fee")).to_contain_text("14.000")
    page.click("#online-send")
    page.wait_for_url("**/nop-truc-tuyen/da-nop/*")
    assert "secret" not in page.url.lower()
    code = page.inner_text("#dossier-code").strip()
    secret = page.inner_text("#receipt-secret").strip()
    assert len(secret) == 8 and secret not in page.url
    page.reload()
    expect(page.locator("#receipt-secret")).to_have_count(0)
    expect(page.locator("#secret-gone")).to_be_visible()
    dossier = web.dossier(code)
    assert dossier["channel"] == "online"
    files = web.client("reception").get(f"/dossiers/{code}/files").json()["files"]
    assert [f["filename"] for f in files] == ["bằng tốt nghiệp.pdf", "ban-sao.png"]
    assert page.script_errors == []  # type: ignore[attr-defined]
