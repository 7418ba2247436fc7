"""What a sender is: it hands one message to its provider and says how that went."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from engine.model import OutboxMessage


@dataclass(frozen=True)
class Delivery:
    """The provider took the message; ``reference`` is its id for it (or ours)."""

    reference: str


class SendError(Exception):
    """The provider did not take the message. ``permanent``: trying again cannot help (an
    address refused for good); otherwise the worker tries again later."""

    def __init__(self, reason: str, *, permanent: bool = False) -> None:
        super().__init__(reason)
        self.reason = reason[:500]
        self.permanent = permanent


class Sender(Protocol):
    def send(self, message: OutboxMessage) -> Delivery: ...
