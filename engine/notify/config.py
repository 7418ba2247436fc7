"""How messages leave the office: the public address they point to, the senders' settings,
the retries. Built from the settings at the edge (engine.bootstrap)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class SmtpConfig:
    host: str
    port: int = 587
    user: str | None = None
    password: str | None = None
    starttls: bool = True
    sender: str = "khong-tra-loi@localhost"  # the From address
    timeout_s: float = 30.0


@dataclass(frozen=True)
class SmsConfig:
    url: str  # the gateway's endpoint (docs/operations.md: the contract it must meet)
    token: str | None = None  # sent as a bearer token
    timeout_s: float = 15.0


@dataclass(frozen=True)
class NotifyConfig:
    # The public site's address, for the lookup link (None: the message says where instead).
    public_url: str | None = None
    # The office's name for an installation that has imported no units.
    office_name: str = ""
    # SMS without diacritics: GSM-7 takes 160 characters a segment, UCS-2 only 70.
    sms_ascii: bool = True
    smtp: SmtpConfig | None = None
    sms: SmsConfig | None = None
    max_attempts: int = 8
    retry_first_seconds: float = 60.0
    retry_max_seconds: float = 3600.0
    # How long a worker holds a batch it took; far longer than one send's timeout, so only a
    # worker that died (or hung) loses its rows to another.
    lease_seconds: float = 300.0
    # An e-mail whose worker died while handing it to the server may have been delivered:
    # False marks it uncertain for staff (never twice), True sends it again (never lost).
    resend_uncertain_email: bool = False
    channels: tuple[str, ...] = field(default=("email", "sms"))

    def lookup_url(self, code: str) -> str | None:
        if not self.public_url:
            return None
        return f"{self.public_url.rstrip('/')}/tra-cuu/{code}"
