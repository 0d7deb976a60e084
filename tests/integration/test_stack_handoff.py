"""Escalation triggers and the human round trip with the real Rasa, action server and hub."""

from __future__ import annotations

import asyncio
import sqlite3
import uuid

import aiohttp
import pytest

from bot.ops.client import AgentClient, Customer
from bot.ops.launcher import NEVER
from tests.accounts import add_agent

pytestmark = pytest.mark.stack


@pytest.fixture(scope="module")
def agents(stack):
    suffix = uuid.uuid4().hex[:6]
    accounts = {}
    for name in ("eva", "tom"):
        email = f"{name}-{suffix}@shop.de"
        add_agent(stack.env["KD_DATABASE_URL"], email, name.capitalize())
        accounts[name] = email
    return accounts


async def escalate(stack, session, lines):
    c = await Customer(session, stack.hub_url).start()
    for line in lines:
        await c.say(line)
    return c


async def queue_entry(agent, conv_id):
    for _ in range(20):
        for item in (await agent.get("/queue"))["handoffs"]:
            if item["conversation_id"] == conv_id:
                return item
        await asyncio.sleep(0.25)
    raise AssertionError(f"{conv_id} not queued")


@pytest.mark.parametrize(
    "lines, reason, priority",
    [
        (["Ich möchte bitte mit einem Menschen sprechen"], "customer_request", "normal"),
        (
            [  # anger alone is offered a person; asking for one makes the handoff urgent
                "DAS IST EINE FRECHHEIT!!! Ich bin stinksauer, seit Wochen warte ich!!!",
                "Dann will ich sofort einen Menschen sprechen!",
            ],
            "frustration",
            "urgent",
        ),
        (
            ["Wenn das nicht geklärt wird, schalte ich meinen Anwalt ein"],
            "human_only_topic",
            "urgent",
        ),
        (["xqzv blorp fnord", "grmpf wuzzle quibb"], "repeated_fallback", "normal"),
        (
            ["Was kostet der Versand?", "nein", "nein, das hilft mir nicht"],
            "declined_answers",
            "normal",
        ),
    ],
)
async def test_each_trigger_escalates_with_its_reason(stack, agents, lines, reason, priority):
    async with aiohttp.ClientSession() as s:
        agent = await AgentClient(s, stack.hub_url).login(agents["eva"], "geheim123")
        c = await escalate(stack, s, lines)
        entry = await queue_entry(agent, c.id)
        assert (entry["reason"], entry["priority"]) == (reason, priority)
        assert (await c.state())["state"] == "queued"
        assert entry["summary"]["last_messages"]
        await agent.post(f"/conversations/{c.id}/claim")
        await agent.post(f"/conversations/{c.id}/close", {"resolution": "Test"})


async def test_agent_round_trip_keeps_context_and_asks_rating(stack, agents):
    async with aiohttp.ClientSession() as s:
        eva = await AgentClient(s, stack.hub_url).login(agents["eva"], "geheim123")
        c = await Customer(s, stack.hub_url).start()
        await c.say("Wo ist meine Bestellung 100234?")
        await c.say("anna.schmidt@web.de")
        await c.say("Kann ich bitte mit einem Mitarbeiter sprechen?")
        entry = await queue_entry(eva, c.id)
        summary = entry["summary"]
        assert summary["order_id"] == "100234" and summary["email_verified"] is True
        assert summary["order_status"] == "versandt" and summary["register"] == "sie"
        async with s.ws_connect(await c.ws_url()) as ws:
            await eva.post(f"/conversations/{c.id}/claim")
            assert (await c.state())["state"] == "agent"
            await eva.post(
                f"/conversations/{c.id}/messages", {"text": "Hallo, hier ist Eva. Ich prüfe das."}
            )
            got = None
            while got is None:
                frame = await ws.receive_json(timeout=10)
                if frame["type"] == "message" and frame["message"]["sender"] == "agent":
                    got = frame["message"]
            assert got["text"].startswith("Hallo, hier ist Eva") and got["agent_name"] == "Eva"
        assert await c.say("Danke, das Paket ist nicht angekommen") == []
        await asyncio.sleep(1.0)
        detail = await eva.get(f"/conversations/{c.id}")
        mine = [
            m for m in detail["messages"] if m["text"] == "Danke, das Paket ist nicht angekommen"
        ][0]
        assert mine["intent"] and mine["mood"] is not None
        back = await eva.post(f"/conversations/{c.id}/handback")
        texts = " ".join(m["text"] or "" for m in back["messages"])
        assert "100234" in texts and "Lieferstatus" in texts and "1 (schlecht) bis 5" in texts
        rated = await c.texts("5", payload='/rate{"rating":"5"}')
        assert "5 von 5" in rated
        assert (await c.state())["state"] == "bot"


