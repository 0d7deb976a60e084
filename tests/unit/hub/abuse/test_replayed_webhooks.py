"""Replayed webhooks: a captured platform request stays correctly signed forever, and after a week
the hub has forgotten it (processed update ids are pruned, the conversation may be erased by
retention or a GDPR request); a replay must not bring the old message back or run the bot on it
again, so an update older than the freshness window (KD_WEBHOOK_MAX_AGE, a day) is acknowledged
with 200 and dropped."""

from __future__ import annotations

import time
import types
from datetime import timedelta

import pytest

from bot.hub.channels import freshness
from bot.hub.keys.store import REPO
from bot.hub.store.models import Conversation, utcnow
from tests.fake_platforms import settle
from tests.unit.hub import test_channel_messenger as fb
from tests.unit.hub import test_channel_telegram as tg
from tests.unit.hub import test_channel_whatsapp as wa
from tests.unit.hub.conftest import rows, stored
from tests.unit.hub.test_channel_attachments import settings  # noqa: F401 - all three channels on

DAY = 24 * 3600


@pytest.fixture()
def forgotten(client, monkeypatch):
    """Eight days on: housekeeping has pruned every processed update id (retention.inbound_updates_days
    is 7) and the conversation is erased (retention or a GDPR request), so neither the dedupe table
    nor the conversation's message ids know the update any more."""

    async def later() -> None:
        now = time.time() + 8 * DAY
        monkeypatch.setattr(freshness, "time", types.SimpleNamespace(time=lambda: now))
        repo = client.app[REPO]
        await repo.prune_inbound_updates(utcnow() + timedelta(days=1))
        for conv in await rows(client, Conversation):
            await repo.erase_conversation(conv.id)
        assert await stored(client) == (0, 0, 0)

    return later


async def test_a_telegram_update_replayed_after_the_dedupe_forgot_it_changes_nothing(
    client, telegram, fake_rasa, forgotten
):
    update = tg.message(301, text="Bitte stornieren Sie meine Bestellung")
    assert (await tg.deliver(client, update)).status == 200
    await settle(client)
    await forgotten()
    resp = await tg.deliver(client, update)
    assert resp.status == 200 and await resp.json() == {"ok": True}  # an error: Telegram redelivers
    await settle(client)
    assert await stored(client) == (0, 0, 0)  # the old conversation does not come back
    assert len(fake_rasa.received) == 1 and len(telegram.texts()) == 1  # nor is it answered again


async def test_a_messenger_event_replayed_after_the_dedupe_forgot_it_changes_nothing(
    client, messenger, fake_rasa, forgotten
):
    event = fb.page_event(fb.text_event("m_301", "Bitte stornieren Sie meine Bestellung"))
    assert (await fb.deliver(client, event)).status == 200
    await settle(client)
    await forgotten()
    resp = await fb.deliver(client, event)
    assert resp.status == 200  # an error would make Meta redeliver the whole batch for hours
    await settle(client)
    assert await stored(client) == (0, 0, 0)
    assert len(fake_rasa.received) == 1 and len(messenger.texts()) == 1


async def test_a_whatsapp_message_replayed_after_the_dedupe_forgot_it_changes_nothing(
    client, whatsapp, fake_rasa, forgotten
):
    payload = wa.incoming(wa.wamid(301), "text", text={"body": "Bitte stornieren"})
    assert (await wa.deliver(client, payload)).status == 200
    await settle(client)
    await forgotten()
    assert (await wa.deliver(client, payload)).status == 200  # an error: Meta redelivers for days
    await settle(client)
    assert await stored(client) == (0, 0, 0)
    assert len(fake_rasa.received) == 1 and len(whatsapp.texts()) == 1


async def test_stale_updates_are_dropped_fresh_ones_in_the_same_batch_are_answered(
    client, telegram, messenger, whatsapp, fake_rasa
):
    """Without any dedupe row: only the update's own timestamp decides."""
    stale = tg.message(114, text="Hallo von gestern")
    stale["message"]["date"] = tg.NOW - 25 * 3600
    assert (await tg.deliver(client, stale)).status == 200
    old = fb.text_event("m_9", "Hallo von gestern")
    old["timestamp"] = fb.NOW_MS - 25 * 3600 * 1000
    batch = fb.page_event(old, fb.text_event("m_10", "Hallo von heute"))
    assert (await fb.deliver(client, batch)).status == 200
    late = wa.incoming(wa.wamid(11), "text", text={"body": "Hallo von gestern"})
    late["entry"][0]["changes"][0]["value"]["messages"][0]["timestamp"] = str(wa.NOW - 25 * 3600)
    assert (await wa.deliver(client, late)).status == 200
    await settle(client)
    assert [r["message"] for r in fake_rasa.received] == ["Hallo von heute"]
    assert telegram.calls == [] and whatsapp.calls == []
