"""Messages to applicants below the use cases: their texts from the catalogs, and the senders
that hand them to an SMTP server or an SMS gateway. No storage, no clock of its own."""

from engine.notify.config import NotifyConfig, SmsConfig, SmtpConfig
from engine.notify.senders import Delivery, Sender, SendError
from engine.notify.templates import KINDS, Rendered, render

__all__ = ["KINDS", "Delivery", "NotifyConfig", "Rendered", "SendError", "Sender",
           "SmsConfig", "SmtpConfig", "render"]
