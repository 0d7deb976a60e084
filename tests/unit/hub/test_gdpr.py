"""Data protection: export and erasure across the hub database, Rasa's tracker store and the shop records
the bot created (admin API and CLI); customer tokens that expire; the customer ending the chat.

Each hub test runs on SQLite and on PostgreSQL (the tracker store on the same engine, as the launcher sets it up).
"""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from bot.hub.accounts.agents import create_agent
from bot.hub.conversations import token_hash
from bot.hub.housekeeping import PRIVACY
from bot.hub.keys.dialogue import CONVERSATIONS
from bot.hub.keys.store import REPO
from bot.hub.privacy.service import Selector
from bot.hub.privacy.shop import CREATED, ERASED, RETURNS, TICKETS
from bot.hub.privacy.tracker import tracker_url, verified_emails
from bot.hub.store.models import (
    AuditEntry,
    Conversation,
    Handoff,
    InboundUpdate,
    Message,
    Note,
    Ticket,
    utcnow,
)
from bot.ops.cli import gdpr_cmd
from tests.unit.hub.conftest import auth, change, row, rows, start
from tests.unit.hub.privacy_helpers import (
    add_events,
    created_records,
    privacy_settings,
    shop_record,
    shop_texts,
    tracker_counts,
)

SECRET = "Meine Jacke riecht nach Rauch"  # the customer's own words, in every store


@pytest.fixture()
def settings(settings, tmp_path):
    return privacy_settings(settings, tmp_path)


@pytest.fixture()
async def staff(client):
    repo = client.app[REPO]
    await create_agent(repo, "chefin@shop.de", "Chefin", "geheim789", "admin")
    await create_agent(repo, "eva@shop.de", "Eva", "geheim123", "agent")
    headers = {}
    for email, password in [("chefin@shop.de", "geheim789"), ("eva@shop.de", "geheim123")]:
        resp = await client.post("/api/v1/agent/login", json={"email": email, "password": password})
        assert resp.status == 200
        headers[email.split("@")[0]] = {"Authorization": f"Bearer {(await resp.json())['token']}"}
    return headers


async def say(client, conv, **body):
    resp = await client.post(
        f"/api/v1/conversations/{conv['conversation_id']}/messages", json=body, headers=auth(conv)
    )
    assert resp.status == 200, await resp.text()
    return (await resp.json())["messages"]


async def lived_conversation(
    client, settings, email="jonas.becker@gmx.de", returns="RT-123456", complaint="TK-654321"
):
    """A webchat conversation that touched every store: messages, a handoff that became a ticket (nobody
    online), a callback request, a rating, an internal note, tracker events (an e-mail verified against an
    order, a return and a complaint the bot created) and those two records in the shop."""
    conv = await start(client)
    cid = conv["conversation_id"]
    await say(client, conv, text=SECRET)
    await say(client, conv, text="Ich will einen Menschen")
    resp = await client.post(
        f"/api/v1/conversations/{cid}/callback",
        json={"contact": email, "note": SECRET},
        headers=auth(conv),
    )
    assert resp.status == 201
    repo = client.app[REPO]
    await repo.update_conversation(
        cid, rating=4
    )  # what the hub stores from the bot's rating payload
    eva = await repo.agent_by_email("eva@shop.de")
    await repo.add_note(cid, eva.id, f"Kunde schreibt: {SECRET}")
    await repo.add_messages(cid, [("bot", f"Ihre Rücksendung {returns} ist angelegt.", {})])
    await add_events(
        settings,
        cid,
        [
            ("user", {"text": SECRET}),
            ("slot", {"name": "email", "value": email}),
            ("slot", {"name": "verified_order", "value": "100235"}),
            ("bot", {"text": f"Ihre Reklamation hat die Nummer {complaint}."}),
            (
                "slot",
                {"name": "bot_actions", "value": [f"Reklamation {complaint} für 100235 angelegt"]},
            ),
        ],
    )
    shop_record(settings, "return", returns, SECRET, conversation=cid)
    shop_record(settings, "ticket", complaint, SECRET, conversation=cid)
    return conv


async def hub_rows(client, conv_id):
    counts = {}
    for model in (Conversation, Message, Handoff, Ticket, Note):
        key = Conversation.id if model is Conversation else model.conversation_id
        counts[model.__tablename__] = len(await rows(client, model, key == conv_id))
    return counts


