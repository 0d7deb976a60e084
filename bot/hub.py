"""The conversation hub: stores every message, relays to Rasa or to an agent, pushes live.

A customer message is committed before anything else happens, so a crash or a
Rasa outage never loses it: it stays `pending` and the retry loop answers it
when Rasa is back (or hands it to a human when Rasa stays down).
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import logging
import secrets
import uuid
import weakref
from datetime import timedelta
from typing import Any, Coroutine, Dict, List, Protocol, Tuple

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.bus import Bus
from bot.company import Company
from bot.rasa_client import RasaClient, RasaUnavailable
from bot.settings import Settings
from bot.store.models import Agent, Conversation, Message, utcnow
from bot.store.serialize import message_json
from bot.web.errors import ApiError

log = logging.getLogger(__name__)
GIVE_UP_AFTER = timedelta(minutes=3)


class Outbound(Protocol):
    """A messenger channel that pushes hub messages to its platform."""

    async def send(self, conversation: Conversation, message: Dict[str, Any]) -> None: ...


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_id() -> str:
    return uuid.uuid4().hex


def register_text(conversation: Conversation, sie: str, du: str) -> str:
    return du if conversation.register == "du" else sie


class Hub:
    def __init__(self, settings: Settings, sessions: sessionmaker[Session], rasa: RasaClient, bus: Bus,
                 company: Company) -> None:
        self.settings = settings
        self.sessions = sessions
        self.rasa = rasa
        self.bus = bus
        self.company = company
        self.outbound: Dict[str, Outbound] = {}
        self.queue: Any = None  # bot.handoff.queue.HandoffQueue, set by the app factory
        self._locks: weakref.WeakValueDictionary[str, asyncio.Lock] = weakref.WeakValueDictionary()
        self._tasks: set[asyncio.Task[Any]] = set()

    # -- conversations -----------------------------------------------------
    def create_conversation(self, channel: str, metadata: Dict[str, Any], external_id: str | None = None,
                            display_name: str | None = None) -> Tuple[Conversation, str]:
        token = secrets.token_urlsafe(32)
        conv = Conversation(id=secrets.token_urlsafe(18), token_hash=token_hash(token), channel=channel,
                            meta=metadata, external_id=external_id, display_name=display_name, state="bot")
        with self.sessions() as db, db.begin():
            db.add(conv)
        return conv, token

    def get(self, conv_id: str) -> Conversation:
        with self.sessions() as db:
            conv = db.get(Conversation, conv_id)
        if conv is None:
            raise ApiError(404, "conversation_not_found", "Dieses Gespräch gibt es nicht.")
        return conv

    def authenticate(self, conv_id: str, token: str | None) -> Conversation:
        conv = self.get(conv_id)
        if not token or not hmac.compare_digest(conv.token_hash, token_hash(token)):
            raise ApiError(401, "invalid_token", "Der Zugangsschlüssel für dieses Gespräch ist ungültig.")
        return conv

    def find_by_external(self, channel: str, external_id: str) -> Conversation | None:
        with self.sessions() as db:
            return db.scalars(select(Conversation).where(Conversation.channel == channel,
                                                         Conversation.external_id == external_id)
                              .order_by(Conversation.created_at.desc())).first()

    def transcript(self, conv_id: str, after_seq: int = 0) -> List[Dict[str, Any]]:
        with self.sessions() as db:
            rows = db.execute(select(Message, Agent.name).outerjoin(Agent, Message.agent_id == Agent.id)
                              .where(Message.conversation_id == conv_id, Message.seq > after_seq)
                              .order_by(Message.seq)).all()
        return [message_json(m, name) for m, name in rows]

    def background(self, work: Coroutine[Any, Any, Any]) -> None:
        """Fire-and-forget work that must not be garbage-collected mid-flight."""
        task = asyncio.create_task(work)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    def lock(self, conv_id: str) -> asyncio.Lock:
        lock = self._locks.get(conv_id)
        if lock is None:
            lock = asyncio.Lock()
            self._locks[conv_id] = lock
        return lock

    # -- messages ----------------------------------------------------------
    def store(self, conv_id: str, sender: str, text: str | None, **fields: Any) -> Message:
        return self.store_many(conv_id, [(sender, text, fields)])[0]

    def store_many(self, conv_id: str, rows: List[Tuple[str, str | None, Dict[str, Any]]],
                   delivered_seq: int | None = None) -> List[Message]:
        """Messages of one conversation in one transaction (the hot path of every turn);
        optionally marks the customer message they answer as delivered."""
        now = utcnow()
        messages = [Message(id=new_id(), conversation_id=conv_id, sender=sender, text=text, created_at=now, **fields)
                    for sender, text, fields in rows]
        with self.sessions() as db, db.begin():
            db.add_all(messages)
            if delivered_seq is not None:
                db.get(Message, delivered_seq).delivery = "done"
            conv = db.get(Conversation, conv_id)
            if conv is not None and messages:
                conv.last_message_at = conv.updated_at = now
                if any(m.sender == "customer" for m in messages):
                    conv.last_customer_at = now
        return messages

    async def emit(self, conv: Conversation, messages: List[Dict[str, Any]]) -> None:
        """Push to the customer's websockets, the console, and the messenger platform."""
        for message in messages:
            await self.bus.publish(f"conv:{conv.id}", {"type": "message", "message": message})
            if conv.state in ("queued", "agent"):
                await self.bus.publish("agents", {"type": "message", "conversation_id": conv.id, "message": message})
            channel = self.outbound.get(conv.channel)
            if channel is not None and message["sender"] != "customer":
                try:
                    await channel.send(conv, message)
                except Exception:  # noqa: BLE001 - a platform outage must not break the hub
                    log.exception("delivery to %s failed for %s", conv.channel, conv.id)

    async def post(self, conv: Conversation, sender: str, text: str | None, agent: Agent | None = None,
                   **fields: Any) -> Dict[str, Any]:
        """Store and push a bot, agent or system message."""
        msg = self.store(conv.id, sender, text, agent_id=agent.id if agent else None, **fields)
        data = message_json(msg, agent.name if agent else None)
        await self.emit(conv, [data])
        return data

    async def system(self, conv: Conversation, sie: str, du: str, **fields: Any) -> Dict[str, Any]:
        return await self.post(conv, "system", register_text(conv, sie, du), **fields)

    def replay(self, conv_id: str, client_message_id: str) -> List[Dict[str, Any]] | None:
        """The stored answer to a retried POST (same client message id)."""
        with self.sessions() as db:
            first = db.scalars(select(Message).where(Message.conversation_id == conv_id,
                                                     Message.client_message_id == client_message_id)).first()
            if first is None:
                return None
            replies = db.scalars(select(Message).where(Message.reply_to == first.id).order_by(Message.seq)).all()
        return [message_json(first)] + [message_json(m) for m in replies]

    async def customer_message(self, conv: Conversation, text: str, payload: str | None = None,
                               client_message_id: str | None = None,
                               metadata: Dict[str, Any] | None = None) -> List[Dict[str, Any]]:
        """Store, then route a customer message; returns it followed by the bot's answers."""
        async with self.lock(conv.id):
            if client_message_id:
                replay = self.replay(conv.id, client_message_id)
                if replay is not None:
                    return replay
            conv = self.get(conv.id)
            if conv.state == "closed":
                await self._reopen(conv)
            to_bot = conv.state == "bot"
            msg = self.store(conv.id, "customer", text, payload=payload, client_message_id=client_message_id,
                             delivery="pending" if to_bot else "done", custom={"metadata": metadata} if metadata else None)
            first = message_json(msg)
            await self.emit(conv, [first])
            if not to_bot:
                self.background(self._log_to_tracker(conv, msg))
                return [first]
            return [first] + await self._forward(conv, msg)

    async def _reopen(self, conv: Conversation) -> None:
        with self.sessions() as db, db.begin():
            row = db.get(Conversation, conv.id)
            row.state = conv.state = "bot"
            row.closed_at = None

    async def _forward(self, conv: Conversation, msg: Message) -> List[Dict[str, Any]]:
        text = msg.payload or msg.text or ""
        try:
            answers = await self.rasa.send(conv.id, text, {"channel": conv.channel})
        except RasaUnavailable as exc:
            log.warning("rasa unavailable for %s: %s", conv.id, exc)
            return [await self._outage_notice(conv, msg)]
        return await self._relay(conv, answers, reply_to=msg.id, delivered_seq=msg.seq)

    async def _outage_notice(self, conv: Conversation, msg: Message) -> Dict[str, Any]:
        with self.sessions() as db:
            noticed = db.scalars(select(Message).where(Message.reply_to == msg.id, Message.sender == "system")).first()
        if noticed is not None:
            return message_json(noticed)
        return await self.system(
            conv, "Ich bin gerade kurz nicht erreichbar. Ihre Nachricht ist gespeichert – ich antworte, sobald ich "
                  "wieder da bin, oder ein Mitarbeiter übernimmt.",
            "Ich bin gerade kurz nicht erreichbar. Deine Nachricht ist gespeichert – ich antworte, sobald ich "
            "wieder da bin, oder ein Mitarbeiter übernimmt.", reply_to=msg.id)

    async def _relay(self, conv: Conversation, answers: List[Dict[str, Any]], reply_to: str | None,
                     delivered_seq: int | None = None) -> List[Dict[str, Any]]:
        """Store Rasa's answers in order; act on custom payloads (handoff, rating)."""
        rows: List[Tuple[str, str | None, Dict[str, Any]]] = []
        handoff: Dict[str, Any] | None = None
        for answer in answers:
            custom = answer.get("custom")
            if isinstance(custom, dict) and "handoff" in custom:
                handoff = custom["handoff"]
                rows.append(("bot", None, {"custom": custom, "reply_to": reply_to, "delivery": "done"}))
            elif isinstance(custom, dict) and "rating" in custom:
                self._store_rating(conv.id, custom["rating"])
            elif answer.get("text") or answer.get("buttons") or custom:
                rows.append(("bot", answer.get("text"), {"buttons": answer.get("buttons") or [], "custom": custom,
                                                         "reply_to": reply_to}))
        stored = self.store_many(conv.id, rows, delivered_seq)
        out = [message_json(m) for m in stored if m.text or m.buttons]
        if out:
            await self.emit(conv, out)
        if handoff is not None and self.queue is not None:
            out += await self.queue.enqueue(self.get(conv.id), handoff, reply_to=reply_to)
        return out

    def _store_rating(self, conv_id: str, rating: Any) -> None:
        try:
            value = int(rating)
        except (TypeError, ValueError):
            return
        if 1 <= value <= 5:
            with self.sessions() as db, db.begin():
                db.get(Conversation, conv_id).rating = value

    async def _log_to_tracker(self, conv: Conversation, msg: Message) -> None:
        """Agent mode: the bot still hears the customer (intent and mood for the agent)."""
        try:
            parse = await self.rasa.parse(msg.payload or msg.text or "")
            intent = (parse.get("intent") or {}).get("name")
            mood = (parse.get("mood") or {}).get("score")
            await self.rasa.append_events(conv.id, [{
                "event": "user", "text": msg.text, "parse_data": parse, "input_channel": conv.channel,
                "message_id": msg.id, "timestamp": msg.created_at.timestamp()}])
        except RasaUnavailable as exc:
            log.warning("could not log message %s to the tracker: %s", msg.id, exc)
            return
        with self.sessions() as db, db.begin():
            row = db.get(Message, msg.seq)
            row.intent, row.mood = intent, mood
        await self.bus.publish("agents", {"type": "annotation", "conversation_id": conv.id, "message_id": msg.id,
                                          "intent": intent, "mood": mood})

    async def log_agent_message(self, conv: Conversation, agent: Agent, text: str) -> None:
        try:
            await self.rasa.append_events(conv.id, [{"event": "bot", "text": text,
                                                     "metadata": {"agent": agent.name, "agent_id": agent.id}}])
        except RasaUnavailable as exc:
            log.warning("could not log agent message to the tracker: %s", exc)

    async def resume_bot(self, conv: Conversation, welcome: bool = True) -> List[Dict[str, Any]]:
        """Hand the conversation back to Rasa; optionally run the welcome-back flow."""
        await self.rasa.resume(conv.id)
        if not welcome:
            return []
        answers = await self.rasa.execute(conv.id, "action_welcome_back")
        await self.rasa.append_events(conv.id, [{"event": "action", "name": "action_listen"}])
        return await self._relay(self.get(conv.id), answers, reply_to=None)

    # -- retries -----------------------------------------------------------
    async def retry_pending(self) -> int:
        """Answer messages stored while Rasa was down; returns how many were answered."""
        with self.sessions() as db:
            pending = db.scalars(select(Message).where(Message.delivery == "pending").order_by(Message.seq)
                                 .limit(100)).all()
        done = 0
        for msg in pending:
            conv = self.get(msg.conversation_id)
            async with self.lock(conv.id):
                fresh = self.get(conv.id)
                if fresh.state != "bot":
                    self._mark(msg.seq, "done")
                    continue
                try:
                    answers = await self.rasa.send(conv.id, msg.payload or msg.text or "", {"channel": conv.channel})
                except RasaUnavailable:
                    if utcnow() - msg.created_at > GIVE_UP_AFTER and self.queue is not None:
                        self._mark(msg.seq, "failed")
                        await self.queue.enqueue(fresh, {"reason": "bot_unavailable", "priority": "normal",
                                                         "reason_label": "Assistent nicht erreichbar",
                                                         "summary": {"request": msg.text}}, reply_to=msg.id)
                    continue
                await self._relay(fresh, answers, reply_to=msg.id, delivered_seq=msg.seq)
                done += 1
        return done

    def _mark(self, seq: int, delivery: str) -> None:
        with self.sessions() as db, db.begin():
            db.get(Message, seq).delivery = delivery

    async def retry_loop(self) -> None:
        while True:
            await asyncio.sleep(self.settings.retry_interval)
            try:
                await self.retry_pending()
            except Exception:  # noqa: BLE001 - the loop must keep running
                log.exception("retry loop failed")
