"""SMS through one HTTP gateway contract (docs/operations.md): a JSON POST of ``to``, ``text``
and ``reference`` with a bearer token. The reference is fixed by the outbox row, and the
gateway must treat a POST with a reference it has seen as the same message (answer as before,
send nothing), which makes sending again after a crash harmless."""

from __future__ import annotations

import json
import urllib.error
import urllib.request

from engine.model import OutboxMessage
from engine.notify.config import SmsConfig
from engine.notify.senders import Delivery, HandingOver, LeaseLost, SendError

RETRY_STATUSES = (408, 425, 429)  # the gateway asks to come back later


def reference(message: OutboxMessage) -> str:
    stamp = int(message.created_at.timestamp() * 1000)
    return f"motcua-{message.id}-{stamp}"


class HttpSmsSender:
    def __init__(self, config: SmsConfig) -> None:
        self.config = config

    def send(self, message: OutboxMessage, handing_over: HandingOver) -> Delivery:
        ref = reference(message)
        body = json.dumps({"to": message.recipient, "text": message.body, "reference": ref},
                          ensure_ascii=False).encode()
        headers = {"Content-Type": "application/json; charset=utf-8",
                   "Idempotency-Key": ref}
        if self.config.token:
            headers["Authorization"] = f"Bearer {self.config.token}"
        request = urllib.request.Request(self.config.url, data=body, headers=headers,
                                         method="POST")
        if not handing_over():
            raise LeaseLost(str(message.id))
        try:
            with urllib.request.urlopen(request, timeout=self.config.timeout_s) as answer:
                raw = answer.read(64 * 1024)
        except urllib.error.HTTPError as exc:
            permanent = 400 <= exc.code < 500 and exc.code not in RETRY_STATUSES
            raise SendError(f"gateway answered {exc.code}", permanent=permanent) from exc
        except (urllib.error.URLError, OSError, ValueError) as exc:
            raise SendError(f"{type(exc).__name__}: {exc}") from exc
        return Delivery(_gateway_id(raw) or ref)


def _gateway_id(raw: bytes) -> str | None:
    try:
        found = json.loads(raw or b"{}")
    except ValueError:
        return None
    value = found.get("id") if isinstance(found, dict) else None
    return str(value)[:200] if value is not None else None
