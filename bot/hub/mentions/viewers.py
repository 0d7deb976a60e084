"""Who is looking at a conversation, and who is writing a reply in it: live frames between consoles,
never stored (like typing). A console sends {"type": "viewing", "conversation_id", "replying": bool}
when it opens a conversation, every few seconds while it stays open and when its agent starts or
stops writing, and {"type": "viewing", "conversation_id", "left": true} when it closes it. The other
consoles get {"type": "viewing", "conversation_id", "agent_id", "agent_name", "replying", "left"}
(only those that may see the conversation: the agents' frame filter) and forget an entry they have
not heard of for VIEWING_TTL seconds.
"""

from __future__ import annotations

import time
from typing import Any, Dict

from aiohttp import web

from bot.hub.errors import DomainError
from bot.hub.keys.dialogue import CONVERSATIONS
from bot.hub.keys.handoff import QUEUE
from bot.hub.keys.push import NOTIFIER
from bot.hub.store.models import Agent

VIEWING_TTL = 30  # seconds: the consoles repeat the frame every 10 s while a conversation is open
EVERY = 2.0  # seconds: at most one unchanged frame per agent and conversation passes on


class Viewing:
    """One agent socket's viewing frames, checked (the agent may see the conversation) and throttled."""

    def __init__(self, app: web.Application, agent: Agent) -> None:
        self.app = app
        self.agent = agent
        self.last: Dict[tuple, float] = {}

    async def __call__(self, frame: Dict[str, Any]) -> None:
        conv_id = frame.get("conversation_id")
        if not isinstance(conv_id, str) or not conv_id or len(conv_id) > 40:
            return
        replying, left = frame.get("replying") is True, frame.get("left") is True
        key = (conv_id, replying, left)
        now = time.monotonic()
        if now - self.last.get(key, -EVERY) < EVERY:
            return
        if len(self.last) > 200:
            self.last.clear()
        self.last[key] = now
        try:
            conv = await self.app[CONVERSATIONS].get(conv_id)
            await self.app[QUEUE].ensure_visible(self.agent, conv)
        except DomainError:
            return  # not theirs to look at: nothing to announce
        await self.app[NOTIFIER].to_agents(
            {
                "type": "viewing",
                "conversation_id": conv_id,
                "agent_id": self.agent.id,
                "agent_name": self.agent.name,
                "replying": replying and not left,
                "left": left,
                "ttl": VIEWING_TTL,
            }
        )
