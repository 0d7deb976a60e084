"""An English-writing customer through the real stack (issue 22, pattern 12): the handoff the agent
receives says the customer writes English. The replies themselves are checked in
tests/replies/feelings_language.yml."""

from __future__ import annotations

import json
import sqlite3

import aiohttp
import pytest

from bot.ops.client import Customer

pytestmark = pytest.mark.stack


def handoff_summary(stack, conversation_id):
    """The summary the agent received with the conversation's handoff (None when there was none)."""
    path = stack.env["KD_DATABASE_URL"].split("///", 1)[1]
    with sqlite3.connect(path, timeout=30) as db:
        row = db.execute(
            "SELECT summary FROM handoffs WHERE conversation_id = ?", (conversation_id,)
        ).fetchone()
    return json.loads(row[0]) if row else None


async def test_an_english_customer_is_handed_over_with_an_english_note(stack):
    async with aiohttp.ClientSession() as s:
        c = await Customer(s, stack.hub_url).start()
        first = await c.say("Sorry, I don't speak German. Is there someone who speaks English?")
        assert "in English I can" in "\n".join(m.get("text") or "" for m in first)
        await c.say("Talk to a person", payload="/request_human")
    summary = handoff_summary(stack, c.id)
    assert summary["language"] == "en"
    assert any("Englisch" in note for note in summary["bot_actions"])


async def test_a_german_customer_has_no_english_note(stack):
    async with aiohttp.ClientSession() as s:
        c = await Customer(s, stack.hub_url).start()
        await c.say("Ich möchte bitte mit einem Mitarbeiter sprechen")
    summary = handoff_summary(stack, c.id)
    assert summary is not None and "language" not in summary
