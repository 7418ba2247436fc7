"""A dossier's attachments from the web pages: the upload of the "Tài liệu đính kèm" card
(``_attachments.html``) and the download links, over the same use cases as the API."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import Response
from starlette.datastructures import UploadFile

from api.routers.files import file_response, read_upload
from api.web.pages import Page, Posted, UserPage, WebRoute, safe_next, text_field
from api.web.routes.dossiers import Code
from engine.service import attachments

router = APIRouter(route_class=WebRoute, include_in_schema=False)
ATTACHMENTS_ENDING = "/tai-lieu"


@router.post("/ho-so/{code}/tai-lieu")
def upload(code: Code, page: UserPage, form: Posted) -> Response:
    """Attach the chosen file, then back to the page the card was on."""
    sent = form.get("file")
    # No file chosen: the use case still says first whether this user may attach at all.
    data = read_upload(sent, page.office.file_limits.per_file) \
        if isinstance(sent, UploadFile) else b""
    name = sent.filename or "" if isinstance(sent, UploadFile) else ""
    attachments.attach(page.office, page.me, code, text_field(form, "slot", 100), name, data)
    return _back(page, code, text_field(form, "next", 500))


def _back(page: Page, code: str, target: str) -> Response:
    return page.redirect(safe_next(target, f"/ho-so/{code}"))


@router.get("/ho-so/{code}/tai-lieu/{file_id}")
def download(code: Code, file_id: int, page: UserPage) -> Response:
    return file_response(attachments.download(page.office, page.me, code, file_id))
