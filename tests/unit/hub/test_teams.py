"""Teams: routing by topic, one queue per team with positions, visibility, transfer to a team, team hours,
and auto-assignment (fair, and atomic with two hubs on one database)."""

from __future__ import annotations

import asyncio
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Dict

import pytest
import yaml
from sqlalchemy import update

from bot.hub.accounts.agents import create_agent
from bot.hub.app import init_app
from bot.hub.handoff.queue import new_handoff
from bot.hub.keys.config import COMPANY
from bot.hub.keys.dialogue import CONVERSATIONS
from bot.hub.keys.handoff import QUEUE
from bot.hub.keys.store import REPO
from bot.hub.states import AgentStatus, HandoffState
from bot.hub.store.models import Agent, Conversation, Handoff, utcnow
from bot.hub.teams import load_teams
from bot.shared.company import load_company
from tests.unit.hub.conftest import auth, change, rows, start

OPEN = datetime(2026, 11, 23, 10, 0, tzinfo=timezone.utc)  # Monday 11:00 in Berlin
LUNCH = datetime(2026, 11, 23, 11, 30, tzinfo=timezone.utc)  # Monday 12:30 in Berlin
FRIDAY_EVENING = datetime(2026, 11, 27, 17, 0, tzinfo=timezone.utc)
TEAMS = {
    "calendar": {"public_holidays": "DE-BY"},
    "teams": {
        "kundenservice": {"name": "Kundenservice", "default": True},
        "buchhaltung": {
            "name": "Buchhaltung",
            "topics": ["payment_dispute", "payment_issue", "invoice_request"],
            "hours": {
                d: ["08:00-12:00", "13:00-17:00"] for d in ("mon", "tue", "wed", "thu", "fri")
            },
        },
        "retouren": {"name": "Retouren", "topics": ["return_item"], "auto_assign": True},
    },
}


def company_with(tmp_path: Path, extra: Dict[str, Any]) -> Any:
    raw = yaml.safe_load(Path("company.yml").read_text(encoding="utf-8"))
    raw.update(extra)
    path = tmp_path / "company.yml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    return load_company(str(path))


def payload(text: str) -> Dict[str, Any]:
    low = text.lower()
    detail = "payment_dispute" if "rückbuchung" in low else None
    topic = "return_item" if "zurück" in low else "order_status"
    return {
        "reason": "human_only_topic" if detail else "customer_request",
        "priority": "normal",
        "summary": {
            "topic": "x",
            "topic_key": topic,
            "reason_detail": detail,
            "register": "sie",
            "intents": [topic],
        },
    }


@pytest.fixture()
async def hub(aiohttp_client, settings, tmp_path, fake_rasa):
    def answer(sender: str, text: str):
        return [
            {"recipient_id": sender, "text": "Ich gebe Ihr Anliegen weiter."},
            {"recipient_id": sender, "custom": {"handoff": payload(text)}},
        ]

    fake_rasa.answer = answer
    app = init_app(settings)
    app[COMPANY] = company_with(tmp_path, TEAMS)
    client = await aiohttp_client(app)
    client.app[QUEUE].clock = lambda: OPEN
    return client


async def login(
    client, email: str, name: str, role: str = "agent", capacity: int = 3
) -> Dict[str, str]:
    agent = await create_agent(client.app[REPO], email, name, "geheim123", role, capacity)
    resp = await client.post("/api/v1/agent/login", json={"email": email, "password": "geheim123"})
    assert resp.status == 200
    headers = {"Authorization": f"Bearer {(await resp.json())['token']}"}
    headers["X-Agent-Id"] = str(agent.id)
    return headers


async def ask(client, text: str):
    conv = await start(client)
    resp = await client.post(
        f"/api/v1/conversations/{conv['conversation_id']}/messages",
        json={"text": text},
        headers=auth(conv),
    )
    return conv, (await resp.json())["messages"][-1]


def test_routing_by_topic(tmp_path):
    teams = load_teams(company_with(tmp_path, TEAMS))
    assert teams.route(payload("Das ist eine Rückbuchung!")).key == "buchhaltung"
    assert teams.route(payload("Ich schicke es zurück")).key == "retouren"
    assert teams.route(payload("Wo ist mein Paket")).key == "kundenservice"
    assert teams.route({"summary": {"intents": ["greet", "invoice_request"]}}).key == "buchhaltung"
    assert teams.route({}).key == "kundenservice"


