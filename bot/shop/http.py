"""The one HTTP client every platform backend uses: timeouts, retries with back-off, rate limits.

Why one: the rules for talking to someone else's shop are the same everywhere and easy to get
wrong. A chat turn must never hang, so every call has a *deadline* (`timeout` seconds for the
whole call, retries included); a shop that is down or keeps throttling becomes `ShopUnavailable`
in time for the bot to say so. Credentials or permissions the shop refuses, and TLS trouble,
become `ShopConfigError` (an operator's problem, never retried).

Retries: connection errors, timeouts, 502/503/504 and rate limits are retried with exponential
back-off (`backoff`, doubled each time, plus jitter) while the deadline allows. A write passes
`retry=False` unless it is idempotent on the platform's side (a cancel that checks the state
first is): then only a refused connection (nothing was sent) or a rate limit (nothing was done)
is retried.

Rate limits: HTTP 429 waits for `Retry-After` (seconds) if the deadline allows. Platforms that
signal throttling differently (Shopify's GraphQL cost in `extensions.cost`, Shopware's
`X-RateLimit-*`) pass `throttled`: a function of the response returning the seconds to wait, or
None when the response is fine.

Data minimisation: nothing here logs; exceptions carry the method, path and status only, never a
body, query string or header value.
"""

from __future__ import annotations

import asyncio
import json
import random
import ssl
import time
from dataclasses import dataclass, field
from typing import Any, Awaitable, Callable, Dict, Mapping

import aiohttp

from bot.shop.backend import NotAllowed, NotFound, ShopConfigError, ShopUnavailable

RETRY_STATUS = frozenset({502, 503, 504})


@dataclass
class Response:
    status: int
    headers: Mapping[str, str]
    body: Any  # parsed JSON, or the text when the body is no JSON, or None when empty
    method: str = ""
    path: str = ""

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300

    def where(self) -> str:
        return f"{self.method} {self.path} -> {self.status}"


Throttled = Callable[[Response], float | None]
Auth = Callable[[bool], Awaitable[Dict[str, str]]]  # (refresh) -> headers


def retry_after(response: Response) -> float | None:
    """Seconds a 429 asks us to wait (Retry-After as seconds; 1 when absent or a date)."""
    if response.status != 429:
        return None
    value = response.headers.get("Retry-After", "")
    try:
        return max(0.0, float(value))
    except ValueError:
        return 1.0


def ssl_context(ca_file: str = "") -> ssl.SSLContext:
    """The system's trust store, plus an operator's CA file for shops with a private CA."""
    context = ssl.create_default_context()
    if ca_file:
        context.load_verify_locations(ca_file)
    return context


