"""The customer's real address behind a reverse proxy, believed only from proxies we trust.

Every per-client limit keys on `request.remote`. Behind nginx/Caddy that is the
proxy's address, so without this all customers would share one limit. X-Forwarded-For
is a list the client can prefill, so it is read from the right: entries appended
by trusted proxies are skipped, and the first address a trusted proxy vouches
for is the client. A request from an untrusted peer keeps its peer address,
whatever headers it sends.

An IPv6 customer gets a whole /64 (or more) from the provider and may pick a new
address in it for every request, so for limits an IPv6 client is its network
(KD_CLIENT_IPV6_PREFIX, default /64): `client_address` returns that network, and
every per-client limit, the websocket caps, the audit log and the client tag Rasa
gets (its verification lock) key on it. IPv4 addresses count as they are.
"""

from __future__ import annotations

import ipaddress
from typing import Any, Callable, List, Sequence

from aiohttp import web

from bot.hub.keys.config import SETTINGS
from bot.hub.web.errors import Handler

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
DEFAULT_IPV6_PREFIX = 64


def networks(entries: Sequence[str]) -> List[Network]:
    """ "127.0.0.1", "10.0.0.0/8", "::1" ... (a bad entry fails start-up, not a request)."""
    return [ipaddress.ip_network(entry.strip(), strict=False) for entry in entries if entry.strip()]


def _trusted(address: str, trusted: Sequence[Network]) -> bool:
    try:
        ip = ipaddress.ip_address(address.strip().strip("[]"))
    except ValueError:
        return False
    return any(ip in net for net in trusted)


def client_ip(
    peer: str | None, forwarded_for: Sequence[str], trusted: Sequence[Network]
) -> str | None:
    """The right-most address in the chain peer <- X-Forwarded-For that is not a trusted proxy."""
    if peer is None or not _trusted(peer, trusted):
        return peer
    hops = [h.strip() for header in forwarded_for for h in header.split(",") if h.strip()]
    for hop in reversed(hops):
        if not _trusted(hop, trusted):
            try:
                return str(ipaddress.ip_address(hop.strip("[]")))
            except ValueError:
                return peer  # garbage where an address should be: fall back to the proxy, never to text
    return hops[0] if hops else peer  # the whole chain is trusted: the first hop is the client


def client_key(address: str | None, ipv6_prefix: int = DEFAULT_IPV6_PREFIX) -> str:
    """One client for limits: an IPv4 address as it is (an IPv4-mapped IPv6 address as its IPv4
    address), an IPv6 address as its network of `ipv6_prefix` bits ("2001:db8:1:2::/64"), since one
    customer holds the whole /64; "unknown" without an address, anything else unchanged."""
    if not address:
        return "unknown"
    try:
        ip = ipaddress.ip_address(address.strip().strip("[]").split("%")[0])
    except ValueError:
        return address
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        prefix = min(128, max(0, ipv6_prefix))
        if prefix < 128:
            return str(ipaddress.IPv6Network(f"{ip}/{prefix}", strict=False))
    return str(ip)


def client_address(request: web.Request) -> str:
    """The client for limits, the client tag and the audit log: request.remote (which the middleware
    below has set to the real one) keyed by `client_key`; "unknown" when the transport has none."""
    settings = request.app.get(SETTINGS)
    prefix = settings.client_ipv6_prefix if settings is not None else DEFAULT_IPV6_PREFIX
    return client_key(request.remote, prefix)


def proxy_middleware(trusted_entries: Sequence[str]) -> Callable[..., Any]:
    trusted = networks(trusted_entries)

    @web.middleware
    async def real_remote(request: web.Request, handler: Handler) -> web.StreamResponse:
        if trusted and _trusted(request.remote or "", trusted):
            remote = client_ip(
                request.remote, request.headers.getall("X-Forwarded-For", []), trusted
            )
            proto = request.headers.get("X-Forwarded-Proto", "").strip().lower()
            changes: dict[str, Any] = {"remote": remote}
            if proto in ("http", "https"):
                changes["scheme"] = proto
            request = request.clone(**changes)
        return await handler(request)

    return real_remote
