"""What every messenger channel shares, written once.

Inbound: an update is processed at most once (its id is inserted into
`inbound_updates` first; a redelivery fails that insert), then routed through
the hub like a widget message, so the bot, the queue and the agents see no
difference between channels. Webhooks answer at once and process in the
background, because platforms retry (and eventually disable) slow webhooks.

Outbound: the hub calls `send` for every bot, agent and system message. The
message is rendered in the platform's format, split at its limits and queued
per conversation, so messages arrive in order even while one of them waits
for a retry, and an agent's reply never blocks on a slow platform.

Attachments: a photo or PDF a customer sends is downloaded from the platform
(streamed, never more than the configured maximum) and handed to the hub's
attachment service like a widget upload; a message carrying `custom.attachment`
goes out as the platform's own photo/document message, or, beyond the
platform's size limit, as a text saying the file is available on request.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import logging
from dataclasses import dataclass
from typing import (
    Any,
    Callable,
    ClassVar,
    Coroutine,
    Dict,
    Iterable,
    List,
    NamedTuple,
    Protocol,
    Sequence,
    Set,
    Tuple,
    Union,
)

import aiohttp
from aiohttp import web

from bot.hub.attachments.validate import mb
from bot.hub.channels.bounded import BoundedDict
from bot.hub.channels.payloads import PayloadTokens
from bot.hub.channels.retry import (
    DeliveryFailed,
    DownloadFailed,
    DownloadTooLarge,
    Reply,
    download,
    post,
    retry_after_header,
)
from bot.hub.channels.text import split_tail, split_text
from bot.hub.errors import DomainError, RateLimited, TooLong
from bot.hub.settings import ChannelSettings
from bot.hub.store.models import Conversation
from bot.shared.company import Company

log = logging.getLogger(__name__)

FILE_TIMEOUT = aiohttp.ClientTimeout(
    total=120, sock_connect=10, sock_read=30
)  # uploads and downloads of files
DB_ID_LENGTH = 80  # messages.client_message_id; inbound_updates.external_id allows more


class Inbox(Protocol):
    """What a channel may ask of the hub, as Rasa's channels get `on_new_message`."""

    async def first_delivery(self, channel: str, update_id: str) -> bool: ...

    async def conversation_for(
        self, channel: str, user_id: str, display_name: str
    ) -> Conversation: ...

    async def customer_message(
        self,
        conv: Conversation,
        text: str,
        payload: str | None = None,
        client_message_id: str | None = None,
        client: str | None = None,
        strict_payload: bool = True,
    ) -> List[Dict[str, Any]]: ...

    async def unsupported_content(
        self, conv: Conversation, kind: str, caption: str | None
    ) -> None: ...

    @property
    def attachment_limit(self) -> int: ...

    def admit_upload(self, conv: Conversation) -> None:
        """The per-user upload rate (KD_RATE_UPLOAD), before a file is downloaded; RateLimited beyond it."""

    async def customer_attachment(
        self,
        conv: Conversation,
        data: bytes,
        name: str | None,
        caption: str | None,
        client_message_id: str | None = None,
    ) -> None:
        """Validate, clean and store a file, show it like a widget upload; raises DomainError for a bad file."""

    async def attachment_refused(
        self, conv: Conversation, kind: str, caption: str | None, notice: str, **values: Any
    ) -> None:
        """Agents see that a file was sent but not kept; the customer gets the notice."""

    async def attachment_file(self, conv_id: str, attachment_id: str) -> bytes: ...


class Button(NamedTuple):
    title: str
    payload: str


class Target(NamedTuple):
    """Where outbound messages are POSTed."""

    url: str
    headers: Dict[str, str] | None = None
    params: Dict[str, str] | None = None


@dataclass(frozen=True)
class Media:
    """A file a customer sent, as the platform refers to it."""

    ref: str  # Telegram file_id, Messenger payload URL, WhatsApp media id
    kind: str  # "image" or "file" (content_kinds)
    name: str | None = None
    size: int | None = None  # when the platform states it: refused before downloading
    sha256: str | None = None  # WhatsApp states the file's hash: checked after downloading


@dataclass(frozen=True)
class FileOut:
    """An attachment to upload natively (its bytes are read from storage when its turn comes)."""

    conv_id: str
    to: str
    meta: Dict[str, Any]
    as_kind: str  # the platform's message kind: "photo"/"image" or "document"/"file"
    caption: str | None


Outgoing = Union[Dict[str, Any], FileOut]


