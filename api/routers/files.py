"""Files attached to a dossier: attach (multipart: slot, file), list, download."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, File, Form, Path, UploadFile
from fastapi.responses import Response
from starlette.datastructures import UploadFile as Upload

from api.deps import CurrentUser, OfficeDep
from api.schemas import CODE_PATTERN, problem_responses
from engine.service import attachments
from engine.service.attachments import AttachmentsView, AttachmentView

router = APIRouter(prefix="/dossiers", tags=["attachments"])

Code = Annotated[str, Path(pattern=CODE_PATTERN, examples=["000.00.20.H26-260303-0001"])]
UPLOAD_ENDING = "/files"


def read_upload(upload: Upload, limit: int) -> bytes:
    """At most one byte more than ``limit``: the use case refuses what is larger, and no
    request holds more than that in memory."""
    return upload.file.read(limit + 1)


@router.post("/{code}/files", status_code=201, response_model=AttachmentView,
             responses=problem_responses(401, 403, 404, 409, 413, 422))
def attach(code: Code, user: CurrentUser, office: OfficeDep,
           slot: Annotated[str, Form(max_length=100, examples=["Task_TiepNhan"])],
           file: Annotated[UploadFile, File()]) -> AttachmentView:
    """Attach a PDF, JPEG or PNG (told from its bytes, not its name or type) to a required
    document of the dossier (its code, by the one-stop desk that received it) or to one of
    its steps (the step id, by the department handling it while it is open). The file's
    sha256 is recorded in the dossier's audit chain."""
    data = read_upload(file, office.file_limits.per_file)
    return attachments.attach(office, user, code, slot, file.filename or "", data)


@router.get("/{code}/files", response_model=AttachmentsView,
            responses=problem_responses(401, 403, 404))
def files(code: Code, user: CurrentUser, office: OfficeDep) -> AttachmentsView:
    """The dossier's files, oldest first, and the slots the caller may attach to now."""
    return attachments.attachments(office, user, code)


@router.get("/{code}/files/{file_id}", response_class=Response,
            responses={200: {"content": {"application/pdf": {}, "image/jpeg": {},
                                         "image/png": {}}},
                       **problem_responses(401, 403, 404)})
def download(code: Code, file_id: int, user: CurrentUser, office: OfficeDep) -> Response:
    """One file, with the type its bytes were found to be, as an attachment to save."""
    found = attachments.download(office, user, code, file_id)
    return file_response(found)


def file_response(found: attachments.Download) -> Response:
    """The bytes as a download: its own type, never sniffed, kept by no cache on the way."""
    ascii_name = found.filename.encode("ascii", "replace").decode().replace("?", "_")
    ascii_name = ascii_name.replace('"', "_").replace("\\", "_")
    disposition = (f'attachment; filename="{ascii_name}"; '
                   f"filename*=UTF-8''{quote(found.filename, safe='')}")
    return Response(found.data, media_type=found.content_type, headers={
        "Content-Disposition": disposition,
        "X-Content-Type-Options": "nosniff",
        "Cache-Control": "no-store",
        "Content-Security-Policy": "default-src 'none'; sandbox",
    })
