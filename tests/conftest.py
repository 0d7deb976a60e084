"""Shared test set-up: a private demo-shop database, and the real stack for integration and browser tests.

Loaded by both environments: the Rasa side (actions, NLU components, core)
and the hub side (hub, integration, browser); imports of either side stay
inside the fixtures that need them.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
_TMP = Path(tempfile.mkdtemp(prefix="kd-test-"))
os.environ.setdefault("KD_SHOP_DATABASE_URL", f"sqlite:///{_TMP / 'shop.db'}")
os.environ.setdefault("RASA_TELEMETRY_ENABLED", "false")


@pytest.fixture(scope="session")
def stack():
    """The real stack, started once per test session for integration and browser tests."""
    from bot.ops.launcher import start_stack

    directory = Path(tempfile.mkdtemp(prefix="kd-stack-"))
    # Every test customer comes from 127.0.0.1: the per-client rate limit would count the whole suite
    # (hundreds of reply-level dialogues) as one client and answer 429 half-way through.
    # The same holds for the cap on urgent handoffs per client (2 an hour): the dialogues escalate
    # angry and legal messages on purpose, and later tests check those still queue as urgent.
    # The help pages are a copy the knowledge dialogues may add a page to while the stack runs.
    pages = directory / "pages"
    shutil.copytree(ROOT / "knowledge" / "pages", pages)
    running = start_stack(
        directory,
        KD_RATE_CLIENT="100000/60",
        KD_RATE_URGENT="100000/3600",
        KD_KNOWLEDGE_DIR=str(pages),
        KD_KNOWLEDGE_INDEX_DIR=str(directory / "knowledge-index"),
        KD_KNOWLEDGE_CASES_FILE=str(directory / "knowledge-cases.yml"),
    )
    yield running
    running.stop()
