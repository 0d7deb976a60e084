"""The learning loop through the API: not-understood messages grouped, reviewed, written as NLU YAML."""

from __future__ import annotations

import shutil

import yaml

from bot.hub.keys.config import SETTINGS
from bot.hub.keys.store import REPO
from bot.hub.learning.grouping import group
from bot.hub.learning.nlu_file import domain_choices, plain, render, select_examples
from bot.hub.learning.service import example_text
from bot.hub.settings import ROOT
from bot.hub.store.models import Conversation, Message
from tests.unit.hub.report_seed import seed, utc
from tests.unit.hub.test_reports import WEEK_QUERY, login

PARCEL = [
    ("2026-11-20 09:00:00", "wo bleibt mein paket 100234", "nlu_fallback", 0.31),
    ("2026-11-20 09:00:30", "wo bleibt meine paket??", "nlu_fallback", 0.28),
    ("2026-11-20 09:01:00", "Wo ist mein Paket", "order_status", 0.52),
    (
        "2026-11-20 09:02:00",
        "Meine Mail ist anna@web.de, wo bleibt mein paket",
        "nlu_fallback",
        0.25,
    ),
]


async def seeded_with_parcels(client) -> None:
    await seed(client.app[REPO])
    async with client.app[REPO].sessions.begin() as db:
        db.add(
            Conversation(
                id="C20",
                token_hash="x",
                channel="webchat",
                state="bot",
                meta={},
                created_at=utc("2026-11-20 08:59:00"),
                last_customer_at=utc(PARCEL[-1][0]),
            )
        )
        await db.flush()
        for i, (at, text, intent, confidence) in enumerate(PARCEL):
            db.add(
                Message(
                    id=f"P{i}",
                    conversation_id="C20",
                    sender="customer",
                    text=text,
                    buttons=[],
                    intent=intent,
                    top_intent="order_status",
                    confidence=confidence,
                    created_at=utc(at),
                )
            )
        db.add(
            Message(
                id="B1",
                conversation_id="C20",
                sender="bot",
                text="Wie bitte?",
                buttons=[],
                created_at=utc("2026-11-20 09:02:01"),
            )
        )
    shutil.copytree(
        ROOT / "data" / "nlu", client.app[SETTINGS].learned_nlu_file.parent
    )  # the real training data


async def candidates(client, headers):
    resp = await client.get(f"/api/v1/agent/learning/candidates?{WEEK_QUERY}", headers=headers)
    assert resp.status == 200, await resp.text()
    return await resp.json()


async def test_review_and_export_round_trip(client):
    await seeded_with_parcels(client)
    eva = await login(client, "eva@shop.de")  # an agent may review
    found = await candidates(client, eva)
    assert found["count"] == 8  # C2, C4 (0.55), C5 twice, the four parcels
    assert (
        "order_status" in found["intents"]
        and "faq/shipping_costs" in found["intents"]
        and "faq" not in found["intents"]
    )
    parcels = found["groups"][0]
    assert (
        parcels["size"] == 4
        and parcels["suggestion"] == "order_status"
        and not parcels["escalated"]
    )
    assert {m["message_id"] for m in parcels["messages"]} == {"P0", "P1", "P2", "P3"}
    shown = {m["message_id"]: m["text"] for m in parcels["messages"]}
    assert shown["P0"] == "wo bleibt mein paket [Bestellnummer]" and "[E-Mail]" in shown["P3"]
    escalated = [g for g in found["groups"] if g["escalated"]]
    assert sorted(m["message_id"] for g in escalated for m in g["messages"]) == ["C5-m0", "C5-m2"]
    reasons = {m["message_id"]: m["reason"] for g in found["groups"] for m in g["messages"]}
    assert reasons["C4-m0"] == "low_confidence" and reasons["C2-m0"] == "fallback"

    resp = await client.post(
        "/api/v1/agent/learning/reviews",
        headers=eva,
        json={
            "message_ids": ["P0", "P1", "P2", "P3"],
            "intent": "order_status",
            "texts": {"P1": "wo bleibt meine paket"},
        },
    )
    assert resp.status == 200 and (await resp.json()) == {"reviewed": 4, "intent": "order_status"}
    resp = await client.post(
        "/api/v1/agent/learning/reviews",
        headers=eva,
        json={"message_ids": ["C5-m0"], "intent": None},
    )
    assert (await resp.json())["reviewed"] == 1
    assert (await candidates(client, eva))["count"] == 3

    listed = await (await client.get("/api/v1/agent/learning/reviews", headers=eva)).json()
    assert (listed["examples"], listed["noise"]) == (4, 1)
    assert {r["text"] for r in listed["reviews"] if r["intent"]} == {
        "wo bleibt mein paket [100000](order_id)",
        "wo bleibt meine paket",
        "Wo ist mein Paket",
        "Meine Mail ist [kunde@example.com](email), wo bleibt mein paket",
    }

    assert (
        await client.post("/api/v1/agent/learning/export", headers=eva)
    ).status == 403  # admins write the file
    admin = await login(client, "adam@shop.de")
    resp = await client.post("/api/v1/agent/learning/export", headers=admin)
    assert resp.status == 200, await resp.text()
    result = await resp.json()
    assert (result["examples"], result["skipped"], result["intents"]) == (
        3,
        1,
        {"order_status": 3},
    )  # "wo ist mein Paket" exists
    written = client.app[SETTINGS].learned_nlu_file.read_text(encoding="utf-8")
    data = yaml.safe_load(written)
    assert data["version"] == "3.1"
    assert data["nlu"] == [
        {
            "intent": "order_status",
            "examples": (
                "- Meine Mail ist [kunde@example.com](email), wo bleibt mein paket\n"
                "- wo bleibt mein paket [100000](order_id)\n- wo bleibt meine paket\n"
            ),
        }
    ]
    assert "anna@web.de" not in written and "100234" not in written

    review_id = next(r["id"] for r in listed["reviews"] if r["intent"] is None)
    assert (
        await client.delete(f"/api/v1/agent/learning/reviews/{review_id}", headers=eva)
    ).status == 200
    assert (
        await client.delete(f"/api/v1/agent/learning/reviews/{review_id}", headers=eva)
    ).status == 404
    assert (await candidates(client, eva))["count"] == 4  # C5's message is a candidate again


