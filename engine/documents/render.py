"""Rendering the office's printed forms (Decree 61/2018 annex forms) from engine records."""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, tzinfo
from functools import lru_cache
from typing import Any, Protocol

import segno
from jinja2 import Environment, PackageLoader, pass_context, select_autoescape
from jinja2.runtime import Context
from markupsafe import Markup

from engine.audit.timeline import ControlSheet, SheetRow
from engine.model import Dossier, ItemStatus

# The print button's only script. Pages are served with CONTENT_SECURITY_POLICY, which allows
# this exact script (by its hash) and nothing else, so no text an applicant typed can run.
PRINT_SCRIPT = ('document.getElementById("in-phieu").addEventListener("click", '
                'function () { window.print(); });')
PRINT_SCRIPT_HASH = base64.b64encode(hashlib.sha256(PRINT_SCRIPT.encode()).digest()).decode()
CONTENT_SECURITY_POLICY = (
    f"default-src 'none'; script-src 'sha256-{PRINT_SCRIPT_HASH}'; "
    "style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'; "
    "frame-ancestors 'none'")


@dataclass(frozen=True)
class Letterhead:
    agency_name: str  # e.g. "UBND quận Hà Đông"
    unit_name: str = "Bộ phận Tiếp nhận và Trả kết quả"
    place: str = "Hà Nội"
    # The office's zone the times are printed in; the use case that renders sets it from
    # the office's calendar.
    tz: tzinfo | None = None

    def zone(self) -> tzinfo:
        if self.tz is None:
            raise ValueError("the letterhead names no time zone to print local times in")
        return self.tz


LONG_MOMENT = "%H giờ %M phút, ngày %d/%m/%Y"


def local(value: datetime | None, tz: tzinfo, pattern: str = LONG_MOMENT) -> str:
    return value.astimezone(tz).strftime(pattern) if value else "—"


@pass_context
def _local_filter(context: Context, value: datetime | None, pattern: str = LONG_MOMENT) -> str:
    return local(value, context["head"].zone(), pattern)


@pass_context
def _day_filter(context: Context, value: datetime | None) -> str:
    return local(value, context["head"].zone(), "%d/%m/%Y")


def money(value: int | None) -> str:
    return f"{value or 0:,}".replace(",", ".") + " đồng"


@lru_cache(maxsize=1)
def _env() -> Environment:
    env = Environment(loader=PackageLoader("engine.documents", "templates"),
                      autoescape=select_autoescape(["html"]), trim_blocks=True,
                      lstrip_blocks=True)
    env.filters["local"] = _local_filter
    env.filters["day"] = _day_filter
    env.filters["money"] = money
    env.globals["print_script"] = Markup(PRINT_SCRIPT)
    return env


def qr_svg(text: str) -> str:
    """An inline SVG QR code (no external service: receipts print offline)."""
    return segno.make(text, error="m").svg_inline(scale=3, border=2)


def render(template: str, **context: Any) -> str:
    return _env().get_template(template).render(**context)


class Document(Protocol):
    """A document of a dossier as the forms list it (thành phần hồ sơ)."""

    @property
    def name(self) -> str: ...
    @property
    def form(self) -> str: ...
    @property
    def count(self) -> int: ...


FORM_WORDS = {"original": "Bản chính", "copy": "Bản sao",
              "original_or_copy": "Bản chính hoặc bản sao"}


def receipt(head: Letterhead, dossier: Dossier, procedure_name: str, secret: str | None,
            lookup_url: str, signer: str | None = None,
            documents: Sequence[Document] = ()) -> str:
    """Giấy tiếp nhận hồ sơ và hẹn trả kết quả (Mẫu 01), with a QR code of the public lookup
    page, the documents received and the full name of the clerk who received them."""
    return render("receipt.html", head=head, d=dossier, procedure_name=procedure_name,
                  secret=secret, lookup_url=lookup_url, qr=qr_svg(lookup_url),
                  signer=signer or dossier.received_by, documents=documents,
                  form_words=FORM_WORDS)


def supplement_request(head: Letterhead, dossier: Dossier, procedure_name: str,
                       requested_at: datetime, missing: str, officer: str,
                       documents: Sequence[Document] = ()) -> str:
    """Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ (Mẫu 02): the documents missing, and what
    the officer wrote."""
    return render("supplement.html", head=head, d=dossier, procedure_name=procedure_name,
                  requested_at=requested_at, missing=missing, officer=officer,
                  documents=documents, form_words=FORM_WORDS)


