"""The order flows through the real stack against every shop backend (tests/shop_backends.py).

Per backend, the action server is started again with that backend's KD_* settings, pointing at
its fake platform served on 127.0.0.1 (tests/fakes_shop); Rasa and the hub stay the same. The
dialogues are tests/replies/shop/*.yml, checked like tests/integration/test_replies.py; a
dialogue that `needs` a capability the backend lacks runs its `without` turns instead (the bot
says it cannot do that here and offers a human). Adding a backend is one entry in
tests/shop_backends.py.
"""

from __future__ import annotations

import sqlite3
from contextlib import ExitStack
from pathlib import Path
from typing import Any, Dict, Iterator, List

import pytest
import yaml

from bot.ops.launcher import seed_shop, wait_http
from tests.fakes_shop.base import serving_in_thread
from tests.integration.test_replies import play
from tests.shop_backends import BACKENDS, BackendCase

pytestmark = pytest.mark.stack

DIR = Path(__file__).resolve().parents[1] / "replies" / "shop"
DIALOGUES = [
    d
    for path in sorted(DIR.glob("*.yml"))
    for d in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("dialogues", [])
]


FAKES: Dict[str, Any] = {}  # backend name -> its running fake platform (None for the demo shop)
DOWN = [
    {"user": "Wo ist meine Bestellung 100234?", "bot": ["E-Mail-Adresse"]},
    {
        "user": "anna.schmidt@web.de",
        "bot": ["Shop-System antwortet gerade nicht", "jemandem aus unserem Team"],
        "not": ["keine Bestellung", "DHL"],
        "buttons": ["Ja, bitte"],
    },
    {"tap": "Ja, bitte", "bot": ["Vorgangsnummer"]},
]


def _restart_actions(stack: Any, env: Dict[str, str]) -> None:
    """The action server again, with `env` (Rasa reconnects on the next call)."""
    old = stack.named["actions"]
    old.terminate()
    old.wait(15)
    proc = stack.spawn("actions", stack.argv["actions"], env)
    wait_http(f"http://127.0.0.1:{stack.ports['actions']}/health", 120, proc)


@pytest.fixture(scope="module", params=BACKENDS, ids=lambda case: case.name)
def backend(request: pytest.FixtureRequest, stack: Any) -> Iterator[BackendCase]:
    case: BackendCase = request.param
    path = stack.env["KD_DATABASE_URL"].split("///", 1)[1]
    with sqlite3.connect(path, timeout=30) as db:  # a ticket, not a queue position (test_replies)
        db.execute("UPDATE agents SET status = 'offline'")
    seed_shop(stack.env["KD_SHOP_DATABASE_URL"])  # the demo orders as every fake serves them
    with ExitStack() as running:
        fake = running.enter_context(serving_in_thread(case.fake())) if case.fake else None
        FAKES[case.name] = fake
        _restart_actions(stack, {**stack.env, **case.env(fake)})
        try:
            yield case
        finally:
            _restart_actions(stack, stack.env)
            seed_shop(stack.env["KD_SHOP_DATABASE_URL"])  # other tests expect the seeded shop


@pytest.mark.parametrize("dialogue", DIALOGUES, ids=[d["name"] for d in DIALOGUES])
async def test_order_flow(stack: Any, backend: BackendCase, dialogue: Dict[str, Any]) -> None:
    lacking = set(dialogue.get("needs") or []) - backend.capabilities
    turns: List[Dict[str, Any]] = dialogue["without"] if lacking else dialogue["turns"]
    await play(stack, turns, f"{backend.name}: {dialogue['name']}")


async def test_a_shop_that_is_down_is_told_and_a_person_offered(
    stack: Any, backend: BackendCase
) -> None:
    """Every call to the platform fails (503): the customer hears so within the deadline, is
    offered a person and gets a ticket (nobody is online) - no silence, no "unknown order"."""
    fake = FAKES.get(backend.name)
    if fake is None:
        pytest.skip("the demo shop is a local database")
    fake.fail_next(503, times=1000)
    try:
        await play(stack, DOWN, f"{backend.name}: shop down")
    finally:
        fake._failures.clear()
