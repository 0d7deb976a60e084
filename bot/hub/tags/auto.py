"""The bot's tags: a conversation handed to a human, and a request recorded for one, are tagged with the
topic the dialogue named in its handoff summary (`topic`, the German label agents read, e.g.
"Bestellstatus"). Nothing is tagged when the topic is unknown ("unklar"). A failure only costs the tag:
the handoff or request goes on. A macro's tags go through `conversation_tagger`."""

from __future__ import annotations

import logging
from typing import Any, Awaitable, Callable, List

from bot.hub.events import HandoffRequested, Json, TicketCreated
from bot.hub.store.models import Agent, Conversation, ConversationTag, TicketTag
from bot.hub.store.tags_repo import TagsRepo

log = logging.getLogger(__name__)
UNKNOWN = {"", "unklar"}


def topic_tag(summary: Any) -> str | None:
    if not isinstance(summary, dict):
        return None
    topic = " ".join(str(summary.get("topic") or "").split())
    return topic[:40] if topic.lower() not in UNKNOWN else None


class AutoTagger:
    def __init__(self, repo: TagsRepo) -> None:
        self.repo = repo

    async def on_handoff(self, event: HandoffRequested) -> List[Json]:
        name = topic_tag(event.payload.get("summary"))
        if name:
            try:
                await self.repo.add_tag(ConversationTag, event.conversation.id, name, None)
            except Exception:  # noqa: BLE001
                log.exception("could not tag conversation %s", event.conversation.id)
        return []

    async def on_ticket(self, event: TicketCreated) -> List[Json]:
        name = topic_tag(event.ticket.summary)
        if name:
            try:
                await self.repo.add_tag(TicketTag, event.ticket.id, name, None)
            except Exception:  # noqa: BLE001
                log.exception("could not tag request %s", event.ticket.id)
        return []


def conversation_tagger(
    repo: TagsRepo,
) -> Callable[[Conversation, Agent, List[str]], Awaitable[List[str]]]:
    """What a macro's tags do (bot/hub/macros/service.py `Tagger`): each one is set on the conversation,
    by the agent who applied the macro; returns the names the conversation carries now."""

    async def tag(conv: Conversation, agent: Agent, names: List[str]) -> List[str]:
        for name in names:
            if " ".join(str(name).split()):
                await repo.add_tag(ConversationTag, conv.id, str(name)[:40], agent.id)
        found = await repo.tag_map(ConversationTag, [conv.id])
        return [t["name"] for t in found[conv.id]]

    return tag
