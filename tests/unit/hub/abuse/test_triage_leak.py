"""Internal triage shown to customers: the handoff payload Rasa attaches (reason, mood score, "Kunde
ist verärgert", recognised intents, the summary for the agent) must never reach the customer - not
in API responses, not in websocket frames, not on a messenger platform; agents see all of it."""

from __future__ import annotations

import asyncio
import json

from bot.hub.keys.dialogue import CONVERSATIONS
from bot.hub.keys.push import BUS
from bot.hub.keys.store import REPO
from bot.hub.notifier import AGENTS, customer_topic
from bot.hub.store.models import Message
from tests.fake_platforms import settle
from tests.unit.hub import test_channel_messenger as fb
from tests.unit.hub import test_channel_telegram as tg
from tests.unit.hub import test_channel_whatsapp as wa
from tests.unit.hub.conftest import auth, rows, start
from tests.unit.hub.test_channel_attachments import settings  # noqa: F401 - all three channels on

INTERNAL = ("handoff", "summary", "mood", "verärgert", "intents")


HANDOFF = {
    "handoff": {
        "reason": "frustration",
        "priority": "urgent",
        "summary": {
            "topic": "Reklamation",
            "mood": 0.91,
            "mood_label": "Kunde ist verärgert",
            "intents": ["complaint", "frustration"],
        },
    }
}


async def test_customers_never_see_the_handoff_payload(client, fake_rasa, agent):
    conv = await start(client)
    url = f"/api/v1/conversations/{conv['conversation_id']}/messages"
    posted = await client.post(url, json={"text": "Ich will einen Menschen!"}, headers=auth(conv))
    assert posted.status == 200
    await client.app[CONVERSATIONS].post(
        await client.app[CONVERSATIONS].get(conv["conversation_id"]),
        "bot",
        "Ich verbinde Sie.",
        custom=HANDOFF,
    )
    transcript = await client.get(url, headers=auth(conv))
    for resp in (posted, transcript):
        text = await resp.text()
        assert not [word for word in INTERNAL if word in text], text
    messages = (await transcript.json())["messages"]
    assert "Ich verbinde Sie." in [m["text"] for m in messages]
    assert all(
        m["text"] or m["buttons"] or m["custom"] for m in messages
    )  # nothing left that is only triage
    assert any((m["custom"] or {}).get("queue") for m in messages)  # what the customer needs stays
    stored_custom = [m.custom for m in await rows(client, Message) if m.custom]
    assert any("handoff" in c for c in stored_custom)  # stored in full, only hidden
    detail = await (
        await client.get(f"/api/v1/agent/conversations/{conv['conversation_id']}", headers=agent)
    ).json()
    assert detail["handoff"]["summary"]["topic"] == "Lieferstatus"
    assert any(
        (m["custom"] or {}).get("handoff") for m in detail["messages"]
    )  # agents see everything


async def test_customer_websocket_frames_carry_no_triage(client):
    """What the customer's websocket forwards: the frames published on the conversation's topic."""
    conv = await start(client)
    service = client.app[CONVERSATIONS]
    customer_frames = client.app[BUS].subscribe(customer_topic(conv["conversation_id"]))
    agent_frames = client.app[BUS].subscribe(AGENTS)
    await client.app[REPO].update_conversation(
        conv["conversation_id"], state="queued"
    )  # agents hear it too
    await service.post(
        await service.get(conv["conversation_id"]),
        "bot",
        "Einen Moment.",
        custom={**HANDOFF, "queue": {"position": 1}},
    )
    frame = await asyncio.wait_for(customer_frames.get(), 5)
    assert frame["message"]["text"] == "Einen Moment." and frame["message"]["custom"] == {
        "queue": {"position": 1}
    }
    assert not [word for word in INTERNAL if word in json.dumps(frame, ensure_ascii=False)]
    assert (await asyncio.wait_for(agent_frames.get(), 5))["message"]["custom"][
        "handoff"
    ] == HANDOFF["handoff"]


async def test_messenger_customers_get_no_triage_either(
    client, telegram, messenger, whatsapp, fake_rasa
):
    """A bot message carrying the handoff payload, in a Telegram, Messenger and WhatsApp chat."""
    await tg.deliver(client, tg.message(501, text="Hallo"))
    await fb.deliver(client, fb.page_event(fb.text_event("m_501", "Hallo")))
    await wa.deliver(client, wa.incoming(wa.wamid(501), "text", text={"body": "Hallo"}))
    await settle(client)
    service = client.app[CONVERSATIONS]
    for channel, user in (
        ("telegram", str(tg.CHAT)),
        ("messenger", fb.PSID),
        ("whatsapp", wa.WA_ID),
    ):
        conv = await client.app[REPO].latest_by_external(channel, user)
        await service.post(conv, "bot", "Ich verbinde Sie.", custom=HANDOFF)
    await settle(client)
    for platform in (telegram, messenger, whatsapp):
        sent = json.dumps([c.body for c in platform.calls], ensure_ascii=False)
        assert "Ich verbinde Sie." in sent  # the customer's part arrived
        assert not [word for word in (*INTERNAL, "Reklamation", "frustration") if word in sent]
