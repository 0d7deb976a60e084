"""The customer's real address behind a reverse proxy, believed only from proxies we trust.

Every per-client limit keys on `request.remote`. Behind nginx/Caddy that is the
proxy's address, so without this all customers would share one limit. X-Forwarded-For
is a list the client can prefill, so it is read from the right: entries appended
by trusted proxies are skipped, and the first address a trusted proxy vouches
for is the client. A request from an untrusted peer keeps its peer address,
whatever headers it sends.
"""

from __future__ import annotations

import ipaddress
from typing import Any, Callable, List, Sequence

from aiohttp import web

from bot.hub.web.errors import Handler

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


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


def client_address(request: web.Request) -> str:
    """The client's address for limits and the audit log: request.remote, which the middleware
    below has set to the real one; "unknown" when the transport has none."""
    return request.remote or "unknown"


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
