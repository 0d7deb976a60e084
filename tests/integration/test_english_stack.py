"""An English-writing customer through the real stack (issue 22, pattern 12): the handoff the agent
receives says the customer writes English. The replies themselves are checked in
tests/replies/feelings_language.yml."""

from __future__ import annotations

import json
import re
import sqlite3

import aiohttp
import pytest

from bot.ops.client import Customer
from bot.shared.language import detect_language

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


def german(text: str) -> bool:
    """German in a reply: its function words say so (the hub and Rasa use the same detector)."""
    return detect_language(text) == "de"


async def test_an_english_customer_gets_the_status_and_the_goodbye_in_english(stack):
    """Verification questions, the status answer and the thanks: English end to end (issue 22.12)."""
    async with aiohttp.ClientSession() as s:
        c = await Customer(s, stack.hub_url).start()
        ask = await c.texts("Hi, where is my order 100234?")
        assert "e-mail" in ask and not german(ask)
        status = await c.texts("anna.schmidt@web.de")
        assert "100234" in status and "tracking number" in status and not german(status)
        thanks = await c.texts("Thank you very much!")
        assert re.search(r"welcome|anything else", thanks) and not german(thanks)


async def test_an_english_cancellation_is_confirmed_in_english_and_a_no_keeps_the_order(stack):
    """The summary question is English and nothing changes in the shop without a yes."""
    async with aiohttp.ClientSession() as s:
        c = await Customer(s, stack.hub_url).start()
        await c.texts("I would like to cancel my order 100236, please.")
        question = await c.texts("leonie.wagner@t-online.de")
        assert "Shall I cancel your order 100236" in question and not german(question)
        kept = await c.texts("No")
        assert "stays as it is" in kept and not german(kept)


async def test_a_repeated_topic_gets_the_part_asked_about(stack):
    """ "Is the return free?" after the return policy: the free-return sentence, not the block again."""
    async with aiohttp.ClientSession() as s:
        c = await Customer(s, stack.hub_url).start()
        policy = await c.texts("How many days do I have to send something back?")
        follow_up = await c.texts("And is sending it back free?")
        assert "free" in follow_up and follow_up != policy and not german(follow_up)


async def test_an_english_return_is_asked_and_summed_up_in_english(stack):
    """Reason, refund or exchange, the summary and its no: English throughout, nothing created."""
    async with aiohttp.ClientSession() as s:
        c = await Customer(s, stack.hub_url).start()
        replies = [
            await c.texts("I would like to return the jacket from order 100235."),
            await c.texts("jonas.becker@gmx.de"),
            await c.texts("It is too small for me."),
        ]
        if "money back" in replies[-1]:  # the mode was not in the reason
            replies.append(await c.texts("Money back", payload='/inform{"return_mode":"refund"}'))
        assert "To sum up" in replies[-1] and "100235" in replies[-1]
        replies.append(await c.texts("No"))
        assert "won't create anything" in replies[-1]
        assert not any(map(german, replies)), replies
