"""What operators do with messages to applicants that did not go: list them, and send one
again once the cause is fixed (a wrong address corrected, a provider back)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from engine.audit.chain import dossier_chain
from engine.errors import Conflict, NotFound
from engine.i18n import msg
from engine.model import OutboxStatus
from engine.service.office import Office

NEEDING_STAFF = (OutboxStatus.FAILED, OutboxStatus.UNCERTAIN)


@dataclass(frozen=True)
class StuckMessage:
    id: int
    dossier_code: str
    kind: str
    channel: str
    status: str
    attempts: int
    queued_at: datetime  # local time
    last_error: str | None


def needing_staff(office: Office, limit: int = 500) -> list[StuckMessage]:
    """The failed and uncertain messages, oldest first."""
    found: list[StuckMessage] = []
    with office.db.unit_of_work(readonly=True) as uow:
        for status in NEEDING_STAFF:
            for m in uow.outbox.listing(status, limit):
                dossier = uow.dossiers.get(m.dossier_id)
                found.append(StuckMessage(
                    m.id, dossier.code if dossier else str(m.dossier_id), m.kind, m.channel,
                    m.status, m.attempts, office.calendar.local_time(m.created_at),
                    m.last_error))
    return sorted(found, key=lambda s: s.id)[:limit]


def send_again(office: Office, message_id: int, actor: str) -> None:
    """Queue a failed or uncertain message again, due now, with its attempts counted afresh
    (an uncertain e-mail may then arrive twice: the operator's choice), recorded on the
    dossier's chain."""
    with office.db.unit_of_work() as uow:
        m = uow.outbox.get(message_id)
        if m is None:
            raise NotFound(msg("notify_err_no_message", number=message_id))
        if m.status not in NEEDING_STAFF:
            raise Conflict(msg("notify_err_not_stuck", number=message_id,
                               status=msg(f"notify_status_{m.status}")))
        now = office.now()
        uow.outbox.mark(m.id, m.status, m.attempts, status=OutboxStatus.QUEUED, attempts=0,
                        next_attempt_at=now, lease_until=None)
        uow.audit.append(dossier_chain(m.dossier_id), "message_requeued", actor, now,
                         {"message": m.id, "kind": m.kind, "channel": m.channel,
                          "was": m.status}, m.dossier_id)
        uow.commit()
