"""The sender worker's use case: lease the due messages, hand each to its provider, mark it.

Each message moves queued → leased (the batch, one transaction) → sending (just before it is
handed over, committed) → sent, or back to queued with a backoff, or failed after its last
attempt. A worker that dies leaves its rows leased or sending until the lease ends; then a
leased row is simply sent (it never reached the provider), and a sending one may or may not
have been delivered: an SMS is sent again with the same reference (the gateway keeps one),
an e-mail becomes ``uncertain`` for staff unless the office chose to send it again
(docs/operations.md states the guarantee).
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import timedelta

from engine.model import NotifyChannel, OutboxMessage, OutboxStatus
from engine.notify import Delivery, NotifyConfig, Sender, SendError
from engine.notify.senders import LeaseLost
from engine.notify.sms import HttpSmsSender
from engine.notify.smtp import SmtpSender
from engine.service.backoff import Backoff
from engine.service.office import Office

DIED = "the worker stopped while handing it over; it may have been delivered"


@dataclass
class SendRound:
    sent: int = 0
    retried: int = 0
    failed: list[int] = field(default_factory=list)  # outbox ids, now failed
    uncertain: list[int] = field(default_factory=list)

    @property
    def busy(self) -> bool:
        return bool(self.sent or self.retried or self.failed or self.uncertain)


def senders(config: NotifyConfig) -> dict[str, Sender]:
    """The configured senders by channel; a channel without one keeps its messages queued."""
    found: dict[str, Sender] = {}
    if config.smtp is not None:
        found[NotifyChannel.EMAIL] = SmtpSender(config.smtp)
    if config.sms is not None:
        found[NotifyChannel.SMS] = HttpSmsSender(config.sms)
    return found


def retry_delay(config: NotifyConfig, attempts: int, rng: random.Random | None = None
                ) -> timedelta:
    """Exponential backoff with equal jitter: half the wait fixed, half drawn, so workers
    that failed together do not come back together."""
    wait = Backoff(config.retry_first_seconds, config.retry_max_seconds).seconds(attempts)
    return timedelta(seconds=wait / 2 + (rng or random).uniform(0, wait / 2))


def send_due(office: Office, batch: int = 20,
             using: Mapping[str, Sender] | None = None) -> SendRound:
    """One pass over up to ``batch`` due messages; each marked right after its send, so a
    kill affects at most the one in flight."""
    config = office.notify
    ways = dict(using) if using is not None else senders(config)
    report = SendRound()
    if not ways:
        return report
    for message in _lease(office, batch, list(ways), report):
        _send_one(office, message, ways[message.channel], report)
    return report


def _lease(office: Office, batch: int, channels: list[str],
           report: SendRound) -> list[OutboxMessage]:
    config = office.notify
    now = office.now()
    until = now + timedelta(seconds=config.lease_seconds)
    taken: list[OutboxMessage] = []
    with office.db.unit_of_work() as uow:
        for m in uow.outbox.due(now, batch, channels):
            if m.status == OutboxStatus.SENDING and m.channel == NotifyChannel.EMAIL and \
                    not config.resend_uncertain_email:
                if uow.outbox.mark(m.id, m.status, m.attempts, status=OutboxStatus.UNCERTAIN,
                                   lease_until=None, last_error=DIED):
                    report.uncertain.append(m.id)
                continue
            if uow.outbox.mark(m.id, m.status, m.attempts, status=OutboxStatus.LEASED,
                               lease_until=until, next_attempt_at=until):
                taken.append(m)
        uow.commit()
    return taken


def _send_one(office: Office, message: OutboxMessage, sender: Sender,
              report: SendRound) -> None:
    config = office.notify
    tries = message.attempts + 1

    def handing_over() -> bool:
        """Committed before the step that may deliver: from here on a crash leaves the row
        sending, which the recovery rules treat as maybe delivered."""
        until = office.now() + timedelta(seconds=config.lease_seconds)
        with office.db.unit_of_work() as uow:
            ours = uow.outbox.mark(message.id, OutboxStatus.LEASED, message.attempts,
                                   status=OutboxStatus.SENDING, attempts=tries,
                                   lease_until=until, next_attempt_at=until)
            uow.commit()
        return ours

    delivery: Delivery | None = None
    error: SendError | None = None
    try:
        delivery = sender.send(message, handing_over)
    except LeaseLost:
        return  # the lease ended and another worker has it
    except SendError as exc:
        error = exc
    now = office.now()
    with office.db.unit_of_work() as uow:
        # Refused before the hand-over (connection, sign-in, sender or recipient refused):
        # the row is still leased with its attempts as read; after it, sending with one more.
        found = uow.outbox.get(message.id)
        if found is None or found.status not in (OutboxStatus.LEASED, OutboxStatus.SENDING):
            return
        was, attempts_were = found.status, found.attempts
        if was == OutboxStatus.LEASED and attempts_were != message.attempts:
            return
        if delivery is not None:
            done: dict[str, object] = dict(
                status=OutboxStatus.SENT, sent_at=now, lease_until=None, attempts=tries,
                provider_ref=delivery.reference[:200], last_error=None)
            report.sent += 1
        else:
            assert error is not None
            if error.permanent or tries >= config.max_attempts:
                done = dict(status=OutboxStatus.FAILED, lease_until=None, attempts=tries,
                            last_error=error.reason)
                report.failed.append(message.id)
            else:
                done = dict(status=OutboxStatus.QUEUED, lease_until=None, attempts=tries,
                            last_error=error.reason,
                            next_attempt_at=now + retry_delay(config, tries))
                report.retried += 1
        uow.outbox.mark(message.id, was, attempts_were, **done)
        uow.commit()
