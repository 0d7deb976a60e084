"""When a request's customer can still be reached in the chat (issue 27.7)."""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.hub.settings import load_settings
from bot.hub.store.models import Conversation
from bot.hub.tickets.status import TRANSITIONS, sources_of
from bot.hub.tickets.takeover import Windows, reachable

NOW = datetime(2026, 12, 7, 10, 0)


def conv(channel: str, minutes_ago: float | None, state: str = "bot") -> Conversation:
    last = None if minutes_ago is None else NOW - timedelta(minutes=minutes_ago)
    return Conversation(id="c", channel=channel, state=state, last_customer_at=last)


def test_reachable_while_the_customer_can_still_read_the_chat():
    assert reachable(conv("webchat", 29), NOW)
    assert not reachable(conv("webchat", 31), NOW)
    assert reachable(conv("whatsapp", 23 * 60), NOW)
    assert not reachable(conv("whatsapp", 25 * 60), NOW)
    assert not reachable(conv("webchat", 1, state="closed"), NOW)
    assert not reachable(conv("webchat", None), NOW) and not reachable(None, NOW)


def test_status_moves():
    assert sources_of("reopened") == ("done",)
    assert sources_of("done") == ("open", "reopened", "waiting")
    assert all(status not in to for status, to in TRANSITIONS.items())  # no move to itself


def test_the_windows_are_the_operators_settings():
    settings = load_settings(
        dotenv=False,
        environ={"KD_TAKEOVER_WEBCHAT_MINUTES": "5", "KD_TAKEOVER_MESSENGER_HOURS": "1.5"},
    )
    windows = Windows.from_settings(settings)
    assert windows == Windows(timedelta(minutes=5), timedelta(minutes=90))
    assert reachable(conv("webchat", 4), NOW, windows)
    assert not reachable(conv("webchat", 6), NOW, windows)
    assert reachable(conv("telegram", 89), NOW, windows)
    assert not reachable(conv("telegram", 91), NOW, windows)