@dataclass
class ShopHttp:
    """HTTP to one shop. `auth(refresh)` returns headers to send (refresh=True after a 401:
    fetch a new token); a second 401 is `ShopConfigError("credentials")`."""

    base_url: str
    timeout: float = 8.0
    backoff: float = 0.3
    max_attempts: int = 3
    ca_file: str = ""
    headers: Dict[str, str] = field(default_factory=dict)
    auth: Auth | None = None
    throttled: Throttled = retry_after
    _session: aiohttp.ClientSession | None = field(default=None, init=False, repr=False)
    _loop: asyncio.AbstractEventLoop | None = field(default=None, init=False, repr=False)

    def __post_init__(self) -> None:
        self.base_url = self.base_url.rstrip("/")
        if not self.base_url.startswith(("http://", "https://")):
            raise ShopConfigError("url", "the shop URL must start with https:// (or http://)")

    def session(self) -> aiohttp.ClientSession:
        """One pooled session per event loop (tests run several loops in one process)."""
        loop = asyncio.get_running_loop()
        if self._session is None or self._session.closed or self._loop is not loop:
            self._session = aiohttp.ClientSession(
                connector=aiohttp.TCPConnector(ssl=ssl_context(self.ca_file), limit=16),
                headers={"Accept": "application/json", **self.headers},
            )
            self._loop = loop
        return self._session

    async def close(self) -> None:
        if self._session is not None and not self._session.closed:
            try:
                await self._session.close()
            except RuntimeError:  # its loop is gone (a test's): nothing left to release
                pass
        self._session = None

    async def request(
        self,
        method: str,
        path: str,
        *,
        json_body: Any = None,
        form: Mapping[str, str] | None = None,
        params: Mapping[str, str] | None = None,
        headers: Mapping[str, str] | None = None,
        retry: bool = True,
        authenticate: bool = True,
        deadline: float | None = None,
    ) -> Response:
        """One call with retries within the deadline. Returns any response below 500 except
        401/429 (handled here) for the backend to read; raises ShopUnavailable/ShopConfigError."""
        end = time.monotonic() + self.timeout if deadline is None else deadline
        url = self.base_url + path
        where = f"{method} {path.split('?')[0]}"
        refreshed = False
        attempt = 0
        while True:
            attempt += 1
            left = end - time.monotonic()
            if left <= 0:
                raise ShopUnavailable(f"{where}: no answer within {self.timeout:g} s")
            sent = dict(headers or {})
            if authenticate and self.auth is not None:
                sent.update(await self.auth(refreshed))
            wait: float | None = None
            try:
                async with self.session().request(
                    method,
                    url,
                    json=json_body,
                    data=form,
                    params=params,
                    headers=sent,
                    timeout=aiohttp.ClientTimeout(total=left),
                    allow_redirects=False,
                ) as raw:
                    text = await raw.text()
                    response = Response(
                        raw.status, raw.headers, _parse(text), method, path.split("?")[0]
                    )
            except aiohttp.ClientConnectorCertificateError as exc:
                raise ShopConfigError("tls", f"{where}: certificate not trusted") from exc
            except aiohttp.ClientSSLError as exc:
                raise ShopConfigError("tls", f"{where}: TLS handshake failed") from exc
            except aiohttp.ClientConnectorError as exc:
                # nothing was sent: safe to retry even a write
                if attempt >= self.max_attempts:
                    raise ShopUnavailable(f"{where}: cannot connect") from exc
                wait = self._delay(attempt)
            except (asyncio.TimeoutError, aiohttp.ClientError) as exc:
                if not retry or attempt >= self.max_attempts:
                    raise ShopUnavailable(f"{where}: no answer") from exc
                wait = self._delay(attempt)
            else:
                if (
                    response.status == 401
                    and authenticate
                    and self.auth is not None
                    and not refreshed
                ):
                    refreshed = True  # the token may have expired early: one fresh token
                    attempt -= 1
                    continue
                if response.status == 401:
                    raise ShopConfigError("credentials", response.where())
                throttle = self.throttled(response)
                if throttle is not None:
                    if attempt >= self.max_attempts + 2:
                        raise ShopUnavailable(f"{response.where()}: still rate-limited")
                    wait = throttle
                elif response.status in RETRY_STATUS and retry:
                    if attempt >= self.max_attempts:
                        raise ShopUnavailable(response.where())
                    wait = self._delay(attempt)
                elif response.status >= 500:
                    raise ShopUnavailable(response.where())
                else:
                    return response
            if time.monotonic() + wait >= end:
                raise ShopUnavailable(f"{where}: no answer within {self.timeout:g} s")
            await asyncio.sleep(wait)

    def _delay(self, attempt: int) -> float:
        return self.backoff * (2 ** (attempt - 1)) * (1 + random.random() / 4)


def _parse(text: str) -> Any:
    if not text:
        return None
    try:
        return json.loads(text)
    except ValueError:
        return text


def raise_for(response: Response) -> Response:
    """The default meaning of an error status for a backend that has no better one."""
    if response.ok:
        return response
    if response.status == 403:
        raise ShopConfigError("permission", response.where())
    if response.status == 404:
        raise NotFound(response.where())
    if response.status in (301, 302, 307, 308, 405):  # not the API: a web page or a proxy
        raise ShopConfigError("url", response.where())
    if 400 <= response.status < 500:
        raise NotAllowed(response.where())
    raise ShopUnavailable(response.where())
