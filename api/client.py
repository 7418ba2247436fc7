"""Who is at the other end: the client address and scheme, behind trusted proxies only.

The peer of the connection is the client unless it is one of ``trusted_proxies``; then (and
only then) the address comes from ``client_ip_header`` and the scheme from
``X-Forwarded-Proto``. A header sent by anyone else is ignored, so nobody picks the address
the abuse limits count them under. ``ClientAddress`` rewrites the ASGI scope once, so
everything after it (limits, secure cookies, HSTS, the receipt's address) reads the same
``request.client`` and ``request.url.scheme``.

uvicorn has a proxy-headers feature of its own; ``motcua serve`` turns it off so that this
is the one place that decides.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable

from fastapi import Request
from starlette.datastructures import Headers
from starlette.types import ASGIApp, Receive, Scope, Send

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
PROTO_HEADER = "x-forwarded-proto"


def parse_proxies(text: str) -> list[Network]:
    """``MOTCUA_TRUSTED_PROXIES``: addresses or networks, comma-separated."""
    networks: list[Network] = []
    for part in (p.strip() for p in text.split(",")):
        if not part:
            continue
        try:
            networks.append(ipaddress.ip_network(part, strict=False))
        except ValueError as exc:
            raise ValueError(f"MOTCUA_TRUSTED_PROXIES: {part!r} is not an address or a "
                             "network (write e.g. 10.0.0.5, 10.1.0.0/16)") from exc
    return networks


def _address(text: str) -> str | None:
    candidate = text.strip()
    if candidate.startswith("[") and "]" in candidate:  # [2001:db8::1]:443
        candidate = candidate[1:candidate.index("]")]
    elif candidate.count(":") == 1:  # 203.0.113.7:51234
        candidate = candidate.split(":")[0]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return None


def _trusted(address: str | None, proxies: Iterable[Network]) -> bool:
    if address is None:
        return False
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in proxies)


def forwarded_client(peer: str | None, header: str | None,
                     proxies: list[Network]) -> str | None:
    """The client a trusted ``peer`` forwarded for: the right-most address of the header
    that is not itself a trusted proxy (anything left of it the client could have written).
    The peer itself when it is not trusted, or the header is missing or unreadable."""
    if not _trusted(peer, proxies) or not header:
        return peer
    hops = [_address(part) for part in header.split(",")]
    for hop in reversed(hops):
        if hop is None:
            return peer  # a hop we cannot read: believe nothing to the left of it
        if not _trusted(hop, proxies):
            return hop
    return hops[0] or peer  # every hop is one of ours: the first is the client


class ClientAddress:
    """ASGI middleware: put the client's address and scheme into the scope."""

    def __init__(self, app: ASGIApp, proxies: list[Network], header: str) -> None:
        self.app = app
        self.proxies = proxies
        self.header = header.lower()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] in ("http", "websocket") and self.proxies:
            client = scope.get("client")
            peer = client[0] if client else None
            if _trusted(peer, self.proxies):
                headers = Headers(scope=scope)
                found = forwarded_client(peer, headers.get(self.header), self.proxies)
                scope = dict(scope)
                if found != peer:
                    scope["client"] = (found, 0)
                proto = headers.get(PROTO_HEADER, "").split(",")[-1].strip().lower()
                if proto in ("http", "https"):
                    scope["scheme"] = proto if scope["type"] == "http" else \
                        {"http": "ws", "https": "wss"}[proto]
        await self.app(scope, receive, send)


def client_address(request: Request) -> str | None:
    """The address the abuse limits count this request under."""
    return request.client.host if request.client else None
