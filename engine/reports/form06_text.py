"""The printed elements of Biểu số 06/VPCP/KSTT, and where each comes from.

The form's code, title and columns are those of the statistics form on the handling of
administrative procedures (Circular 01/2020/TT-VPCP of the Government Office on periodic
reporting). ``BASIS_CONFIRMED`` is False: the circular's date and the wording of the legal
basis line are as commonly printed, not yet checked against the gazetted text.
"""

from __future__ import annotations

from datetime import date

FORM_CODE = "Biểu số 06/VPCP/KSTT"
BASIS = "Ban hành kèm theo Thông tư số 01/2020/TT-VPCP ngày 21/10/2020 của Văn phòng Chính phủ"
BASIS_CONFIRMED = False
TITLE = "Tình hình, kết quả giải quyết TTHC tại cơ quan, đơn vị trực tiếp giải quyết TTHC"
UNIT_OF_MEASURE = "Đơn vị tính: Số hồ sơ TTHC"
FIRST_COLUMN = "Lĩnh vực, công việc giải quyết theo cấp"
SIGNERS = (("NGƯỜI LẬP BIỂU", "(Ký, ghi rõ họ tên)"),
           ("THỦ TRƯỞNG ĐƠN VỊ", "(Ký, ghi rõ họ tên, đóng dấu)"))
SCOPE_NOTE = ("Số liệu của đơn vị trực tiếp giải quyết hồ sơ; hồ sơ bị từ chối tiếp nhận "
              "không tính là hồ sơ nhận giải quyết.")
# docs/auditing.md, "Early or on time": the appointment receipt promises a day, so by
# default a result ready on a day before that day is early (the moment rule is a setting).
EARLY_RULE_NOTES = {
    "day": "Trước hạn: có kết quả trước ngày hẹn trả; đúng hạn: trong ngày hẹn trả, "
           "không muộn hơn thời điểm hẹn trả (so theo ngày).",
    "moment": "Trước hạn: có kết quả trước thời điểm hẹn trả; đúng hạn: đúng thời điểm "
              "hẹn trả (so theo thời điểm).",
}


def early_rule_note(rule: str) -> str:
    return EARLY_RULE_NOTES[rule]


def period_line(date_from: date, date_to: date) -> str:
    return f"(Từ ngày {date_from:%d/%m/%Y} đến ngày {date_to:%d/%m/%Y})"


def place_and_date(place: str, day: date) -> str:
    """The line above the signatures: "Hà Nội, ngày 02 tháng 12 năm 2026"."""
    when = f"ngày {day:%d} tháng {day:%m} năm {day:%Y}"
    return f"{place}, {when}" if place else when.capitalize()
