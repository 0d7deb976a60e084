"""Exactly-once turns against the real Rasa and action server: re-sent ids are replayed, a failed
custom action is reverted in the tracker and answered once after the action server is back."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any, Dict, List

import aiohttp
import pytest

from bot.ops.client import Customer
from bot.ops.launcher import rasa_token_for

pytestmark = pytest.mark.stack


async def tracker_user_turns(session: aiohttp.ClientSession, rasa: str, sender: str) -> List[str]:
    """Texts of the user turns that count (reverted ones removed), as the policies see them."""
    params = {"include_events": "APPLIED", "token": rasa_token_for(rasa)}
    async with session.get(f"{rasa}/conversations/{sender}/tracker", params=params) as r:
        tracker: Dict[str, Any] = await r.json()
    return [e.get("text") for e in tracker["events"] if e["event"] == "user"]


async def hub_send(
    session: aiohttp.ClientSession,
    rasa: str,
    sender: str,
    text: str,
    message_id: str,
    retry: bool = False,
):
    async with session.post(
        f"{rasa}/webhooks/hub/webhook",
        params={"token": rasa_token_for(rasa)},
        json={"sender": sender, "message": text, "message_id": message_id, "retry": retry},
    ) as r:
        assert r.status == 200
        return await r.json()


async def test_a_resent_message_id_is_replayed_not_run_twice(stack):
    sender, message_id = f"once-{uuid.uuid4().hex}", uuid.uuid4().hex
    async with aiohttp.ClientSession() as s:
        first = await hub_send(s, stack.rasa_url, sender, "Was kostet der Versand?", message_id)
        await hub_send(
            s, stack.rasa_url, sender, "Danke!", uuid.uuid4().hex
        )  # the conversation went on
        again = await hub_send(
            s, stack.rasa_url, sender, "Was kostet der Versand?", message_id, retry=True
        )
        assert first and [m.get("text") for m in again] == [m.get("text") for m in first]
        assert await tracker_user_turns(s, stack.rasa_url, sender) == [
            "Was kostet der Versand?",
            "Danke!",
        ]
        await hub_send(
            s, stack.rasa_url, sender, "Was kostet der Versand?", uuid.uuid4().hex
        )  # a new question
        assert len(await tracker_user_turns(s, stack.rasa_url, sender)) == 3


async def test_action_server_down_gives_the_notice_and_one_answer_when_it_is_back(stack):
    actions_health = f"http://127.0.0.1:{stack.ports['actions']}/health"
    async with aiohttp.ClientSession() as s:
        customer = await Customer(s, stack.hub_url).start()
        stack.kill("actions")
        try:
            # a thank-you runs action_thank on the action server (a FAQ answer no longer needs
            # it: action_faq runs in the Rasa worker, KD_LOCAL_ACTIONS)
            answers = await customer.say("Danke!")
            assert [m["sender"] for m in answers] == ["system"] and "nicht erreichbar" in answers[
                0
            ]["text"]
        finally:
            stack.restart("actions", actions_health)
        for _ in range(60):  # the hub's retry loop runs every 2 s in the test stack
            transcript = await customer.transcript()
            if len([m for m in transcript if m["sender"] == "bot"]) >= 1:
                break
            await asyncio.sleep(1)
        bot = [m["text"] for m in transcript if m["sender"] == "bot"]
        assert len(bot) == 1 and "noch etwas" in bot[0], transcript
        assert await tracker_user_turns(s, stack.rasa_url, customer.id) == ["Danke!"]


async def test_a_hub_stops_cleanly_on_sigterm(stack):
    from bot.ops.launcher import ALWAYS

    url = stack.start_hub("hub-term", ALWAYS)
    async with aiohttp.ClientSession() as s:
        customer = await Customer(s, url).start()
        assert await customer.texts("Was kostet der Versand?")
    proc = stack.named["hub-term"]
    proc.terminate()
    assert proc.wait(40) == 0
    assert "Traceback" not in stack.log("hub-term")