async def test_an_agent_close_asks_for_a_rating(stack, agents):
    """Issue 27.5: a conversation an agent closed is rated like a hand-back, for the satisfaction report."""
    async with aiohttp.ClientSession() as s:
        eva = await AgentClient(s, stack.hub_url).login(agents["eva"], "geheim123")
        c = await escalate(stack, s, ["Ich möchte bitte mit einem Menschen sprechen"])
        await queue_entry(eva, c.id)
        await eva.post(f"/conversations/{c.id}/claim")
        await eva.post(f"/conversations/{c.id}/close", {"resolution": "Erledigt"})
        asked = (await c.transcript())[-1]
        assert "1 (schlecht) bis 5" in asked["text"] and len(asked["buttons"]) == 5
        rated = await c.texts("4 ★", payload='/rate{"rating":"4"}')
        assert "4 von 5" in rated
    hub_db = sqlite3.connect(stack.env["KD_DATABASE_URL"].split("///", 1)[1])
    rating = hub_db.execute("SELECT rating FROM conversations WHERE id = ?", (c.id,)).fetchone()
    assert rating == (4,)  # the reports' "after an agent" satisfaction


async def test_concurrent_claims_one_winner(stack, agents):
    async with aiohttp.ClientSession() as s:
        eva = await AgentClient(s, stack.hub_url).login(agents["eva"], "geheim123")
        tom = await AgentClient(s, stack.hub_url).login(agents["tom"], "geheim123")
        c = await escalate(stack, s, ["Mitarbeiter bitte"])
        await queue_entry(eva, c.id)
        results = await asyncio.gather(
            eva.call("POST", f"/conversations/{c.id}/claim"),
            tom.call("POST", f"/conversations/{c.id}/claim"),
        )
        assert sorted(r.status for r in results) == [200, 409]
        winner = eva if results[0].status == 200 else tom
        await winner.post(f"/conversations/{c.id}/close", {"resolution": "Test"})


async def test_unauthenticated_agent_call_changes_nothing(stack, agents):
    async with aiohttp.ClientSession() as s:
        eva = await AgentClient(s, stack.hub_url).login(agents["eva"], "geheim123")
        c = await escalate(stack, s, ["Ich will einen Menschen"])
        await queue_entry(eva, c.id)
        anonymous = AgentClient(s, stack.hub_url)
        anonymous.headers = {"Authorization": f"Bearer {c.token}"}
        assert (await anonymous.call("POST", f"/conversations/{c.id}/claim")).status == 401
        assert (await c.state())["state"] == "queued"
        await eva.post(f"/conversations/{c.id}/claim")
        await eva.post(f"/conversations/{c.id}/close", {"resolution": "Test"})


async def test_outside_hours_records_a_ticket(stack, agents):
    closed_hub = stack.start_hub("hub-closed", NEVER)
    async with aiohttp.ClientSession() as s:
        eva = await AgentClient(s, closed_hub).login(agents["eva"], "geheim123")
        c = await Customer(s, closed_hub).start()
        answer = await c.texts("Ich möchte mit einem Menschen sprechen")
        assert "niemand" in answer and "Vorgangsnummer" in answer
        tickets = (await eva.get("/tickets"))["tickets"]
        assert any(t["conversation_id"] == c.id for t in tickets)
        assert (await c.state())["state"] == "bot"
        follow_up = await c.texts("Was kostet der Versand?")
        assert "4,95 €" in follow_up
