"""How an applicant is told: an e-mail address checked with care, and the channels chosen.

The address check is the common shape (RFC 5321/5322 as mail servers accept it, without the
quoted and commented forms nobody types at a desk): a local part of letters, digits and
``!#$%&'*+/=?^_`{|}~.-`` with no dot at either end or twice in a row, up to 64 characters;
a domain of at least two labels (letters, digits and hyphens, none at a label's ends; a
Vietnamese or other international name is written as its IDNA form), a top label that is
not all digits, up to 253 characters; 254 in all. Whether the mailbox exists is the sender's
business, not the desk's."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from engine.i18n import Message, msg

NOTIFY_CHANNELS = ("email", "sms")
_LOCAL = re.compile(r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*")
_LABEL = re.compile(r"[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?")


def normalise_email(text: str) -> str | None:
    """The address with its domain in lower case (IDNA), or None if it is not one."""
    local, at, domain = text.strip().rpartition("@")
    if not at or not local or len(local) > 64 or not _LOCAL.fullmatch(local):
        return None
    try:
        domain = domain.encode("idna").decode("ascii").lower()
    except UnicodeError:
        return None
    labels = domain.split(".")
    if len(domain) > 253 or len(labels) < 2 or labels[-1].isdigit():
        return None
    if not all(_LABEL.fullmatch(label) for label in labels):
        return None
    address = f"{local}@{domain}"
    return address if len(address) <= 254 else None


def check_email(text: str) -> tuple[str | None, Message | None]:
    found = normalise_email(text)
    if found is not None:
        return found, None
    return None, msg("people_email_invalid", value=text.strip()[:100])


def notify_choice(value: Any) -> tuple[list[str] | None, Message | None]:
    """The channels chosen (a list drawn from ``NOTIFY_CHANNELS``, in that order), None when
    the applicant said nothing (every channel with a contact), or why it is not a choice."""
    if value is None:
        return None, None
    if isinstance(value, str):
        value = [v.strip() for v in value.split(",") if v.strip()]
    if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
        return None, msg("people_notify_not_list")
    unknown = sorted(set(value) - set(NOTIFY_CHANNELS))
    if unknown:
        return None, msg("people_notify_unknown", value=", ".join(unknown)[:100],
                         channels=", ".join(NOTIFY_CHANNELS))
    return [c for c in NOTIFY_CHANNELS if c in value], None


def contact_problems(applicant: Mapping[str, Any]) -> list[tuple[str, Message]]:
    """(field, why) for a bad e-mail address or a choice of channels that cannot be served."""
    found: list[tuple[str, Message]] = []
    email = str(applicant.get("email") or "").strip()
    bad_email = check_email(email)[1] if email else None
    if bad_email is not None:
        found.append(("applicant.email", bad_email))
    chosen, why = notify_choice(applicant.get("notify"))
    if why is not None:
        found.append(("applicant.notify", why))
    elif chosen:
        if "email" in chosen and not email:
            found.append(("applicant.notify", msg("people_notify_needs_email")))
        if "sms" in chosen and not str(applicant.get("phone") or "").strip():
            found.append(("applicant.notify", msg("people_notify_needs_phone")))
    return found
