"""backfill-nlu: readings of older customer messages from Rasa's tracker store (SQLite and PostgreSQL)."""

from __future__ import annotations

from dataclasses import replace

import yaml

from bot.hub.keys.store import REPO
from bot.hub.rasa_tracker import rasa_tracker_store
from bot.hub.reports.backfill import backfill_readings
from bot.hub.store.models import Message
from tests.unit.hub.conftest import auth, rows, start
from tests.unit.hub.privacy_helpers import add_events


async def test_older_messages_get_their_reading_once(client, settings, tmp_path):
    settings = replace(
        settings,
        var_dir=tmp_path,
        rasa_tracker_db=str(tmp_path / "tracker.db")
        if settings.database_url.startswith("sqlite")
        else "",
    )
    (tmp_path / "endpoints.yml").write_text(
        yaml.safe_dump({"tracker_store": rasa_tracker_store(settings)})
    )
    conv = await start(client)
    for text in ("Wo ist mein Paket?", "blablub"):
        await client.post(
            f"/api/v1/conversations/{conv['conversation_id']}/messages",
            json={"text": text},
            headers=auth(conv),
        )
    stored = await rows(client, Message, Message.sender == "customer", order_by=Message.seq)
    assert [m.confidence for m in stored] == [
        None,
        None,
    ]  # the fake Rasa sends no reading: an older hub
    await add_events(
        settings,
        conv["conversation_id"],
        [
            (
                "user",
                {
                    "text": "Wo ist mein Paket?",
                    "message_id": stored[0].id,
                    "parse_data": {
                        "intent": {"name": "order_status", "confidence": 0.93},
                        "mood": {"score": 0.2},
                    },
                },
            ),
            ("bot", {"text": "Echo"}),
            (
                "user",
                {
                    "text": "blablub",
                    "message_id": stored[1].id,
                    "parse_data": {
                        "intent": {"name": "nlu_fallback", "confidence": 0.4},
                        "intent_ranking": [
                            {"name": "nlu_fallback", "confidence": 0.4},
                            {"name": "greet", "confidence": 0.3},
                        ],
                    },
                },
            ),
            (
                "user",
                {
                    "text": "not the hub's",
                    "message_id": "unknown",
                    "parse_data": {"intent": {"name": "greet", "confidence": 1.0}},
                },
            ),
        ],
    )
    assert await backfill_readings(settings, client.app[REPO]) == {
        "user_events": 3,
        "messages_updated": 2,
    }
    stored = await rows(client, Message, Message.sender == "customer", order_by=Message.seq)
    assert [(m.intent, m.top_intent, m.confidence, m.mood) for m in stored] == [
        ("order_status", "order_status", 0.93, 0.2),
        ("nlu_fallback", "greet", 0.3, None),
    ]
    assert (await backfill_readings(settings, client.app[REPO]))[
        "messages_updated"
    ] == 0  # idempotent
