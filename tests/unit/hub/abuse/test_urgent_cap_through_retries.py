"""Threat: an urgent handoff jumps the queue, so one client gets only a few per hour (KD_RATE_URGENT).
A message Rasa could not take at once is answered later by the retry loop, which sent no client: an
attacker who sends angry messages while Rasa is slow or down gets every one of them in as urgent,
pushing all other customers back.

A message for Rasa keeps its client tag until Rasa has it; the retry sends the same tag, and the
urgent cap counts retried messages like live ones (issue 23.12).
"""

from __future__ import annotations

from typing import Any, Dict, List

from bot.hub.keys.dialogue import CONVERSATIONS
from bot.hub.store.models import Handoff, Message
from tests.unit.hub.conftest import auth, rows, start


def angry(sender: str, text: str) -> List[Dict[str, Any]]:
    handoff = {"reason": "frustration", "priority": "urgent", "summary": {}}
    return [{"recipient_id": sender, "custom": {"handoff": handoff}}]


async def say(client, conv: Dict[str, Any], text: str) -> None:
    resp = await client.post(
        f"/api/v1/conversations/{conv['conversation_id']}/messages",
        json={"text": text},
        headers=auth(conv),
    )
    assert resp.status == 200


async def test_retried_messages_count_against_the_urgent_cap(client, fake_rasa):
    fake_rasa.answer = angry
    fake_rasa.down = True  # Rasa is unavailable: every message waits for the retry loop
    for _ in range(3):
        await say(client, await start(client), "Das ist eine Frechheit!")
    waiting = await rows(client, Message, Message.sender == "customer")
    assert len({m.client_tag for m in waiting}) == 1 and waiting[0].client_tag

    fake_rasa.down = False
    assert await client.app[CONVERSATIONS].retry_pending() == 3
    priorities = [h.priority for h in await rows(client, Handoff, order_by=Handoff.id)]
    assert priorities == ["urgent", "urgent", "normal"]  # KD_RATE_URGENT default: 2 per hour
    # Rasa got the same client tag as a live message would carry (its per-client limits)
    assert {r["metadata"]["client"] for r in fake_rasa.received} == {waiting[0].client_tag}
    # and the stored tag is gone once Rasa has the message
    assert {m.client_tag for m in await rows(client, Message, Message.sender == "customer")} == {
        None
    }


async def test_live_and_retried_messages_share_one_cap(client, fake_rasa):
    fake_rasa.answer = angry
    for _ in range(2):
        await say(client, await start(client), "Unverschämt!")
    fake_rasa.down = True
    await say(client, await start(client), "Unverschämt!")
    fake_rasa.down = False
    assert await client.app[CONVERSATIONS].retry_pending() == 1
    priorities = [h.priority for h in await rows(client, Handoff, order_by=Handoff.id)]
    assert priorities == ["urgent", "urgent", "normal"]
