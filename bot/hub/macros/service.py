"""Who may see, change and apply which macro, and what applying one does.

Personal macros are their owner's alone; shared ones belong to a team (or to every team) and are
written by supervisors and admins, used by that team's agents. Applying a macro to a conversation
the agent holds sends its text in the conversation's register (Sie or du) with the variables filled,
sets its tags and runs its action (close, hand back, transfer to a team) - one click in the console.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Awaitable, Callable, Dict, List, Sequence

from bot.hub.conversations import ConversationService
from bot.hub.errors import Conflict, PermissionDenied
from bot.hub.handoff.queue import HandoffQueue
from bot.hub.handoff.visibility import sees_everything
from bot.hub.macros.canned import canned_macros
from bot.hub.macros.store import MacroStore, not_found
from bot.hub.macros.template import render, variables_in
from bot.hub.states import Sender
from bot.hub.store.models import Agent, Conversation, Macro
from bot.hub.store.serialize import conversation_json, iso, register_of
from bot.shared.company import Company

Json = Dict[str, Any]
ACTIONS = ("close", "handback", "transfer_team")
# The tag model (issue 27.9) sets a conversation's tags: (conversation, agent, tags) -> the tags it has now.
Tagger = Callable[[Conversation, Agent, List[str]], Awaitable[List[str]]]


@dataclass
class MacroDraft:
    """A macro as a request body describes it, checked (web/macros_routes.py reads it)."""

    title: str
    text: str
    text_du: str | None
    tags: List[str]
    action: str | None  # close, handback, transfer_team
    action_team: str | None
    personal: bool
    team: str | None


def action_text(macro: Macro) -> str | None:
    """The action as the API writes it: close, handback or transfer_team:<team key>."""
    if macro.action == "transfer_team":
        return f"transfer_team:{macro.action_team}"
    return macro.action


class MacroService:
    def __init__(
        self,
        store: MacroStore,
        queue: HandoffQueue,
        conversations: ConversationService,
        company: Company,
    ) -> None:
        self.store = store
        self.queue = queue
        self.conversations = conversations
        self.company = company
        self.tagger: Tagger | None = None  # set when the tag model is there

    async def import_canned(self) -> int:
        return await self.store.import_missing(canned_macros(self.company))

    def json(self, macro: Macro) -> Json:
        variables = variables_in(macro.text) + variables_in(macro.text_du or "")
        return {
            "id": macro.id,
            "title": macro.title,
            "text": macro.text,
            "text_du": macro.text_du,
            "tags": list(macro.tags or []),
            "action": action_text(macro),
            "scope": "personal" if macro.owner_agent_id is not None else "team",
            "team": macro.team,
            "team_name": self.queue.teams.get(macro.team).name if macro.team else None,
            "variables": list(dict.fromkeys(variables)),
            "canned": bool(macro.source_key and macro.source_key.startswith("canned:")),
            "updated_at": iso(macro.updated_at),
        }

    # -- who may do what --------------------------------------------------------------
    async def usable(self, agent: Agent) -> List[Macro]:
        return await self.store.visible(agent.id, await self.queue.agent_teams(agent))

    async def usable_one(self, agent: Agent, macro_id: int) -> Macro:
        """A macro this agent may use (404 otherwise: another's personal macro stays unknown)."""
        macro = await self.store.get(macro_id)
        if macro.owner_agent_id is not None:
            if macro.owner_agent_id != agent.id:
                raise not_found()
            return macro
        keys = await self.queue.agent_teams(agent)
        if keys is not None and macro.team is not None and macro.team not in keys:
            raise not_found()
        return macro

    def _may_share(self, agent: Agent) -> None:
        if not sees_everything(agent.role):
            raise PermissionDenied(
                "macro_shared_needs_supervisor",
                "Geteilte Makros legen Supervisoren und Admins an; Ihre eigenen Makros sind persönlich.",
            )

    async def editable(self, agent: Agent, macro_id: int) -> Macro:
        macro = await self.usable_one(agent, macro_id)
        if macro.owner_agent_id is None:
            self._may_share(agent)
        return macro

    def _fields(self, agent: Agent, draft: MacroDraft) -> Json:
        if draft.personal:
            team = None
        else:
            self._may_share(agent)
            team = self.queue.teams.require(draft.team).key if draft.team else None
        if draft.action_team is not None:
            self.queue.teams.require(draft.action_team)  # 404 team_not_found
        return {
            "title": draft.title,
            "text": draft.text,
            "text_du": draft.text_du,
            "tags": draft.tags,
            "action": draft.action,
            "action_team": draft.action_team,
            "owner_agent_id": agent.id if draft.personal else None,
            "team": team,
        }

    async def create(self, agent: Agent, draft: MacroDraft) -> Macro:
        return await self.store.add(Macro(**self._fields(agent, draft), created_by=agent.id))

    async def update(self, agent: Agent, macro_id: int, draft: MacroDraft) -> Macro:
        macro = await self.editable(agent, macro_id)
        if draft.personal != (macro.owner_agent_id is not None):
            raise Conflict(
                "macro_scope_fixed",
                "Ob ein Makro persönlich oder geteilt ist, bleibt: legen Sie dafür ein neues an.",
            )
        return await self.store.update(macro.id, self._fields(agent, draft))

    async def delete(self, agent: Agent, macro_id: int) -> None:
        await self.store.delete((await self.editable(agent, macro_id)).id)

    # -- applying ------------------------------------------------------------------------
    async def values(self, conv: Conversation, agent: Agent) -> Dict[str, str | None]:
        handoff = await self.queue.active_handoff(conv.id)
        summary: Json = (handoff.summary if handoff is not None else None) or {}
        name = conv.display_name or summary.get("customer_name") or summary.get("name")
        order = summary.get("order_id")
        return {
            "customer_name": str(name) if name else None,
            "order": str(order) if order else None,
            "team": self.queue.teams.get(handoff.team if handoff else None).name,
            "agent": agent.name,
        }

    async def preview(self, agent: Agent, conv: Conversation, macro: Macro) -> Json:
        register = register_of(conv)
        text = macro.text_du if register == "du" and macro.text_du else macro.text
        filled, missing = render(text, await self.values(conv, agent))
        return {"macro_id": macro.id, "register": register, "text": filled, "missing": missing}

    async def apply(
        self, agent: Agent, conv: Conversation, macro: Macro, edited: str | None
    ) -> Json:
        """Send, tag, act. The reply goes first: a failed action leaves the customer answered."""
        if macro.action == "transfer_team":
            self.queue.teams.require(macro.action_team or "")
        text = edited
        if text is None:
            shown = await self.preview(agent, conv, macro)
            if shown["missing"]:
                raise Conflict(
                    "macro_variable_missing",
                    "Für dieses Gespräch fehlt: "
                    + ", ".join("{" + m + "}" for m in shown["missing"])
                    + ". Bitte den Text im Antwortfeld ergänzen und dann senden.",
                )
            text = str(shown["text"])
        message = await self.conversations.post(conv, Sender.AGENT, text, agent=agent)
        self.conversations.background(self.conversations.log_agent_message(conv, agent, text))
        tags: List[str] = []
        if macro.tags and self.tagger is not None:
            tags = await self.tagger(conv, agent, list(macro.tags))
        await self._act(conv, macro)
        after = await self.conversations.get(conv.id)
        return {
            "message": message,
            "tags": tags if self.tagger is not None else list(macro.tags or []),
            "tags_applied": self.tagger is not None,
            "action": action_text(macro),
            "conversation": conversation_json(after),
        }

    async def _act(self, conv: Conversation, macro: Macro) -> None:
        if macro.action == "close":
            await self.queue.close(conv, f"Makro: {macro.title}")
        elif macro.action == "handback":
            await self.queue.hand_back(conv)
        elif macro.action == "transfer_team" and macro.action_team:
            await self.queue.transfer_to_team(conv, macro.action_team)


def search(macros: Sequence[Macro], query: str | None) -> List[Macro]:
    """Title first, then text: 'erst' finds 'Erstattung veranlasst' before a text that mentions it."""
    if not query:
        return list(macros)
    q = query.casefold().strip()
    by_title = [m for m in macros if q in m.title.casefold()]
    by_text = [
        m
        for m in macros
        if m not in by_title and (q in m.text.casefold() or q in (m.text_du or "").casefold())
    ]
    return by_title + by_text
