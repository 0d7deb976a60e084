"""Issue 27.1: after a team transfer every claim and every reply still counts for the agent who made it
(agents' report), and the queue report has one wait per claim; migration 0013 on a populated database."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import text

from bot.hub.keys.store import REPO
from bot.hub.store.db import make_engine, migrate
from bot.hub.store.models import HandoffTransfer
from tests.unit.hub.test_teams import ask, hub, login  # noqa: F401 - the fixture

NOW = datetime(2026, 11, 23, 10, 0)


async def test_a_transferred_claim_stays_with_its_agent(hub):  # noqa: F811
    ali = await login(hub, "ali@shop.de", "Ali")
    birgit = await login(hub, "birgit@shop.de", "Birgit")
    sina = await login(hub, "sina@shop.de", "Sina", "supervisor")
    await hub.app[REPO].set_agent_teams(int(birgit["X-Agent-Id"]), ["buchhaltung"])
    conv, _ = await ask(hub, "Wo ist mein Paket")
    base = f"/api/v1/agent/conversations/{conv['conversation_id']}"
    assert (await hub.post(f"{base}/claim", headers=ali)).status == 200
    for words in ("Ich schaue nach.", "Das gehört in die Buchhaltung."):
        assert (await hub.post(f"{base}/messages", json={"text": words}, headers=ali)).status == 201
    assert (
        await hub.post(f"{base}/transfer-team", json={"team": "buchhaltung"}, headers=ali)
    ).status == 200
    assert (await hub.post(f"{base}/claim", headers=birgit)).status == 200
    assert (
        await hub.post(f"{base}/messages", json={"text": "Hier Buchhaltung."}, headers=birgit)
    ).status == 201
    assert (
        await hub.post(f"{base}/close", json={"resolution": "erledigt"}, headers=birgit)
    ).status == 200

    query = f"from={date.today().isoformat()}&days=1"
    resp = await hub.get(f"/api/v1/agent/reports/agents?{query}", headers=sina)
    assert resp.status == 200, await resp.text()
    body = await resp.json()
    rows = {
        r["name"]: (r["conversations"], r["transferred"], r["closed"], r["open"], r["replies"])
        for r in body["agents"]
    }
    assert rows == {"Ali": (1, 1, 0, 0, 2), "Birgit": (1, 0, 1, 0, 1)}
    assert body["transfers"] == 1 and body["replies"] == 3
    assert body["first_response_seconds"]["count"] == 2

    waiting = await (await hub.get(f"/api/v1/agent/reports/queue?{query}", headers=sina)).json()
    assert waiting["queued"] == 1 and waiting["taken"] == 1
    assert waiting["wait_seconds"]["count"] == 2  # one wait per claim
    books = await (
        await hub.get(f"/api/v1/agent/reports/agents?{query}&team=buchhaltung", headers=sina)
    ).json()
    assert [r["name"] for r in books["agents"] if r["conversations"]] == ["Birgit"]
    async with hub.app[REPO].sessions() as db:
        (transfer,) = (
            await db.execute(text("SELECT agent_id, team, to_team FROM handoff_transfers"))
        ).all()
    assert tuple(transfer) == (int(ali["X-Agent-Id"]), "kundenservice", "buchhaltung")
    erased = await hub.app[REPO].erase_conversation(conv["conversation_id"])
    assert erased["handoff_transfers"] == 1


async def test_migration_0013_adds_transfers_next_to_existing_handoffs(database_url):
    engine = make_engine(database_url)
    try:
        await migrate(engine, "0012")
        async with engine.begin() as conn:
            await conn.execute(
                text(
                    "INSERT INTO conversations (id, token_hash, channel, state, metadata, created_at, updated_at) "
                    "VALUES ('c1', 'h', 'webchat', 'queued', '{}', :now, :now)"
                ),
                {"now": NOW},
            )
            await conn.execute(
                text(
                    "INSERT INTO handoffs (id, conversation_id, reason, priority, summary, state, queued_at) "
                    "VALUES (1, 'c1', 'customer_request', 'normal', '{}', 'queued', :now)"
                ),
                {"now": NOW},
            )
        await migrate(engine)
        async with engine.begin() as conn:
            await conn.execute(
                text(
                    f"INSERT INTO {HandoffTransfer.__tablename__} (handoff_id, to_team, queued_at, transferred_at) "
                    "VALUES (1, 'buchhaltung', :now, :now)"
                ),
                {"now": NOW},
            )
            count = await conn.scalar(text("SELECT count(*) FROM handoff_transfers"))
            state = await conn.scalar(text("SELECT state FROM handoffs WHERE id = 1"))
        assert (count, state) == (1, "queued")
        await migrate(engine)  # idempotent
    finally:
        await engine.dispose()
