"""Form 06 on dossiers run through the engine: each bucket, the periods' edges, grouping."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from engine.errors import InvalidInput
from engine.model import User
from engine.reports.statistics import Counts
from engine.runtime.clock import ManualClock
from engine.service import dossiers
from engine.service.office import Office
from engine.service.reporting import statistics, statistics_table
from tests.conftest import local
from tests.helpers import accept_at_desk, deploy_as_before_the_reform, do_step

BUSINESS = {"ten_ho_kinh_doanh": "Tạp hóa Minh Anh", "nganh_nghe": "Bán lẻ",
            "dia_chi": "Số 5 Quang Trung, Hà Đông", "von_kinh_doanh": 50_000_000}
COPY = {"ten_giay_to": "Bằng tốt nghiệp", "pages": 2, "copies": 1}
BIRTH = {"ho_ten_tre": "Lê Minh An", "ngay_sinh": "2026-02-20", "gioi_tinh": "nam",
         "noi_sinh": "Bệnh viện Hà Đông", "ho_ten_me": "Trần Thị Hoa",
         "nhan_cha_me_con": "khong"}
BUILDING = {"chu_dau_tu": "Phạm Văn Long", "dia_chi_cong_trinh": "Số 9 Tô Hiệu, Hà Đông",
            "dien_tich_xay_dung": 80.0, "so_tang": 4}
WHO = {"name": "Nguyễn Văn Bình"}


def submit(office: Office, users: dict[str, User], key: str, form: dict[str, Any],
           channel: str = "direct") -> int:
    actor = None if channel == "online" else users["reception"]
    return dossiers.submit(office, key, WHO, channel, form, actor).dossier_id


def finish_business(office: Office, users: dict[str, User], dossier_id: int) -> None:
    do_step(office, dossier_id, users["reception"], {"ket_qua_kiem_tra": "hop_le"})
    do_step(office, dossier_id, users["finance"], {"ket_qua_tham_dinh": "dat"})
    do_step(office, dossier_id, users["leader"], {"y_kien_lanh_dao": "dong_y"})
    do_step(office, dossier_id, users["reception"], {"hinh_thuc_tra": "truc_tiep"})


def finish_copy(office: Office, users: dict[str, User], dossier_id: int) -> None:
    do_step(office, dossier_id, users["reception"], {"ket_qua_kiem_tra": "hop_le"})
    do_step(office, dossier_id, users["justice"], {"ket_qua_xu_ly": "dat"})
    do_step(office, dossier_id, users["leader"], {"y_kien_lanh_dao": "dong_y"})
    do_step(office, dossier_id, users["reception"], {"hinh_thuc_tra": "truc_tiep"})


@pytest.fixture
def march(office: Office, users: dict[str, User], clock: ManualClock) -> Office:
    """Dossiers around March 2026, each meant for one bucket of the March report."""
    deploy_as_before_the_reform(office)  # business and building at district level
    clock.set(local(2026, 2, 25, 9, 0))
    carried = submit(office, users, "dang_ky_ho_kinh_doanh", BUSINESS)  # due Mon 2 March
    clock.set(local(2026, 2, 26, 9, 0))
    before = submit(office, users, "chung_thuc_ban_sao", COPY)
    finish_copy(office, users, before)  # finished in February: outside March
    clock.set(local(2026, 3, 3, 9, 0))
    online = submit(office, users, "chung_thuc_ban_sao", COPY, "online")
    finish_copy(office, users, online)  # same day: on time
    refused = submit(office, users, "dang_ky_ho_kinh_doanh", BUSINESS)
    do_step(office, refused, users["reception"],
            {"ket_qua_kiem_tra": "tu_choi", "ly_do_tu_choi": "Thiếu giấy tờ"})
    early = submit(office, users, "dang_ky_ho_kinh_doanh", BUSINESS)
    overdue = submit(office, users, "dang_ky_ho_kinh_doanh", BUSINESS, "post")  # due 6 March
    building = submit(office, users, "cap_phep_xay_dung", BUILDING, "post")
    do_step(office, building, users["reception"], {"ket_qua_kiem_tra": "hop_le"})
    do_step(office, building, users["urban"],
            {"ket_qua_tham_dinh": "bo_sung", "noi_dung_bo_sung": "Bản vẽ mặt cắt"})
    clock.set(local(2026, 3, 4, 10, 0))
    finish_business(office, users, early)  # due 6 March: early
    finish_business(office, users, carried)  # due 2 March: late
    do_step(office, overdue, users["reception"], {"ket_qua_kiem_tra": "hop_le"})
    clock.set(local(2026, 3, 10, 9, 0))
    birth = submit(office, users, "dang_ky_khai_sinh", BIRTH)  # due today 17:00: within
    accept_at_desk(office, birth, users["reception"])
    return office


def test_every_bucket_of_the_month(march: Office) -> None:
    report = statistics(march, date(2026, 3, 1), date(2026, 3, 31), "procedure")
    rows = {r.key: r.counts for r in report.rows}
    # Refused at the desk: never received for resolution, counted apart.
    assert rows["dang_ky_ho_kinh_doanh"] == Counts(
        carried_over=1, new_desk=1, new_post=1, resolved_early=1, resolved_late=1,
        not_accepted=1, pending_overdue=1)
    assert rows["chung_thuc_ban_sao"] == Counts(new_online=1, resolved_on_time=1)
    assert rows["cap_phep_xay_dung"] == Counts(new_post=1, supplement_within=1)
    assert rows["dang_ky_khai_sinh"] == Counts(new_desk=1, pending_within=1)
    total = report.total
    assert (total.received, total.new, total.resolved, total.pending) == (6, 5, 3, 3)
    assert (total.within, total.overdue, total.awaiting_supplement) == (2, 1, 1)
    assert total.online_rate == pytest.approx(1 / 5)
    assert total.on_time_rate == pytest.approx(2 / 3)
    assert all(r.counts.reconciles() for r in report.rows) and total.reconciles()
    # The month has not ended: pending dossiers are judged now, not on 31 March.
    assert report.judged_at == local(2026, 3, 10, 9, 0)


def test_a_past_period_is_judged_at_its_end(march: Office) -> None:
    february = statistics(march, date(2026, 2, 1), date(2026, 2, 28), "procedure")
    rows = {r.key: r.counts for r in february.rows}
    # Open on 28 February and due 2 March: pending within the deadline then, late since.
    assert rows["dang_ky_ho_kinh_doanh"] == Counts(new_desk=1, pending_within=1)
    assert rows["chung_thuc_ban_sao"] == Counts(new_desk=1, resolved_on_time=1)
    first_days = statistics(march, date(2026, 3, 1), date(2026, 3, 3), "procedure")
    business = {r.key: r.counts for r in first_days.rows}["dang_ky_ho_kinh_doanh"]
    # On 3 March the carried-over dossier was overdue; the other two were still in time.
    assert business == Counts(carried_over=1, new_desk=1, new_post=1, not_accepted=1,
                              pending_within=2, pending_overdue=1)


def test_grouped_by_field_level_and_department(march: Office) -> None:
    by_level = statistics(march, date(2026, 3, 1), date(2026, 3, 31), "level")
    assert {r.label: r.counts.received for r in by_level.rows} == {"Cấp xã": 2,
                                                                     "Cấp huyện": 4}
    by_field = statistics(march, date(2026, 3, 1), date(2026, 3, 31), "field")
    assert {r.key: r.counts.received for r in by_field.rows} == {
        "Chứng thực": 1, "Hộ tịch": 1, "Hoạt động xây dựng": 1,
        "Thành lập và hoạt động của hộ kinh doanh": 3}
    by_department = statistics(march, date(2026, 3, 1), date(2026, 3, 31), "department")
    received = {r.key: r.counts.received for r in by_department.rows}
    # Every dossier passes the desk; the others count those they were handed (the birth
    # registration accepted at the desk is at the justice office).
    assert received == {"MOT_CUA": 6, "TU_PHAP": 2, "TC_KH": 3, "LANH_DAO": 3, "QLDT": 1}
    assert by_department.overlapping and by_department.total.received == 6
    assert by_department.total == by_level.total


def test_the_table_has_the_forms_columns_and_a_totals_row(march: Office) -> None:
    table = statistics_table(statistics(march, date(2026, 3, 1), date(2026, 3, 31)))
    headers = [c.header for c in table.columns]
    for wanted in ("Tổng số", "Số kỳ trước chuyển qua", "Trong đó: số mới tiếp nhận trực tuyến",
                   "Trước hạn", "Đúng hạn", "Quá hạn", "Trong hạn"):
        assert wanted in headers
    assert table.totals is not None and table.totals["label"] == "Tổng cộng"
    assert table.totals["received"] == 6


def test_a_period_that_ends_before_it_starts_is_refused(office: Office) -> None:
    with pytest.raises(InvalidInput):
        statistics(office, date(2026, 3, 2), date(2026, 3, 1))
    with pytest.raises(InvalidInput):
        statistics(office, date(2026, 3, 1), date(2026, 3, 2), "district")
