"""Shared test set-up: a private demo-shop database and tracker builders."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any, Dict, List

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
_TMP = Path(tempfile.mkdtemp(prefix="kd-test-"))
os.environ.setdefault("KD_SHOP_DATABASE_URL", f"sqlite:///{_TMP / 'shop.db'}")
os.environ.setdefault("RASA_TELEMETRY_ENABLED", "false")


@pytest.fixture(scope="session")
def domain() -> Dict[str, Any]:
    return yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))


@pytest.fixture()
def shop_db() -> str:
    """A freshly seeded demo shop for each test that changes orders."""
    from actions.seed import seed

    seed(os.environ["KD_SHOP_DATABASE_URL"])
    return os.environ["KD_SHOP_DATABASE_URL"]


def user_event(text: str, intent: str, mood: float = 0.0, entities: List[Dict[str, Any]] | None = None,
               **parse: Any) -> Dict[str, Any]:
    """A recorded user event as Rasa stores it (parse_data includes our mood)."""
    data = {"intent": {"name": intent, "confidence": 0.99}, "entities": entities or [], "text": text,
            "mood": {"score": mood, "signals": []}, **parse}
    return {"event": "user", "text": text, "parse_data": data}


def make_tracker(slots: Dict[str, Any] | None = None, events: List[Dict[str, Any]] | None = None,
                 active_loop: str | None = None) -> Any:
    from rasa_sdk import Tracker

    events = events or []
    users = [e for e in events if e.get("event") == "user"]
    latest = users[-1]["parse_data"] if users else {}
    return Tracker(sender_id="test", slots=dict(slots or {}), latest_message=latest, events=events, paused=False,
                   followup_action=None, active_loop={"name": active_loop} if active_loop else {},
                   latest_action_name="action_listen")


@pytest.fixture(scope="session")
def stack():
    """The real stack, started once per test session for integration and browser tests."""
    from tests.stack import start_stack

    directory = Path(tempfile.mkdtemp(prefix="kd-stack-"))
    running = start_stack(directory)
    yield running
    running.stop()
