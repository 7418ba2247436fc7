"""Files of a deploy keyed by their path inside it, and references between them.

A deploy may hold folders (``forms/``, ``fees/``) and two files of one name in different
folders. A reference (a step's ``form``) is looked up next to the file that makes it, then
as a path from the top of the deploy, then by a base name only one file has in the referring
file's folder and below, then in the whole deploy.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import PurePosixPath, PureWindowsPath

MAX_DEPTH = 8


@dataclass(frozen=True)
class Found:
    path: str | None
    candidates: tuple[str, ...] = ()  # when the base name is ambiguous


def deploy_path(raw: str) -> str | None:
    """A safe relative path (posix) for an uploaded name, or None when it cannot be one."""
    windows = PureWindowsPath(raw)
    text = windows.name if windows.drive else raw.replace("\\", "/")
    parts = [p for p in PurePosixPath(text).parts if p not in ("", ".", "/")]
    if not parts or any(p == ".." for p in parts) or len(parts) > MAX_DEPTH:
        return None
    if text.startswith("/"):  # an absolute path from a browser: only its name means anything
        return parts[-1]
    return "/".join(parts)


def resolve(ref: str, referrer: str, names: Iterable[str]) -> Found:
    pool = set(names)
    beside = PurePosixPath(referrer).parent / ref
    for candidate in (str(beside), ref):
        normal = deploy_path(candidate)
        if normal in pool:
            return Found(normal)
    base = PurePosixPath(ref).name
    matches = tuple(sorted(n for n in pool if PurePosixPath(n).name == base))
    folder = PurePosixPath(referrer).parent
    below = [n for n in matches if folder in PurePosixPath(n).parents]  # e.g. its forms/
    for candidates in (below, matches):
        if len(candidates) == 1:
            return Found(candidates[0])
    return Found(None, matches)