def test_without_teams_there_is_one_default_team():
    teams = load_teams(load_company())
    assert not teams.configured and [t.name for t in teams.all()] == ["Kundenservice"]
    assert teams.route(payload("Rückbuchung")).key == "kundenservice"
    assert teams.member_keys([]) == ["kundenservice"]


async def test_payment_dispute_lands_in_the_accounting_queue(hub):
    eva = await login(hub, "eva@shop.de", "Eva")
    bernd = await login(hub, "bernd@shop.de", "Bernd")
    admin = await login(hub, "chefin@shop.de", "Chefin", "admin")
    resp = await hub.post(
        f"/api/v1/agent/agents/{bernd['X-Agent-Id']}/teams",
        json={"teams": ["buchhaltung"]},
        headers=admin,
    )
    assert resp.status == 200 and (await resp.json())["teams"] == ["buchhaltung"]
    assert (
        await hub.post(
            f"/api/v1/agent/agents/{bernd['X-Agent-Id']}/teams",
            json={"teams": ["nope"]},
            headers=admin,
        )
    ).status == 404
    assert (
        await hub.post(
            f"/api/v1/agent/agents/{eva['X-Agent-Id']}/teams", json={"teams": []}, headers=eva
        )
    ).status == 403

    dispute1, notice1 = await ask(hub, "Das ist eine Rückbuchung, unverschämt")
    general, notice2 = await ask(hub, "Wo ist mein Paket")
    dispute2, notice3 = await ask(hub, "Noch eine Rückbuchung")
    assert "Team Buchhaltung" in notice1["text"] and "Position 1" in notice1["text"]
    assert "Team Kundenservice" in notice2["text"] and "Position 1" in notice2["text"]
    assert "Team Buchhaltung" in notice3["text"] and "Position 2" in notice3["text"]
    state = await (
        await hub.get(
            f"/api/v1/conversations/{dispute2['conversation_id']}", headers=auth(dispute2)
        )
    ).json()
    assert state["queue"]["position"] == 2 and state["queue"]["team"] == "buchhaltung"

    def ids(body):
        return [h["conversation_id"] for h in body["handoffs"]]

    assert ids(await (await hub.get("/api/v1/agent/queue", headers=eva)).json()) == [
        general["conversation_id"]
    ]
    assert ids(await (await hub.get("/api/v1/agent/queue", headers=bernd)).json()) == [
        dispute1["conversation_id"],
        dispute2["conversation_id"],
    ]
    assert len(ids(await (await hub.get("/api/v1/agent/queue", headers=admin)).json())) == 3
    other = f"/api/v1/agent/conversations/{dispute1['conversation_id']}"
    assert (await hub.post(f"{other}/claim", headers=eva)).status == 403
    assert (await hub.get(other, headers=eva)).status == 403
    assert (await hub.post(f"{other}/claim", headers=bernd)).status == 200

    teams = await (await hub.get("/api/v1/agent/teams", headers=eva)).json()
    assert teams["configured"] and teams["mine"] == ["kundenservice"]
    by_key = {t["key"]: t for t in teams["teams"]}
    assert by_key["buchhaltung"]["waiting"] == 1 and by_key["kundenservice"]["waiting"] == 1


async def test_transfer_to_a_team_tells_the_customer(hub):
    eva = await login(hub, "eva@shop.de", "Eva")
    bernd = await login(hub, "bernd@shop.de", "Bernd")
    await hub.app[REPO].set_agent_teams(int(bernd["X-Agent-Id"]), ["buchhaltung"])
    conv, _ = await ask(hub, "Wo ist mein Paket")
    base = f"/api/v1/agent/conversations/{conv['conversation_id']}"
    assert (await hub.post(f"{base}/claim", headers=eva)).status == 200
    assert (
        await hub.post(f"{base}/transfer-team", json={"team": "gibtsnicht"}, headers=eva)
    ).status == 404
    resp = await hub.post(f"{base}/transfer-team", json={"team": "buchhaltung"}, headers=eva)
    assert resp.status == 200 and (await resp.json())["conversation"]["state"] == "queued"
    transcript = await (
        await hub.get(
            f"/api/v1/conversations/{conv['conversation_id']}/messages", headers=auth(conv)
        )
    ).json()
    assert "unser Team Buchhaltung" in transcript["messages"][-1]["text"]
    queue = (await (await hub.get("/api/v1/agent/queue", headers=bernd)).json())["handoffs"]
    assert [h["conversation_id"] for h in queue] == [conv["conversation_id"]]
    assert (await (await hub.get("/api/v1/agent/queue", headers=eva)).json())["handoffs"] == []


