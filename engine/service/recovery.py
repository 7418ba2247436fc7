"""A lost receipt secret: the applicant gives the dossier code with the ID number and the
phone number written at filing, and picks SMS or e-mail; on a match a new secret replaces the
old one (its hash stored, the old one stops working) and is sent to the phone or e-mail on
file, never shown.

The caller learns nothing from the answer: the same whether the details matched or not, the
code exists or not, a contact for that channel is on file or not. Attempts are counted per
client address and per dossier code before anything is read (``Throttle.recovery``)."""

from __future__ import annotations

import hmac

from engine.audit.chain import dossier_chain
from engine.errors import FormInvalid
from engine.i18n import msg
from engine.model import NotifyChannel, typed_code
from engine.people import check_id_number
from engine.people.phones import normalise_phone
from engine.service.dossiers import hash_secret, new_secret
from engine.service.notifications import chosen_channels, notify
from engine.service.office import Office

CHANNELS = (NotifyChannel.SMS.value, NotifyChannel.EMAIL.value)
RENEWED = "secret_renewed"  # the audit event; it never carries the secret
MAX_TYPED = 40  # an ID number or a phone as typed, spaces and dots included


def recover_secret(office: Office, code: str, id_number: str, phone: str, channel: str,
                   address: str | None = None) -> None:
    """Renew and send the secret if the details match; answers the same either way."""
    if channel not in CHANNELS:
        raise FormInvalid("channel", msg("err_recovery_channel"))
    for field, value in (("id_number", id_number), ("phone", phone)):
        if not value.strip() or len(value) > MAX_TYPED or "\x00" in value:
            raise FormInvalid(field, msg("err_recovery_detail_needed"))
    typed = typed_code(code)
    office.throttle.recovery(address, typed)
    with office.db.unit_of_work() as uow:
        dossier = uow.dossiers.by_code(typed)
        applicant = dossier.applicant if dossier is not None else {}
        if not _matches(applicant, id_number, phone) or dossier is None:
            return
        # Only where the applicant can receive it: otherwise the old secret stays.
        if not any(c == channel for c, _ in chosen_channels(applicant)):
            return
        secret = new_secret()
        uow.dossiers.update(dossier.id, receipt_secret_hash=hash_secret(secret))
        now = office.now()
        uow.audit.append(dossier_chain(dossier.id), RENEWED, "applicant", now,
                         {"channel": channel}, dossier.id)
        if notify(office, uow, dossier, "secret", {"secret": secret}, only=[channel]):
            uow.commit()


def _matches(applicant: dict[str, object], id_number: str, phone: str) -> bool:
    """Both details, normalised as the desk stored them, compared in constant time (both
    always compared, so a right ID number with a wrong phone takes as long as neither)."""
    want_id = str(applicant.get("id_number") or "")
    want_phone = str(applicant.get("phone") or "")
    got_id = check_id_number(id_number)[0] or "".join(c for c in id_number if c.isdigit())
    got_phone = normalise_phone(phone) or "".join(c for c in phone if c.isdigit())
    same_id = hmac.compare_digest(want_id.encode(), got_id.encode())
    same_phone = hmac.compare_digest(want_phone.encode(), got_phone.encode())
    return bool(want_id) and bool(want_phone) and same_id and same_phone
