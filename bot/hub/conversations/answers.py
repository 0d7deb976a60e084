"""Asking Rasa about one stored customer message, and storing what it answered.

Shared by a live turn, the retry loop and a hand-back to the bot: the answers are stored in
order, and their custom payloads acted on (Rasa's reading of the message, a handoff, a rating).
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import re
from typing import Any, List

from bot.hub.conversations.access import ConversationAccess
from bot.hub.conversations.posting import Posting
from bot.hub.errors import RateLimited
from bot.hub.events import ContactGiven, Events, HandoffRequested, Json, NoteGiven
from bot.hub.rasa_client import RasaClient
from bot.hub.ratelimit import limiter
from bot.hub.settings import Settings
from bot.hub.states import Sender
from bot.hub.store.conversations_repo import ConversationsRepo, Row
from bot.hub.store.models import Conversation, Message
from bot.hub.store.serialize import message_json
from bot.shared import wire
from bot.shared.understanding import read_parse
from bot.shared.wire import URGENT, MessageMetadata

log = logging.getLogger(__name__)
_SLASHES = re.compile(r"^[\s/]+")


def as_plain_text(text: str | None) -> str:
    """Typed text for Rasa: a leading "/" would make Rasa read it as an intent with entities
    ("/restart" would reset the verification counter), so leading slashes are dropped; the
    transcript keeps what the customer wrote."""
    return _SLASHES.sub("", text or "") or "?"


def answers_welcome(last_reply: Message | None) -> bool:
    """The customer's message follows the widget's welcome: Rasa then greets without introducing
    Wanda again (the `welcomed` slot set by actions/session.py from the session's first metadata)."""
    return last_reply is not None and bool((last_reply.custom or {}).get("welcome"))


class BotAnswers:
    def __init__(
        self,
        settings: Settings,
        repo: ConversationsRepo,
        rasa: RasaClient,
        events: Events,
        posting: Posting,
        access: ConversationAccess,
    ) -> None:
        self.repo = repo
        self.rasa = rasa
        self.events = events
        self.posting = posting
        self.access = access
        self._client_key = settings.derived_key("client-address")
        self.urgent_limit = limiter(settings.rate_urgent)

    def client_tag(self, client: str) -> str:
        """A keyed hash of the client address: stable for limits, useless to whoever reads the tracker."""
        return hmac.new(self._client_key, client.encode(), hashlib.sha256).hexdigest()[:24]

    async def ask(
        self,
        conv: Conversation,
        msg: Message,
        last_reply: Message | None,
        retry: bool = False,
        text: str | None = None,
    ) -> List[Json]:
        """A stored customer message (a tapped button as its payload) under its own id, with the client
        tag stored with it (a retry sends the same); `last_reply`: what the customer answers; `text`:
        only this part of the typed message (the rest beside a contact the hub noted)."""
        metadata = MessageMetadata(
            channel=conv.channel,
            client=msg.client_tag or None,
            welcomed=answers_welcome(last_reply),
        )
        return await self.rasa.send(
            conv.id,
            msg.payload or as_plain_text(msg.text if text is None else text),
            msg.id,
            metadata.to_json(),
            retry,
        )

    async def relay(
        self,
        conv: Conversation,
        answers: List[Json],
        reply_to: str | None,
        delivered_seq: int | None = None,
        client: str | None = None,
    ) -> List[Json]:
        """Store Rasa's answers in order; act on custom payloads (handoff, rating). `client`: the
        client tag of the message answered (the urgent cap counts on it)."""
        rows: List[Row] = []
        handoff: Json | None = None
        contact: Json | None = None
        notes: List[Json] = []
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
            elif kind == wire.CONTACT and isinstance(value, dict):
                contact = value  # the hub confirms it (contact_added), the bot says nothing itself
            elif kind == wire.NOTE and isinstance(value, dict):
                notes.append(value)  # onto the request's note; the bot acknowledged it itself
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
            await self.posting.publish(conv, out)
        if (
            contact is not None
            and contact.get("contact")
            and isinstance(contact.get("ticket"), int)
        ):
            out += await self.events.emit(
                ContactGiven(
                    conv, str(contact["contact"]), contact["ticket"], reply_to, from_bot=True
                )
            )
        for note in notes:
            if note.get("note") and isinstance(note.get("ticket"), int):
                out += await self.events.emit(NoteGiven(conv, str(note["note"]), note["ticket"]))
        if handoff is not None:
            # read again: while Rasa answered, an agent may have claimed or closed the conversation
            out += await self.events.emit(
                HandoffRequested(await self.access.get(conv.id), handoff, reply_to)
            )
        return out

    def _capped(self, handoff: Json, client: str | None) -> Json:
        """An urgent handoff jumps the queue, so one client gets only a few per hour (KD_RATE_URGENT):
        angry messages from many conversations must not push everyone else back. Beyond that the
        handoff is queued as normal, with a note for the agent. Counted per client tag, which a
        retried message carries as well."""
        if not isinstance(handoff, dict) or handoff.get("priority") != URGENT or not client:
            return handoff
        try:
            self.urgent_limit.check(f"client:{client}")
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

    async def ask_rating(self, conv: Conversation) -> List[Json]:
        """After an agent closed the conversation: Rasa asks for the 1-5 rating (utter_ask_rating, the
        question action_welcome_back asks on a hand-back), so human-closed conversations are rated too."""
        answers = await self.rasa.execute(conv.id, "utter_ask_rating")
        await self.rasa.append_events(conv.id, [{"event": "action", "name": "action_listen"}])
        return await self.relay(await self.access.get(conv.id), answers, reply_to=None)

    async def resume_bot(self, conv: Conversation, welcome: bool = True) -> List[Json]:
        """Hand the conversation back to Rasa; optionally run the welcome-back flow."""
        await self.rasa.resume(conv.id)
        if not welcome:
            return []
        answers = await self.rasa.execute(conv.id, "action_welcome_back")
        await self.rasa.append_events(conv.id, [{"event": "action", "name": "action_listen"}])
        return await self.relay(await self.access.get(conv.id), answers, reply_to=None)
