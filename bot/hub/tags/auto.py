"""The bot's tags: a conversation handed to a human, and a request recorded for one, are tagged with the
topic the dialogue named in its handoff summary (`topic`, the German label agents read, e.g.
"Bestellstatus"). Nothing is tagged when the topic is unknown ("unklar"). A failure only costs the tag:
the handoff or request goes on."""

from __future__ import annotations

import logging
from typing import Any, List

from bot.hub.events import HandoffRequested, Json, TicketCreated
from bot.hub.store.models import ConversationTag, TicketTag
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
