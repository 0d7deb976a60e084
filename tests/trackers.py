"""Recorded tracker events and rasa-sdk trackers built from plain dicts (as rasa-sdk's own tests do)."""

from __future__ import annotations

from typing import Any, Dict, List


def user_event(
    text: str,
    intent: str,
    mood: float = 0.0,
    entities: List[Dict[str, Any]] | None = None,
    **parse: Any,
) -> Dict[str, Any]:
    """A recorded user event as Rasa stores it (parse_data includes our mood)."""
    data = {
        "intent": {"name": intent, "confidence": 0.99},
        "entities": entities or [],
        "text": text,
        "mood": {"score": mood, "signals": []},
        **parse,
    }
    return {"event": "user", "text": text, "parse_data": data}


def make_tracker(
    slots: Dict[str, Any] | None = None,
    events: List[Dict[str, Any]] | None = None,
    active_loop: str | None = None,
) -> Any:
    from rasa_sdk import Tracker

    events = events or []
    users = [e for e in events if e.get("event") == "user"]
    latest = users[-1]["parse_data"] if users else {}
    return Tracker(
        sender_id="test",
        slots=dict(slots or {}),
        latest_message=latest,
        events=events,
        paused=False,
        followup_action=None,
        active_loop={"name": active_loop} if active_loop else {},
        latest_action_name="action_listen",
    )