async def messenger_conversation(client, user_id="tg-user-7"):
    """A Telegram customer: their processed update ids are stored as dedupe rows."""
    conversations = client.app[CONVERSATIONS]
    assert await conversations.first_delivery("telegram", "4711")
    conv = await conversations.conversation_for("telegram", user_id, "Jonas")
    await conversations.customer_message(conv, SECRET, client_message_id="telegram:4711")
    return conv


async def admin_call(client, headers, action, **selector):
    return await client.post(f"/api/v1/agent/admin/gdpr/{action}", json=selector, headers=headers)


# -- export ------------------------------------------------------------------------
async def test_export_is_one_document_with_every_store(client, settings, staff):
    conv = await lived_conversation(client, settings)
    cid = conv["conversation_id"]
    resp = await admin_call(client, staff["chefin"], "export", conversation_id=cid)
    assert resp.status == 200
    assert resp.headers["Cache-Control"] == "no-store"
    doc = await resp.json()
    assert doc["format"] == "kundendialog-export/1" and doc["selector"] == {"conversation_id": cid}
    (part,) = doc["conversations"]
    hub = part["hub"]
    assert hub["conversation"]["id"] == cid
    assert hub["conversation"]["rating"] == 4 and "token_hash" not in hub["conversation"]
    assert SECRET in [m["text"] for m in hub["messages"]]
    assert hub["handoffs"] and {t["contact"] for t in hub["tickets"]} >= {"jonas.becker@gmx.de"}
    assert SECRET in hub["notes"][0]["text"] and hub["notes"][0]["agent_name"] == "Eva"
    assert [t["name"] for t in hub["tags"]] == ["Lieferstatus"]  # the bot's topic tag (issue 27.9)
    assert hub["tags"][0]["agent_id"] is None and hub["merges"] == []
    assert [e["data"]["text"] for e in part["tracker"]["events"] if e["type"] == "user"] == [SECRET]
    assert [r["reference"] for r in part["shop"]["returns"]] == ["RT-123456"]
    assert [t["reference"] for t in part["shop"]["tickets"]] == ["TK-654321"]
    assert part["shop"]["returns"][0]["reason"] == SECRET
    # every record the bot created in any shop, by kind, reference and backend (issue 25.7)
    assert [(r["kind"], r["reference"], r["backend"]) for r in part["shop"]["records"]] == [
        ("return", "RT-123456", "demo"),
        ("ticket", "TK-654321", "demo"),
    ]
    json.dumps(doc)  # one JSON document


async def test_export_of_a_messenger_user_includes_their_update_ids(client, settings, staff):
    conv = await messenger_conversation(client)
    doc = await (
        await admin_call(
            client, staff["chefin"], "export", external_id="tg-user-7", channel="telegram"
        )
    ).json()
    assert [c["conversation_id"] for c in doc["conversations"]] == [conv.id]
    assert doc["conversations"][0]["hub"]["inbound_updates"][0]["external_id"] == "4711"


# -- erasure -------------------------------------------------------------------------
async def test_erase_leaves_nothing_in_any_store(client, settings, staff):
    conv = await lived_conversation(client, settings)
    other = await lived_conversation(
        client, settings, email="anna.schmidt@web.de", returns="RT-222222", complaint="TK-333333"
    )
    cid, keep = conv["conversation_id"], other["conversation_id"]
    resp = await admin_call(client, staff["chefin"], "erase", conversation_id=cid)
    assert resp.status == 200
    result = await resp.json()
    assert result["conversations"] == [cid]
    assert result["erased"]["hub"]["conversations"] == 1 and result["erased"]["tracker_events"] == 5
    assert result["erased"]["shop"] == {"returns": 1, "tickets": 1}

    assert await hub_rows(client, cid) == {
        "conversations": 0,
        "messages": 0,
        "handoffs": 0,
        "tickets": 0,
        "notes": 0,
    }
    assert cid not in await tracker_counts(settings)
    texts = shop_texts(settings)
    assert (
        texts["RT-123456"] == ERASED and texts["TK-654321"] == ERASED
    )  # the records stay, the words go
    # the other customer's data is untouched
    assert (await hub_rows(client, keep))["messages"] > 0 and (await tracker_counts(settings))[
        keep
    ] == 5
    assert texts["RT-222222"] == SECRET and texts["TK-333333"] == SECRET
    # which conversation created the records is forgotten too, for this conversation only
    assert cid not in created_records(settings)
    assert created_records(settings)[keep] == ["RT-222222", "TK-333333"]
    # the token is gone with the conversation
    assert (await client.get(f"/api/v1/conversations/{cid}", headers=auth(conv))).status == 404


