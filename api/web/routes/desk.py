"""The desk's check of a dossier in the browser: the checklist of the procedure's documents
and the three decisions, then the printed form each leads to (the receipt, the supplement
request, the refusal slip)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from fastapi.responses import HTMLResponse, Response

from api.web.pages import Page, Posted, UserPage, WebRoute, text_field
from api.web.routes.dossiers import Code, letterhead, printed
from engine.errors import InvalidInput
from engine.service import desk, documents

router = APIRouter(route_class=WebRoute, include_in_schema=False)
_NEXT = {desk.ACCEPT: "da-tiep-nhan", desk.SUPPLEMENT: "phieu-bo-sung",
         desk.REFUSE: "khong-tiep-nhan"}


def _checklist(page: Page, code: str, chosen: dict[str, Any] | None = None,
               decision: str = "", reasons: str = "", error: str = "",
               status: int = 200) -> HTMLResponse:
    view = desk.desk_view(page.office, page.me, code)
    if chosen is None and view.last is not None:  # what the last check received
        chosen = {d.code: d for d in view.last.received}
    return page.render("desk_check.html", status=status, v=view, chosen=chosen or {},
                       forms=desk.FORMS, decision=decision, reasons=reasons, error=error)


@router.get("/ho-so/{code}/kiem-tra", response_class=HTMLResponse)
def checklist(code: Code, page: UserPage) -> HTMLResponse:
    return _checklist(page, code)


@router.post("/ho-so/{code}/kiem-tra")
def record_check(code: Code, page: UserPage, form: Posted) -> Response:
    view = desk.desk_view(page.office, page.me, code)
    received: list[dict[str, Any]] = []
    for doc in view.documents:
        if not text_field(form, f"doc_{doc.code}", 5):
            continue
        raw = text_field(form, f"count_{doc.code}", 6)
        count = int(raw) if raw.isdigit() else 0
        received.append({"code": doc.code, "count": count,
                         "form": text_field(form, f"form_{doc.code}", 20) or doc.form})
    decision = text_field(form, "decision", 12)
    reasons = text_field(form, "reasons", desk.MAX_REASONS)
    try:
        desk.check(page.office, page.me, code, received, decision or None, reasons)
    except InvalidInput as exc:
        chosen = {d["code"]: desk.CheckedDocument(d["code"], "", d["form"], d["count"])
                  for d in received}
        return _checklist(page, code, chosen, decision, reasons, exc.text(page.lang), 422)
    return page.redirect(f"/ho-so/{code}/{_NEXT[decision]}")


@router.get("/ho-so/{code}/khong-tiep-nhan", response_class=HTMLResponse)
def refusal(code: Code, page: UserPage) -> HTMLResponse:
    """Phiếu từ chối tiếp nhận, giải quyết hồ sơ, to print."""
    return printed(documents.refusal_slip(page.office, page.me, code, letterhead(page)))
