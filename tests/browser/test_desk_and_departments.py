"""Reception, clerks, leaders and applicants do their work in the browser."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from playwright.sync_api import Page, expect

from tests.browser.conftest import sign_in
from tests.browser.test_attachments import PNG
from tests.features.api_steps import APPLICANT, START, ApiOffice


def _row(page: Page, code: str, step: str) -> str:
    return f"#queue tr:has(a:text-is('{code}')):has(td:text-is('{step}'))"


def test_reception_receives_a_dossier_and_prints_the_receipt(page: Page, web: ApiOffice,
                                                              tmp_path: Path) -> None:
    web.at(START)
    sign_in(page, "reception")
    page.goto("/tiep-nhan")
    page.click("a.button[href='/tiep-nhan/chung_thuc_ban_sao']")
    page.fill("#applicant_name", "Lê Thị <b>Bình</b>")
    page.fill("#applicant_id_number", "001190000123")
    page.fill("#applicant_phone", "0912000111")
    page.fill("#field-ten_giay_to", "Bằng tốt nghiệp đại học")
    page.fill("#field-pages", "0")
    page.click("button:has-text('Nhận hồ sơ và kiểm tra')")
    # The start form refuses 0 pages next to the field, in Vietnamese, and keeps the input.
    expect(page.locator(".field.invalid #field-pages")).to_have_value("0")
    expect(page.locator("#field-pages-error")).to_contain_text("Giá trị nhỏ nhất là 1")
    expect(page.locator("#applicant_name")).to_have_value("Lê Thị <b>Bình</b>")
    page.fill("#field-pages", "5")
    page.fill("#field-copies", "2")
    page.click("button:has-text('Nhận hồ sơ và kiểm tra')")
    page.wait_for_url("**/da-tiep-nhan")
    code = page.inner_text("#dossier-code").strip()
    # The dossier is being checked: no receipt before the desk has checked the documents.
    expect(page.locator("#being-checked")).to_be_visible()
    expect(page.locator("#receipt-frame")).to_have_count(0)
    page.click("#go-check")
    page.wait_for_url(f"**/ho-so/{code}/kiem-tra")
    # The clerk scans the original in its own row of the checklist, then ticks it.
    slot = page.locator("[data-scan-slot=ban_chinh]")
    scan = tmp_path / "ban-chinh.png"
    scan.write_bytes(PNG)
    slot.locator("input[type=file]").set_input_files(str(scan))
    slot.locator("button[type=submit]").click()
    page.wait_for_url(f"**/ho-so/{code}/kiem-tra")
    expect(page.locator("[data-scan-slot=ban_chinh]")).to_contain_text("ban-chinh.png")
    page.check("#doc-ban_chinh")
    page.check("input[name=decision][value=accept]")
    page.click("button:has-text('Ghi kết quả kiểm tra')")
    page.wait_for_url("**/da-tiep-nhan")
    secret = page.inner_text("#receipt-secret").strip()
    assert len(secret) == 8
    receipt = page.frame_locator("#receipt-frame")
    expect(receipt.locator("body")).to_contain_text(code)
    expect(receipt.locator("body")).to_contain_text(secret)
    expect(receipt.locator("body")).to_contain_text("Lê Thị <b>Bình</b>")  # typed, shown as text
    expect(receipt.locator(".qr svg")).to_have_count(1)
    expect(receipt.locator("table.documents")).to_contain_text("Bản chính giấy tờ, văn bản")
    expect(receipt.locator(".signature")).to_contain_text("Nguyễn Thị Lan")
    expect(receipt.locator("body")).to_contain_text(f"/tra-cuu/{code}")
    # The secret is shown once: a reload and the reprint no longer carry it.
    page.reload()
    expect(page.locator("#receipt-secret")).to_have_count(0)
    page.goto(f"/ho-so/{code}/giay-hen")
    expect(page.locator("body")).to_contain_text(code)
    assert secret not in page.content()
    assert web.dossier(code)["fee"] > 0


def test_the_desk_refuses_a_dossier_and_prints_the_refusal_slip(page: Page,
                                                                web: ApiOffice) -> None:
    web.at(START)
    code = web.submit()["code"]
    sign_in(page, "reception")
    page.goto(f"/ho-so/{code}/kiem-tra")
    # Refusing without a reason is refused on the page, in Vietnamese.
    page.check("input[name=decision][value=refuse]")
    page.click("button:has-text('Ghi kết quả kiểm tra')")
    expect(page.locator("#check-error")).to_contain_text("ghi lý do từ chối tiếp nhận")
    page.check("#doc-ban_chinh")
    page.fill("#reasons", "Bản chính có dấu hiệu tẩy xóa, sửa chữa")
    page.click("button:has-text('Ghi kết quả kiểm tra')")
    page.wait_for_url(f"**/ho-so/{code}/khong-tiep-nhan")
    # As printed: the title in capitals (the form's style), read as the reader sees it.
    assert "PHIẾU TỪ CHỐI TIẾP NHẬN" in page.inner_text(".title")
    expect(page.locator(".reasons")).to_have_text("Bản chính có dấu hiệu tẩy xóa, sửa chữa")
    expect(page.locator(".signer")).to_have_text("Nguyễn Thị Lan")
    assert web.dossier(code)["status"] == "not_accepted"


def test_justice_claims_and_completes_after_validation_errors(page: Page,
                                                              web: ApiOffice) -> None:
    web.at(START)
    code = web.submit()["code"]
    web.do_step(code, {"ket_qua_kiem_tra": "hop_le"})
    sign_in(page, "justice")
    page.click("nav >> text=Hồ sơ của phòng")
    row = page.locator(_row(page, code, "Đối chiếu bản sao với bản chính"))
    expect(row.locator(".badge")).to_have_count(1)
    row.locator("button:has-text('Nhận xử lý')").click()
    expect(page.locator(".alert.ok")).to_contain_text("Bạn đã nhận xử lý")
    expect(page.locator("#diagram .djs-element.m-current")).to_have_count(1)
    # Nothing chosen: the required choice is flagged next to it.
    page.click("button:has-text('Hoàn thành bước')")
    expect(page.locator("#field-ket_qua_xu_ly-error")).to_have_text("Vui lòng nhập mục này.")
    # Refusing without a reason: the engine's conditional rule names the reason field.
    page.check("input[name=f_ket_qua_xu_ly][value=tu_choi]")
    page.click("button:has-text('Hoàn thành bước')")
    expect(page.locator("#field-ly_do_tu_choi-error")).to_contain_text("Vui lòng nhập")
    expect(page.locator("input[name=f_ket_qua_xu_ly][value=tu_choi]")).to_be_checked()
    page.check("input[name=f_ket_qua_xu_ly][value=dat]")
    page.fill("#field-so_chung_thuc", "125/2026/SCT-BS")
    page.click("button:has-text('Hoàn thành bước')")
    expect(page.locator(".alert.ok")).to_contain_text("Đã hoàn thành bước")
    assert web.current(code)["step_id"] == "Task_KyChungThuc"


def test_leader_signs_reassigns_and_sees_the_overdue(page: Page, web: ApiOffice) -> None:
    web.at(START)
    signing = web.submit()["code"]
    web.do_step(signing, {"ket_qua_kiem_tra": "hop_le"})
    web.do_step(signing, {"ket_qua_xu_ly": "dat", "so_chung_thuc": "7/2026"})
    waiting = web.submit(applicant={**APPLICANT, "name": "Trần Thị Cúc"})["code"]
    web.do_step(waiting, {"ket_qua_kiem_tra": "hop_le"})
    sign_in(page, "leader")
    page.click("nav >> text=Hồ sơ của phòng")
    page.locator(_row(page, signing, "Ký chứng thực, đóng dấu")).locator(
        "button:has-text('Nhận xử lý')").click()
    page.check("input[name=f_y_kien_lanh_dao][value=dong_y]")
    page.click("button:has-text('Hoàn thành bước')")
    expect(page.locator(".alert.ok")).to_contain_text("Đã hoàn thành bước")
    assert web.current(signing)["step_id"] == "Task_TraKetQua"
    # Reassign the justice step of the other dossier to the justice officer.
    step = web.current(waiting)
    page.goto(f"/buoc/{step['id']}")
    page.select_option("#assignee", "justice")
    page.click("button:has-text('Giao việc')")
    expect(page.locator(".alert.ok")).to_contain_text("Đã giao")
    assert web.current(waiting)["claimed_by"] == "justice"
    # Next morning both are late: the step shows as overdue, the dossier needs an apology.
    web.at(START + timedelta(days=1))
    page.click("nav >> text=Lãnh đạo")
    overdue = page.locator("section:has(#h-overdue) tbody tr")
    expect(overdue.filter(has_text=waiting)).to_have_count(1)
    expect(overdue.filter(has_text=waiting).locator(".badge")).to_have_text("Quá hạn")
    late = page.locator("section:has(#h-apology) tbody tr").filter(has_text=waiting)
    late.locator("a:has-text('Lập phiếu xin lỗi')").click()
    page.fill("#reason", "Chờ xác minh bản chính với cơ quan cấp <i>gốc</i>")
    page.fill("#day", "2026-03-06")
    page.click("button:has-text('Ký phiếu và in')")
    expect(page.locator("body")).to_contain_text("Phiếu xin lỗi và hẹn lại ngày trả kết quả")
    expect(page.locator("body")).to_contain_text("cơ quan cấp <i>gốc</i>")
    assert web.dossier(waiting)["appointment_at"].startswith("2026-03-06T17:00")


def test_applicant_looks_up_and_rates_once(page: Page, web: ApiOffice) -> None:
    web.at(START)
    receipt = web.submit()
    code = receipt["code"]
    page.goto("/tra-cuu")
    page.fill("#code", code)
    page.click("button:has-text('Tra cứu')")
    expect(page.locator("#public-status")).to_contain_text("Đang giải quyết")
    expect(page.locator("form.rating")).to_have_count(0)  # not finished: nothing to rate yet
    assert APPLICANT["name"] not in page.content()  # no personal data on the public page
    web.certify(code)
    page.reload()
    expect(page.locator("#public-status")).to_contain_text("Đã giải quyết")
    expect(page.locator("#steps-done li")).to_have_count(4)
    page.check("input[name=satisfaction][value='5']")
    page.fill("#secret", "WRONG123")
    page.click("button:has-text('Gửi đánh giá')")
    expect(page.locator(".alert.error")).to_contain_text("Mã bí mật không đúng")
    page.check("input[name=satisfaction][value='5']")
    page.check("input[name=on_time][value=yes]")
    page.fill("#comment", "Nhanh, chu đáo.")
    page.fill("#secret", receipt["secret"].lower())
    page.click("button:has-text('Gửi đánh giá')")
    expect(page.locator(".alert.ok")).to_contain_text("Cảm ơn")
    page.goto(f"/tra-cuu/{code}")
    expect(page.locator("form.rating")).to_have_count(0)
    expect(page.locator(".alert.ok")).to_contain_text("đã được đánh giá")


def test_a_form_without_its_csrf_token_is_refused(page: Page, web: ApiOffice) -> None:
    sign_in(page, "reception")
    answer = page.request.post("/tiep-nhan/chung_thuc_ban_sao",
                               form={"applicant_name": "X", "channel": "direct"})
    assert answer.status == 403
    assert "Biểu mẫu đã hết hạn" in answer.text()
