"""The printable documents over HTTP: the process control sheet, the re-printed receipt and
the supplement request; their Vietnamese content, who may print them, and the page's
protection against scripts."""

from __future__ import annotations

import base64
import hashlib
import re
from functools import cache

import httpx
from lxml import html as lxml_html

from tests.features.api_steps import ApiOffice, local
from tests.features.auditor_steps import BUILDING, BUSINESS, timed_step

DESK = "Trung tâm Phục vụ hành chính công phường Hà Đông"  # the first ward's one-stop desk
UNKNOWN = "000.00.81.H26-260324-9999"
HOSTILE = "<script>alert('xss')</script><img src=x onerror=alert(1)>"


@cache
def registration(api: ApiOffice) -> str:
    """A business registration: the desk on time, finance early, the leader late, the
    desk's return still pending."""
    api.at(local(2026, 3, 24, 9, 0))
    code = str(api.submit("dang_ky_ho_kinh_doanh", BUSINESS)["code"])
    timed_step(api, code, {"ket_qua_kiem_tra": "hop_le"}, local(2026, 3, 24, 9, 15),
               local(2026, 3, 24, 9, 45))
    timed_step(api, code, {"ket_qua_tham_dinh": "dat"}, local(2026, 3, 24, 10, 0),
               local(2026, 3, 24, 16, 0))
    timed_step(api, code, {"y_kien_lanh_dao": "dong_y"}, local(2026, 3, 25, 8, 30),
               local(2026, 3, 26, 9, 0))
    api.at(local(2026, 3, 26, 9, 30))
    return code


@cache
def waiting_permit(api: ApiOffice) -> tuple[str, str]:
    """A construction permit whose appraisal asked for papers, once answered and a second
    time still waiting; and the secret of its receipt."""
    api.at(local(2026, 3, 30, 9, 0))
    receipt = api.submit("cap_phep_xay_dung", BUILDING,
                         applicant={"name": HOSTILE, "address": "Tổ 3 <b>Mộ Lao</b>"})
    code = receipt["code"]
    api.do_step(code, {"ket_qua_kiem_tra": "hop_le"})
    api.at(local(2026, 3, 30, 10, 0))
    api.do_step(code, {"ket_qua_tham_dinh": "bo_sung",
                       "noi_dung_bo_sung": "Bản vẽ mặt bằng tầng 3"})
    api.at(local(2026, 4, 1, 10, 0))
    api.do_step(code, {"ket_qua_bo_sung": "da_bo_sung"})
    api.at(local(2026, 4, 2, 14, 0))
    api.do_step(code, {"ket_qua_tham_dinh": "bo_sung",
                       "noi_dung_bo_sung": "Bản vẽ <b>mặt cắt</b> công trình\nẢnh hiện trạng"})
    return code, receipt["secret"]


def _page(api: ApiOffice, user: str | None, path: str) -> httpx.Response:
    answer = api.client(user).get(path)
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"] == "text/html; charset=utf-8"
    return answer


def _rows(page: str) -> list[list[str]]:
    tree = lxml_html.fromstring(page)
    return [[" ".join(" ".join(cell.itertext()).split()) for cell in row.findall("td")]
            for row in tree.xpath("//table[@class='sheet']/tbody/tr")]


def _check_protected(answer: httpx.Response) -> None:
    """No script runs but the print button's, whose hash the policy names."""
    policy = answer.headers["content-security-policy"]
    assert "default-src 'none'" in policy and "'unsafe-inline'" not in \
        policy.split("script-src")[1].split(";")[0]
    tree = lxml_html.fromstring(answer.text)
    scripts = tree.xpath("//script")
    assert len(scripts) == 1 and not scripts[0].get("src")
    body = re.search(r"<script>(.*?)</script>", answer.text, re.S)
    assert body is not None
    digest = base64.b64encode(hashlib.sha256(body.group(1).encode()).digest()).decode()
    assert f"script-src 'sha256-{digest}'" in policy
    handlers = [name for element in tree.iter() if isinstance(element.tag, str)
                for name in element.attrib if name.lower().startswith("on")]
    assert handlers == []
    assert answer.headers["x-content-type-options"] == "nosniff"
    assert answer.headers["cache-control"] == "no-store"


