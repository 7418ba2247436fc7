"""The designer's workbench beside the diagram: the live preview of a form being written,
drawn by the same renderer and macro as the clerk's step page, after the deploy's own check
of the schema."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import HTMLResponse

from api.web import forms
from api.web.pages import Posted, UserPage, WebRoute, text_field
from engine.errors import TooLarge
from engine.service.forms import MAX_DRAFT_CHARS, draft_form

router = APIRouter(route_class=WebRoute, include_in_schema=False)
PREVIEW = "_form_preview.html"


@router.post("/thiet-ke/bieu-mau/xem-truoc", response_class=HTMLResponse)
def form_preview(page: UserPage, form: Posted) -> HTMLResponse:
    """An HTML fragment: the form as the clerk will see it, or a short message saying why
    it cannot be drawn (the status says which, the script shows either)."""
    sent = form.get("schema")
    name = text_field(form, "name", 200) or "form.json"
    try:
        draft = draft_form(page.me, name, sent if isinstance(sent, str) else "")
    except TooLarge:
        return page.render(PREVIEW, status=413, too_large=MAX_DRAFT_CHARS // 1024)
    if draft.schema is None:
        return page.render(PREVIEW, status=422, problem=draft.problem)
    schema = draft.schema
    return page.render(PREVIEW, fields=forms.fields(schema), form_title=schema.get("title"),
                       form_description=schema.get("description"))
