"""Taking a request over into a chat (issue 27.7): the agent talks to the customer at once when the
customer can still be reached in their conversation, else the request stays a request, now theirs.

Reachable means the customer wrote recently enough to still be there: in the web chat within
`KD_TAKEOVER_WEBCHAT_MINUTES` (a tab left open), on messengers within `KD_TAKEOVER_MESSENGER_HOURS`
(the platforms' window for answers, Meta's 24 hours). A closed conversation is not reachable."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.hub.errors import Conflict
from bot.hub.handoff.queue import HandoffQueue
from bot.hub.settings import Settings
from bot.hub.states import ChannelName, ConversationState
from bot.hub.store.models import Agent, Conversation, Ticket
from bot.hub.store.tickets_repo import TicketsRepo


@dataclass(frozen=True)
class Windows:
    """How long after their last message a customer still reads the chat, per kind of channel."""

    webchat: timedelta = timedelta(minutes=30)
    messenger: timedelta = timedelta(hours=24)

    @classmethod
    def from_settings(cls, settings: Settings) -> Windows:
        return cls(
            timedelta(minutes=settings.takeover_webchat_minutes),
            timedelta(hours=settings.takeover_messenger_hours),
        )


def reachable(conv: Conversation | None, now: datetime, windows: Windows = Windows()) -> bool:
    if conv is None or conv.state == ConversationState.CLOSED or conv.last_customer_at is None:
        return False
    window = windows.webchat if conv.channel == ChannelName.WEBCHAT else windows.messenger
    return now - conv.last_customer_at <= window


@dataclass(frozen=True)
class TakeOver:
    mode: str  # "chat": the conversation is the agent's now; "ticket": kept as a request, assigned
    conversation: Conversation
    ticket: Ticket


async def take_over(
    queue: HandoffQueue,
    repo: TicketsRepo,
    agent: Agent,
    ticket: Ticket,
    now: datetime,
    windows: Windows = Windows(),
) -> TakeOver:
    conv = await queue.conversations.get(ticket.conversation_id)
    if conv.state == ConversationState.AGENT and conv.assigned_agent_id == agent.id:
        return TakeOver("chat", conv, await repo.assign_ticket(ticket.id, agent.id))
    if not reachable(conv, now, windows):
        return TakeOver("ticket", conv, await repo.assign_ticket(ticket.id, agent.id))
    if conv.state == ConversationState.AGENT:
        raise Conflict("already_claimed", "Dieses Gespräch betreut schon ein anderer Mitarbeiter.")
    if conv.state == ConversationState.QUEUED:
        conv = await queue.claim(agent, conv.id)  # its team's queue, capacity: as any claim
        return TakeOver("chat", conv, await repo.assign_ticket(ticket.id, agent.id))
    await queue.ensure_capacity(agent)
    conv = await repo.take_over(ticket, agent.id)
    await queue.conversations.notice(conv, "agent_joined", agent=agent.name)
    await queue.broadcast()
    await queue.publish_conversation(conv.id)
    return TakeOver("chat", conv, await repo.assign_ticket(ticket.id, agent.id))