# ---- the process control sheet ----------------------------------------------------------

def test_the_control_sheet_prints_every_hand_over(api: ApiOffice) -> None:
    code = registration(api)
    answer = _page(api, "auditor", f"/dossiers/{code}/timeline.html")
    _check_protected(answer)
    page = answer.text
    assert "Phiếu kiểm soát quá trình giải quyết hồ sơ" in page
    assert f"Mã hồ sơ: <strong>{code}</strong>" in page
    assert "Thời gian tiếp nhận hồ sơ: 09 giờ 00 phút, ngày 24/03/2026" in page
    assert "Thời gian hẹn trả kết quả: 17 giờ 00 phút, ngày 27/03/2026" in page
    desk, economy, leaders = (DESK, "Phòng Kinh tế, Hạ tầng và Đô thị phường Hà Đông (kinh tế)",
                              "Lãnh đạo UBND phường Hà Đông")
    assert f"Cơ quan (bộ phận) giải quyết hồ sơ: {economy}" in page
    assert f"Cơ quan phối hợp giải quyết hồ sơ: {leaders}" in page
    rows = _rows(page)
    assert [row[0] for row in rows] == [
        f"1. Giao: {desk} Nhận: {desk}", f"2. Giao: {desk} Nhận: {economy}",
        f"3. Giao: {economy} Nhận: {leaders}", f"4. Giao: {leaders} Nhận: {desk}"]
    assert rows[1][1] == ("09 giờ 45 phút, ngày 24/03/2026 Người giao: Nguyễn Thị Lan "
                          "Người nhận: Lê Thị Hoa")
    assert rows[3][1].endswith("Người giao: Đỗ Văn Thành Người nhận: (chưa nhận)")
    assert [row[2] for row in rows] == ["Đúng hạn", "Trước hạn", "Quá hạn",
                                        "Đang giải quyết, chưa đến hạn"]
    assert rows[1][3] == ("Hạn của bước: 15 giờ 00 phút, ngày 25/03/2026 "
                          "Chờ nhận 0,25 giờ, xử lý 4,5 giờ làm việc")
    assert "Tình trạng hồ sơ: <strong>Đang giải quyết</strong>" in page


def test_the_control_sheet_shows_the_clock_pauses(api: ApiOffice) -> None:
    code, _ = waiting_permit(api)
    page = _page(api, "urban", f"/dossiers/{code}/timeline.html").text
    rows = _rows(page)
    assert rows[2][0] == ("3. Giao: Phòng Kinh tế, Hạ tầng và Đô thị phường Hà Đông (xây dựng) "
                          f"Nhận: {DESK}")
    assert "Tạm dừng tính thời hạn chờ người nộp bổ sung: 15 giờ làm việc" in rows[2][3]
    assert rows[-1][3].endswith("(đang chờ)")
    assert "tạm dừng 15 giờ làm việc chờ" in page
    assert "Chờ bổ sung, hoàn thiện" in page


def test_the_control_sheet_follows_the_dossier_reading_rule(api: ApiOffice) -> None:
    code = registration(api)
    for reader in ("reception", "finance", "leader", "auditor", "admin"):
        _page(api, reader, f"/dossiers/{code}/timeline.html")
    for user, status in [("justice", 403), ("urban", 403), ("designer", 403), (None, 401)]:
        answer = api.client(user).get(f"/dossiers/{code}/timeline.html")
        assert answer.status_code == status, user
        assert answer.headers["content-type"] == "application/problem+json"
    missing = api.client("auditor").get(f"/dossiers/{UNKNOWN}/timeline.html")
    assert missing.status_code == 404
    assert missing.headers["content-type"] == "application/problem+json"
    bad = api.client("auditor").get("/dossiers/a%20b/timeline.html")
    assert bad.status_code == 422


