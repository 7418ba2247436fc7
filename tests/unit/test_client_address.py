"""Which address a request counts under: the peer, unless a trusted proxy forwarded it."""

from __future__ import annotations

import pytest

from api.client import forwarded_client, parse_proxies

PROXIES = parse_proxies("10.0.0.5, 10.1.0.0/16 ,2001:db8::/32")


@pytest.mark.parametrize(("peer", "header", "client"), [
    # Nobody but a trusted proxy is believed.
    ("203.0.113.9", "198.51.100.1", "203.0.113.9"),
    # A trusted proxy: the right-most hop that is not ours; what the client wrote to the
    # left of it is ignored.
    ("10.0.0.5", "198.51.100.1", "198.51.100.1"),
    ("10.0.0.5", "1.2.3.4, 198.51.100.1", "198.51.100.1"),
    ("10.0.0.5", "1.2.3.4, 198.51.100.1, 10.1.2.3", "198.51.100.1"),
    ("10.0.0.5", "198.51.100.1:5123", "198.51.100.1"),
    ("10.0.0.5", "[2001:0db9::1]:443", "2001:db9::1"),
    ("2001:db8::7", "203.0.113.7", "203.0.113.7"),
    # Nothing readable, or nothing at all: the proxy itself.
    ("10.0.0.5", "1.2.3.4, unknown", "10.0.0.5"),
    ("10.0.0.5", None, "10.0.0.5"),
    ("10.0.0.5", "", "10.0.0.5"),
    # Every hop is one of ours: the first one is the client.
    ("10.0.0.5", "10.1.0.9, 10.1.0.8", "10.1.0.9"),
    (None, "198.51.100.1", None),
])
def test_the_client_is_the_peer_unless_a_trusted_proxy_forwarded_it(
        peer: str | None, header: str | None, client: str | None) -> None:
    assert forwarded_client(peer, header, PROXIES) == client


def test_an_empty_list_trusts_no_proxy_and_bad_entries_are_named() -> None:
    assert parse_proxies("") == []
    assert forwarded_client("127.0.0.1", "198.51.100.1", []) == "127.0.0.1"
    with pytest.raises(ValueError, match=r"MOTCUA_TRUSTED_PROXIES: 'proxy\.internal'"):
        parse_proxies("10.0.0.5, proxy.internal")
