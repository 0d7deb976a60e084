"""A note names agents: each gets a mention, a live frame for their console ("Für mich"), and - when
they are not online and e-mail is on - one mail through the outbox. The mail says who mentioned them
and links the conversation; the note itself stays in the console (it may hold customer data).

A mention opens nothing: the note's text is shown only to a named agent who may see the conversation
now (the visibility policy, HandoffQueue.ensure_visible); anyone else learns who asked and which
conversation, and a supervisor can pass it on."""

from __future__ import annotations

import logging
import secrets
from typing import Any, Dict, List

from bot.hub.errors import DomainError
from bot.hub.handoff.queue import HandoffQueue
from bot.hub.mail.outbox import MailService
from bot.hub.mentions.names import mentioned
from bot.hub.mentions.store import MentionStore, Row
from bot.hub.notifier import Notifier
from bot.hub.store.models import Agent, MailOutbox, Mention, Note
from bot.hub.store.serialize import iso

log = logging.getLogger(__name__)
Json = Dict[str, Any]
MAIL_KIND = "mention"
EXCERPT = 280


def mention_json(mention: Mention, note: Note, by_name: str | None, visible: bool = True) -> Json:
    text = note.text if len(note.text) <= EXCERPT else note.text[: EXCERPT - 1] + "…"
    return {
        "id": mention.id,
        "conversation_id": mention.conversation_id,
        "note_id": note.id,
        "text": text if visible else None,
        "visible": visible,
        "by_name": by_name,
        "created_at": iso(mention.created_at),
        "read_at": iso(mention.read_at),
    }


class MentionService:
    def __init__(
        self, store: MentionStore, notifier: Notifier, mail: MailService, queue: HandoffQueue
    ) -> None:
        self.store = store
        self.notifier = notifier
        self.mail = mail
        self.queue = queue

    async def _may_see(self, agent: Agent, conv_id: str) -> bool:
        try:
            await self.queue.ensure_visible(agent, await self.queue.conversations.get(conv_id))
        except DomainError:
            return False
        return True

    async def on_note(self, note: Note, author: Agent) -> List[Json]:
        """The mentions of a new note (the author naming themselves is no mention)."""
        named = mentioned(note.text, await self.store.people()) - {author.id}
        if not named:
            return []
        rows = await self.store.add(note, sorted(named), author.id)
        shown = []
        recipients = {a.id: a for a in await self.store.recipients([m.agent_id for m in rows])}
        for row in rows:
            agent = recipients.get(row.agent_id)
            visible = agent is not None and await self._may_see(agent, row.conversation_id)
            shown.append(mention_json(row, note, author.name))  # the author wrote it
            # the agents' frame filter passes it to the named agent's consoles only
            await self.notifier.to_agents(
                {
                    "type": "mention",
                    "agent_id": row.agent_id,
                    "mention": mention_json(row, note, author.name, visible),
                }
            )
            if agent is not None and not MentionStore.online(agent):
                await self._mail(row, agent, author)
        return shown

    async def _mail(self, mention: Mention, agent: Agent, author: Agent) -> None:
        if not self.mail.enabled:
            return
        link = f"{self.mail.settings.base_url}/console#gespraech={mention.conversation_id}"
        body = (
            f"Hallo {agent.name},\n\n{author.name} hat Sie in einer internen Notiz erwähnt.\n\n"
            f"Gespräch öffnen: {link}\n\nDie Notiz steht in der Konsole unter „Für mich“."
        )
        domain = self.mail.sender.rpartition("@")[2] or "kundendialog.invalid"
        row = MailOutbox(
            dedupe_key=f"{MAIL_KIND}:{mention.id}",
            conversation_id=mention.conversation_id,
            kind=MAIL_KIND,
            to_addr=agent.email,
            subject=f"{author.name} hat Sie in der Konsole erwähnt",
            body=body,
            message_id=f"<kd.{MAIL_KIND}.{secrets.token_hex(12)}@{domain}>",
        )
        await self.mail.repo.enqueue_mail(row)
        self.mail.kick()

    async def of_agent(self, agent: Agent, unread_only: bool) -> List[Json]:
        rows: List[Row] = await self.store.of_agent(agent.id, unread_only)
        seen: Dict[str, bool] = {}
        for m, _n, _name in rows:
            if m.conversation_id not in seen:
                seen[m.conversation_id] = await self._may_see(agent, m.conversation_id)
        return [mention_json(m, n, name, seen[m.conversation_id]) for m, n, name in rows]

    async def mark_read(self, agent: Agent, mention_id: int) -> None:
        await self.store.mark_read(agent.id, mention_id)
        await self.notifier.to_agents(
            {"type": "mention_read", "agent_id": agent.id, "mention_id": mention_id}
        )
