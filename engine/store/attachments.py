"""Files attached to dossiers: their rows (the bytes are in the file store)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from engine.model import Attachment
from engine.store.tables import attachments, audit_events

BATCH = 1000


class AttachmentStore:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def add(self, *, dossier_id: int, slot: str, work_item_id: int | None, filename: str,
            kind: str, size: int, sha256: str, attached_by: str, attached_at: datetime,
            event_seq: int) -> int:
        found = self.conn.execute(attachments.insert().values(
            dossier_id=dossier_id, slot=slot, work_item_id=work_item_id, filename=filename,
            kind=kind, size=size, sha256=sha256, attached_by=attached_by,
            attached_at=attached_at, event_seq=event_seq).returning(attachments.c.id))
        return int(found.scalar_one())

    def for_dossier(self, dossier_id: int) -> list[Attachment]:
        rows = self.conn.execute(sa.select(attachments)
                                 .where(attachments.c.dossier_id == dossier_id)
                                 .order_by(attachments.c.id))
        return [_attachment(r) for r in rows]

    def get(self, dossier_id: int, attachment_id: int) -> Attachment | None:
        r = self.conn.execute(sa.select(attachments).where(
            attachments.c.id == attachment_id, attachments.c.dossier_id == dossier_id)).first()
        return _attachment(r) if r is not None else None

    def total_size(self, dossier_id: int) -> int:
        return int(self.conn.execute(
            sa.select(sa.func.coalesce(sa.func.sum(attachments.c.size), 0))
            .where(attachments.c.dossier_id == dossier_id)).scalar_one())

    def walk(self) -> Iterator[tuple[Attachment, dict[str, Any] | None]]:
        """Every attachment with the data of its ``file_attached`` event (None when the event
        is gone), streamed, for the log check."""
        e = audit_events.c
        query = (sa.select(attachments, e.data.label("event_data"))
                 .select_from(attachments.outerjoin(
                     audit_events, sa.and_(e.chain_id == attachments.c.dossier_id,
                                           e.seq == attachments.c.event_seq,
                                           e.kind == "file_attached")))
                 .order_by(attachments.c.id))
        for r in self.conn.execution_options(yield_per=BATCH).execute(query):
            yield _attachment(r), r.event_data


def _attachment(r: Any) -> Attachment:
    return Attachment(id=r.id, dossier_id=r.dossier_id, slot=r.slot,
                      work_item_id=r.work_item_id, filename=r.filename, kind=r.kind,
                      size=r.size, sha256=r.sha256, attached_by=r.attached_by,
                      attached_at=r.attached_at, event_seq=r.event_seq)