@dataclass(frozen=True)
class Inbound:
    """One customer action, parsed from a platform update."""

    update_id: str
    user_id: str
    display_name: str
    text: str | None = None  # the message, or the title of a tapped button
    payload: str | None = None
    unsupported: str | None = (
        None  # kind of content the bot cannot read (a key of company.yml's content_kinds)
    )
    media: Media | None = None  # a photo or PDF to download


def matches_secret(given: str, expected: str) -> bool:
    """Constant-time comparison; an unset secret never matches."""
    return bool(expected) and hmac.compare_digest(
        given.encode("utf-8", "replace"), expected.encode()
    )


def short_id(value: str, limit: int = DB_ID_LENGTH) -> str:
    """Platform ids can be long (Messenger mids); hash those that do not fit the column."""
    return value if len(value) <= limit else hashlib.sha256(value.encode()).hexdigest()[:40]


class Channel:
    name: ClassVar[str] = ""
    token_key: ClassVar[str] = "token"  # the setting whose presence enables the channel
    required: ClassVar[Tuple[str, ...]] = ()  # further settings without which webhooks are refused
    text_limit: ClassVar[int] = 4096
    button_text_limit: ClassVar[int | None] = (
        None  # body limit of a message carrying buttons, if smaller
    )
    max_buttons: ClassVar[int | None] = None
    payload_limit: ClassVar[int] = 1000  # bytes of a button payload the platform hands back
    attempts: ClassVar[int] = 5
    backoff: ClassVar[float] = 0.5
    max_wait: ClassVar[float] = 30.0

    def __init__(self, config: ChannelSettings, inbox: Inbox, company: Company) -> None:
        self.config = config
        self.inbox = inbox
        self.company = company
        self.api_base = config.api_base.rstrip("/")
        self.payloads = PayloadTokens()
        self._http: aiohttp.ClientSession | None = None
        self._tasks: Set[asyncio.Task[Any]] = set()
        self._tails: Dict[str, asyncio.Task[Any]] = {}
        self._sent: BoundedDict[str, bool] = BoundedDict(5000)

    @classmethod
    def configured(cls, config: ChannelSettings) -> bool:
        return bool(getattr(config, cls.token_key, ""))

    def missing(self) -> List[str]:
        return [key for key in self.required if not getattr(self.config, key, "")]

    # -- platform hooks ------------------------------------------------------
    async def authenticate(self, request: web.Request) -> Dict[str, Any]:
        """The verified update body; raises ApiError (nothing stored) when the request is not genuine."""
        raise NotImplementedError

    def events(self, update: Dict[str, Any]) -> Iterable[Inbound]:
        raise NotImplementedError

    def acknowledge(self, update: Dict[str, Any]) -> None:
        """Platform-specific follow-up to an accepted update (Telegram: stop the button's spinner)."""

    def target(self) -> Target:
        raise NotImplementedError

    def text_body(self, to: str, text: str) -> Dict[str, Any]:
        raise NotImplementedError

    def buttons_body(self, to: str, text: str, buttons: List[Button]) -> Dict[str, Any]:
        raise NotImplementedError

    def agent_text(self, agent_name: str, text: str) -> str:
        """Everything arrives from the same bot account, so a human's messages carry their name."""
        return f"{agent_name}: {text}"

    def retry_after(self, reply: Reply) -> float | None:
        return retry_after_header(reply)

    async def fetch(self, media: Media, limit: int) -> bytes:
        """A customer's file from the platform, at most `limit` bytes (raises DownloadFailed / DownloadTooLarge)."""
        raise NotImplementedError

    def native_kind(self, meta: Dict[str, Any]) -> str | None:
        """How the platform sends this file (e.g. "photo"/"document"); None when it is over the platform's limit."""
        raise NotImplementedError

    async def upload(self, item: FileOut, data: bytes) -> bool:
        """Send one file as the platform's own attachment message; whether it was accepted."""
        raise NotImplementedError

    # -- inbound -------------------------------------------------------------
    async def webhook(self, request: web.Request) -> web.Response:
        update = await self.authenticate(request)
        # Stored (and answered) before the 200: a crash can then only cause a
        # redelivery, which the dedupe table absorbs, never a lost message.
        for inbound in self.events(update):
            await self.receive(
                inbound.update_id,
                inbound.user_id,
                inbound.display_name,
                inbound.text,
                inbound.payload,
                inbound.unsupported,
                inbound.media,
            )
        self.acknowledge(update)
        return web.json_response({"ok": True})

    async def receive(
        self,
        update_id: str,
        user_id: str,
        display_name: str,
        text: str | None = None,
        payload: str | None = None,
        unsupported: str | None = None,
        media: Media | None = None,
    ) -> None:
        """Route one customer action through the hub; answers come back through `send`."""
        if not await self.inbox.first_delivery(self.name, short_id(str(update_id), 200)):
            log.info("%s: update %s was already processed", self.name, update_id)
            return
        conv = await self.inbox.conversation_for(self.name, user_id, display_name)
        if unsupported:
            await self.inbox.unsupported_content(conv, unsupported, text)
            return
        if media is not None:
            await self.receive_file(conv, str(update_id), media, text)
            return
        if payload:
            payload = self.payloads.resolve(payload)
        text = (text or "").strip() or payload
        if not text:
            return
        await self.inbox.customer_message(
            conv,
            text,
            payload=payload,
            strict_payload=False,
            client_message_id=short_id(f"{self.name}:{update_id}"),
        )

    async def receive_file(
        self, conv: Conversation, update_id: str, media: Media, caption: str | None
    ) -> None:
        """Download, check and store a customer's file. Every failure ends in a German notice and a stored
        "[Bild]"-style line for the agents, never in an exception: the update stays acknowledged and deduped."""
        limit = self.inbox.attachment_limit
        refused: Tuple[str, Dict[str, Any]] | None = None
        try:
            if media.size is not None and media.size > limit:
                raise DownloadTooLarge(f"{media.size} bytes declared, limit {limit}")
            self.inbox.admit_upload(conv)
            data = await self.fetch(media, limit)
            await self.inbox.customer_attachment(
                conv,
                data,
                media.name,
                caption,
                client_message_id=short_id(f"{self.name}:{update_id}"),
            )
        except (DownloadTooLarge, TooLong):
            refused = "attachment_too_large", {"limit": mb(limit)}
        except RateLimited as exc:  # KD_RATE_UPLOAD for this user, or every image worker busy
            log.info("%s: file of update %s not taken: %s", self.name, update_id, exc.code)
            refused = ("upload_limited" if exc.code == "rate_limited" else "attachment_failed"), {}
        except DownloadFailed as exc:
            log.warning(
                "%s: could not download the file of update %s: %s", self.name, update_id, exc
            )
            refused = "attachment_failed", {}
        except DomainError as exc:  # not a JPEG/PNG/WebP/PDF, damaged, too many pixels
            log.info("%s: file of update %s refused: %s", self.name, update_id, exc.code)
            refused = "attachment_refused", {"limit": mb(limit)}
        except Exception:  # noqa: BLE001 - storage or database trouble: the customer must still hear something
            log.exception("%s: could not store the file of update %s", self.name, update_id)
            refused = "attachment_failed", {}
        if refused is not None:
            await self.inbox.attachment_refused(conv, media.kind, caption, refused[0], **refused[1])

    # -- outbound ------------------------------------------------------------
    async def send(self, conversation: Conversation, message: Dict[str, Any]) -> None:
        """Queue one hub message for delivery; returns without waiting for the platform."""
        text = (message.get("text") or "").strip()
        if text and message.get("sender") == "agent" and message.get("agent_name"):
            text = self.agent_text(message["agent_name"], text)
        buttons = [
            Button(
                str(b.get("title") or b["payload"]),
                self.payloads.fit(str(b["payload"]), self.payload_limit),
            )
            for b in message.get("buttons") or []
            if isinstance(b, dict) and b.get("payload")
        ]
        custom = message.get("custom")
        attachment = custom.get("attachment") if isinstance(custom, dict) else None
        if isinstance(attachment, dict) and attachment.get("id") and conversation.external_id:
            if message.get("id") not in self._sent:
                self._sent.put(message["id"], True)
                self._enqueue(conversation.id, self.render_file(conversation, message, attachment))
            return
        if not text and not buttons:
            return  # e.g. the stored handoff payload
        if not conversation.external_id or message.get("id") in self._sent:
            return
        self._sent.put(message["id"], True)
        if self.max_buttons is not None and len(buttons) > self.max_buttons:
            log.warning(
                "%s: %d buttons, the platform shows %d", self.name, len(buttons), self.max_buttons
            )
            buttons = buttons[: self.max_buttons]
        if not text:
            text = self.company.notice("choose", conversation.register)
        self._enqueue(conversation.id, self.render(conversation.external_id, text, buttons))

    def render(self, to: str, text: str, buttons: List[Button]) -> List[Dict[str, Any]]:
        """Request bodies in order: text pieces within the limit, the buttons with the last one."""
        parts = split_text(text, self.text_limit)
        if not buttons:
            return [self.text_body(to, part) for part in parts]
        head, tail = split_tail(parts.pop(), self.button_text_limit or self.text_limit)
        if head:
            parts.append(head)
        return [self.text_body(to, part) for part in parts] + [self.buttons_body(to, tail, buttons)]

    def render_file(
        self, conversation: Conversation, message: Dict[str, Any], meta: Dict[str, Any]
    ) -> List[Outgoing]:
        """The file as the platform's attachment (an agent's name as its caption), or the notice when too large."""
        to = str(conversation.external_id)
        agent = message.get("agent_name") if message.get("sender") == "agent" else None
        kind = self.native_kind(meta)
        if kind is None:
            log.info(
                "%s: %s of %d bytes is over the platform's limit, sent as a notice",
                self.name,
                meta.get("mime"),
                meta.get("size", 0),
            )
            text = self.company.notice(
                "attachment_not_sent", conversation.register, name=meta.get("name", "")
            )
            return [self.text_body(to, part) for part in split_text(text, self.text_limit)]
        caption = self.agent_text(agent, str(meta.get("name", ""))) if agent else None
        return [FileOut(conversation.id, to, meta, kind, caption)]

    def _enqueue(self, conv_id: str, bodies: Sequence[Outgoing]) -> None:
        task = self.spawn(self._deliver(self._tails.get(conv_id), bodies))
        self._tails[conv_id] = task

        def forget(done: asyncio.Task[Any]) -> None:
            if self._tails.get(conv_id) is done:
                del self._tails[conv_id]

        task.add_done_callback(forget)

    async def _deliver(
        self, previous: asyncio.Task[Any] | None, bodies: Sequence[Outgoing]
    ) -> None:
        if previous is not None:
            await asyncio.wait({previous})
        target = self.target()
        for body in bodies:
            if isinstance(body, FileOut):
                if not await self.deliver_file(body):
                    return
            elif await self.call(target, body) is None:
                return  # later pieces without the earlier ones would not make sense

    async def deliver_file(self, item: FileOut) -> bool:
        try:
            data = await self.inbox.attachment_file(item.conv_id, str(item.meta["id"]))
        except Exception:  # noqa: BLE001 - erased meanwhile, or storage trouble
            log.warning(
                "%s: attachment %s of %s could not be read",
                self.name,
                item.meta.get("id"),
                item.conv_id,
            )
            return False
        return await self.upload(item, data)

    @property
    def http(self) -> aiohttp.ClientSession:
        if self._http is None or self._http.closed:
            self._http = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=20))
        return self._http

    async def get_file(self, url: str, limit: int, headers: Dict[str, str] | None = None) -> bytes:
        return await download(self.http, url, limit, headers=headers, timeout=FILE_TIMEOUT)

    async def call(self, target: Target, body: Dict[str, Any]) -> Any | None:
        """POST JSON with retries; the platform's JSON answer, or None after logging why it failed."""
        return await self.send_request(target, lambda: {"json": body})

    async def call_form(self, target: Target, form: Callable[[], aiohttp.FormData]) -> Any | None:
        """POST multipart/form-data with retries (a fresh form per attempt), as `call`."""
        return await self.send_request(target, lambda: {"data": form(), "timeout": FILE_TIMEOUT})

    async def send_request(
        self, target: Target, payload: Callable[[], Dict[str, Any]]
    ) -> Any | None:
        try:
            reply = await post(
                self.http,
                target.url,
                payload,
                headers=target.headers,
                params=target.params,
                attempts=self.attempts,
                backoff=self.backoff,
                max_wait=self.max_wait,
                retry_after=self.retry_after,
            )
        except DeliveryFailed as exc:  # URLs are not logged: they can contain the token
            log.warning("%s: delivery failed: %s", self.name, exc)
            return None
        if not reply.ok:
            log.warning(
                "%s: platform refused a message: HTTP %s %s",
                self.name,
                reply.status,
                str(reply.body)[:300],
            )
            return None
        return reply.body if reply.body is not None else {}

    # -- lifecycle -----------------------------------------------------------
    def spawn(self, work: Coroutine[Any, Any, Any]) -> asyncio.Task[Any]:
        task = asyncio.create_task(work)
        self._tasks.add(task)
        task.add_done_callback(self._finished)
        return task

    def _finished(self, task: asyncio.Task[Any]) -> None:
        self._tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            log.error("%s: background work failed", self.name, exc_info=task.exception())

    async def drain(self) -> None:
        """Wait until accepted updates are answered and queued messages delivered (shutdown, tests)."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)

    async def close(self, timeout: float = 10.0) -> None:
        try:
            await asyncio.wait_for(self.drain(), timeout)
        except asyncio.TimeoutError:
            log.warning(
                "%s: %d deliveries still pending at shutdown, dropped", self.name, len(self._tasks)
            )
            await asyncio.gather(*list(self._tasks), return_exceptions=True)
        if self._http is not None:
            await self._http.close()
