"""Exactly-once delivery to Rasa: leases, atomic claims across hubs, failed turns retried once."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from sqlalchemy import update

from bot.hub.conversations import ConversationService
from bot.hub.events import Events
from bot.hub.keys.config import COMPANY, SETTINGS
from bot.hub.keys.dialogue import CONVERSATIONS, RASA
from bot.hub.keys.store import REPO
from bot.hub.states import Delivery
from bot.hub.store.models import Message, utcnow
from tests.unit.hub.conftest import auth, change, rows, start


async def say(client, conv, text: str):
    resp = await client.post(
        f"/api/v1/conversations/{conv['conversation_id']}/messages",
        json={"text": text},
        headers=auth(conv),
    )
    assert resp.status == 200
    return (await resp.json())["messages"]


def other_hub(client) -> ConversationService:
    """A second hub process on the same database and Rasa (its own lease owner id)."""
    app = client.app
    return ConversationService(app[SETTINGS], app[REPO], app[RASA], Events(), app[COMPANY])


async def customer_messages(client):
    return await rows(client, Message, Message.sender == "customer", order_by=Message.seq)


async def test_a_turn_is_stored_done_and_sent_once_with_its_id(client, fake_rasa):
    conv = await start(client)
    await say(client, conv, "Hallo")
    (msg,) = await customer_messages(client)
    assert (msg.delivery, msg.lease_owner, msg.lease_until) == ("done", None, None)
    assert [(r["message"], r["message_id"]) for r in fake_rasa.received] == [("Hallo", msg.id)]


async def test_retry_loop_never_resends_a_message_whose_turn_is_in_flight(client, fake_rasa):
    """The landed code sent such a message a second time (issue 9: 9 of 100 answers doubled)."""
    conv = await start(client)
    fake_rasa.delay = 0.5
    turn = asyncio.create_task(say(client, conv, "Wie lange dauert der Versand?"))
    await asyncio.sleep(0.2)  # the turn holds its lease and waits for Rasa
    retried = await asyncio.gather(
        client.app[CONVERSATIONS].retry_pending(), other_hub(client).retry_pending()
    )
    answers = await turn
    assert retried == [0, 0] and len(fake_rasa.received) == 1
    assert [m["text"] for m in answers[1:]] == ["Echo: Wie lange dauert der Versand?"]


async def test_two_hubs_retrying_at_once_send_a_pending_message_once(client, fake_rasa):
    conv = await start(client)
    fake_rasa.down = True
    await say(client, conv, "Hallo?")
    fake_rasa.down = False
    fake_rasa.received.clear()
    fake_rasa.delay = 0.2
    done = await asyncio.gather(
        client.app[CONVERSATIONS].retry_pending(), other_hub(client).retry_pending()
    )
    assert sorted(done) == [0, 1] and len(fake_rasa.received) == 1
    bot = await rows(client, Message, Message.sender == "bot")
    assert [m.text for m in bot] == ["Echo: Hallo?"]


async def test_a_failed_custom_action_gets_the_outage_notice_and_one_later_answer(
    client, fake_rasa
):
    conv = await start(client)
    fake_rasa.failing_turns = 1
    answers = await say(client, conv, "Wo ist meine Bestellung?")
    assert [m["sender"] for m in answers] == [
        "customer",
        "system",
    ] and "nicht erreichbar" in answers[1]["text"]
    (msg,) = await customer_messages(client)
    assert msg.delivery == Delivery.PENDING and msg.lease_owner is None
    assert await client.app[CONVERSATIONS].retry_pending() == 1
    assert await client.app[CONVERSATIONS].retry_pending() == 0
    transcript = [
        m["text"]
        for m in (
            await (
                await client.get(
                    f"/api/v1/conversations/{conv['conversation_id']}/messages", headers=auth(conv)
                )
            ).json()
        )["messages"]
    ]
    assert transcript.count("Echo: Wo ist meine Bestellung?") == 1
    assert {r["message_id"] for r in fake_rasa.received} == {
        msg.id
    }  # the retry carries the same id


async def test_a_lease_of_a_dead_hub_expires_and_another_hub_answers(client, fake_rasa):
    conv = await start(client)
    await say(client, conv, "Hallo")
    (msg,) = await customer_messages(client)
    # as if a hub had claimed the message and died before answering
    await change(
        client,
        update(Message)
        .where(Message.seq == msg.seq)
        .values(
            delivery=Delivery.IN_FLIGHT,
            lease_owner="dead-hub",
            lease_until=utcnow() + timedelta(seconds=60),
        ),
    )
    assert await other_hub(client).retry_pending() == 0  # still leased
    await change(client, update(Message).where(Message.seq == msg.seq).values(lease_until=utcnow()))
    assert await other_hub(client).retry_pending() == 1
    assert (await customer_messages(client))[0].delivery == Delivery.DONE


async def test_messages_reach_rasa_in_order_behind_one_that_still_waits(client, fake_rasa):
    conv = await start(client)
    fake_rasa.down = True
    await say(client, conv, "Erste Frage")
    fake_rasa.down = False
    second = await say(client, conv, "Zweite Frage")
    assert [m["sender"] for m in second] == ["customer"]  # waits behind the first, answered later
    assert fake_rasa.received == []
    assert await client.app[CONVERSATIONS].retry_pending() == 2
    assert [r["message"] for r in fake_rasa.received] == ["Erste Frage", "Zweite Frage"]
    assert all(r["retry"] for r in fake_rasa.received)
    bot = await rows(client, Message, Message.sender == "bot", order_by=Message.seq)
    assert [m.text for m in bot] == ["Echo: Erste Frage", "Echo: Zweite Frage"]


async def test_a_later_message_waits_while_the_earlier_one_still_fails(client, fake_rasa):
    conv = await start(client)
    fake_rasa.down = True
    await say(client, conv, "Erste Frage")
    await say(client, conv, "Zweite Frage")
    fake_rasa.received.clear()
    fake_rasa.failing_turns = 1  # Rasa is back, but the first message's turn fails once more
    fake_rasa.down = False
    assert await client.app[CONVERSATIONS].retry_pending() == 0
    assert [r["message"] for r in fake_rasa.received] == ["Erste Frage"]
    assert await client.app[CONVERSATIONS].retry_pending() == 2
    assert [r["message"] for r in fake_rasa.received] == [
        "Erste Frage",
        "Erste Frage",
        "Zweite Frage",
    ]