async def test_erase_removes_a_messenger_users_update_ids(client, settings, staff):
    conv = await messenger_conversation(client)
    assert await client.app[CONVERSATIONS].first_delivery(
        "telegram", "999"
    )  # another user's update
    resp = await admin_call(client, staff["chefin"], "erase", external_id="tg-user-7")
    assert (await resp.json())["erased"]["hub"]["inbound_updates"] == 1
    assert [u.external_id for u in await rows(client, InboundUpdate)] == ["999"]
    assert await rows(client, Conversation, Conversation.id == conv.id) == []


async def test_erase_of_a_queued_conversation_updates_the_queue(client, settings, staff):
    conv = await start(client)
    cid = conv["conversation_id"]
    await change(client, update(Conversation).where(Conversation.id == cid).values(state="queued"))
    await client.app[REPO].queue_handoff(
        Handoff(conversation_id=cid, reason="customer_request", summary={})
    )
    assert (
        len(
            (await (await client.get("/api/v1/agent/queue", headers=staff["eva"])).json())[
                "handoffs"
            ]
        )
        == 1
    )
    assert (await admin_call(client, staff["chefin"], "erase", conversation_id=cid)).status == 200
    assert (await (await client.get("/api/v1/agent/queue", headers=staff["eva"])).json())[
        "handoffs"
    ] == []


async def test_email_selects_verified_and_contact_conversations_only(client, settings, staff):
    verified = await start(client)
    await add_events(
        settings,
        verified["conversation_id"],
        [
            ("slot", {"name": "email", "value": "leonie.wagner@t-online.de"}),
            ("slot", {"name": "verified_order", "value": "100236"}),
        ],
    )
    contact = await start(client)
    await client.post(
        f"/api/v1/conversations/{contact['conversation_id']}/callback",
        json={"contact": "Leonie.Wagner@t-online.de"},
        headers=auth(contact),
    )
    typed_only = await start(client)  # someone typed her address, it did not match the order
    await add_events(
        settings,
        typed_only["conversation_id"],
        [
            ("slot", {"name": "email", "value": "leonie.wagner@t-online.de"}),
            ("slot", {"name": "email", "value": None}),
            ("slot", {"name": "verified_order", "value": None}),
        ],
    )
    resp = await admin_call(client, staff["chefin"], "export", email="LEONIE.wagner@t-online.de")
    ids = {c["conversation_id"] for c in (await resp.json())["conversations"]}
    assert ids == {verified["conversation_id"], contact["conversation_id"]}


async def test_only_admins_and_valid_selectors(client, settings, staff):
    conv = await lived_conversation(client, settings)
    cid = conv["conversation_id"]
    for action in ("export", "erase"):
        assert (
            await client.post(f"/api/v1/agent/admin/gdpr/{action}", json={"conversation_id": cid})
        ).status == 401
        assert (await admin_call(client, staff["eva"], action, conversation_id=cid)).status == 403
        bad = await admin_call(client, staff["chefin"], action, conversation_id=cid, email="a@b.de")
        assert bad.status == 422 and (await bad.json())["error"]["code"] == "invalid_selector"
        assert (
            await admin_call(client, staff["chefin"], action, conversation_id="nope")
        ).status == 404
    assert (await hub_rows(client, cid))["messages"] > 0 and cid in await tracker_counts(settings)


async def test_export_and_erase_are_audited_without_the_email(client, settings, staff):
    await lived_conversation(client, settings)
    await admin_call(client, staff["chefin"], "export", email="jonas.becker@gmx.de")
    await admin_call(client, staff["chefin"], "erase", email="jonas.becker@gmx.de")
    entries = await rows(
        client,
        AuditEntry,
        AuditEntry.action.in_(("gdpr_export", "gdpr_erase")),
        order_by=AuditEntry.id,
    )
    assert [e.action for e in entries] == ["gdpr_export", "gdpr_erase"]
    assert all(
        e.target.startswith("email:") and "jonas" not in json.dumps([e.target, e.detail])
        for e in entries
    )


