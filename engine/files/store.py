"""Where attachments' bytes are kept: addressed by their sha256, so the same bytes attached
twice (the same ID card to two dossiers) are stored once, and a file can be checked against
the hash the audit chain recorded for it.

A store only ever adds files; nothing in the engine deletes one (a dossier's evidence
outlives it). The local store is the default; ``engine.files.s3`` keeps them in a bucket.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Protocol

CHUNK = 1024 * 1024


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _checked(sha256: str) -> str:
    if len(sha256) != 64 or any(c not in "0123456789abcdef" for c in sha256):
        raise ValueError(f"not a sha256 in hexadecimal: {sha256!r}")
    return sha256


class FileStore(Protocol):
    def put(self, data: bytes) -> str:
        """Keep ``data`` (once, whatever the number of calls) and return its sha256."""
        ...

    def exists(self, sha256: str) -> bool: ...

    def read(self, sha256: str) -> bytes:
        """The stored bytes; ``FileNotFoundError`` when there are none."""
        ...

    def chunks(self, sha256: str) -> Iterator[bytes]:
        """The stored bytes a piece at a time (to re-hash a large file without holding it);
        ``FileNotFoundError`` when there are none."""
        ...


def stored_digest(store: FileStore, sha256: str) -> str | None:
    """The sha256 of what the store holds under ``sha256`` now, None when it holds nothing:
    a file swapped on the disk or in the bucket hashes to something else."""
    hasher = hashlib.sha256()
    try:
        for chunk in store.chunks(sha256):
            hasher.update(chunk)
    except FileNotFoundError:
        return None
    return hasher.hexdigest()


class LocalFileStore:
    """A folder: ``<root>/ab/cd/<sha256>``. A file appears whole or not at all: it is written
    to a temporary file in its final folder, flushed to disk, then renamed into place."""

    def __init__(self, root: Path | str) -> None:
        self.root = Path(root)

    def path(self, sha256: str) -> Path:
        sha256 = _checked(sha256)
        return self.root / sha256[:2] / sha256[2:4] / sha256

    def put(self, data: bytes) -> str:
        sha256 = digest(data)
        target = self.path(sha256)
        if target.exists():
            return sha256
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, temporary = tempfile.mkstemp(dir=target.parent, prefix=".incoming-")
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(data)
                out.flush()
                os.fsync(out.fileno())
            # Two writers of the same bytes both succeed: the second replaces equal bytes.
            os.replace(temporary, target)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        return sha256

    def exists(self, sha256: str) -> bool:
        return self.path(sha256).is_file()

    def read(self, sha256: str) -> bytes:
        return self.path(sha256).read_bytes()

    def chunks(self, sha256: str) -> Iterator[bytes]:
        with self.path(sha256).open("rb") as source:
            while chunk := source.read(CHUNK):
                yield chunk
