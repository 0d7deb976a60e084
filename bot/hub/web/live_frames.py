"""What customers and agents say over their websockets besides messages: "is typing" and "has read up
to message seq N" (issue 27.3). Live only, never stored: a reload shows no old typing or read marks.

Customer -> agents: {"type": "typing"} and {"type": "read", "seq": N} on the customer's socket reach
the console as {"type": "typing"|"read", "conversation_id", "sender": "customer"[, "seq"]} (the
agents' frame filter passes them only to agents who may see the conversation).
Agent -> customer: {"type": "typing"|"read", "conversation_id"[, "seq"]} on the agent's socket reaches
the widget as {"type": "typing"|"read", "sender": "agent"[, "seq"]}, only from the agent the
conversation is assigned to, while it is with them.
"""

from __future__ import annotations

import time
from typing import Any, Awaitable, Callable, Dict

from aiohttp import web

from bot.hub.errors import NotFound
from bot.hub.keys.dialogue import CONVERSATIONS
from bot.hub.keys.push import NOTIFIER
from bot.hub.mentions.viewers import Viewing
from bot.hub.states import ConversationState
from bot.hub.store.models import Agent

Frame = Dict[str, Any]
TYPING_EVERY = 2.0  # seconds: at most one typing frame per socket and conversation passes on
KINDS = ("typing", "read")


def _seq(frame: Frame) -> int | None:
    seq = frame.get("seq")
    return seq if isinstance(seq, int) and not isinstance(seq, bool) and seq >= 0 else None


class _Throttle:
    def __init__(self) -> None:
        self.last: Dict[str, float] = {}

    def allows(self, key: str) -> bool:
        now = time.monotonic()
        if now - self.last.get(key, -TYPING_EVERY) < TYPING_EVERY:
            return False
        if len(self.last) > 1000:
            self.last.clear()
        self.last[key] = now
        return True


def _relayed(frame: Frame, throttle: _Throttle, key: str) -> Frame | None:
    """The typing or read frame to pass on, or None (unknown, malformed or too frequent)."""
    kind = frame.get("type")
    if kind == "typing":
        return {"type": "typing"} if throttle.allows(key) else None
    if kind == "read":
        seq = _seq(frame)
        return {"type": "read", "seq": seq} if seq is not None else None
    return None


def from_customer(app: web.Application, conv_id: str) -> Callable[[Frame], Awaitable[None]]:
    throttle = _Throttle()

    async def incoming(frame: Frame) -> None:
        out = _relayed(frame, throttle, conv_id)
        if out is not None:
            await app[NOTIFIER].to_agents({**out, "conversation_id": conv_id, "sender": "customer"})

    return incoming


def from_agent(app: web.Application, agent: Agent) -> Callable[[Frame], Awaitable[None]]:
    throttle = _Throttle()
    # who looks at or replies in a conversation, for the other consoles
    viewing = Viewing(app, agent)

    async def incoming(frame: Frame) -> None:
        if frame.get("type") == "viewing":
            await viewing(frame)
            return
        conv_id = frame.get("conversation_id")
        if frame.get("type") not in KINDS or not isinstance(conv_id, str) or len(conv_id) > 40:
            return
        try:
            conv = await app[CONVERSATIONS].get(conv_id)
        except NotFound:
            return
        if conv.state != ConversationState.AGENT or conv.assigned_agent_id != agent.id:
            return  # only the agent talking to the customer
        out = _relayed(frame, throttle, conv_id)
        if out is not None:
            await app[NOTIFIER].to_customer(conv_id, {**out, "sender": "agent"})

    return incoming
