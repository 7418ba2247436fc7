"""Messages to applicants are written to the outbox with the event that causes them: one row
per channel the applicant chose and gave a contact for, with only the code and the unit."""

from __future__ import annotations

from engine.model import OutboxMessage, OutboxStatus, User
from engine.service import dossiers
from engine.service.notifications import chosen_channels, notify
from engine.service.office import Office
from tests.helpers import dossier

COPY = {"ten_giay_to": "Bằng tốt nghiệp", "pages": 2, "copies": 1}
PERSON = {"name": "Nguyễn Văn Bình", "id_number": "001085012345", "phone": "0912345678",
          "email": "binh@example.com"}


def _outbox(office: Office, dossier_id: int) -> list[OutboxMessage]:
    with office.db.unit_of_work(readonly=True) as uow:
        return uow.outbox.for_dossier(dossier_id)


def _queue(office: Office, dossier_id: int, kind: str, **kwargs: object) -> int:
    found = dossier(office, dossier_id)
    with office.db.unit_of_work() as uow:
        written = notify(office, uow, found, kind, **kwargs)  # type: ignore[arg-type]
        uow.commit()
    return written


def test_the_applicant_chooses_the_channels_they_gave_a_contact_for() -> None:
    both = {"email": "a@example.com", "phone": "0912345678"}
    assert chosen_channels(both) == [("email", "a@example.com"), ("sms", "0912345678")]
    assert chosen_channels({**both, "notify": ["sms"]}) == [("sms", "0912345678")]
    assert chosen_channels({**both, "notify": []}) == []
    assert chosen_channels({"phone": "0912345678", "notify": ["email", "sms"]}) == [
        ("sms", "0912345678")]


def test_one_row_per_channel_with_only_the_code_and_the_unit(
        office: Office, users: dict[str, User]) -> None:
    receipt = dossiers.submit(office, "chung_thuc_ban_sao", PERSON, "direct", COPY,
                              users["reception"])
    before = len(_outbox(office, receipt.dossier_id))
    assert _queue(office, receipt.dossier_id, "apology", params={"date": "10/03/2026"}) == 2
    rows = _outbox(office, receipt.dossier_id)[before:]
    assert [(r.channel, r.recipient, r.status) for r in rows] == [
        ("email", "binh@example.com", OutboxStatus.QUEUED), ("sms", "0912345678", "queued")]
    email, sms = rows
    assert receipt.code in email.subject and receipt.code in email.body
    assert "10/03/2026" in email.body and "10/03/2026" in sms.body
    assert "UBND phường" in email.body
    for row in rows:
        for secret in ("Nguyễn", "Bình", "001085012345", "0912345678", "binh@"):
            assert secret not in row.subject + row.body
    assert sms.body.isascii()  # no diacritics by default: GSM-7 segments


def test_only_restricts_the_channel_and_an_unwritten_event_writes_no_message(
        office: Office, users: dict[str, User]) -> None:
    receipt = dossiers.submit(office, "chung_thuc_ban_sao", PERSON, "direct", COPY,
                              users["reception"])
    before = len(_outbox(office, receipt.dossier_id))
    assert _queue(office, receipt.dossier_id, "secret", params={"secret": "K7Q2"},
                  only=["sms"]) == 1
    assert [r.channel for r in _outbox(office, receipt.dossier_id)[before:]] == ["sms"]
    found = dossier(office, receipt.dossier_id)
    with office.db.unit_of_work() as uow:  # rolled back: the message goes with it
        assert notify(office, uow, found, "received") == 2
    assert len(_outbox(office, receipt.dossier_id)) == before + 1
