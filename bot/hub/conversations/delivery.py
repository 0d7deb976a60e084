"""Getting each customer message to Rasa exactly once: leases, pending messages, retries, giving up.

A customer message is committed before anything else happens, so a crash or a Rasa outage never
loses it. It is stored `in_flight` with a lease held by this hub while it is forwarded; if Rasa is
unreachable or a custom action failed it becomes `pending`, and the retry loop of any hub claims it
again with one conditional UPDATE (a pending message, or one whose lease expired because its hub
died) and answers it when Rasa is back, or hands it to a human when Rasa stays down. Rasa's side
is idempotent too: the message id travels with the message (bot/rasa_plugins/hub_channel.py), so a
re-sent turn is replayed, not run twice.
"""

from __future__ import annotations

import asyncio
import logging
import secrets
from datetime import timedelta
from typing import Any, Callable, Dict, List

from bot.hub.conversations.access import ConversationAccess
from bot.hub.conversations.answers import BotAnswers
from bot.hub.conversations.posting import Posting
from bot.hub.conversations.tasks import Tasks
from bot.hub.events import Events, HandoffRequested, Json
from bot.hub.rasa_client import RasaUnavailable
from bot.hub.settings import Settings
from bot.hub.states import ConversationState, Delivery
from bot.hub.store.conversations_repo import ConversationsRepo
from bot.hub.store.models import Conversation, Message, utcnow
from bot.hub.store.serialize import message_json
from bot.shared import wire
from bot.shared.wire import NORMAL

log = logging.getLogger(__name__)
GIVE_UP_AFTER = timedelta(minutes=3)


class Deliveries:
    def __init__(
        self,
        settings: Settings,
        repo: ConversationsRepo,
        answers: BotAnswers,
        posting: Posting,
        access: ConversationAccess,
        tasks: Tasks,
        events: Events,
    ) -> None:
        self.settings = settings
        self.repo = repo
        self.answers = answers
        self.posting = posting
        self.access = access
        self.tasks = tasks
        self.events = events
        self.instance = secrets.token_hex(8)  # lease owner: this process, not just this host
        self.lease = timedelta(seconds=settings.rasa_timeout + 15)

    def fields(self, conv: Conversation, waiting: bool) -> Dict[str, Any]:
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

    def client_fields(self, client: str | None) -> Callable[[Conversation, bool], Dict[str, Any]]:
        """`fields` for a message from `client` (the customer's address): one for Rasa keeps the keyed
        client tag until Rasa has it, so the retry loop sends it too (the urgent cap counts it)."""
        tag = self.answers.client_tag(client) if client else None

        def fields(conv: Conversation, waiting: bool) -> Dict[str, Any]:
            chosen = self.fields(conv, waiting)
            return chosen if chosen["delivery"] == Delivery.DONE else {**chosen, "client_tag": tag}

        return fields

    async def forward(
        self,
        conv: Conversation,
        msg: Message,
        last_reply: Message | None,
        text: str | None = None,
    ) -> List[Json]:
        """One attempt for a message this hub holds the lease on; it ends done or pending. `text`: the
        part of it the bot answers (the rest beside a contact the hub noted)."""
        try:
            answers = await self.answers.ask(conv, msg, last_reply, text=text)
        except RasaUnavailable as exc:
            log.warning("rasa unavailable for %s: %s", conv.id, exc)
            await self.repo.mark_delivery(msg.seq, Delivery.PENDING)
            return [await self._outage_notice(conv, msg)]
        return await self.answers.relay(
            conv, answers, reply_to=msg.id, delivered_seq=msg.seq, client=msg.client_tag
        )

    async def _outage_notice(self, conv: Conversation, msg: Message) -> Json:
        noticed = await self.repo.system_reply(conv.id, msg.id)
        if noticed is not None:
            return message_json(noticed)
        return await self.posting.notice(conv, "outage", reply_to=msg.id)

    async def retry_pending(self) -> int:
        """Answer messages Rasa could not take; returns how many were answered."""
        done = 0
        blocked: set[str] = (
            set()
        )  # conversations whose earlier message is still waiting: keep the order
        for candidate in await self.repo.claimable(utcnow()):
            if candidate.conversation_id in blocked:
                continue
            async with self.tasks.lock(candidate.conversation_id):
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
                conv = await self.access.get(msg.conversation_id)
                if conv.state != ConversationState.BOT:
                    await self.repo.mark_delivery(
                        msg.seq, Delivery.DONE
                    )  # a human has it; they see it
                    continue
                try:
                    last_reply = await self.repo.last_reply_before(conv.id, msg.seq)
                    answers = await self.answers.ask(conv, msg, last_reply, retry=True)
                except RasaUnavailable as exc:
                    log.debug("retry of %s failed: %s", msg.id, exc)
                    blocked.add(conv.id)
                    if now - msg.created_at > GIVE_UP_AFTER:
                        await self._give_up(conv, msg)
                    else:
                        await self.repo.mark_delivery(msg.seq, Delivery.PENDING)
                    continue
                await self.answers.relay(
                    conv, answers, reply_to=msg.id, delivered_seq=msg.seq, client=msg.client_tag
                )
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
