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
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import logging
from dataclasses import dataclass
from typing import Any, ClassVar, Coroutine, Dict, Iterable, List, NamedTuple, Protocol, Set, Tuple

import aiohttp
from aiohttp import web

from kundendialog.core.company import Company
from kundendialog.hub.channels.bounded import BoundedDict
from kundendialog.hub.channels.payloads import PayloadTokens
from kundendialog.hub.channels.retry import DeliveryFailed, Reply, post_json, retry_after_header
from kundendialog.hub.channels.text import split_tail, split_text
from kundendialog.hub.store.models import Conversation

log = logging.getLogger(__name__)

DB_ID_LENGTH = 80  # messages.client_message_id; inbound_updates.external_id allows more


class Inbox(Protocol):
    """What a channel may ask of the hub, as Rasa's channels get `on_new_message`."""

    async def first_delivery(self, channel: str, update_id: str) -> bool: ...

    async def conversation_for(self, channel: str, user_id: str, display_name: str) -> Conversation: ...

    async def customer_message(self, conv: Conversation, text: str, payload: str | None = None,
                               client_message_id: str | None = None, client: str | None = None,
                               strict_payload: bool = True) -> List[Dict[str, Any]]: ...

    async def unsupported_content(self, conv: Conversation, kind: str, caption: str | None) -> None: ...


class Button(NamedTuple):
    title: str
    payload: str


class Target(NamedTuple):
    """Where outbound messages are POSTed."""

    url: str
    headers: Dict[str, str] | None = None
    params: Dict[str, str] | None = None


@dataclass(frozen=True)
class Inbound:
    """One customer action, parsed from a platform update."""

    update_id: str
    user_id: str
    display_name: str
    text: str | None = None  # the message, or the title of a tapped button
    payload: str | None = None
    unsupported: str | None = None  # kind of content the bot cannot read (a key of company.yml's content_kinds)


def matches_secret(given: str, expected: str) -> bool:
    """Constant-time comparison; an unset secret never matches."""
    return bool(expected) and hmac.compare_digest(given.encode("utf-8", "replace"), expected.encode())


def short_id(value: str, limit: int = DB_ID_LENGTH) -> str:
    """Platform ids can be long (Messenger mids); hash those that do not fit the column."""
    return value if len(value) <= limit else hashlib.sha256(value.encode()).hexdigest()[:40]


