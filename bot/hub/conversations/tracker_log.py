"""Rasa's tracker while a human talks: the bot still hears the customer (intent and mood for the
agent, the handoff summary) and what the agent answered, without running a turn."""

from __future__ import annotations

import logging

from bot.hub.conversations.answers import as_plain_text
from bot.hub.events import Annotated, Events
from bot.hub.rasa_client import RasaClient, RasaUnavailable
from bot.hub.store.conversations_repo import ConversationsRepo
from bot.hub.store.models import Agent, Conversation, Message
from bot.shared.understanding import read_parse

log = logging.getLogger(__name__)


class TrackerLog:
    def __init__(self, repo: ConversationsRepo, rasa: RasaClient, events: Events) -> None:
        self.repo = repo
        self.rasa = rasa
        self.events = events

    async def customer_message(
        self, conv: Conversation, msg: Message, text: str | None = None
    ) -> None:
        """A customer message the bot does not answer (agent mode, an offer's answer, an e-mail reply):
        into the tracker, with Rasa's reading stored on the message and announced. Typed text goes in
        plain (as_plain_text, the bot path's rule): "/cancel_order{...}" typed while an agent has the
        conversation must not land in the history as an intent with entities that the dialogue reads.
        `text`: only this part of the message (a contact the hub noted; the bot answers the rest
        under the message's id, which reads and annotates it)."""
        part = text is not None
        text = as_plain_text(text) if part else msg.payload or as_plain_text(msg.text)
        try:
            parse = await self.rasa.parse(text)
            reading = read_parse(parse)
            intent, mood = reading.intent, reading.mood
            await self.rasa.append_events(
                conv.id,
                [
                    {
                        "event": "user",
                        "text": text,
                        "parse_data": parse,
                        "input_channel": conv.channel,
                        "message_id": f"{msg.id}-part" if part else msg.id,
                        "timestamp": msg.created_at.timestamp(),
                    }
                ],
            )
        except RasaUnavailable as exc:
            log.warning("could not log message %s to the tracker: %s", msg.id, exc)
            return
        if part:
            return
        await self.repo.annotate(
            msg.seq, intent, mood, top_intent=reading.top_intent, confidence=reading.confidence
        )
        await self.events.emit(Annotated(conv, msg.id, intent, mood))

    async def agent_message(self, conv: Conversation, agent: Agent, text: str) -> None:
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