async def test_a_closed_team_says_when_it_is_back(hub):
    bernd = await login(hub, "bernd@shop.de", "Bernd")
    await hub.app[REPO].set_agent_teams(int(bernd["X-Agent-Id"]), ["buchhaltung"])
    hub.app[QUEUE].clock = lambda: LUNCH
    _, notice = await ask(hub, "Rückbuchung!")
    assert (
        "Team Buchhaltung ist gerade nicht erreichbar" in notice["text"]
        and "heute ab 13 Uhr" in notice["text"]
    )
    hub.app[QUEUE].clock = lambda: FRIDAY_EVENING
    _, notice = await ask(hub, "Rückbuchung!")
    assert "ab Montag, 8 Uhr" in notice["text"]
    tickets = await rows(hub, Handoff, Handoff.state == HandoffState.TICKET)
    assert {t.team for t in tickets} == {"buchhaltung"}


async def test_auto_assignment_goes_to_the_least_busy_member(hub):
    agents = [await login(hub, f"r{i}@shop.de", f"R{i}", capacity=2) for i in range(3)]
    for headers in agents:
        await hub.app[REPO].set_agent_teams(int(headers["X-Agent-Id"]), ["retouren"])
    convs = [(await ask(hub, f"Ich schicke es zurück ({i})"))[0] for i in range(7)]
    stored = {c.id: c for c in await rows(hub, Conversation)}
    assigned = [stored[c["conversation_id"]].assigned_agent_id for c in convs]
    ids = [int(h["X-Agent-Id"]) for h in agents]
    assert assigned[:6] == [ids[0], ids[1], ids[2], ids[0], ids[1], ids[2]] and assigned[6] is None
    assert stored[convs[6]["conversation_id"]].state == "queued"
    # a freed agent gets the one still waiting; manual claim keeps working next to it
    first = f"/api/v1/agent/conversations/{convs[1]['conversation_id']}"
    assert (await hub.post(f"{first}/close", json={}, headers=agents[1])).status == 200
    waiting = (await rows(hub, Conversation, Conversation.id == convs[6]["conversation_id"]))[0]
    assert waiting.state == "agent" and waiting.assigned_agent_id == ids[1]
    transcript = await (
        await hub.get(
            f"/api/v1/conversations/{convs[6]['conversation_id']}/messages", headers=auth(convs[6])
        )
    ).json()
    assert "R1 aus unserem Team" in transcript["messages"][-1]["text"]


async def test_auto_assignment_is_atomic_across_two_hubs(
    aiohttp_client, settings, tmp_path, database_url
):
    company = company_with(tmp_path, TEAMS)
    hubs = []
    for _ in range(2):
        app = init_app(settings)
        app[COMPANY] = company
        hubs.append(await aiohttp_client(app))
    one = hubs[0]
    repo = one.app[REPO]
    agent_ids = []
    for i in range(3):
        agent = await create_agent(repo, f"a{i}@shop.de", f"A{i}", "geheim123", "agent", 2)
        await repo.set_agent_teams(agent.id, ["retouren"])
        agent_ids.append(agent.id)
    await change(one, update(Agent).values(status=AgentStatus.ONLINE, last_seen_at=utcnow()))
    for _ in range(10):
        conv, _ = await one.app[CONVERSATIONS].create("webchat", {})
        await repo.queue_handoff(
            new_handoff(
                conv.id,
                payload("zurück"),
                {},
                HandoffState.QUEUED,
                queued_at=utcnow(),
                team="retouren",
            )
        )
    calls = [
        hub.app[REPO].auto_assign("retouren", False, ["kundenservice", "buchhaltung", "retouren"])
        for _ in range(8)
        for hub in hubs
    ]
    results = [r for r in await asyncio.gather(*calls) if r is not None]
    assert len(results) == 6
    claimed = await rows(one, Handoff, Handoff.state == HandoffState.CLAIMED)
    assert len(claimed) == 6 and len({h.conversation_id for h in claimed}) == 6
    per_agent = {a: sum(1 for h in claimed if h.claimed_by == a) for a in agent_ids}
    assert per_agent == {a: 2 for a in agent_ids}
    convs = await rows(one, Conversation, Conversation.state == "agent")
    assert sorted(c.id for c in convs) == sorted(h.conversation_id for h in claimed)
    waiting = await rows(one, Handoff, Handoff.state == HandoffState.QUEUED)
    oldest_first = sorted(await rows(one, Handoff), key=lambda h: (h.queued_at, h.id))
    assert {h.id for h in waiting} == {
        h.id for h in oldest_first[6:]
    }  # the longest-waiting went first