async def test_cli_exports_and_erases_like_the_api(client, settings, staff, tmp_path):
    conv = await lived_conversation(client, settings)
    cid = conv["conversation_id"]
    out = tmp_path / "export.json"
    assert await gdpr_cmd(settings, "export", {"conversation_id": cid}, str(out)) == 0
    assert out.stat().st_mode & 0o077 == 0
    assert json.loads(out.read_text())["conversations"][0]["conversation_id"] == cid
    assert (
        await gdpr_cmd(settings, "erase", {"conversation_id": cid}, confirm=lambda ids: False) == 1
    )
    assert (await hub_rows(client, cid))["messages"] > 0
    assert await gdpr_cmd(settings, "erase", {"conversation_id": cid}) == 0
    assert (await hub_rows(client, cid))["conversations"] == 0 and cid not in await tracker_counts(
        settings
    )


def test_selector_needs_exactly_one_key():
    assert Selector.parse({"email": " Anna@Web.de "}).email == "anna@web.de"
    assert (
        Selector.parse({"external_id": "42", "channel": "telegram"})
        .audit_target()
        .startswith("external:telegram:")
    )
    for bad in (
        {},
        {"conversation_id": "a", "email": "b@c.de"},
        {"email": "kein-at"},
        {"conversation_id": 5},
        {"conversation_id": "a", "channel": "telegram"},
    ):
        with pytest.raises(Exception) as info:
            Selector.parse(bad)
        assert getattr(info.value, "code", None) in ("invalid_selector", "invalid_field")


def test_shop_tables_match_the_action_servers_models():
    from bot.shop import demo_db, ledger

    for hub_side, model in (
        (RETURNS, demo_db.Return),
        (TICKETS, demo_db.Ticket),
        (CREATED, ledger.CreatedRecord),
    ):
        assert hub_side.name == model.__tablename__
        assert set(hub_side.c.keys()) == set(model.__table__.c.keys())


def test_tracker_url_follows_rasas_rules(monkeypatch):
    monkeypatch.setenv("KD_TRACKER_PW", "s3cr/et")
    assert (
        tracker_url({"type": "SQL", "dialect": "sqlite", "db": "/tmp/t.db"})
        == "sqlite+aiosqlite:////tmp/t.db"
    )
    from bot.hub.privacy.tracker import _expand

    url = tracker_url(
        {
            "type": "SQL",
            "dialect": "postgresql",
            "url": "db.internal",
            "port": 5433,
            "username": "rasa",
            "password": _expand("${KD_TRACKER_PW}"),
            "db": "tracker",
        }
    )
    assert url == "postgresql+asyncpg://rasa:s3cr%2Fet@db.internal:5433/tracker"
    cached = {"type": "bot.rasa_plugins.tracker_store.CachedSQLTrackerStore", "db": "/tmp/t.db"}
    assert tracker_url(cached) == "sqlite+aiosqlite:////tmp/t.db"  # the same `events` table
    with pytest.raises(Exception) as info:
        tracker_url({"type": "redis"})
    assert info.value.code == "tracker_store_unsupported"


def test_only_verified_emails_count():
    def slot(name, value):
        return "slot", json.dumps({"name": name, "value": value})

    assert verified_emails([slot("email", "A@b.de"), slot("verified_order", "100234")]) == {
        "a@b.de"
    }
    assert (
        verified_emails(
            [slot("email", "a@b.de"), slot("email", None), slot("verified_order", None)]
        )
        == set()
    )
    assert (
        verified_emails([slot("email", "a@b.de"), ("restart", None), slot("verified_order", "1")])
        == set()
    )


# -- the customer ends the chat (tokens that expire: abuse/test_other_customers_chat.py) ------


async def test_a_conversation_without_messages_expires_from_its_start(client):
    conv = await start(client)
    await change(
        client,
        update(Conversation)
        .where(Conversation.id == conv["conversation_id"])
        .values(created_at=utcnow() - timedelta(hours=25)),
    )
    resp = await client.get(f"/api/v1/conversations/{conv['conversation_id']}", headers=auth(conv))
    assert resp.status == 401 and (await resp.json())["error"]["code"] == "token_expired"