async def test_bad_reviews_change_nothing(client):
    await seeded_with_parcels(client)
    eva = await login(client, "eva@shop.de")
    url = "/api/v1/agent/learning/reviews"
    bad = [
        ({"message_ids": ["P0"], "intent": "faq"}, 422),
        ({"message_ids": ["P0"], "intent": "pizza"}, 422),
        ({"message_ids": [], "intent": None}, 422),
        ({"message_ids": ["P0"]}, 422),
        ({"message_ids": ["P0"], "intent": None, "texts": {"P0": "  "}}, 422),
        ({"message_ids": ["P0", "nope"], "intent": "order_status"}, 404),
        ({"message_ids": ["B1"], "intent": "order_status"}, 404),
    ]  # a bot message is no example
    for body, status in bad:
        resp = await client.post(url, headers=eva, json=body)
        assert resp.status == status, (body, await resp.text())
    assert (await (await client.get(url, headers=eva)).json())["reviews"] == []
    assert (await client.get(f"/api/v1/agent/learning/candidates?{WEEK_QUERY}")).status == 401


def test_similar_messages_group_and_different_ones_do_not():
    texts = [
        "wo bleibt mein paket",
        "Wo bleibt mein Paket??",
        "wo bleibt mein päckchen 100234",
        "Rechnung als PDF bitte",
        "rechnung als pdf",
    ]
    groups = group(texts, str)
    assert groups == [
        ["wo bleibt mein paket", "Wo bleibt mein Paket??", "wo bleibt mein päckchen 100234"],
        ["Rechnung als PDF bitte", "rechnung als pdf"],
    ]


def test_examples_are_masked_and_brackets_cannot_become_annotations():
    assert (
        example_text("Bestellung KD-100235 an max@gmx.de [dringend](order_id)")
        == "Bestellung [100000](order_id) an [kunde@example.com](email) (dringend)(order_id)"
    )
    assert plain("wo ist [100000](order_id)") == "wo ist 100000"


def test_known_and_repeated_examples_are_left_out_newest_first():
    chosen, skipped = select_examples(
        [("thank", "Merci vielmals"), ("greet", "merci  VIELMALS"), ("greet", "hallo")],
        known={"hallo"},
    )
    assert (chosen, skipped) == ({"thank": ["Merci vielmals"]}, 2)
    assert yaml.safe_load(render({})) == {"version": "3.1", "nlu": []}


def test_choices_come_from_the_domain():
    choices = domain_choices(ROOT / "domain.yml")
    assert (
        choices[:3] == ["greet", "goodbye", "thank"] and "rate" in choices and "inform" in choices
    )
    assert [c for c in choices if c.startswith("faq/")] == sorted(
        c for c in choices if c.startswith("faq/")
    )
