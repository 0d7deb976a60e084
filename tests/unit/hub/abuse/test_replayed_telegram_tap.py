"""Threat: a captured Telegram button tap (a `callback_query` update, secret header included) is sent
again once the dedupe table has forgotten its update id; a tap has no date of its own, so it was
answered as new: the customer's old choice ("Ja, stornieren") acted on a second time.

A tap is as old as the keyboard it was made on (the message's date or last edit): one on a keyboard
older than the replay window is acknowledged and dropped, like a stale message (issue 23.12).
"""

from __future__ import annotations

import time
from typing import Any, Dict

import pytest

from bot.hub.settings import Channels, TelegramSettings
from tests.fake_platforms import FakeTelegram, serving, settle
from tests.unit.hub.conftest import stored

TOKEN = "7012345678:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"
SECRET = "kd-Webhook_Secret-42"
CHAT = 258741963
MAX = {"id": CHAT, "is_bot": False, "first_name": "Max", "language_code": "de"}
KEYBOARD = [[{"text": "Ja", "callback_data": "/affirm"}]]


@pytest.fixture()
async def telegram():
    async with serving(FakeTelegram(TOKEN)) as fake:
        yield fake


@pytest.fixture()
def settings(settings, telegram):
    settings.channels = Channels(
        telegram=TelegramSettings(token=TOKEN, secret=SECRET, api_base=telegram.url)
    )
    return settings


def tap(update_id: int, keyboard_date: int, **message: Any) -> Dict[str, Any]:
    """A button tap as Telegram sends it; the message is the one that carried the keyboard."""
    return {
        "update_id": update_id,
        "callback_query": {
            "id": f"4382bfdwdsb323b2d9{update_id}",
            "from": MAX,
            "chat_instance": "-8412577461238563412",
            "data": "/affirm",
            "message": {
                "message_id": 77,
                "from": {"id": 7012345678, "is_bot": True, "first_name": "Wanda"},
                "chat": {"id": CHAT, "type": "private"},
                "date": keyboard_date,
                "text": "Echo",
                "reply_markup": {"inline_keyboard": KEYBOARD},
                **message,
            },
        },
    }


async def deliver(client, update: Dict[str, Any]) -> None:
    resp = await client.post(
        "/webhooks/telegram", json=update, headers={"X-Telegram-Bot-Api-Secret-Token": SECRET}
    )
    # acknowledged either way: an error would make Telegram deliver it again for hours
    assert resp.status == 200 and await resp.json() == {"ok": True}
    await settle(client)


async def test_a_tap_on_a_keyboard_older_than_the_window_is_dropped(client, telegram, fake_rasa):
    now = int(time.time())
    await deliver(client, tap(501, now - 25 * 3600))  # a replayed tap from yesterday
    await deliver(client, tap(502, 0))  # Telegram's "inaccessible message": date 0
    await deliver(client, {**tap(503, now - 60), "callback_query": {"id": "x", "data": "/affirm"}})
    assert await stored(client) == (0, 0, 0)
    assert fake_rasa.received == [] and telegram.delivered("sendMessage") == []


async def test_a_fresh_tap_is_answered(client, telegram, fake_rasa):
    now = int(time.time())
    await deliver(client, tap(601, now - 25 * 3600, edit_date=now - 30))  # keyboard shown again
    await deliver(client, tap(602, now - 60))
    assert len(fake_rasa.received) == 2
    assert len(telegram.delivered("sendMessage")) == 2