async def test_customer_ends_the_chat_for_good(client, staff):
    conv = await start(client)
    cid = conv["conversation_id"]
    await say(client, conv, text="Hallo")
    resp = await client.post(f"/api/v1/conversations/{cid}/end", headers=auth(conv))
    assert resp.status == 200 and (await resp.json())["state"] == "closed"
    stored = await row(client, Conversation, cid)
    assert stored.state == "closed" and stored.resolution == "Vom Kunden beendet"
    assert stored.token_hash != token_hash(conv["token"])
    notices = [
        m.text
        for m in await rows(
            client, Message, Message.conversation_id == cid, Message.sender == "system"
        )
    ]
    assert any("Chat beendet" in t for t in notices)
    # the same token (a shared browser) cannot read or reopen it
    for method, path, body in [
        ("GET", "", None),
        ("GET", "/messages", None),
        ("POST", "/messages", {"text": "Hallo?"}),
    ]:
        resp = await client.request(
            method, f"/api/v1/conversations/{cid}{path}", json=body, headers=auth(conv)
        )
        assert resp.status == 401
    assert (await row(client, Conversation, cid)).state == "closed"
    assert (await client.post(f"/api/v1/conversations/{cid}/end", headers=auth(conv))).status == 401


async def test_ending_a_chat_an_agent_closed_keeps_the_resolution(client):
    conv = await start(client)
    cid = conv["conversation_id"]
    await change(
        client,
        update(Conversation)
        .where(Conversation.id == cid)
        .values(state="closed", resolution="Erstattet"),
    )
    assert (await client.post(f"/api/v1/conversations/{cid}/end", headers=auth(conv))).status == 200
    stored = await row(client, Conversation, cid)
    assert stored.resolution == "Erstattet" and stored.token_hash != token_hash(conv["token"])


async def test_ending_a_queued_chat_leaves_the_queue(client, staff):
    conv = await start(client)
    cid = conv["conversation_id"]
    await change(client, update(Conversation).where(Conversation.id == cid).values(state="queued"))
    await client.app[REPO].queue_handoff(
        Handoff(conversation_id=cid, reason="customer_request", summary={})
    )
    assert (await client.post(f"/api/v1/conversations/{cid}/end", headers=auth(conv))).status == 200
    assert (await (await client.get("/api/v1/agent/queue", headers=staff["eva"])).json())[
        "handoffs"
    ] == []
    async with client.app[REPO].sessions() as db:
        states = (
            await db.scalars(select(Handoff.state).where(Handoff.conversation_id == cid))
        ).all()
    assert states == ["done"]


async def test_end_and_admin_routes_are_documented(client):
    spec = await (await client.get("/api/v1/openapi.json")).json()
    assert "post" in spec["paths"]["/api/v1/conversations/{conversation_id}/end"]
    for action in ("export", "erase"):
        op = spec["paths"][f"/api/v1/agent/admin/gdpr/{action}"]["post"]
        assert {"401", "403", "404"} <= set(op["responses"]) and op["security"] == [
            {"agentToken": []}
        ]
    assert client.app[PRIVACY] is not None


async def test_records_in_a_platform_shop_are_exported_and_forgotten(tmp_path):
    """A WooCommerce order note or a Shopify return lives in the shop, not in the demo tables:
    the ledger row (kind, reference, backend) is what the export lists and erasure forgets."""
    from bot.hub.privacy.shop import ShopRecords
    from bot.shop import ledger

    url = f"sqlite:///{tmp_path / 'shop.db'}"
    with ledger.session(url) as db, db.begin():
        db.add(
            ledger.CreatedRecord(
                conversation_id="c1", kind="note", reference="4711", backend="woocommerce"
            )
        )
        db.add(
            ledger.CreatedRecord(
                conversation_id="c2", kind="return", reference="gid://1", backend="shopify"
            )
        )
    records = ShopRecords(url)
    exported = (await records.export("c1"))["records"]
    assert [(r["kind"], r["reference"], r["backend"]) for r in exported] == [
        ("note", "4711", "woocommerce")
    ]
    await records.anonymise(["c1"])
    assert (await records.export("c1"))["records"] == []
    assert len((await records.export("c2"))["records"]) == 1  # another conversation's stay
