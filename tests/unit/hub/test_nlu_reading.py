"""The hub stores Rasa's reading (intent, best guess, confidence, mood) of each customer message."""

from __future__ import annotations

from bot.hub.keys.dialogue import CONVERSATIONS
from bot.hub.store.models import Message
from tests.unit.hub.conftest import auth, rows, start

NOTE = {
    "custom": {
        "nlu": {
            "intent": {"name": "nlu_fallback", "confidence": 0.4},
            "intent_ranking": [
                {"name": "nlu_fallback", "confidence": 0.4},
                {"name": "order_status", "confidence": 0.21},
            ],
            "mood": {"score": 0.3},
        }
    }
}


async def test_a_bot_turn_stores_the_reading_and_never_shows_it(client, fake_rasa):
    answer = fake_rasa.answer
    fake_rasa.answer = lambda sender, text: answer(sender, text) + [NOTE]
    conv = await start(client)
    resp = await client.post(
        f"/api/v1/conversations/{conv['conversation_id']}/messages",
        json={"text": "blablub"},
        headers=auth(conv),
    )
    assert [m["sender"] for m in (await resp.json())["messages"]] == ["customer", "bot"]
    stored = await rows(
        client, Message, Message.conversation_id == conv["conversation_id"], order_by=Message.seq
    )
    assert [(m.sender, m.intent, m.top_intent, m.confidence, m.mood) for m in stored] == [
        ("customer", "nlu_fallback", "order_status", 0.21, 0.3),
        ("bot", None, None, None, None),
    ]


async def test_a_message_an_agent_handles_is_read_too(client, agent):
    conv = await start(client)
    url, headers = f"/api/v1/conversations/{conv['conversation_id']}/messages", auth(conv)
    await client.post(url, json={"text": "Ich will einen Menschen"}, headers=headers)
    assert (
        await client.post(
            f"/api/v1/agent/conversations/{conv['conversation_id']}/claim", headers=agent
        )
    ).status == 200
    await client.post(url, json={"text": "Wo ist mein Paket?"}, headers=headers)
    await client.app[CONVERSATIONS].drain(5)
    last = (
        await rows(
            client,
            Message,
            Message.conversation_id == conv["conversation_id"],
            Message.sender == "customer",
            order_by=Message.seq,
        )
    )[-1]
    assert (last.intent, last.top_intent, last.confidence, last.mood) == (
        "order_status",
        "order_status",
        0.9,
        0.3,
    )
