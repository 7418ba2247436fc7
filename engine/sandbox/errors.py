"""What the sandbox raises. Plain exceptions, so SpiffWorkflow wraps them in its task errors
and the step fails with the message; expressions cannot catch them (``try`` is refused)."""

from __future__ import annotations

from engine.i18n import Message, translate


class SandboxError(Exception):
    """An expression did something the sandbox does not allow, or ran out of budget.

    ``message`` is for people (a catalog Message, translated where the failure is shown);
    ``str()`` is English, for logs and for what SpiffWorkflow records."""

    def __init__(self, message: Message | str) -> None:
        self.message = message
        super().__init__(translate("en", message) if isinstance(message, Message) else message)


class NotAllowedInExpression(SandboxError):
    """A name, attribute or operation outside the allow-list."""


class LimitExceeded(SandboxError):
    """The evaluation took longer, or built more, than its budget allows."""