class Channel:
    name: ClassVar[str] = ""
    token_key: ClassVar[str] = "token"  # the setting whose presence enables the channel
    required: ClassVar[Tuple[str, ...]] = ()  # further settings without which webhooks are refused
    text_limit: ClassVar[int] = 4096
    button_text_limit: ClassVar[int | None] = None  # body limit of a message carrying buttons, if smaller
    max_buttons: ClassVar[int | None] = None
    payload_limit: ClassVar[int] = 1000  # bytes of a button payload the platform hands back
    attempts: ClassVar[int] = 5
    backoff: ClassVar[float] = 0.5
    max_wait: ClassVar[float] = 30.0

    def __init__(self, config: Dict[str, str], inbox: Inbox, company: Company) -> None:
        self.config = config
        self.inbox = inbox
        self.company = company
        self.api_base = (config.get("api_base") or "").rstrip("/")
        self.payloads = PayloadTokens()
        self._http: aiohttp.ClientSession | None = None
        self._tasks: Set[asyncio.Task[Any]] = set()
        self._tails: Dict[str, asyncio.Task[Any]] = {}
        self._sent: BoundedDict[str, bool] = BoundedDict(5000)

    @classmethod
    def configured(cls, config: Dict[str, str]) -> bool:
        return bool(config.get(cls.token_key))

    def missing(self) -> List[str]:
        return [key for key in self.required if not self.config.get(key)]

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

    # -- inbound -------------------------------------------------------------
    async def webhook(self, request: web.Request) -> web.Response:
        update = await self.authenticate(request)
        # Stored (and answered) before the 200: a crash can then only cause a
        # redelivery, which the dedupe table absorbs, never a lost message.
        for inbound in self.events(update):
            await self.receive(inbound.update_id, inbound.user_id, inbound.display_name, inbound.text,
                               inbound.payload, inbound.unsupported)
        self.acknowledge(update)
        return web.json_response({"ok": True})

    async def receive(self, update_id: str, user_id: str, display_name: str, text: str | None = None,
                      payload: str | None = None, unsupported: str | None = None) -> None:
        """Route one customer action through the hub; answers come back through `send`."""
        if not await self.inbox.first_delivery(self.name, short_id(str(update_id), 200)):
            log.info("%s: update %s was already processed", self.name, update_id)
            return
        conv = await self.inbox.conversation_for(self.name, user_id, display_name)
        if unsupported:
            await self.inbox.unsupported_content(conv, unsupported, text)
            return
        if payload:
            payload = self.payloads.resolve(payload)
        text = (text or "").strip() or payload
        if not text:
            return
        await self.inbox.customer_message(conv, text, payload=payload, strict_payload=False,
                                          client_message_id=short_id(f"{self.name}:{update_id}"))

    # -- outbound ------------------------------------------------------------
    async def send(self, conversation: Conversation, message: Dict[str, Any]) -> None:
        """Queue one hub message for delivery; returns without waiting for the platform."""
        text = (message.get("text") or "").strip()
        if text and message.get("sender") == "agent" and message.get("agent_name"):
            text = self.agent_text(message["agent_name"], text)
        buttons = [Button(str(b.get("title") or b["payload"]), self.payloads.fit(str(b["payload"]), self.payload_limit))
                   for b in message.get("buttons") or [] if isinstance(b, dict) and b.get("payload")]
        if not text and not buttons:
            return  # e.g. the stored handoff payload
        if not conversation.external_id or message.get("id") in self._sent:
            return
        self._sent.put(message["id"], True)
        if self.max_buttons is not None and len(buttons) > self.max_buttons:
            log.warning("%s: %d buttons, the platform shows %d", self.name, len(buttons), self.max_buttons)
            buttons = buttons[:self.max_buttons]
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

    def _enqueue(self, conv_id: str, bodies: List[Dict[str, Any]]) -> None:
        task = self.spawn(self._deliver(self._tails.get(conv_id), bodies))
        self._tails[conv_id] = task

        def forget(done: asyncio.Task[Any]) -> None:
            if self._tails.get(conv_id) is done:
                del self._tails[conv_id]
        task.add_done_callback(forget)

    async def _deliver(self, previous: asyncio.Task[Any] | None, bodies: List[Dict[str, Any]]) -> None:
        if previous is not None:
            await asyncio.wait({previous})
        target = self.target()
        for body in bodies:
            if await self.call(target, body) is None:
                return  # later pieces without the earlier ones would not make sense

    async def call(self, target: Target, body: Dict[str, Any]) -> Any | None:
        """POST with retries; the platform's JSON answer, or None after logging why it failed."""
        if self._http is None or self._http.closed:
            self._http = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=20))
        try:
            reply = await post_json(self._http, target.url, body, headers=target.headers, params=target.params,
                                    attempts=self.attempts, backoff=self.backoff, max_wait=self.max_wait,
                                    retry_after=self.retry_after)
        except DeliveryFailed as exc:  # URLs are not logged: they can contain the token
            log.warning("%s: delivery failed: %s", self.name, exc)
            return None
        if not reply.ok:
            log.warning("%s: platform refused a message: HTTP %s %s", self.name, reply.status, str(reply.body)[:300])
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
            log.warning("%s: %d deliveries still pending at shutdown, dropped", self.name, len(self._tasks))
            await asyncio.gather(*list(self._tasks), return_exceptions=True)
        if self._http is not None:
            await self._http.close()
