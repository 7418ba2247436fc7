"""What the sandbox raises. Plain exceptions, so SpiffWorkflow wraps them in its task errors
and the step fails with the message; expressions cannot catch them (``try`` is refused)."""

from __future__ import annotations


class SandboxError(Exception):
    """An expression did something the sandbox does not allow, or ran out of budget."""


class NotAllowedInExpression(SandboxError):
    """A name, attribute or operation outside the allow-list."""


class LimitExceeded(SandboxError):
    """The evaluation took longer, or built more, than its budget allows."""
