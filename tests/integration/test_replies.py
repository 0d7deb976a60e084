"""Reply-level conversation tests: every dialogue in tests/replies/*.yml, through the hub and the real stack.

`rasa test` (test_stories.py) checks which actions ran; these check what the customer reads.
A dialogue is a list of turns; each turn sends `user` (typed text) or taps a button (`tap`: its
title, which must have been offered by the previous turn) and checks the bot's replies of that turn:

    dialogues:
    - name: anything else? no thanks ends politely (Sie)
      welcome: true              # optional: the chat opens with the widget's greeting first
      turns:
      - user: Was kostet der Versand?
        bot: ["4,95 €"]          # each must appear in the turn's joined replies (case-sensitive)
      - user: nein danke
        bot: ["schönen Tag"]
        not: ["Mitarbeiter"]     # none may appear
        once: ["mir leid"]       # each must appear exactly once (one apology, not two)
        buttons: ["Überspringen"] # each must be a button title offered in this turn
        state: bot               # the conversation state afterwards (bot, queued, agent, closed ...)
      shop_unchanged: true       # optional: afterwards the demo shop has no new return or ticket and
                                 # no order changed status or address (nothing the customer did not confirm)
      created:                   # optional: exactly these records are new afterwards - no duplicate case
        returns: 1               # demo shop returns
        tickets: 0               # demo shop tickets (complaints, requests for the team)
        requests: 1              # the hub's requests (handoffs while nobody is reachable)

Every dialogue meets the seeded demo shop: one that changed it (a return, a complaint) has the shop
seeded again before the next, so an open case left by one dialogue is not offered in another.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any, Dict, List

import aiohttp
import pytest
import yaml

from bot.ops.client import Customer
from bot.ops.launcher import seed_shop

pytestmark = pytest.mark.stack

DIR = Path(__file__).resolve().parents[1] / "replies"


def _dialogues() -> List[Any]:
    found = []
    for path in sorted(DIR.glob("*.yml")):
        for dialogue in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get(
            "dialogues", []
        ):
            found.append(pytest.param(dialogue, id=f"{path.stem}: {dialogue['name']}"))
    return found


def _check(
    turn: Dict[str, Any], replies: List[Dict[str, Any]], state: str | None, where: str
) -> None:
    text = "\n".join(m.get("text") or "" for m in replies)
    titles = [b.get("title") for m in replies for b in (m.get("buttons") or [])]
    shown = f"{where}\n--- replies ---\n{text}\n--- buttons --- {titles}"
    for wanted in turn.get("bot", []):
        assert wanted in text, f"expected {wanted!r}\n{shown}"
    for unwanted in turn.get("not", []):
        assert unwanted not in text, f"did not expect {unwanted!r}\n{shown}"
    for single in turn.get("once", []):
        assert text.count(single) == 1, f"expected {single!r} exactly once\n{shown}"
    for title in turn.get("buttons", []):
        assert title in titles, f"expected button {title!r}\n{shown}"
    if "state" in turn:
        assert state == turn["state"], f"expected state {turn['state']!r}, got {state!r}\n{shown}"


@pytest.fixture(scope="module", autouse=True)
def nobody_online(stack):
    """The dialogues expect what a customer meets when no agent is online (a ticket, not a queue
    position): agents that earlier tests on the shared stack logged in are set offline first."""
    path = stack.env["KD_DATABASE_URL"].split("///", 1)[1]
    with sqlite3.connect(path, timeout=30) as db:
        db.execute("UPDATE agents SET status = 'offline'")


def shop_records(stack: Any) -> Dict[str, Any]:
    """The demo shop's records the bot can create or change: returns, tickets, order states and addresses."""
    path = stack.env["KD_SHOP_DATABASE_URL"].split("///", 1)[1]
    with sqlite3.connect(path, timeout=30) as db:
        return {
            "returns": db.execute("SELECT count(*) FROM shop_returns").fetchone()[0],
            "tickets": db.execute("SELECT count(*) FROM shop_tickets").fetchone()[0],
            "orders": sorted(db.execute("SELECT id, status, shipping_address FROM shop_orders")),
        }


SEEDED: Dict[str, Any] = {}  # the seeded shop's records (shop_records), once per module


def seeded_shop(stack: Any) -> None:
    """The demo shop as seeded, before each dialogue: seeded again only when something changed."""
    if "records" not in SEEDED:
        seed_shop(stack.env["KD_SHOP_DATABASE_URL"])
        SEEDED["records"] = shop_records(stack)
    elif shop_records(stack) != SEEDED["records"]:
        seed_shop(stack.env["KD_SHOP_DATABASE_URL"])


def hub_requests(stack: Any, conversation: str) -> int:
    """The hub's requests (tickets) of one conversation."""
    path = stack.env["KD_DATABASE_URL"].split("///", 1)[1]
    with sqlite3.connect(path, timeout=30) as db:
        query = "SELECT count(*) FROM tickets WHERE conversation_id = ?"
        return int(db.execute(query, (conversation,)).fetchone()[0])


def new_records(stack: Any, before: Dict[str, Any], conversation: str) -> Dict[str, int]:
    """What the dialogue created: demo shop returns and tickets, and the hub's requests."""
    after = shop_records(stack)
    return {
        "returns": after["returns"] - before["returns"],
        "tickets": after["tickets"] - before["tickets"],
        "requests": hub_requests(stack, conversation),
    }


@pytest.mark.parametrize("dialogue", _dialogues())
async def test_dialogue(stack, dialogue):
    seeded_shop(stack)
    before = shop_records(stack)
    conversation = await play(
        stack, dialogue["turns"], dialogue["name"], welcome=bool(dialogue.get("welcome"))
    )
    if dialogue.get("shop_unchanged"):
        assert shop_records(stack) == before, "the dialogue changed the shop unasked"
    if "created" in dialogue:
        made = new_records(stack, before, conversation)
        wanted = {key: made[key] for key in dialogue["created"]}
        assert wanted == dialogue["created"], f"created {made}, expected {dialogue['created']}"


async def play(stack, turns: List[Dict[str, Any]], name: str, welcome: bool = False) -> str:
    """One dialogue's turns as a new customer of the stack's hub, each turn checked (_check); the
    conversation's id."""
    offered: Dict[str, str] = {}
    async with aiohttp.ClientSession() as s:
        c = await Customer(s, stack.hub_url).start(welcome=welcome)
        for number, turn in enumerate(turns, 1):
            if "tap" in turn:
                assert turn["tap"] in offered, (
                    f"turn {number}: button {turn['tap']!r} not offered: {list(offered)}"
                )
                replies = await c.say(turn["tap"], payload=offered[turn["tap"]])
                said = f"[tap] {turn['tap']}"
            else:
                replies = await c.say(turn["user"])
                said = turn["user"]
            replies = [m for m in replies if m.get("sender") != "customer"]
            offered = {b["title"]: b["payload"] for m in replies for b in (m.get("buttons") or [])}
            state = (await c.state()).get("state") if "state" in turn else None
            _check(turn, replies, state, f"{name} – turn {number}: {said}")
        return str(c.id)
