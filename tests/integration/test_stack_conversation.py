"""German conversations through the real Rasa server + action server, behind the hub."""

from __future__ import annotations

import asyncio
import sqlite3

import aiohttp
import pytest

from bot.ops.client import Customer
from bot.ops.launcher import seed_shop

pytestmark = pytest.mark.stack


async def test_rasa_rest_channel_directly(stack):
    async with aiohttp.ClientSession() as s:
        async with s.post(
            f"{stack.rasa_url}/webhooks/rest/webhook",
            headers={"Authorization": f"Bearer {stack.rasa_token}"},
            json={"sender": "direct-1", "message": "Guten Tag"},
        ) as r:
            answers = await r.json()
    assert "Wobei darf ich Ihnen helfen" in answers[0]["text"]


async def test_order_status_needs_the_right_email(stack):
    async with aiohttp.ClientSession() as s:
        c = await Customer(s, stack.hub_url).start()
        greeting = await c.texts("Guten Tag")
        assert "Ihnen" in greeting
        ask = await c.texts("Wo ist meine Bestellung 100234?")
        assert "E-Mail" in ask and "DHL" not in ask
        wrong = await c.texts("falsch@example.com")
        assert "keine Bestellung" in wrong and "DHL" not in wrong and "Sendungsnummer" not in wrong
        right = await c.texts("anna.schmidt@web.de")
        assert "100234" in right and "DHL" in right and "Sendungsnummer" in right


async def test_du_register_is_kept(stack):
    async with aiohttp.ClientSession() as s:
        c = await Customer(s, stack.hub_url).start()
        answer = await c.texts("hey, kannst du mir sagen wo mein paket bleibt?")
        assert "deine Bestellnummer" in answer
        answer = await c.texts("100235")
        assert "hast du bestellt" in answer
        answer = await c.texts("jonas.becker@gmx.de")
        assert "Deine Bestellung 100235" in answer and "zugestellt" in answer


async def test_faq_answer_from_company_facts(stack):
    async with aiohttp.ClientSession() as s:
        c = await Customer(s, stack.hub_url).start()
        answer = await c.texts("Was kostet bei Ihnen der Versand?")
        assert "4,95 €" in answer


async def test_a_bot_only_conversation_asks_for_a_rating_at_the_goodbye(stack):
    async with aiohttp.ClientSession() as s:
        c = await Customer(s, stack.hub_url).start()
        await c.say("Was kostet der Versand?")
        (bye,) = [m for m in await c.say("Auf Wiedersehen") if m["sender"] == "bot"]
        assert (
            "wie zufrieden Sie" in bye["text"]
            and [b["title"] for b in bye["buttons"]][-1] == "Überspringen"
        )
        thanks = await c.texts("4 ★", payload='/rate{"rating":"4"}')
        assert "Vielen Dank für die 4 von 5" in thanks and "sonst noch" not in thanks
        again = await c.texts("tschüss")
        assert "Auf Wiedersehen" in again and "zufrieden" not in again  # asked once
    hub_db = sqlite3.connect(stack.env["KD_DATABASE_URL"].split("///", 1)[1])
    rating = hub_db.execute("SELECT rating FROM conversations WHERE id = ?", (c.id,)).fetchone()
    assert rating == (4,)  # the reports' "bot only" satisfaction


async def test_websocket_receives_the_conversation(stack):
    async with aiohttp.ClientSession() as s:
        c = await Customer(s, stack.hub_url).start()
        async with s.ws_connect(await c.ws_url()) as ws:
            await c.say("Hallo")
            frames = [await ws.receive_json(timeout=10) for _ in range(2)]
        assert [f["message"]["sender"] for f in frames] == ["customer", "bot"]


async def test_return_creates_a_label(stack):
    # the seeded shop: a return another test left open on 100235 would be offered, not a new one
    seed_shop(stack.env["KD_SHOP_DATABASE_URL"])
    async with aiohttp.ClientSession() as s:
        c = await Customer(s, stack.hub_url).start()
        await c.texts("Ich möchte meine Jacke zurückschicken, Bestellung 100235")
        await c.texts("jonas.becker@gmx.de")
        mode = await c.say("passt nicht, zu groß")
        assert any(b["payload"].startswith("/inform") for m in mode for b in m["buttons"])
        summary = await c.texts("Geld zurück", payload='/inform{"return_mode":"refund"}')
        assert "Soll ich die Rücksendung so anlegen?" in summary  # created only on "ja"
        done = await c.texts("Ja, anlegen", payload="/affirm")
        assert "Rücksendung ist angelegt (Vorgangsnummer RT-" in done


async def test_fallbacks_never_dead_end(stack):
    async with aiohttp.ClientSession() as s:
        c = await Customer(s, stack.hub_url).start()
        answer = await c.say("xqzv blorp fnord")
        assert any(b["payload"] == "/request_human" for m in answer for b in m["buttons"])


async def test_many_customers_in_parallel(stack):
    async with aiohttp.ClientSession() as s:
        customers = [await Customer(s, stack.hub_url).start() for _ in range(5)]
        answers = await asyncio.gather(*(c.texts("Hallo") for c in customers))
    assert all("Wanda" in a for a in answers)


def test_terminal_chat(stack):
    import subprocess
    import sys

    proc = subprocess.run(
        [sys.executable, "-m", "bot", "chat"],
        input="Guten Tag\n1\n\n",
        env=stack.env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    assert "Wanda: Guten Tag!" in proc.stdout and "[1] Wo ist mein Paket?" in proc.stdout
    assert "Bestellnummer" in proc.stdout  # button 1 started the order-status flow
