"""Against the real Rasa: every customer turn comes back with Rasa's reading (bot/rasa_plugins/understanding.py),
which the hub stores - what the reports and "Nicht verstanden" count - and /metrics counts the turns."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import aiohttp
import pytest
from prometheus_client.parser import text_string_to_metric_families

from bot.ops.client import Customer

pytestmark = pytest.mark.stack


def readings(stack, conv_id: str):
    path = Path(stack.env["KD_DATABASE_URL"].split("///", 1)[1])
    with sqlite3.connect(path, timeout=30) as db:
        return db.execute(
            "SELECT text, intent, top_intent, confidence, mood FROM messages WHERE conversation_id = ? "
            "AND sender = 'customer' ORDER BY seq",
            (conv_id,),
        ).fetchall()


async def test_turns_store_the_reading_and_are_counted(stack):
    async with aiohttp.ClientSession() as s:
        customer = await Customer(s, stack.hub_url).start()
        assert await customer.texts("Was kostet bei Ihnen der Versand?")
        await customer.say("xqzv blorf quaxel")
        rows = readings(stack, customer.id)
        async with s.get(f"{stack.hub_url}/metrics") as r:
            assert r.status == 200
            metrics = {
                (m.name, tuple(sorted(m.labels.items()))): m.value
                for f in text_string_to_metric_families(await r.text())
                for m in f.samples
            }
    (_, faq, faq_top, faq_conf, faq_mood), (_, gibberish, guess, low, _) = rows
    assert (
        (faq, faq_top) == ("faq/shipping_costs", "faq/shipping_costs")
        and faq_conf > 0.5
        and faq_mood is not None
    )
    assert gibberish == "nlu_fallback" and guess and low < 0.6
    hub_turns = metrics[
        ("kundendialog_turn_seconds_count", (("channel", "webchat"), ("part", "hub")))
    ]
    rasa_turns = metrics[
        ("kundendialog_turn_seconds_count", (("channel", "webchat"), ("part", "rasa")))
    ]
    assert hub_turns >= 2 and rasa_turns >= 2