def refusal(head: Letterhead, dossier: Dossier, procedure_name: str, refused_at: datetime,
            reasons: str, signer: str, received: Sequence[Document] = ()) -> str:
    """Phiếu từ chối tiếp nhận, giải quyết hồ sơ (Mẫu 03), with the reasons."""
    return render("refusal.html", head=head, d=dossier, procedure_name=procedure_name,
                  refused_at=refused_at, reasons=reasons, signer=signer, received=received,
                  form_words=FORM_WORDS)


def apology(head: Letterhead, dossier: Dossier, procedure_name: str, reason: str,
            original_due_at: datetime, new_due_at: datetime, signed_by: str,
            issued_at: datetime) -> str:
    """Phiếu xin lỗi và hẹn lại ngày trả kết quả."""
    return render("apology.html", head=head, d=dossier, procedure_name=procedure_name,
                  reason=reason, original_due_at=original_due_at, new_due_at=new_due_at,
                  signed_by=signed_by, issued_at=issued_at)


# ---- the process control sheet -----------------------------------------------------------

RESULTS = {"early": "Trước hạn", "on_time": "Đúng hạn", "late": "Quá hạn",
           "within": "Đang giải quyết, chưa đến hạn", "overdue": "Đang giải quyết, quá hạn"}
STATUSES = {"processing": "Đang giải quyết", "awaiting_supplement": "Chờ bổ sung, hoàn thiện",
            "resolved": "Đã giải quyết", "refused": "Từ chối", "withdrawn": "Rút hồ sơ",
            "not_accepted": "Từ chối tiếp nhận"}
# Actors that are not people of the office.
ACTORS = {"applicant": "Người nộp hồ sơ (trực tuyến)", "timer": "Hệ thống (hẹn giờ)"}


@dataclass(frozen=True)
class SheetLine:
    """One printed row: a hand-over from one unit to the next."""

    number: int
    sender: str
    receiver: str
    handed_over_at: datetime
    handed_by: str
    received_by: str
    result: str
    notes: list[str]


def hours_text(value: float) -> str:
    """Office hours the Vietnamese way: ``4,5``."""
    return f"{value:g}".replace(".", ",")


def control_sheet(head: Letterhead, sheet: ControlSheet, department_names: Mapping[str, str],
                  people: Mapping[str, str], reception_department: str) -> str:
    """Phiếu kiểm soát quá trình giải quyết hồ sơ: the header, then one row per hand-over,
    the first being the reception unit's. The first department after the reception unit is
    the handling one; the other departments that handled a step are listed as coordinating."""

    def unit(code: str | None) -> str:
        return department_names.get(code, code) if code else ACTORS["timer"]

    def person(username: str | None, missing: str = "—") -> str:
        if not username:
            return missing
        return people.get(username) or ACTORS.get(username, username)

    header = sheet.header
    others = [d for d in header.departments if d != reception_department]
    handling = unit(others[0] if others else reception_department)
    coordinating = ", ".join(unit(d) for d in others[1:])
    pauses: dict[int | None, list[str]] = {}
    for pause in sheet.pauses:
        waiting = "" if pause.resumed_at else " (đang chờ)"
        pauses.setdefault(pause.item_id, []).append(
            f"Tạm dừng tính thời hạn chờ người nộp bổ sung: "
            f"{hours_text(pause.paused_hours)} giờ làm việc{waiting}")
    lines = [SheetLine(
        number=row.number, sender=unit(row.from_department),
        receiver=row.department_name or row.department, handed_over_at=row.handed_over_at,
        handed_by=person(row.handed_over_by), received_by=person(row.claimed_by, "(chưa nhận)"),
        result=_row_result(row),
        notes=_row_notes(row, head.zone()) + pauses.get(row.item_id, []),
    ) for row in sheet.rows]
    changes = [c for c in sheet.due_history if c.kind != "received"]
    return render("control_sheet.html", head=head, d=header, lines=lines, handling=handling,
                  coordinating=coordinating, changes=changes,
                  result=RESULTS.get(header.result or "", "Không quy định thời hạn"),
                  status=STATUSES.get(header.status, header.status), person=person,
                  hours=hours_text)


def _row_result(row: SheetRow) -> str:
    if row.status == ItemStatus.CANCELLED:
        return "Không thực hiện (bước bị hủy)"
    if row.result is None:
        return "Không quy định thời hạn"
    return RESULTS.get(row.result, row.result)


def _row_notes(row: SheetRow, tz: tzinfo) -> list[str]:
    notes = []
    if row.due_at is not None:
        notes.append(f"Hạn của bước: {local(row.due_at, tz)}")
    if row.waiting_hours is not None and row.working_hours is not None:
        notes.append(f"Chờ nhận {hours_text(row.waiting_hours)} giờ, xử lý "
                     f"{hours_text(row.working_hours)} giờ làm việc")
    return notes
