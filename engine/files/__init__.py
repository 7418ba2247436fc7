"""Files attached to dossiers (scans of ID cards, copies, drawings): what kind a file is,
judged from its bytes; how large it may be; where its bytes are kept, by their sha256."""

from engine.files.kinds import FileKind, detect
from engine.files.limits import FileLimits
from engine.files.store import FileStore, LocalFileStore, digest

__all__ = ["FileKind", "FileLimits", "FileStore", "LocalFileStore", "detect", "digest"]
