"""The kinds of file an office accepts, told from the file's first bytes (magic numbers).

The name and the Content-Type a browser sends are the sender's claim; a renamed executable
would pass both. The bytes decide, and the download is served with the kind's own type.
"""

from __future__ import annotations

from enum import StrEnum


class FileKind(StrEnum):
    PDF = "pdf"
    JPEG = "jpeg"
    PNG = "png"

    @property
    def content_type(self) -> str:
        return _CONTENT_TYPES[self]

    @property
    def extension(self) -> str:
        return _EXTENSIONS[self]


_CONTENT_TYPES = {FileKind.PDF: "application/pdf", FileKind.JPEG: "image/jpeg",
                  FileKind.PNG: "image/png"}
_EXTENSIONS = {FileKind.PDF: ".pdf", FileKind.JPEG: ".jpg", FileKind.PNG: ".png"}
_MAGIC = (
    (b"%PDF-", FileKind.PDF),
    (b"\xff\xd8\xff", FileKind.JPEG),
    (b"\x89PNG\r\n\x1a\n", FileKind.PNG),
)
# Enough bytes to tell every kind above.
HEAD = 8


def detect(head: bytes) -> FileKind | None:
    """The kind whose signature ``head`` (the file's first bytes) starts with, or None."""
    for magic, kind in _MAGIC:
        if head.startswith(magic):
            return kind
    return None
