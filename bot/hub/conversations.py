"""The conversation service: store every message, route it to Rasa or to a human, relay answers.

A customer message is committed before anything else happens, so a crash or a
Rasa outage never loses it. It is stored `in_flight` with a lease held by this
hub while it is forwarded; if Rasa is unreachable or a custom action failed it
becomes `pending`, and the retry loop of any hub claims it again with one
conditional UPDATE (a pending message, or one whose lease expired because its
hub died) and answers it when Rasa is back, or hands it to a human when Rasa
stays down. Rasa's side is idempotent too: the message id travels with the
message (bot/rasa_plugins/hub_channel.py), so a re-sent turn is replayed,
not run twice. Who hears
about a stored message (websockets, console, messenger platform) and who acts
on a handoff request is not this module's business: it emits events.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import logging
import re
import secrets
import weakref
from datetime import timedelta
from typing import Any, Coroutine, Dict, List, Tuple

from bot.hub.errors import AuthenticationFailed, NotFound, RateLimited
from bot.hub.events import Annotated, ContactGiven, Events, HandoffRequested, Json, MessagesStored
from bot.hub.handoff.contact import accepts_offer, contact_in, offer_of
from bot.hub.rasa_client import RasaClient, RasaUnavailable
from bot.hub.ratelimit import limiter
from bot.hub.settings import Settings
from bot.hub.states import ConversationState, Delivery, Sender
from bot.hub.store.conversations_repo import REVOKED_TOKEN, Row
from bot.hub.store.models import Agent, Conversation, Message, utcnow
from bot.hub.store.repository import Repository
from bot.hub.store.serialize import message_json
from bot.shared import wire
from bot.shared.company import Company
from bot.shared.formality import detect_register
from bot.shared.understanding import read_parse
from bot.shared.wire import NORMAL, URGENT, MessageMetadata

log = logging.getLogger(__name__)
_SLASHES = re.compile(r"^[\s/]+")
GIVE_UP_AFTER = timedelta(minutes=3)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def as_plain_text(text: str | None) -> str:
    """Typed text for Rasa: a leading "/" would make Rasa read it as an intent with entities
    ("/restart" would reset the verification counter), so leading slashes are dropped; the
    transcript keeps what the customer wrote."""
    return _SLASHES.sub("", text or "") or "?"


class ConversationService:
    def __init__(
        self,
        settings: Settings,
        repo: Repository,
        rasa: RasaClient,
        events: Events,
        company: Company,
    ) -> None:
        self.settings = settings
        self.repo = repo
        self.rasa = rasa
        self.events = events
        self.company = company
        self._locks: weakref.WeakValueDictionary[str, asyncio.Lock] = weakref.WeakValueDictionary()
        self._tasks: set[asyncio.Task[Any]] = set()
        self.instance = secrets.token_hex(8)  # lease owner: this process, not just this host
        self.lease = timedelta(seconds=settings.rasa_timeout + 15)
        self._client_key = settings.derived_key("client-address")
        self.urgent_limit = limiter(settings.rate_urgent)

    # -- conversations -------------------------------------------------------
    async def create(
        self,
        channel: str,
        metadata: Json,
        external_id: str | None = None,
        display_name: str | None = None,
        welcome: bool = False,
    ) -> Tuple[Conversation, str]:
        """A new conversation; `welcome`: it starts with Wanda's greeting and AI disclosure (notices.welcome),
        stored as a bot message without a Rasa turn, so the widget shows it before the customer types."""
        token = secrets.token_urlsafe(32)
        conv = Conversation(
            id=secrets.token_urlsafe(18),
            token_hash=token_hash(token),
            channel=channel,
            meta=metadata,
            external_id=external_id,
            display_name=display_name,
            state=ConversationState.BOT,
        )
        conv = await self.repo.add_conversation(conv)
        if welcome:
            await self.store(
                conv.id,
                Sender.BOT,
                self.company.notice("welcome", conv.register),
                custom={"welcome": True},
            )
        return conv, token

    async def get(self, conv_id: str) -> Conversation:
        conv = await self.repo.conversation(conv_id)
        if conv is None:
            raise NotFound("conversation_not_found", "Dieses Gespräch gibt es nicht.")
        return conv

    async def authenticate(self, conv_id: str, token: str | None) -> Conversation:
        conv = await self.get(conv_id)
        if not token or not hmac.compare_digest(conv.token_hash, token_hash(token)):
            raise AuthenticationFailed(
                "invalid_token", "Der Zugangsschlüssel für dieses Gespräch ist ungültig."
            )
        if self.expired(conv):
            # A token left in a shared browser must not reopen the conversation (KD_CUSTOMER_IDLE_HOURS).
            raise AuthenticationFailed(
                "token_expired", self.company.notice("token_expired", conv.register)
            )
        return conv

    def expired(self, conv: Conversation) -> bool:
        idle_hours = self.settings.customer_idle_hours
        return idle_hours > 0 and utcnow() - (conv.last_customer_at or conv.created_at) > timedelta(
            hours=idle_hours
        )

    @staticmethod
    def revoked(conv: Conversation) -> bool:
        """The customer ended the chat or it is being erased: its token was withdrawn."""
        return conv.token_hash == REVOKED_TOKEN

    async def transcript(self, conv_id: str) -> List[Json]:
        return [message_json(m, name) for m, name in await self.repo.transcript(conv_id)]

    def background(self, work: Coroutine[Any, Any, Any]) -> None:
        """Fire-and-forget work that must not be garbage-collected mid-flight."""
        task = asyncio.create_task(work)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def drain(self, timeout: float) -> None:
        """Shutdown: let background work (tracker logging) finish, bounded."""
        if self._tasks:
            await asyncio.wait(set(self._tasks), timeout=timeout)

    def lock(self, conv_id: str) -> asyncio.Lock:
        lock = self._locks.get(conv_id)
        if lock is None:
            lock = asyncio.Lock()
            self._locks[conv_id] = lock
        return lock

    # -- the channel interface (what messenger adapters call) ------------------
    async def first_delivery(self, channel: str, update_id: str) -> bool:
        return await self.repo.first_delivery(channel, update_id)

    async def conversation_for(self, channel: str, user_id: str, display_name: str) -> Conversation:
        """The customer's latest conversation; a closed one is reopened on the next message."""
        conv = await self.repo.latest_by_external(channel, user_id)
        if conv is None:
            conv, _ = await self.create(
                channel, {"channel": channel}, external_id=user_id, display_name=display_name
            )
        return conv

    async def unsupported_content(self, conv: Conversation, kind: str, caption: str | None) -> None:
        """Agents see that something arrived; the bot says kindly what it can read."""
        kinds = self.company.raw.get("content_kinds") or {}
        words = kinds.get(kind) or kinds["other"]
        caption = (caption or "").strip()
        text = f"[{words['label']}] {caption}" if caption else f"[{words['label']}]"
        async with self.lock(conv.id):
            conv = await self.get(conv.id)
            msg = await self.store(conv.id, Sender.CUSTOMER, text, custom={"unsupported": kind})
            await self.publish(conv, [message_json(msg)])
            if conv.state in (ConversationState.BOT, ConversationState.CLOSED):
                await self.notice(
                    conv,
                    "unsupported_content",
                    things=words["things"],
                    verb=words["verb"],
                    reply_to=msg.id,
                )

    # -- storing and publishing ------------------------------------------------
    async def store(self, conv_id: str, sender: Sender, text: str | None, **fields: Any) -> Message:
        return (await self.repo.add_messages(conv_id, [(sender, text, fields)]))[0]

    async def publish(self, conv: Conversation, messages: List[Json]) -> None:
        await self.events.emit(MessagesStored(conv, messages))

    async def post(
        self,
        conv: Conversation,
        sender: Sender,
        text: str | None,
        agent: Agent | None = None,
        **fields: Any,
    ) -> Json:
        """Store and push a bot, agent or system message."""
        msg = await self.store(
            conv.id, sender, text, agent_id=agent.id if agent else None, **fields
        )
        data = message_json(msg, agent.name if agent else None)
        await self.publish(conv, [data])
        return data

    async def notice(
        self,
        conv: Conversation,
        key: str,
        reply_to: str | None = None,
        custom: Json | None = None,
        **values: Any,
    ) -> Json:
        """A system message from company.yml's notices, in the customer's register."""
        text = self.company.notice(key, conv.register, **values)
        return await self.post(conv, Sender.SYSTEM, text, reply_to=reply_to, custom=custom)

    # -- a customer turn ---------------------------------------------------------
    async def customer_message(
        self,
        conv: Conversation,
        text: str,
        payload: str | None = None,
        client_message_id: str | None = None,
        client: str | None = None,
        strict_payload: bool = True,
    ) -> List[Json]:
        """Store, then route a customer message; returns it followed by the bot's answers.

        A `payload` (a tapped button) is taken only when the bot offered that button since the
        customer's last message (turn_start refuses it otherwise): typed or forged "/intent{...}"
        must never reach Rasa as an intent with entities (messenger channels pass strict_payload=False:
        a tap on an old message's button then arrives as its title, as typed text). `client` is the customer's address; Rasa
        gets only a keyed hash of it (per-client limits in the actions)."""
        async with self.lock(conv.id):
            fresh, stored, msg = await self.repo.turn_start(
                conv.id, client_message_id, text, payload, self._delivery, strict_payload
            )
            if stored is not None:  # a retried POST: the first answer, not a second turn
                first_msg, replies = stored
                return [message_json(first_msg)] + [message_json(m) for m in replies]
            if fresh is None or msg is None:
                raise NotFound("conversation_not_found", "Dieses Gespräch gibt es nicht.")
            conv = fresh
            await self._follow_register(conv, msg)
            first = message_json(msg)
            await self.publish(conv, [first])
            answered = await self._answer_offer(conv, msg)
            if answered is not None:
                return [first] + answered
            if conv.state != ConversationState.BOT:
                self.background(self._log_to_tracker(conv, msg))
                return [first]
            if msg.delivery == Delivery.PENDING:
                return [
                    first
                ]  # answered by the retry loop, after the earlier ones, through the websocket
            return [first] + await self._forward(conv, msg, client)

    async def _follow_register(self, conv: Conversation, msg: Message) -> None:
        """Every typed message may show the customer's du/Sie (the detector Rasa runs too, so the `register`
        slot and conv.register agree); notices and the widget follow it. A tapped button shows nothing."""
        register = None if msg.payload else detect_register(msg.text or "")
        if register and register != conv.register:
            await self.repo.update_conversation(conv.id, register=register)
            conv.register = register

    async def _answer_offer(self, conv: Conversation, msg: Message) -> List[Json] | None:
        """Right after a ticket or callback offer, a phone number or e-mail address (or a plain "ja, Rückruf")
        goes to the request, not to Rasa (which would only thank for the information); None: not such an answer."""
        if (
            msg.payload
            or msg.delivery == Delivery.PENDING
            or conv.state not in (ConversationState.BOT, ConversationState.QUEUED)
        ):
            return None
        last = await self.repo.last_reply_before(conv.id, msg.seq)
        offer = offer_of(last.custom if last is not None else None)
        # a recorded request is offered with the bot in charge, a callback instead of waiting in the queue
        if offer is None or (offer["ticket"] is None) != (conv.state == ConversationState.QUEUED):
            return None
        contact = contact_in(msg.text or "")
        if contact is None and not accepts_offer(msg.text or ""):
            return None
        if msg.delivery != Delivery.DONE:
            await self.repo.mark_delivery(msg.seq, Delivery.DONE)
        self.background(
            self._log_to_tracker(conv, msg)
        )  # the bot still hears it (the handoff summary)
        return await self.events.emit(ContactGiven(conv, contact, offer["ticket"], msg.id))

    def _delivery(self, conv: Conversation, waiting: bool) -> Dict[str, Any]:
        """How a new customer message is stored: an agent has it; it waits behind an earlier one
        (Rasa must see a conversation's messages in order); or this hub forwards it now, under a lease."""
        if conv.state != ConversationState.BOT:
            return {"delivery": Delivery.DONE}
        if waiting:
            return {"delivery": Delivery.PENDING}
        return {
            "delivery": Delivery.IN_FLIGHT,
            "lease_owner": self.instance,
            "lease_until": utcnow() + self.lease,
        }

    def client_tag(self, client: str) -> str:
        """A keyed hash of the client address: stable for limits, useless to whoever reads the tracker."""
        return hmac.new(self._client_key, client.encode(), hashlib.sha256).hexdigest()[:24]

    async def answers_welcome(self, conv: Conversation, msg: Message) -> bool:
        """The customer's message follows the widget's welcome: Rasa then greets without introducing
        Wanda again (the `welcomed` slot set by actions/session.py from the session's first metadata)."""
        last = await self.repo.last_reply_before(conv.id, msg.seq)
        return last is not None and bool((last.custom or {}).get("welcome"))

    async def _ask_rasa(
        self, conv: Conversation, msg: Message, retry: bool = False, client: str | None = None
    ) -> List[Json]:
        """A stored customer message (a tapped button as its payload) under its own id."""
        metadata = MessageMetadata(
            channel=conv.channel,
            client=self.client_tag(client) if client else None,
            welcomed=await self.answers_welcome(conv, msg),
        )
        return await self.rasa.send(
            conv.id, msg.payload or as_plain_text(msg.text), msg.id, metadata.to_json(), retry
        )

    async def _forward(
        self, conv: Conversation, msg: Message, client: str | None = None
    ) -> List[Json]:
        """One attempt for a message this hub holds the lease on; it ends done or pending."""
        try:
            answers = await self._ask_rasa(conv, msg, client=client)
        except RasaUnavailable as exc:
            log.warning("rasa unavailable for %s: %s", conv.id, exc)
            await self.repo.mark_delivery(msg.seq, Delivery.PENDING)
            return [await self._outage_notice(conv, msg)]
        return await self._relay(
            conv, answers, reply_to=msg.id, delivered_seq=msg.seq, client=client
        )

    async def _outage_notice(self, conv: Conversation, msg: Message) -> Json:
        noticed = await self.repo.system_reply(msg.id)
        if noticed is not None:
            return message_json(noticed)
        return await self.notice(conv, "outage", reply_to=msg.id)

    async def _relay(
        self,
        conv: Conversation,
        answers: List[Json],
        reply_to: str | None,
        delivered_seq: int | None = None,
        client: str | None = None,
    ) -> List[Json]:
        """Store Rasa's answers in order; act on custom payloads (handoff, rating)."""
        rows: List[Row] = []
        handoff: Json | None = None
        reading: Json | None = None
        for answer in answers:
            custom = answer.get("custom")
            found = wire.custom_of(answer)
            kind, value = found if found is not None else ("", {})
            if kind == wire.NLU:  # Rasa's reading of the customer message
                reading = read_parse(value).columns()
            elif kind == wire.HANDOFF:
                handoff = self._capped(value, client)
                rows.append((Sender.BOT, None, {"custom": custom, "reply_to": reply_to}))
            elif kind == wire.RATING:
                await self._store_rating(conv.id, value)
            elif answer.get("text") or answer.get("buttons") or custom:
                rows.append(
                    (
                        Sender.BOT,
                        answer.get("text"),
                        {
                            "buttons": answer.get("buttons") or [],
                            "custom": custom,
                            "reply_to": reply_to,
                        },
                    )
                )
        stored = await self.repo.add_messages(conv.id, rows, delivered_seq, reading)
        out = [message_json(m) for m in stored if m.text or m.buttons]
        if out:
            await self.publish(conv, out)
        if handoff is not None:
            out += await self.events.emit(
                HandoffRequested(await self.get(conv.id), handoff, reply_to)
            )
        return out

    def _capped(self, handoff: Json, client: str | None) -> Json:
        """An urgent handoff jumps the queue, so one client gets only a few per hour (KD_RATE_URGENT):
        angry messages from many conversations must not push everyone else back. Beyond that the
        handoff is queued as normal, with a note for the agent."""
        if not isinstance(handoff, dict) or handoff.get("priority") != URGENT or not client:
            return handoff
        try:
            self.urgent_limit.check(f"ip:{client}")
        except RateLimited:
            log.info("urgent handoffs capped for one client; queued as normal")
            return {**handoff, "priority": "normal", "priority_capped": True}
        return handoff

    async def _store_rating(self, conv_id: str, rating: Any) -> None:
        try:
            value = int(rating)
        except (TypeError, ValueError):
            return
        if 1 <= value <= 5:
            await self.repo.update_conversation(conv_id, rating=value)

    # -- the tracker while a human talks -------------------------------------------
    async def _log_to_tracker(self, conv: Conversation, msg: Message) -> None:
        """Agent mode: the bot still hears the customer (intent and mood for the agent)."""
        try:
            parse = await self.rasa.parse(msg.payload or msg.text or "")
            reading = read_parse(parse)
            intent, mood = reading.intent, reading.mood
            await self.rasa.append_events(
                conv.id,
                [
                    {
                        "event": "user",
                        "text": msg.text,
                        "parse_data": parse,
                        "input_channel": conv.channel,
                        "message_id": msg.id,
                        "timestamp": msg.created_at.timestamp(),
                    }
                ],
            )
        except RasaUnavailable as exc:
            log.warning("could not log message %s to the tracker: %s", msg.id, exc)
            return
        await self.repo.annotate(
            msg.seq, intent, mood, top_intent=reading.top_intent, confidence=reading.confidence
        )
        await self.events.emit(Annotated(conv, msg.id, intent, mood))

    async def log_customer_message(self, conv: Conversation, msg: Message) -> None:
        """A customer message that arrived outside a turn (an e-mail reply): into the tracker, not to the bot."""
        await self._log_to_tracker(conv, msg)

    async def log_agent_message(self, conv: Conversation, agent: Agent, text: str) -> None:
        try:
            await self.rasa.append_events(
                conv.id,
                [
                    {
                        "event": "bot",
                        "text": text,
                        "metadata": {"agent": agent.name, "agent_id": agent.id},
                    }
                ],
            )
        except RasaUnavailable as exc:
            log.warning("could not log agent message to the tracker: %s", exc)

    async def resume_bot(self, conv: Conversation, welcome: bool = True) -> List[Json]:
        """Hand the conversation back to Rasa; optionally run the welcome-back flow."""
        await self.rasa.resume(conv.id)
        if not welcome:
            return []
        answers = await self.rasa.execute(conv.id, "action_welcome_back")
        await self.rasa.append_events(conv.id, [{"event": "action", "name": "action_listen"}])
        return await self._relay(await self.get(conv.id), answers, reply_to=None)

    # -- retries ---------------------------------------------------------------------
    async def retry_pending(self) -> int:
        """Answer messages Rasa could not take; returns how many were answered."""
        done = 0
        blocked: set[str] = (
            set()
        )  # conversations whose earlier message is still waiting: keep the order
        for candidate in await self.repo.claimable(utcnow()):
            if candidate.conversation_id in blocked:
                continue
            async with self.lock(candidate.conversation_id):
                now = utcnow()
                msg = await self.repo.claim_delivery(
                    candidate.seq, self.instance, now, now + self.lease
                )
                if msg is None:
                    if await self.repo.has_undelivered(
                        candidate.conversation_id, before=candidate.seq + 1
                    ):
                        blocked.add(candidate.conversation_id)  # another hub holds it
                    continue  # answered meanwhile, or another hub took it
                conv = await self.get(msg.conversation_id)
                if conv.state != ConversationState.BOT:
                    await self.repo.mark_delivery(
                        msg.seq, Delivery.DONE
                    )  # a human has it; they see it
                    continue
                try:
                    answers = await self._ask_rasa(conv, msg, retry=True)
                except RasaUnavailable as exc:
                    log.debug("retry of %s failed: %s", msg.id, exc)
                    blocked.add(conv.id)
                    if now - msg.created_at > GIVE_UP_AFTER:
                        await self._give_up(conv, msg)
                    else:
                        await self.repo.mark_delivery(msg.seq, Delivery.PENDING)
                    continue
                await self._relay(conv, answers, reply_to=msg.id, delivered_seq=msg.seq)
                done += 1
        return done

    async def _give_up(self, conv: Conversation, msg: Message) -> None:
        """Rasa stayed unavailable: a human takes the message over."""
        await self.repo.mark_delivery(msg.seq, Delivery.FAILED)
        await self.events.emit(
            HandoffRequested(
                conv,
                wire.handoff("bot_unavailable", NORMAL, {"request": msg.text})[wire.HANDOFF],
                reply_to=msg.id,
            )
        )

    async def retry_loop(self) -> None:
        while True:
            await asyncio.sleep(self.settings.retry_interval)
            try:
                await self.retry_pending()
            except Exception:  # noqa: BLE001 - the loop must keep running
                log.exception("retry loop failed")
