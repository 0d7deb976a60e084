"""Storing a message and telling whoever listens (websockets, console, messenger platforms).

Who hears about a stored message is not this package's business: it emits MessagesStored.
"""

from __future__ import annotations

from typing import Any, List

from bot.hub.events import Events, Json, MessagesStored
from bot.hub.states import Sender
from bot.hub.store.conversations_repo import ConversationsRepo
from bot.hub.store.models import Agent, Conversation, Message
from bot.hub.store.serialize import message_json
from bot.shared.company import Company


class Posting:
    def __init__(self, repo: ConversationsRepo, events: Events, company: Company) -> None:
        self.repo = repo
        self.events = events
        self.company = company

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
