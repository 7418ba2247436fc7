"""Size limits: request bodies (an ASGI middleware) and definition uploads.

The middleware answers 413 from the Content-Length header before the body is read, and
counts the bytes of bodies sent without one, so no endpoint reads more than its limit.
"""

from __future__ import annotations

from collections.abc import Mapping

from fastapi import UploadFile
from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.errors import PayloadTooLarge, problem
from engine.errors import DefinitionInvalid, Problem
from engine.service.deploy import upload_name

# A deploy sends a whole bundle (each BPMN with its DMN and form files: the four demo
# procedures alone are 28 files), so the count is generous and the total is what binds.
MAX_FILES = 50
MAX_FILE_BYTES = 5 * 1024 * 1024
UPLOAD_BODY_BYTES = 20 * 1024 * 1024
JSON_BODY_BYTES = 1024 * 1024
# An attachment's request: the file (at most the office's per-file limit) and the form's
# other fields and boundaries.
MULTIPART_OVERHEAD = 64 * 1024


def _mib(size: int) -> str:
    return f"{size / (1024 * 1024):g} MiB"


class BodyLimit:
    """At most ``default`` bytes per request body, or the limit ``paths`` gives its path."""

    def __init__(self, app: ASGIApp, default: int, paths: Mapping[str, int],
                 endings: Mapping[str, int] | None = None) -> None:
        self.app = app
        self.default = default
        self.paths = dict(paths)
        # Paths with a parameter inside (a dossier's files): matched by how they end.
        self.endings = dict(endings or {})

    def limit(self, path: str) -> int:
        path = path.rstrip("/")
        if path in self.paths:
            return self.paths[path]
        for ending, limit in self.endings.items():
            if path.endswith(ending):
                return limit
        return self.default

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.limit(scope["path"])
        declared = Headers(scope=scope).get("content-length", "")
        if declared.isdigit() and int(declared) > limit:
            response = problem(413, "too-large", "Request too large",
                               f"the body is {declared} bytes; this endpoint accepts at most "
                               f"{_mib(limit)}")
            await response(scope, receive, send)
            return
        received = 0

        async def counted() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise PayloadTooLarge(f"the body is larger than {_mib(limit)}")
            return message

        await self.app(scope, counted, send)


def read_uploads(files: list[UploadFile]) -> dict[str, bytes]:
    """The files by base name; every naming problem is reported at once, like lint does."""
    if len(files) > MAX_FILES:
        raise PayloadTooLarge(f"{len(files)} files sent; at most {MAX_FILES} per request")
    contents: dict[str, bytes] = {}
    problems: list[Problem] = []
    for upload in files:
        raw = upload.filename or ""
        # A name may keep its folders (forms/a.json); a full path from a browser on Windows
        # or an absolute one keeps only its last part.
        name = upload_name(raw) or ""
        data = upload.file.read(MAX_FILE_BYTES + 1)
        if len(data) > MAX_FILE_BYTES:
            raise PayloadTooLarge(f"{name or 'a file'} is larger than {_mib(MAX_FILE_BYTES)}")
        if not name or "\x00" in name or len(name) > 200:
            problems.append(Problem(raw[:200].replace("\x00", "") or "(no name)", None, "file",
                                    "give every file a plain relative name, e.g. "
                                    "procedure.bpmn or forms/step.json"))
        elif name in contents:
            problems.append(Problem(name, None, "file", "two files have this name"))
        else:
            contents[name] = data
    if problems:
        raise DefinitionInvalid(problems)
    if not contents:
        raise DefinitionInvalid([Problem("(no files)", None, "file",
                                         "send at least one .bpmn file")])
    return contents
