"""The applicant opens the lookup page, gives the receipt's secret, sees what the office
asked for, uploads it and is told it was received; the department's step is open again."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Page, expect

from tests.features.api_steps import START, ApiOffice

PDF = b"%PDF-1.7\n" + b"ban ve mat bang " * 80
BUILDING = {"chu_dau_tu": "Đặng Văn Khoa", "dia_chi_cong_trinh": "Tổ 7, phường Văn Quán",
            "dien_tich_xay_dung": 60, "so_tang": 3}


def test_the_applicant_supplements_from_the_lookup_page(
        page: Page, web: ApiOffice, tmp_path: Path) -> None:
    web.at(START)
    receipt = web.submit("cap_phep_xay_dung", BUILDING)
    code = receipt["code"]
    web.do_step(code, {"ket_qua_kiem_tra": "hop_le"})
    web.do_step(code, {"ket_qua_tham_dinh": "bo_sung",
                       "noi_dung_bo_sung": "Bản vẽ mặt bằng tầng 3; Bản cam kết an toàn"})
    drawing = tmp_path / "mat-bang.pdf"
    drawing.write_bytes(PDF)
    wrong = tmp_path / "ghi-chu.txt"
    wrong.write_bytes(b"not a scan at all")

    page.goto(f"/tra-cuu/{code}")
    box = page.locator("section.supplement-online")
    expect(box.locator("h2")).to_have_text("Bổ sung hồ sơ trực tuyến")
    box.locator("input[name=secret]").fill("SAI12345")
    box.locator("button[type=submit]").click()
    expect(page.locator("#supplement-error")).to_contain_text("mã bí mật")

    page.locator("#supplement-open input[name=secret]").fill(receipt["secret"])
    page.locator("#supplement-open button[type=submit]").click()
    missing = page.locator("ol.supplement-missing li")
    expect(missing).to_have_count(2)
    expect(missing.first).to_contain_text("Bản vẽ mặt bằng tầng 3")
    page.locator("#file_0").set_input_files(str(wrong))
    page.locator("#supplement-send button[type=submit]").click()
    expect(page.locator("#supplement-error")).to_contain_text("PDF, JPEG hay PNG")
    assert web.dossier(code)["status"] == "awaiting_supplement"  # nothing was written

    page.locator("#file_0").set_input_files(str(drawing))
    page.locator("#note").fill("Gửi bản vẽ đã sửa")
    page.locator("#supplement-send button[type=submit]").click()
    page.wait_for_url(f"**/tra-cuu/{code}/bo-sung/da-nhan")
    expect(page.locator("#supplement-sent")).to_contain_text("Đã nhận hồ sơ bổ sung")
    assert web.dossier(code)["status"] == "processing"
    assert web.current(code)["step_id"] == "Task_ThamDinh"
