"""What a sender is: it hands one message to its provider and says how that went."""

from __future__ import annotations

from collections.abc import Callable
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


class LeaseLost(Exception):
    """The message's lease ended before it was handed over: another worker has it."""


# Called by a sender right before the step that may deliver the message (after connecting,
# signing in and naming the recipient), so a crash before it leaves the message safe to send
# again; False: the lease is lost, hand nothing over.
HandingOver = Callable[[], bool]


class Sender(Protocol):
    def send(self, message: OutboxMessage, handing_over: HandingOver) -> Delivery: ...
