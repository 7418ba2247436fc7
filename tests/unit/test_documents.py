"""The printed forms carry what the law asks and escape what applicants type."""

from __future__ import annotations

from datetime import UTC, datetime

from engine.documents import render
from engine.model import Dossier
from tests.conftest import LOCAL

HEAD = render.Letterhead(agency_name="UBND quận Hà Đông", tz=LOCAL)


def a_dossier(name: str = "Nguyễn Văn An") -> Dossier:
    return Dossier(
        id=1, code="000.00.81.H26-260303-0001", agency_code="000.00.81.H26",
        procedure_key="dang_ky_ho_kinh_doanh", version_id=1, channel="direct",
        status="processing", applicant={"name": name, "phone": "0912345678"}, data={},
        fee=100000, received_at=datetime(2026, 3, 3, 2, 0, tzinfo=UTC), received_by="reception",
        due_at=datetime(2026, 3, 6, 10, 0, tzinfo=UTC), resolved_at=None, state=None,
        state_rev=1, next_timer_at=None)


def test_the_receipt_has_code_dates_fee_secret_and_a_qr_code() -> None:
    html = render.receipt(HEAD, a_dossier(), "Đăng ký hộ kinh doanh", "ABCD2345",
                          "http://127.0.0.1:8000/tra-cuu/000.00.81.H26-260303-0001")
    assert "Giấy tiếp nhận hồ sơ và hẹn trả kết quả" in html
    assert "000.00.81.H26-260303-0001" in html
    assert "09 giờ 00 phút, ngày 03/03/2026" in html  # received, local time
    assert "17 giờ 00 phút, ngày 06/03/2026" in html  # due
    assert "100.000 đồng" in html and "ABCD2345" in html
    assert "<svg" in html


def test_the_apology_letter_gives_reason_and_both_dates() -> None:
    html = render.apology(HEAD, a_dossier(), "Đăng ký hộ kinh doanh", "Chờ xác minh địa điểm",
                          datetime(2026, 3, 6, 10, 0, tzinfo=UTC),
                          datetime(2026, 3, 10, 10, 0, tzinfo=UTC), "Đỗ Văn Thành",
                          datetime(2026, 3, 6, 1, 0, tzinfo=UTC))
    assert "Phiếu xin lỗi và hẹn lại ngày trả kết quả" in html
    assert "Lý do: <strong>Chờ xác minh địa điểm</strong>" in html
    assert "17 giờ 00 phút, ngày 06/03/2026" in html
    assert "17 giờ 00 phút, ngày 10/03/2026" in html


def test_what_applicants_type_is_escaped() -> None:
    html = render.supplement_request(HEAD, a_dossier("<script>alert(1)</script>"),
                                     "Cấp giấy phép xây dựng",
                                     datetime(2026, 3, 4, 2, 0, tzinfo=UTC),
                                     "Bản vẽ mặt bằng <b>", "urban")
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;" in html and "Bản vẽ mặt bằng &lt;b&gt;" in html


def test_the_supplement_letter_says_the_deadline_pauses_as_the_engine_counts_it() -> None:
    html = render.supplement_request(HEAD, a_dossier("Nguyễn Văn An"), "Cấp giấy phép xây dựng",
                                     datetime(2026, 3, 4, 2, 0, tzinfo=UTC), "Bản vẽ", "urban")
    assert "tạm dừng" in html and "tính tiếp khi nhận đủ" in html
    assert "tính lại" not in html
