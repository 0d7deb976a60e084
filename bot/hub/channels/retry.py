"""POST with retries, written once for every platform.

Only answers that say "try again later" are retried (429 and 5xx), honouring
`Retry-After`; a 2xx is done and any other 4xx will not get better by asking
again. A connection that could not be opened is retried too (nothing reached
the platform); a timeout or a dropped connection is not, because the platform
may already have shown the message and a retry would show it twice.
"""

from __future__ import annotations

import asyncio
import logging
import re
from dataclasses import dataclass
from typing import Any, Callable, Dict, Mapping

import aiohttp
from multidict import CIMultiDict

log = logging.getLogger(__name__)
# Credentials that can sit in a platform URL: Telegram's bot token (in the path, the API requires it
# there) and query parameters such as Graph API's access_token. aiohttp's errors quote the URL.
SECRETS = (
    re.compile(r"\d{5,}:[A-Za-z0-9_-]{20,}"),
    re.compile(
        r"(?<=[?&;])((?:access_|app_|verify_)?(?:token|secret|key|password|signature)=)[^&\s'\")]+",
        re.I,
    ),
)


def redact(text: str) -> str:
    """The text with every credential-looking part replaced: for anything logged about a platform call."""
    text = SECRETS[0].sub("<redacted>", text)
    return SECRETS[1].sub(r"\1<redacted>", text)


@dataclass(frozen=True)
class Reply:
    status: int
    headers: Mapping[str, str]
    body: Any  # parsed JSON, or the text when the platform sent none

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300


class DeliveryFailed(Exception):
    """The platform could not be reached at all."""


RetryAfter = Callable[[Reply], float | None]


def retry_after_header(reply: Reply) -> float | None:
    """Seconds from a `Retry-After: <seconds>` header (the HTTP-date form falls back to back-off)."""
    try:
        value = float(reply.headers.get("Retry-After", ""))
    except ValueError:
        return None
    return value if value >= 0 else None


def should_retry(status: int) -> bool:
    return status == 429 or status >= 500


async def _reply(resp: aiohttp.ClientResponse) -> Reply:
    text = await resp.text()
    try:
        body: Any = await resp.json(content_type=None) if text else None
    except ValueError:
        body = text
    return Reply(resp.status, CIMultiDict(resp.headers), body)


async def post_json(
    session: aiohttp.ClientSession,
    url: str,
    body: Any,
    *,
    headers: Dict[str, str] | None = None,
    params: Dict[str, str] | None = None,
    attempts: int = 5,
    backoff: float = 0.5,
    max_wait: float = 30.0,
    retry_after: RetryAfter = retry_after_header,
) -> Reply:
    """The platform's last answer; waits `Retry-After` (capped at max_wait) or backoff * 2^n between attempts."""
    return await post(
        session,
        url,
        lambda: {"json": body},
        headers=headers,
        params=params,
        attempts=attempts,
        backoff=backoff,
        max_wait=max_wait,
        retry_after=retry_after,
    )


async def post(
    session: aiohttp.ClientSession,
    url: str,
    payload: Callable[[], Dict[str, Any]],
    *,
    headers: Dict[str, str] | None = None,
    params: Dict[str, str] | None = None,
    attempts: int = 5,
    backoff: float = 0.5,
    max_wait: float = 30.0,
    retry_after: RetryAfter = retry_after_header,
) -> Reply:
    """post_json for any body: `payload()` gives the request's keyword arguments (`json=` or `data=` with a
    fresh aiohttp.FormData: a form can be sent only once, so every attempt builds its own)."""
    reply: Reply | None = None
    for attempt in range(1, attempts + 1):
        try:
            async with session.post(url, headers=headers, params=params, **payload()) as resp:
                reply = await _reply(resp)
        except aiohttp.ClientConnectorError as exc:
            reply = None
            if attempt == attempts:  # `from None`: the cause's message quotes the URL (a token)
                raise DeliveryFailed(
                    redact(f"no connection after {attempts} attempts: {exc}")
                ) from None
        except (aiohttp.ClientError, asyncio.TimeoutError) as exc:
            raise DeliveryFailed(
                redact(
                    f"no answer, not retried (the message may have arrived): "
                    f"{type(exc).__name__}: {exc}"
                )
            ) from None
        if reply is not None and (not should_retry(reply.status) or attempt == attempts):
            return reply
        hinted = retry_after(reply) if reply is not None else None
        wait = min(max_wait, hinted if hinted is not None else backoff * 2 ** (attempt - 1))
        log.info(
            "platform busy (HTTP %s), attempt %d of %d, next in %.1fs",
            reply.status if reply else "no connection",
            attempt,
            attempts,
            wait,
        )
        await asyncio.sleep(wait)
    raise AssertionError("unreachable")  # the loop always returns or raises on its last attempt


class DownloadFailed(Exception):
    """A file could not be fetched from the platform (already redacted, safe to log)."""


class DownloadTooLarge(DownloadFailed):
    """The file is larger than the limit; nothing beyond the limit was read."""


async def download(
    session: aiohttp.ClientSession,
    url: str,
    limit: int,
    *,
    headers: Dict[str, str] | None = None,
    chunk: int = 64 * 1024,
    timeout: aiohttp.ClientTimeout = aiohttp.ClientTimeout(total=120),
) -> bytes:
    """A file's bytes, streamed and never more than `limit` of them: a declared Content-Length over the
    limit is refused before reading, a body that keeps coming is cut off at limit + 1 byte."""
    try:
        async with session.get(url, headers=headers, timeout=timeout) as resp:
            if resp.status != 200:
                raise DownloadFailed(f"HTTP {resp.status}")
            if resp.content_length is not None and resp.content_length > limit:
                raise DownloadTooLarge(f"{resp.content_length} bytes, limit {limit}")
            parts, size = [], 0
            async for part in resp.content.iter_chunked(chunk):
                size += len(part)
                if size > limit:
                    raise DownloadTooLarge(f"more than {limit} bytes")
                parts.append(part)
            return b"".join(parts)
    except (aiohttp.ClientError, asyncio.TimeoutError, ValueError) as exc:
        raise DownloadFailed(redact(f"{type(exc).__name__}: {exc}")) from None
