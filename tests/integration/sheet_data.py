"""Dossiers for the sheets' tests, made through the use cases in the first two wards."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from openpyxl import load_workbook

from engine.model import User
from engine.service import dossiers
from engine.service.office import Office
from engine.service.reporting import Table, formats
from tests.helpers import do_step

DUONG_NOI = "000.00.82.H26"
COPY = {"ten_giay_to": "Bằng tốt nghiệp", "pages": 2, "copies": 1}
BUSINESS = {"ten_ho_kinh_doanh": "Tạp hóa Minh Anh", "nganh_nghe": "Bán lẻ",
            "dia_chi": "Số 5 Quang Trung, Hà Đông", "von_kinh_doanh": 50_000_000}
BUILDING = {"chu_dau_tu": "Phạm Văn Long", "dia_chi_cong_trinh": "Số 9 Tô Hiệu, Hà Đông",
            "dien_tich_xay_dung": 80.0, "so_tang": 4}
WHO = {"name": "Nguyễn Văn Bình"}
# Each ward's people, by the word their usernames start with.
PEOPLE = ("reception", "justice", "finance", "urban", "leader", "auditor")


def people(office: Office, ward: str = "") -> dict[str, User]:
    """The first ward's people (``ward`` empty) or another ward's (its username suffix)."""
    names = {word: f"{word}.{ward}" if ward else word for word in PEOPLE}
    with office.db.unit_of_work(readonly=True) as uow:
        found = {word: uow.org.user(name) for word, name in names.items()}
    assert all(found.values())
    return {word: user for word, user in found.items() if user is not None}


def submit(office: Office, p: dict[str, User], key: str,
           form: dict[str, Any]) -> dossiers.Receipt:
    return dossiers.submit(office, key, WHO, "direct", form, p["reception"])


def finish_copy(office: Office, p: dict[str, User], dossier_id: int) -> None:
    do_step(office, dossier_id, p["reception"], {"ket_qua_kiem_tra": "hop_le"})
    do_step(office, dossier_id, p["justice"], {"ket_qua_xu_ly": "dat"})
    do_step(office, dossier_id, p["leader"], {"y_kien_lanh_dao": "dong_y"})
    do_step(office, dossier_id, p["reception"], {"hinh_thuc_tra": "truc_tiep"})


def finish_business(office: Office, p: dict[str, User], dossier_id: int) -> None:
    do_step(office, dossier_id, p["reception"], {"ket_qua_kiem_tra": "hop_le"})
    do_step(office, dossier_id, p["finance"], {"ket_qua_tham_dinh": "dat"})
    do_step(office, dossier_id, p["leader"], {"y_kien_lanh_dao": "dong_y"})
    do_step(office, dossier_id, p["reception"], {"hinh_thuc_tra": "truc_tiep"})


def written(table: Table) -> dict[str, Any]:
    """The table through every writer: the CSV rows, the JSON document and the xlsx cells."""
    text = io.StringIO()
    formats.to_csv(table, text)
    document = io.StringIO()
    formats.to_json(table, document)
    book = io.BytesIO()
    formats.to_xlsx(table, book)
    sheet = load_workbook(io.BytesIO(book.getvalue())).active
    assert sheet is not None
    return {"csv": list(csv.reader(io.StringIO(text.getvalue()))),
            "json": json.loads(document.getvalue()),
            "xlsx": [list(row) for row in sheet.iter_rows(values_only=True)]}
