"""A customer turn: the message is stored first, then routed (an answer to a callback offer, an
agent, or Rasa) and returned with the answers.

The turn reads the conversation and the bot's last reply once and hands both on: the offer check
and the message to Rasa (the `welcomed` flag) use the same reply, and the caller gets the
conversation as the turn left it (the register the customer's message may have changed).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, List

from bot.hub.conversations.access import ConversationAccess
from bot.hub.conversations.delivery import Deliveries
from bot.hub.conversations.posting import Posting
from bot.hub.conversations.tasks import Tasks
from bot.hub.conversations.tracker_log import TrackerLog
from bot.hub.errors import NotFound
from bot.hub.events import ContactGiven, Events, Json
from bot.hub.handoff.contact import (
    accepts_offer,
    contact_in,
    offer_of,
    question_beside,
    split_contact,
)
from bot.hub.states import ConversationState, Delivery, Sender
from bot.hub.store.conversations_repo import ConversationsRepo
from bot.hub.store.models import Conversation, Message
from bot.hub.store.serialize import message_json
from bot.shared.company import Company
from bot.shared.formality import address


@dataclass
class Turn:
    messages: List[Json]  # the customer's message, then the answers
    conversation: Conversation  # as the turn found it, with the register it follows


class Turns:
    def __init__(
        self,
        repo: ConversationsRepo,
        events: Events,
        company: Company,
        tasks: Tasks,
        posting: Posting,
        access: ConversationAccess,
        deliveries: Deliveries,
        tracker: TrackerLog,
    ) -> None:
        self.repo = repo
        self.events = events
        self.company = company
        self.tasks = tasks
        self.posting = posting
        self.access = access
        self.deliveries = deliveries
        self.tracker = tracker

    async def customer_message(
        self,
        conv: Conversation,
        text: str,
        payload: str | None = None,
        client_message_id: str | None = None,
        client: str | None = None,
        strict_payload: bool = True,
    ) -> List[Json]:
        """The customer's message followed by the bot's answers (see `customer_turn`)."""
        turn = await self.customer_turn(
            conv, text, payload, client_message_id, client, strict_payload
        )
        return turn.messages

    async def customer_turn(
        self,
        conv: Conversation,
        text: str,
        payload: str | None = None,
        client_message_id: str | None = None,
        client: str | None = None,
        strict_payload: bool = True,
        admit: Callable[[Conversation], None] | None = None,
    ) -> Turn:
        """Store, then route a customer message.

        A `payload` (a tapped button) is taken only when the bot offered that button since the
        customer's last message (turn_start refuses it otherwise): typed or forged "/intent{...}"
        must never reach Rasa as an intent with entities (messenger channels pass strict_payload=False:
        a tap on an old message's button then arrives as its title, as typed text). `client` is the customer's address; Rasa
        gets only a keyed hash of it (per-client limits in the actions). `admit` checks the conversation
        as the turn's first transaction reads it, before anything is stored (the customer's token:
        ConversationAccess.admission)."""
        async with self.tasks.lock(conv.id):
            fresh, stored, msg, last_reply = await self.repo.turn_start(
                conv.id,
                client_message_id,
                text,
                payload,
                self.deliveries.client_fields(client),
                strict_payload,
                reply_wanted=self._reply_wanted,
                admit=admit,
            )
            if stored is not None and fresh is not None:  # a retried POST: the first answer
                first_msg, replies = stored
                return Turn([message_json(first_msg)] + [message_json(m) for m in replies], fresh)
            if fresh is None or msg is None:
                raise NotFound("conversation_not_found", "Dieses Gespräch gibt es nicht.")
            conv = fresh
            await self._follow_register(conv, msg)
            first = message_json(msg)
            await self.posting.publish(conv, [first])
            answered = await self._answer_offer(conv, msg, last_reply)
            if answered is not None:
                return Turn([first] + answered, conv)
            if conv.state != ConversationState.BOT:
                self.tasks.background(self.tracker.customer_message(conv, msg))
                return Turn([first], conv)
            if msg.delivery == Delivery.PENDING:
                # answered by the retry loop, after the earlier ones, through the websocket
                return Turn([first], conv)
            answers = await self.deliveries.forward(conv, msg, last_reply)
            return Turn([first] + answers, conv)

    @staticmethod
    def _reply_wanted(conv: Conversation, msg: Message) -> bool:
        """Whether the turn needs the bot's, agent's or system's latest message before this one (what
        the customer answers): only when the offer check or Rasa will look at it."""
        if msg.delivery == Delivery.PENDING:
            return False
        return conv.state == ConversationState.BOT or (
            conv.state == ConversationState.QUEUED and not msg.payload
        )

    async def _follow_register(self, conv: Conversation, msg: Message) -> None:
        """Every typed message may show the customer's du/Sie (the detector Rasa runs too, so the `register`
        slot and conv.register agree), or English ("en": the hub's notices in English, falling back to
        Sie; the widget is told Sie); notices and the widget follow it. A tapped button shows nothing."""
        register = None if msg.payload else address(msg.text or "", conv.register)
        if register and register != conv.register:
            await self.repo.update_conversation(conv.id, register=register)
            conv.register = register

    async def _answer_offer(
        self, conv: Conversation, msg: Message, last_reply: Message | None
    ) -> List[Json] | None:
        """Right after a ticket or callback offer, a phone number or e-mail address (or a plain "ja, Rückruf")
        goes to the request, not to Rasa (which would only thank for the information); a question beside
        it goes on to the bot (`_note_and_ask`); None: not such an answer."""
        if (
            msg.payload
            or msg.delivery == Delivery.PENDING
            or conv.state not in (ConversationState.BOT, ConversationState.QUEUED)
        ):
            return None
        offer = offer_of(last_reply.custom if last_reply is not None else None)
        # a recorded request is offered with the bot in charge, a callback instead of waiting in the queue
        if offer is None or (offer["ticket"] is None) != (conv.state == ConversationState.QUEUED):
            return None
        contact = contact_in(msg.text or "")
        if contact is None and not accepts_offer(msg.text or ""):
            return None
        question = question_beside(msg.text or "", contact) if contact else None
        if question is not None:
            return await self._note_and_ask(conv, msg, last_reply, contact or "", question, offer)
        if msg.delivery != Delivery.DONE:
            await self.repo.mark_delivery(msg.seq, Delivery.DONE)
        # the bot still hears it (the handoff summary)
        self.tasks.background(self.tracker.customer_message(conv, msg))
        return await self.events.emit(ContactGiven(conv, contact, offer["ticket"], msg.id))

    async def _note_and_ask(
        self,
        conv: Conversation,
        msg: Message,
        last_reply: Message | None,
        contact: str,
        question: str,
        offer: Json,
    ) -> List[Json]:
        """A contact with a question beside it ("Telefon 0171 2345678. Wann ruft jemand an?"): the
        contact goes to the request (once: Rasa gets the message without it, so it notes nothing
        itself), then the bot answers the rest. The tracker hears the contact's part first, so the
        answer knows where the team gets back to the customer."""
        noted = await self.events.emit(ContactGiven(conv, contact, offer["ticket"], msg.id))
        given, _ = split_contact(msg.text or "", contact)
        await self.tracker.customer_message(conv, msg, text=given)
        conv = await self.access.get(conv.id)  # a callback request ends the wait: the bot's again
        if conv.state != ConversationState.BOT:
            if msg.delivery != Delivery.DONE:
                await self.repo.mark_delivery(msg.seq, Delivery.DONE)
            return noted  # the team reads the whole message
        return noted + await self.deliveries.forward(conv, msg, last_reply, text=question)

    async def unsupported_content(self, conv: Conversation, kind: str, caption: str | None) -> None:
        """Agents see that something arrived; the bot says kindly what it can read."""
        kinds = self.company.raw.get("content_kinds") or {}
        words = kinds.get(kind) or kinds["other"]
        caption = (caption or "").strip()
        text = f"[{words['label']}] {caption}" if caption else f"[{words['label']}]"
        async with self.tasks.lock(conv.id):
            conv = await self.access.get(conv.id)
            msg = await self.posting.store(
                conv.id, Sender.CUSTOMER, text, custom={"unsupported": kind}
            )
            await self.posting.publish(conv, [message_json(msg)])
            if conv.state in (ConversationState.BOT, ConversationState.CLOSED):
                await self.posting.notice(
                    conv,
                    "unsupported_content",
                    things=words["things"],
                    verb=words["verb"],
                    reply_to=msg.id,
                )
