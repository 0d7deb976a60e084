"""Who may see and act on which conversation, and the per-socket filter that enforces it on frames."""

from __future__ import annotations

from typing import Any, Callable, Dict, List, Tuple

from bot.hub.states import AgentRole, ConversationState
from bot.hub.store.models import Agent, Conversation
from bot.hub.store.parts import VisibilityStore

ELEVATED = (AgentRole.SUPERVISOR, AgentRole.ADMIN)


def sees_everything(role: str) -> bool:
    """Supervisors and admins read and act on every conversation."""
    return role in ELEVATED


def can_see(
    agent_id: int,
    role: str,
    state: str | None,
    assigned_agent_id: int | None,
    open_ticket: bool = False,
) -> bool:
    """The visibility policy. An agent sees the queue (waiting conversations), the conversations
    assigned to them, and conversations with an open ticket of one of their teams (the team's callback
    list: `open_ticket` says so, HandoffQueue.ensure_visible checks the team); never bot-only or closed
    conversations of others. Supervisors and admins see everything."""
    if sees_everything(role):
        return True
    if state == ConversationState.QUEUED:
        return True
    if state == ConversationState.AGENT and assigned_agent_id == agent_id:
        return True
    return open_ticket


def sees_team_item(role: str, team_ok: bool) -> bool:
    """Customer history, request and tag lists (issue 27.7, 27.9, 27.12): a plain agent sees an earlier
    conversation or a request only when it belongs to one of their teams (`team_ok`: its team passes
    HandoffQueue.team_filter), another team's never, whatever its state. Supervisors and admins: all."""
    return sees_everything(role) or team_ok


def may_act(agent: Agent, conv: Conversation) -> bool:
    """Reply, transfer, hand back, close: the assignee, or a supervisor/admin."""
    return conv.assigned_agent_id == agent.id or sees_everything(agent.role)


class FrameFilter:
    """What one agent's websocket may receive, frame by frame (deny by default).

    Queue and ticket frames go to everyone (with teams: only the agent's teams' queues and
    requests); message, annotation and note frames only for conversations the agent may see;
    a conversation frame also when it tells the agent that a conversation they saw is no
    longer theirs, but never the state of another team's waiting conversation. Supervisors
    and admins get all.
    The filter learns each conversation's state from the frames it passes (in order, per
    socket) and asks the database only for a conversation it has not heard of yet.
    """

    LIMIT = 10_000  # conversations remembered per socket

    def __init__(self, repo: VisibilityStore, agent: Agent) -> None:
        self.repo = repo
        self.agent = agent
        self.known: Dict[str, Tuple[str | None, int | None]] = {}
        self.teams: List[str] | None = (
            None  # the agent's teams when teams are configured (None: every queue)
        )
        self.other_team: set[str] = (
            set()
        )  # waiting conversations of other teams: not this agent's to see
        self.team_of: Callable[[Any], str] = lambda key: str(
            key
        )  # a stored team value -> its team's key

    def _visible(self, state: Tuple[str | None, int | None] | None) -> bool:
        return state is not None and can_see(self.agent.id, self.agent.role, state[0], state[1])

    def _remember(self, conv_id: str, state: Tuple[str | None, int | None]) -> None:
        if len(self.known) >= self.LIMIT:
            self.known.clear()
        self.known[conv_id] = state

    async def seed(self) -> None:
        """What the agent can see at connect: their conversations and the queue."""
        if sees_everything(self.agent.role):
            return
        for conv in await self.repo.agent_conversations(self.agent.id):
            self._remember(conv.id, (conv.state, conv.assigned_agent_id))
        for _handoff, conv in await self.repo.queued():
            self._remember(conv.id, (conv.state, conv.assigned_agent_id))

    async def _state(self, conv_id: str) -> Tuple[str | None, int | None] | None:
        if conv_id not in self.known:
            conv = await self.repo.conversation(conv_id)
            if conv is None:
                return None
            self._remember(conv_id, (conv.state, conv.assigned_agent_id))
            if self.teams is not None and conv.state == ConversationState.QUEUED:
                # queued just now (its queue frame follows): which team's queue?
                handoff = await self.repo.latest_handoff(conv_id)
                if handoff is not None and self.team_of(handoff.team) not in self.teams:
                    self.other_team.add(conv_id)
        return self.known[conv_id]

    async def __call__(self, frame: Dict[str, Any]) -> Dict[str, Any] | None:
        kind = frame.get("type")
        if not isinstance(kind, str) or kind.startswith("_"):
            return None  # internal control frames never leave the hub
        if kind == "presence":
            return frame  # no content: consoles fetch the online counts they may see
        if kind in ("mention", "mention_read"):  # the named agent's consoles only
            return frame if frame.get("agent_id") == self.agent.id else None
        if kind == "queue":
            if self.teams is not None:
                handoffs = [h for h in frame.get("handoffs") or [] if isinstance(h, dict)]
                mine = [h for h in handoffs if h.get("team") in self.teams]
                if len(self.other_team) >= self.LIMIT:
                    self.other_team.clear()
                # kept after they leave the queue: the conversation frame that follows is no news for this agent
                self.other_team = (
                    self.other_team
                    | {
                        h["conversation_id"]
                        for h in handoffs
                        if h.get("team") not in self.teams
                        and isinstance(h.get("conversation_id"), str)
                    }
                ) - {h.get("conversation_id") for h in mine}
                frame = {**frame, "handoffs": mine}
            for h in frame.get("handoffs") or []:
                if isinstance(h, dict) and isinstance(h.get("conversation_id"), str):
                    self._remember(h["conversation_id"], (ConversationState.QUEUED, None))
            return frame
        if kind == "conversation":
            conv = frame.get("conversation") or {}
            conv_id = conv.get("conversation_id")
            if not isinstance(conv_id, str):
                return None
            before = self.known.get(conv_id)
            after = (conv.get("state"), conv.get("assigned_agent_id"))
            self._remember(conv_id, after)
            if sees_everything(self.agent.role):
                return frame
            mine_before = before is not None and before[1] == self.agent.id
            if conv_id in self.other_team:
                # another team's waiting conversation: only the agent who handed it over learns it left them,
                # and its leaving that queue (callback, claim) is not this agent's news either
                if after[0] == ConversationState.QUEUED:
                    return frame if mine_before else None
                self.other_team.discard(conv_id)
                return frame if mine_before or self._visible(after) else None
            return frame if self._visible(after) or self._visible(before) else None
        if sees_everything(self.agent.role):
            return frame
        if kind == "ticket":
            ticket = frame.get("ticket")
            if self.teams is not None and (
                not isinstance(ticket, dict) or self.team_of(ticket.get("team")) not in self.teams
            ):
                return None  # another team's request
            return frame
        if kind in ("message", "annotation", "note", "typing", "read", "viewing"):
            conv_id = frame.get("conversation_id")
            state = await self._state(conv_id) if isinstance(conv_id, str) else None
            if (
                state is not None
                and state[0] == ConversationState.QUEUED
                and conv_id in self.other_team
            ):
                return None
            if isinstance(conv_id, str) and self._visible(state):
                return frame
        return None
