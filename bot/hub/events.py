"""Domain events inside one hub, and the small dispatcher that delivers them.

Services announce what happened (a message was stored, a handoff was asked
for) instead of calling whoever cares; the app factory wires the listeners.
Listeners may return messages for the customer (the queue's notice), which
the emitter adds to its answer.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any, Awaitable, Callable, DefaultDict, Dict, List, Type, TypeVar

from bot.hub.store.models import Conversation, Ticket

Json = Dict[str, Any]


@dataclass(frozen=True)
class MessagesStored:
    """New messages of one conversation, already in the database, as API JSON."""

    conversation: Conversation
    messages: List[Json]


@dataclass(frozen=True)
class HandoffRequested:
    """The dialogue (or the hub, when Rasa stays down) wants a human."""

    conversation: Conversation
    payload: Json
    reply_to: str | None = None


@dataclass(frozen=True)
class Annotated:
    """Rasa's reading (intent, mood) of a customer message an agent is handling."""

    conversation: Conversation
    message_id: str
    intent: str | None
    mood: float | None


@dataclass(frozen=True)
class TicketCreated:
    """A request was recorded instead of (or after) waiting: `kind` "ticket" (nobody there) or "callback"."""

    conversation: Conversation
    ticket: Ticket
    kind: str


@dataclass(frozen=True)
class ContactGiven:
    """The customer answered a ticket or callback offer with a phone number or e-mail address (`contact`), or
    with a plain yes (`contact` None: ask for it), or gave one later for the open request (the bot's
    `contact` payload). `ticket`: the recorded request it belongs to; None while waiting in the queue (a
    callback instead of waiting)."""

    conversation: Conversation
    contact: str | None
    ticket: int | None
    reply_to: str | None
    from_bot: bool = (
        False  # the bot's `contact` payload: its ticket is checked against the conversation
    )


@dataclass(frozen=True)
class NoteGiven:
    """A wish the customer gave for the open request while the matter lies with the team (the bot's
    `note` payload): added to the request's note for the agents; the bot acknowledged it already."""

    conversation: Conversation
    note: str
    ticket: int


E = TypeVar("E")
Listener = Callable[[Any], Awaitable[List[Json] | None]]


class Events:
    def __init__(self) -> None:
        self._listeners: DefaultDict[type, List[Listener]] = defaultdict(list)

    def subscribe(
        self, event_type: Type[E], listener: Callable[[E], Awaitable[List[Json] | None]]
    ) -> None:
        self._listeners[event_type].append(listener)

    async def emit(self, event: object) -> List[Json]:
        """Runs the listeners in subscription order; returns what they answered, concatenated."""
        out: List[Json] = []
        for listener in self._listeners[type(event)]:
            out += await listener(event) or []
        return out
