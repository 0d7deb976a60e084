"""A request's statuses, the moves between them and the list's sort orders (issue 27.7)."""

from __future__ import annotations

from typing import Dict, FrozenSet, Tuple

from bot.hub.states import ACTIVE_TICKET, TicketStatus, values

OPEN, WAITING, DONE, REOPENED = (
    TicketStatus.OPEN,
    TicketStatus.WAITING,
    TicketStatus.DONE,
    TicketStatus.REOPENED,
)
# status -> the statuses it may move to. A done request is reopened, never silently open again.
TRANSITIONS: Dict[str, FrozenSet[str]] = {
    OPEN: frozenset({WAITING, DONE}),
    WAITING: frozenset({OPEN, DONE}),
    REOPENED: frozenset({WAITING, DONE}),
    DONE: frozenset({REOPENED}),
}
# ?status= of the list: one status, "active" (not done, the default) or "all"
STATUS_FILTERS: Dict[str, Tuple[str, ...] | None] = {
    "active": tuple(str(s) for s in ACTIVE_TICKET),
    "all": None,
    **{s: (s,) for s in values(TicketStatus)},
}
SORTS = ("oldest", "newest", "due")


def sources_of(target: str) -> Tuple[str, ...]:
    """The statuses a request may be in to move to `target`."""
    return tuple(sorted(s for s, to in TRANSITIONS.items() if target in to))
