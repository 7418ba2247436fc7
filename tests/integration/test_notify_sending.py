"""The sender worker against a real SMTP server and a stand-in SMS gateway on the loopback
address: each message once, retries with backoff, a last attempt, leases that two workers
respect and that a dead worker's rows come back from."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import replace
from datetime import timedelta
from typing import Any

import pytest

from engine.model import OutboxMessage, OutboxStatus, User
from engine.notify import NotifyConfig, SmsConfig, SmtpConfig
from engine.runtime.clock import ManualClock
from engine.service import desk, dossiers
from engine.service.office import Office
from engine.service.sending import SendRound, _lease, send_due
from tests.notify_servers import Gateway, Mailbox, sms_gateway, smtp_server

COPY = {"ten_giay_to": "Bằng tốt nghiệp", "pages": 2, "copies": 1}
ORIGINAL = [{"code": "ban_chinh", "form": "original", "count": 1}]
PERSON: dict[str, Any] = {"name": "Trần Thị Hoa", "id_number": "001185012345",
                          "phone": "0912345678", "email": "hoa@example.com"}


@pytest.fixture
def mailbox() -> Mailbox:
    return Mailbox()


@pytest.fixture
def gateway() -> Gateway:
    return Gateway()


@pytest.fixture
def sending(office: Office, mailbox: Mailbox, gateway: Gateway) -> Iterator[Office]:
    """The office with its senders pointed at the two servers."""
    with smtp_server(mailbox) as port, sms_gateway(gateway) as url:
        office.notify = NotifyConfig(
            public_url="https://dichvucong.example.vn", office_name="UBND phường Hà Đông",
            smtp=SmtpConfig("127.0.0.1", port, starttls=False, sender="khong-tra-loi@hadong.vn",
                            timeout_s=5),
            sms=SmsConfig(url, token=gateway.token, timeout_s=5))
        yield office


def _accepted(office: Office, users: dict[str, User], who: dict[str, Any]) -> str:
    receipt = dossiers.submit(office, "chung_thuc_ban_sao", who, "direct", COPY,
                              users["reception"])
    desk.check(office, users["reception"], receipt.code, ORIGINAL, "accept")
    return receipt.code


def _rows(office: Office) -> list[OutboxMessage]:
    with office.db.unit_of_work(readonly=True) as uow:
        found = [uow.outbox.get(i) for i in range(1, 10_000)]
    return [m for m in found if m is not None]


def test_an_email_and_an_sms_arrive_once_with_only_the_code_and_the_unit(
        sending: Office, users: dict[str, User], mailbox: Mailbox, gateway: Gateway) -> None:
    code = _accepted(sending, users, PERSON)
    done = send_due(sending)
    assert (done.sent, done.retried, done.failed) == (2, 0, [])
    assert send_due(sending).sent == 0  # nothing left: each once
    [mail] = mailbox.received
    assert mail["To"] == "hoa@example.com" and code in str(mail["Subject"])
    body = mail.get_content()
    assert "UBND phường Hà Đông" in body and f"https://dichvucong.example.vn/tra-cuu/{code}" in body
    [sms] = gateway.texts.values()
    assert sms["to"] == "0912345678" and code in sms["text"] and sms["text"].isascii()
    for secret in ("Trần", "Hoa", "001185012345", "0912345678"):
        assert secret not in body and secret not in sms["text"]
    email_row, sms_row = _rows(sending)
    assert email_row.status == sms_row.status == OutboxStatus.SENT
    assert email_row.provider_ref == mail["Message-ID"]
    assert sms_row.provider_ref == f"gw-{sms['reference']}"


def test_who_chose_only_sms_gets_no_email(
        sending: Office, users: dict[str, User], mailbox: Mailbox, gateway: Gateway) -> None:
    _accepted(sending, users, {**PERSON, "notify": ["sms"]})
    assert send_due(sending).sent == 1
    assert mailbox.received == [] and len(gateway.texts) == 1


def test_a_refusing_server_is_tried_again_later_with_backoff_then_accepts(
        sending: Office, users: dict[str, User], mailbox: Mailbox, clock: ManualClock) -> None:
    _accepted(sending, users, {**PERSON, "notify": ["email"]})
    mailbox.refuse = 2
    start = clock.now()
    assert send_due(sending).retried == 1
    [row] = _rows(sending)
    assert row.status == OutboxStatus.QUEUED and row.attempts == 1 and "451" in (
        row.last_error or "")
    # The first wait is 60 s with jitter: between half of it and all of it.
    assert start + timedelta(seconds=30) <= row.next_attempt_at <= start + timedelta(seconds=60)
    assert send_due(sending).retried == 0  # not due yet
    clock.set(row.next_attempt_at)
    assert send_due(sending).retried == 1
    [row] = _rows(sending)
    wait = row.next_attempt_at - clock.now()
    assert timedelta(seconds=60) <= wait <= timedelta(seconds=120)  # doubled
    clock.set(row.next_attempt_at)
    assert send_due(sending).sent == 1
    assert len(mailbox.received) == 1 and _rows(sending)[0].attempts == 3


def test_after_its_last_attempt_a_message_fails_and_staff_see_why(
        sending: Office, users: dict[str, User], mailbox: Mailbox, gateway: Gateway,
        clock: ManualClock) -> None:
    sending.notify = replace(sending.notify, max_attempts=2)
    _accepted(sending, users, PERSON)
    mailbox.refuse, gateway.fail = 10, 1
    send_due(sending)
    clock.set(clock.now() + timedelta(minutes=5))
    done = send_due(sending)
    email_row, sms_row = _rows(sending)
    assert done.failed == [email_row.id] and email_row.status == OutboxStatus.FAILED
    assert email_row.attempts == 2 and "451" in (email_row.last_error or "")
    assert sms_row.status == OutboxStatus.SENT and len(gateway.texts) == 1  # 503, then taken


def test_two_workers_never_send_one_message_twice(
        sending: Office, users: dict[str, User], mailbox: Mailbox) -> None:
    for _ in range(6):
        _accepted(sending, users, {**PERSON, "notify": ["email"]})
    start = threading.Barrier(2)
    rounds: list[int] = []

    def worker() -> None:
        start.wait()
        rounds.append(send_due(sending, batch=6).sent)

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sum(rounds) == 6
    ids = mailbox.ids()
    assert len(ids) == 6 and len(set(ids)) == 6


def test_a_dead_worker_s_messages_come_back_when_its_lease_ends(
        sending: Office, users: dict[str, User], mailbox: Mailbox, gateway: Gateway,
        clock: ManualClock) -> None:
    _accepted(sending, users, PERSON)
    taken = _lease(sending, 10, ["email", "sms"], SendRound())  # then the worker dies
    assert len(taken) == 2 and send_due(sending).sent == 0  # leased: nobody else takes them
    clock.set(clock.now() + timedelta(seconds=sending.notify.lease_seconds + 1))
    assert send_due(sending).sent == 2  # never handed over: simply sent
    assert len(mailbox.received) == 1 and len(gateway.texts) == 1


def test_a_worker_killed_while_handing_over_leaves_an_uncertain_email_and_a_single_sms(
        sending: Office, users: dict[str, User], mailbox: Mailbox, gateway: Gateway,
        clock: ManualClock) -> None:
    _accepted(sending, users, PERSON)
    send_due(sending)  # both delivered …
    with sending.db.unit_of_work() as uow:  # … and the worker died before marking them
        for row in uow.outbox.for_dossier(_rows(sending)[0].dossier_id):
            uow.outbox.mark(row.id, OutboxStatus.SENT, row.attempts,
                            status=OutboxStatus.SENDING, sent_at=None,
                            next_attempt_at=clock.now() + timedelta(seconds=300))
        uow.commit()
    clock.set(clock.now() + timedelta(seconds=301))
    done = send_due(sending)
    email_row, sms_row = _rows(sending)
    assert done.uncertain == [email_row.id] and email_row.status == OutboxStatus.UNCERTAIN
    assert len(mailbox.received) == 1  # never twice
    assert sms_row.status == OutboxStatus.SENT and gateway.posts == 2
    assert len(gateway.texts) == 1  # posted again with its reference: one text
