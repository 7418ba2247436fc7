"""Rendering the office's printed forms (Decree 61/2018 annex forms) from engine records."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

import segno
from jinja2 import Environment, PackageLoader, select_autoescape

from engine.model import Dossier

LOCAL = ZoneInfo("Asia/Ho_Chi_Minh")


@dataclass(frozen=True)
class Letterhead:
    agency_name: str  # e.g. "UBND quận Hà Đông"
    unit_name: str = "Bộ phận Tiếp nhận và Trả kết quả"
    place: str = "Hà Nội"


def local(value: datetime | None, pattern: str = "%H giờ %M phút, ngày %d/%m/%Y") -> str:
    return value.astimezone(LOCAL).strftime(pattern) if value else "—"


def money(value: int | None) -> str:
    return f"{value or 0:,}".replace(",", ".") + " đồng"


@lru_cache(maxsize=1)
def _env() -> Environment:
    env = Environment(loader=PackageLoader("engine.documents", "templates"),
                      autoescape=select_autoescape(["html"]), trim_blocks=True,
                      lstrip_blocks=True)
    env.filters["local"] = local
    env.filters["day"] = lambda v: local(v, "%d/%m/%Y")
    env.filters["money"] = money
    return env


def qr_svg(text: str) -> str:
    """An inline SVG QR code (no external service: receipts print offline)."""
    return segno.make(text, error="m").svg_inline(scale=3, border=2)


def render(template: str, **context: Any) -> str:
    return _env().get_template(template).render(**context)


def receipt(head: Letterhead, dossier: Dossier, procedure_name: str, secret: str | None,
            lookup_url: str) -> str:
    """Giấy tiếp nhận hồ sơ và hẹn trả kết quả, with a QR code of the public lookup page."""
    return render("receipt.html", head=head, d=dossier, procedure_name=procedure_name,
                  secret=secret, lookup_url=lookup_url, qr=qr_svg(lookup_url))


def supplement_request(head: Letterhead, dossier: Dossier, procedure_name: str,
                       requested_at: datetime, missing: str, officer: str) -> str:
    """Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ."""
    return render("supplement.html", head=head, d=dossier, procedure_name=procedure_name,
                  requested_at=requested_at, missing=missing, officer=officer)


def apology(head: Letterhead, dossier: Dossier, procedure_name: str, reason: str,
            original_due_at: datetime, new_due_at: datetime, signed_by: str,
            issued_at: datetime) -> str:
    """Phiếu xin lỗi và hẹn lại ngày trả kết quả."""
    return render("apology.html", head=head, d=dossier, procedure_name=procedure_name,
                  reason=reason, original_due_at=original_due_at, new_due_at=new_due_at,
                  signed_by=signed_by, issued_at=issued_at)
