"""Dossiers for the tests of form 06 as the official form, made through the use cases:
a single office with two levels (its layout), and the demo wards with the city's desk (its
units)."""

from __future__ import annotations

from typing import Any

from engine.model import User
from engine.runtime.clock import ManualClock
from engine.service import dossiers
from engine.service.demo import CITY, FIRST_WARD
from engine.service.office import Office
from tests.databases import local
from tests.helpers import accept_at_desk, deploy_as_before_the_reform, do_step
from tests.integration.sheet_data import (
    BUILDING,
    BUSINESS,
    COPY,
    WHO,
    finish_business,
    finish_copy,
    people,
)

DUONG_NOI = "000.00.82.H26"
KIEN_HUNG = "000.00.84.H26"
BIRTH = {"ho_ten_tre": "Lê Minh An", "ngay_sinh": "2026-02-20", "gioi_tinh": "nam",
         "noi_sinh": "Bệnh viện Hà Đông", "ho_ten_me": "Trần Thị Hoa",
         "nhan_cha_me_con": "khong"}
# The demo's wards and the city below which they sit, as a consolidated form orders them:
# the city first, then the wards by name.
UNITS_IN_ORDER = ["Thành phố Hà Nội", "Phường Chương Mỹ", "Phường Dương Nội", "Phường Hà Đông",
                  "Phường Kiến Hưng", "Phường Phú Lương", "Phường Yên Nghĩa"]
# Columns of the form and what each group's total is the sum of.
FORM_SUMS = {"received": ("carried_over", "new_online", "new_offline"),
             "resolved": ("resolved_early", "on_time", "resolved_late"),
             "pending": ("within", "overdue")}


def _submit(office: Office, actor: User | None, key: str, form: dict[str, Any],
            channel: str = "direct", **where: str) -> int:
    return dossiers.submit(office, key, WHO, channel, form, actor, **where).dossier_id


def finish_birth(office: Office, p: dict[str, User], dossier_id: int) -> None:
    do_step(office, dossier_id, p["reception"], {"ket_qua_kiem_tra": "hop_le"})
    do_step(office, dossier_id, p["justice"], {"ket_qua_xu_ly": "dat"})
    do_step(office, dossier_id, p["leader"], {"y_kien_lanh_dao": "dong_y"})
    do_step(office, dossier_id, p["reception"], {"da_ky_so_ho_tich": True})


def refuse_at_the_desk(office: Office, desk: User, dossier_id: int) -> None:
    do_step(office, dossier_id, desk, {"ket_qua_kiem_tra": "tu_choi",
                                       "ly_do_tu_choi": "Thiếu giấy tờ"})


def two_levels(office: Office, clock: ManualClock) -> None:
    """A single office whose business and building procedures are district level, read for
    5–12 March 2026: two dossiers carried over from 3 March, one of each other outcome."""
    deploy_as_before_the_reform(office)
    p = people(office)
    clock.set(local(2026, 3, 3, 9, 0))
    carried_late = _submit(office, p["reception"], "dang_ky_ho_kinh_doanh", BUSINESS)  # due 6/3
    accept_at_desk(office, _submit(office, None, "chung_thuc_ban_sao", COPY, "online"),
                   p["reception"])  # open: carried, overdue
    clock.set(local(2026, 3, 5, 9, 0))
    early = _submit(office, p["reception"], "dang_ky_ho_kinh_doanh", BUSINESS)  # due 10/3
    building = _submit(office, p["reception"], "cap_phep_xay_dung", BUILDING, "post")
    do_step(office, building, p["reception"], {"ket_qua_kiem_tra": "hop_le"})
    do_step(office, building, p["urban"],
            {"ket_qua_tham_dinh": "bo_sung", "noi_dung_bo_sung": "Bản vẽ mặt cắt"})
    clock.set(local(2026, 3, 5, 10, 0))
    copy = _submit(office, p["reception"], "chung_thuc_ban_sao", COPY)
    birth = _submit(office, p["reception"], "dang_ky_khai_sinh", BIRTH)
    clock.set(local(2026, 3, 5, 11, 0))  # the same day, before its 17:00 due moment
    finish_copy(office, p, copy)
    finish_birth(office, p, birth)
    clock.set(local(2026, 3, 6, 9, 0))
    finish_business(office, p, early)
    refuse_at_the_desk(office, p["reception"], _submit(office, p["reception"],
                                                       "dang_ky_ho_kinh_doanh", BUSINESS))
    clock.set(local(2026, 3, 9, 9, 0))
    finish_business(office, p, carried_late)
    clock.set(local(2026, 3, 20, 9, 0))


def wards(office: Office, clock: ManualClock) -> None:
    """Dossiers of March 2026 (quarter I of 2026) in the demo's wards: two resolved in
    Hà Đông; one open in Dương Nội and one received for Dương Nội at the city's desk and
    resolved there; one refused at the desk of Kiến Hưng."""
    here, there, kien_hung = people(office), people(office, "duongnoi"), \
        people(office, "kienhung")
    with office.db.unit_of_work(readonly=True) as uow:
        city_desk = uow.org.user("reception.city")
    assert city_desk is not None
    clock.set(local(2026, 3, 3, 9, 0))
    copy = _submit(office, here["reception"], "chung_thuc_ban_sao", COPY)
    business = _submit(office, here["reception"], "dang_ky_ho_kinh_doanh", BUSINESS)
    left_open = _submit(office, there["reception"], "chung_thuc_ban_sao", COPY)  # overdue
    accept_at_desk(office, left_open, there["reception"])
    for_the_ward = _submit(office, city_desk, "dang_ky_ho_kinh_doanh", BUSINESS,
                           resolving_unit=DUONG_NOI)
    refuse_at_the_desk(office, kien_hung["reception"],
                       _submit(office, kien_hung["reception"], "chung_thuc_ban_sao", COPY))
    clock.set(local(2026, 3, 3, 10, 0))
    finish_copy(office, here, copy)
    clock.set(local(2026, 3, 4, 10, 0))
    finish_business(office, here, business)
    do_step(office, for_the_ward, city_desk, {"ket_qua_kiem_tra": "hop_le"})
    do_step(office, for_the_ward, there["finance"], {"ket_qua_tham_dinh": "dat"})
    do_step(office, for_the_ward, there["leader"], {"y_kien_lanh_dao": "dong_y"})
    do_step(office, for_the_ward, city_desk, {"hinh_thuc_tra": "truc_tiep"})
    clock.set(local(2026, 3, 20, 9, 0))


__all__ = ["CITY", "DUONG_NOI", "FIRST_WARD", "FORM_SUMS", "KIEN_HUNG", "UNITS_IN_ORDER",
           "two_levels", "wards"]
