"""Attachments' kinds told from their bytes, their size limits, and the local folder store."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

from engine.files import FileKind, FileLimits, LocalFileStore, detect, digest
from engine.files.store import stored_digest

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 32
PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"


@pytest.mark.parametrize(("data", "kind"), [(PNG, FileKind.PNG), (JPEG, FileKind.JPEG),
                                            (PDF, FileKind.PDF)])
def test_a_kind_is_told_from_its_first_bytes(data: bytes, kind: FileKind) -> None:
    assert detect(data) is kind
    assert kind.content_type in ("image/png", "image/jpeg", "application/pdf")


@pytest.mark.parametrize("data", [
    b"MZ\x90\x00 an executable renamed scan.pdf",
    b"<html><script>alert(1)</script>",
    b"PDF-1.7 without its percent sign",
    b"\x89PNG but not the whole signature",
    b"",
])
def test_anything_else_is_no_kind_whatever_its_name(data: bytes) -> None:
    assert detect(data) is None


def test_limits_per_file_and_per_dossier() -> None:
    limits = FileLimits(per_file=100, per_dossier=250)
    assert limits.file_fits(100) and not limits.file_fits(101) and not limits.file_fits(0)
    assert limits.dossier_fits(150, 100) and not limits.dossier_fits(151, 100)
    assert FileLimits() == FileLimits(10 * 1024 * 1024, 50 * 1024 * 1024)


def test_the_local_store_keeps_bytes_by_their_hash_once(tmp_path: Path) -> None:
    store = LocalFileStore(tmp_path)
    sha = store.put(PNG)
    assert sha == digest(PNG)
    assert store.path(sha) == tmp_path / sha[:2] / sha[2:4] / sha
    assert store.read(sha) == PNG and store.exists(sha)
    before = store.path(sha).stat().st_mtime_ns
    assert store.put(PNG) == sha  # the same bytes again: nothing written
    assert store.path(sha).stat().st_mtime_ns == before
    assert sorted(p.name for p in tmp_path.rglob("*") if p.is_file()) == [sha]
    assert stored_digest(store, sha) == sha


def test_a_write_that_fails_leaves_no_file_behind(tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    store = LocalFileStore(tmp_path)

    def disk_full(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", disk_full)
    with pytest.raises(OSError):
        store.put(PDF)
    assert not store.exists(digest(PDF))
    assert [p for p in tmp_path.rglob("*") if p.is_file()] == []  # no half-written temp file


def test_writers_of_the_same_bytes_at_once_all_succeed(tmp_path: Path) -> None:
    store = LocalFileStore(tmp_path)
    data = JPEG * 50_000
    found: list[str] = []
    threads = [threading.Thread(target=lambda: found.append(store.put(data)))
               for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert found == [digest(data)] * 8
    assert store.read(digest(data)) == data
    assert [p.name for p in tmp_path.rglob("*") if p.is_file()] == [digest(data)]


def test_a_missing_or_swapped_file_shows_in_its_digest(tmp_path: Path) -> None:
    store = LocalFileStore(tmp_path)
    sha = store.put(PDF)
    store.path(sha).write_bytes(PDF + b"tampered")
    assert stored_digest(store, sha) == digest(PDF + b"tampered")
    store.path(sha).unlink()
    assert stored_digest(store, sha) is None
    with pytest.raises(FileNotFoundError):
        store.read(sha)


def test_a_name_that_is_not_a_hash_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError):
        LocalFileStore(tmp_path).read("../../etc/passwd")
