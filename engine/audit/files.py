"""The attached files against the audit log: each attachment's row, its ``file_attached``
event (which the dossier's hash chain covers) and the bytes in the file store must name the
same sha256. A file removed from the store, or replaced by other bytes, or a row edited to
point at another file, is reported at the event of the dossier's chain that recorded it."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from engine.audit.chain import ChainBreak, dossier_chain
from engine.files.store import FileStore, stored_digest
from engine.i18n import Message, msg
from engine.model import Attachment


def verify_files(rows: Iterable[tuple[Attachment, dict[str, Any] | None]],
                 store: FileStore) -> tuple[int, list[ChainBreak]]:
    """(files checked, problems): every stored file re-hashed."""
    checked = 0
    problems: list[ChainBreak] = []
    for attachment, event in rows:
        checked += 1
        problem = _check(attachment, event, store)
        if problem is not None:
            problems.append(ChainBreak(dossier_chain(attachment.dossier_id),
                                       attachment.event_seq, problem))
    return checked, problems


def _check(attachment: Attachment, event: dict[str, Any] | None,
           store: FileStore) -> Message | None:
    name = msg("audit_file_name", filename=attachment.filename, number=attachment.id)
    if event is None:
        return msg("audit_file_without_event", file=name)
    if event.get("sha256") != attachment.sha256:
        return msg("audit_file_other_bytes", file=name)
    found = stored_digest(store, attachment.sha256)
    if found is None:
        return msg("audit_file_missing", file=name)
    if found != attachment.sha256:
        return msg("audit_file_swapped", file=name)
    return None
