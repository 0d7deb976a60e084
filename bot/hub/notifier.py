"""Outbound fan-out: every stored message reaches the customer's websockets, the console
and the customer's messenger platform; queue and state frames go out the same way."""

from __future__ import annotations

import logging
from typing import Any, Dict, Protocol

from bot.hub.bus import Bus
from bot.hub.events import Annotated, Json, MessagesStored
from bot.hub.states import ConversationState, Sender
from bot.hub.store.models import Conversation
from bot.hub.store.serialize import customer_message, register_of

log = logging.getLogger(__name__)
AGENTS = "agents"
WITH_AGENTS = (ConversationState.QUEUED, ConversationState.AGENT)


def customer_topic(conv_id: str) -> str:
    return f"conv:{conv_id}"


class Outbound(Protocol):
    """A messenger channel that pushes hub messages to its platform."""

    async def send(self, conversation: Conversation, message: Dict[str, Any]) -> None: ...


class Notifier:
    def __init__(self, bus: Bus) -> None:
        self.bus = bus
        self.outbound: Dict[str, Outbound] = {}

    async def to_agents(self, frame: Json) -> None:
        await self.bus.publish(AGENTS, frame)

    async def to_customer(self, conv_id: str, frame: Json) -> None:
        await self.bus.publish(customer_topic(conv_id), frame)

    async def on_messages(self, event: MessagesStored) -> None:
        conv = event.conversation
        channel = self.outbound.get(conv.channel)
        for message in event.messages:
            shown = customer_message(
                message
            )  # agents get the whole message, the customer no triage
            if shown is not None:
                await self.to_customer(
                    conv.id, {"type": "message", "message": shown, "register": register_of(conv)}
                )
            if conv.state in WITH_AGENTS:
                await self.to_agents(
                    {
                        "type": "message",
                        "conversation_id": conv.id,
                        "message": message,
                        "register": register_of(conv),
                    }
                )
            if channel is not None and message["sender"] != Sender.CUSTOMER:
                try:
                    await channel.send(conv, message)
                except Exception:  # noqa: BLE001 - a platform outage must not break the hub
                    log.exception("delivery to %s failed for %s", conv.channel, conv.id)

    async def on_annotated(self, event: Annotated) -> None:
        await self.to_agents(
            {
                "type": "annotation",
                "conversation_id": event.conversation.id,
                "message_id": event.message_id,
                "intent": event.intent,
                "mood": event.mood,
            }
        )
