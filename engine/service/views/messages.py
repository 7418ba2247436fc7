"""The messages to a dossier's applicant as its pages show them: every one with its state for
staff (failures and uncertain ones with why), only the sent ones' channel and day for the
public page (no address, no number)."""

from __future__ import annotations

from engine.model import OutboxStatus
from engine.service.office import Office
from engine.service.views.common import local
from engine.service.views.types import MessageView, PublicMessage
from engine.store import UnitOfWork


def message_views(office: Office, uow: UnitOfWork, dossier_id: int) -> tuple[MessageView, ...]:
    return tuple(
        MessageView(kind=m.kind, channel=m.channel, recipient=m.recipient, status=m.status,
                    attempts=m.attempts, queued_at=office.calendar.local_time(m.created_at),
                    sent_at=local(office, m.sent_at), last_error=m.last_error)
        for m in uow.outbox.for_dossier(dossier_id))


def public_messages(office: Office, uow: UnitOfWork,
                    dossier_id: int) -> tuple[PublicMessage, ...]:
    """The sent messages, but never a recovered secret's (it would say someone asked)."""
    return tuple(PublicMessage(m.channel, office.calendar.local_time(m.sent_at))
                 for m in uow.outbox.for_dossier(dossier_id)
                 if m.status == OutboxStatus.SENT and m.sent_at is not None
                 and m.kind != "secret")
