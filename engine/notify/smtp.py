"""E-mail through an SMTP server (smtplib): one connection per message, STARTTLS and login
when configured, and a ``Message-ID`` fixed by the outbox row, so a message sent again after
a crash is the same message to every mail reader that removes duplicates by it."""

from __future__ import annotations

import smtplib
import ssl
from email.message import EmailMessage
from email.utils import formatdate

from engine.model import OutboxMessage
from engine.notify.config import SmtpConfig
from engine.notify.senders import Delivery, HandingOver, LeaseLost, SendError


def message_id(message: OutboxMessage, sender: str) -> str:
    """Stable per row: its id and the moment it was queued (ids restart in another database),
    at the sender's domain; nothing about the applicant."""
    domain = sender.rpartition("@")[2] or "localhost"
    stamp = int(message.created_at.timestamp() * 1000)
    return f"<motcua.{message.id}.{stamp}@{domain}>"


class SmtpSender:
    def __init__(self, config: SmtpConfig) -> None:
        self.config = config

    def envelope(self, message: OutboxMessage) -> EmailMessage:
        mail = EmailMessage()
        mail["From"] = self.config.sender
        mail["To"] = message.recipient
        mail["Subject"] = message.subject
        mail["Message-ID"] = message_id(message, self.config.sender)
        mail["Date"] = formatdate(message.created_at.timestamp(), localtime=False)
        mail["Auto-Submitted"] = "auto-generated"  # RFC 3834: no vacation replies
        mail.set_content(message.body, charset="utf-8")
        return mail

    def send(self, message: OutboxMessage, handing_over: HandingOver) -> Delivery:
        mail = self.envelope(message)
        config = self.config
        try:
            with smtplib.SMTP(config.host, config.port, timeout=config.timeout_s) as server:
                server.ehlo()
                if config.starttls:
                    server.starttls(context=ssl.create_default_context())
                    server.ehlo()
                if config.user:
                    server.login(config.user, config.password or "")
                # MAIL and RCPT first: until DATA's last line the server keeps nothing, so a
                # crash up to here costs no duplicate and leaves the row safe to send again.
                options = ["SMTPUTF8"] if server.has_extn("smtputf8") else []
                code, reply = server.mail(config.sender, options)
                if code != 250:
                    raise smtplib.SMTPSenderRefused(code, reply, config.sender)
                code, reply = server.rcpt(message.recipient)
                if code not in (250, 251):
                    raise smtplib.SMTPRecipientsRefused({message.recipient: (code, reply)})
                if not handing_over():
                    server.rset()
                    raise LeaseLost(str(message.id))
                code, reply = server.data(mail.as_bytes(policy=mail.policy.clone(linesep="\r\n")))
                if code != 250:
                    raise smtplib.SMTPDataError(code, reply)
        except smtplib.SMTPRecipientsRefused as exc:
            codes = [code for code, _ in exc.recipients.values()]
            raise SendError(f"recipient refused: {codes}",
                            permanent=all(500 <= c < 600 for c in codes)) from exc
        except smtplib.SMTPResponseException as exc:
            text = exc.smtp_error.decode(errors="replace") if isinstance(
                exc.smtp_error, bytes) else str(exc.smtp_error)
            # 5xx: refused for good (a bad address, a message too large); 4xx: try again.
            raise SendError(f"{exc.smtp_code} {text}",
                            permanent=500 <= exc.smtp_code < 600) from exc
        except (smtplib.SMTPException, OSError) as exc:
            raise SendError(f"{type(exc).__name__}: {exc}") from exc
        return Delivery(str(mail["Message-ID"]))