# ---- the receipt ------------------------------------------------------------------------

def test_the_receipt_has_a_qr_code_of_the_lookup_page_and_no_secret(api: ApiOffice) -> None:
    code, secret = waiting_permit(api)
    answer = _page(api, "reception", f"/dossiers/{code}/receipt.html")
    _check_protected(answer)
    page = answer.text
    assert "Giấy tiếp nhận hồ sơ và hẹn trả kết quả" in page
    assert f"Mã hồ sơ: {code}" in page
    assert "Cấp giấy phép xây dựng nhà ở riêng lẻ" in page
    assert f"Tra cứu tình trạng hồ sơ tại: {api.url}/tra-cuu/{code}" in page
    assert "<svg" in page
    assert "75.000 đồng" in page
    assert secret not in page and "Mã bí mật" not in page
    # What the applicant gave is printed as text, never as markup.
    assert HOSTILE not in page and "<b>Mộ Lao</b>" not in page
    assert "&lt;script&gt;alert(&#39;xss&#39;)&lt;/script&gt;" in page
    assert "Tổ 3 &lt;b&gt;Mộ Lao&lt;/b&gt;" in page


def test_behind_a_proxy_the_receipt_points_at_the_public_address(api: ApiOffice) -> None:
    code = registration(api)
    api.settings.public_url = "https://dichvucong.hadong.example/"
    try:
        page = _page(api, "reception", f"/dossiers/{code}/receipt.html").text
    finally:
        api.settings.public_url = None
    assert f"Tra cứu tình trạng hồ sơ tại: https://dichvucong.hadong.example/tra-cuu/{code}" in page


def test_who_prints_the_receipt(api: ApiOffice) -> None:
    code = registration(api)
    for reader in ("reception", "leader", "auditor", "admin"):
        _page(api, reader, f"/dossiers/{code}/receipt.html")
    for user, status in [("finance", 403), ("justice", 403), ("designer", 403),
                         (None, 401)]:
        assert api.client(user).get(f"/dossiers/{code}/receipt.html").status_code == status
    assert api.client("reception").get(f"/dossiers/{UNKNOWN}/receipt.html").status_code == 404


# ---- the supplement request -------------------------------------------------------------

def test_the_supplement_request_asks_for_what_the_latest_appraisal_wrote(
        api: ApiOffice) -> None:
    code, _ = waiting_permit(api)
    answer = _page(api, "urban", f"/dossiers/{code}/supplement.html")
    _check_protected(answer)
    page = answer.text
    assert "Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ" in page
    assert "Bản vẽ &lt;b&gt;mặt cắt&lt;/b&gt; công trình\nẢnh hiện trạng</p>" in page
    assert "Bản vẽ mặt bằng tầng 3" not in page  # the first request was answered
    assert "ngày 02 tháng 04 năm 2026" in page
    assert "Phạm Quốc Huy" in page  # the officer who asked
    assert "&lt;script&gt;" in page and HOSTILE not in page


def test_no_supplement_request_for_a_dossier_that_never_waited(api: ApiOffice) -> None:
    code = registration(api)
    answer = api.client("auditor").get(f"/dossiers/{code}/supplement.html")
    assert answer.status_code == 404
    assert answer.json()["detail"] == f"hồ sơ {code} chưa từng phải chờ bổ sung"
    assert api.client("auditor").get(f"/dossiers/{UNKNOWN}/supplement.html").status_code == 404


def test_who_prints_the_supplement_request(api: ApiOffice) -> None:
    code, _ = waiting_permit(api)
    for reader in ("urban", "reception", "leader", "auditor", "admin"):
        _page(api, reader, f"/dossiers/{code}/supplement.html")
    for user, status in [("finance", 403), ("justice", 403), ("designer", 403),
                         (None, 401)]:
        answer = api.client(user).get(f"/dossiers/{code}/supplement.html")
        assert answer.status_code == status, user
