"""Agents reading what they should not: a plain agent must not read, annotate or answer another
agent's conversation or a bot-only one, nor receive its websocket frames; supervisors and admins
see everything, and every access to customer data or accounts lands in an audit log that only
admins read."""

from __future__ import annotations

from bot.hub.handoff.audit import Audit
from bot.hub.keys.store import REPO
from tests.unit.hub.conftest import auth, start
from tests.unit.hub.test_agent_security import (
    agent_id,
    agent_socket,
    claimed_by,
    frames_until,
    login,
    message_text,
    queued_conversation,
)


async def test_agents_read_only_the_queue_their_own_and_ticket_conversations(client, team):
    bot_only = await start(client)
    await client.post(
        f"/api/v1/conversations/{bot_only['conversation_id']}/messages",
        json={"text": "Hallo"},
        headers=auth(bot_only),
    )
    queued = await queued_conversation(client)
    toms = await claimed_by(client, team["tom"])
    evas = await claimed_by(client, team["eva"])
    callback = await queued_conversation(client)
    await client.post(
        f"/api/v1/conversations/{callback['conversation_id']}/callback",
        json={"contact": "0171 1234567"},
        headers=auth(callback),
    )
    ids = [c["conversation_id"] for c in (bot_only, queued, toms, evas, callback)]
    expected = {
        "eva": [403, 200, 403, 200, 200],
        "tom": [403, 200, 200, 403, 200],
        "sue": [200] * 5,
        "chefin": [200] * 5,
    }
    for name, statuses in expected.items():
        for cid, status in zip(ids, statuses):
            resp = await client.get(f"/api/v1/agent/conversations/{cid}", headers=team[name])
            assert resp.status == status, (name, ids.index(cid))
            if status == 403:
                assert (await resp.json())["error"]["code"] == "not_visible"


async def test_notes_only_on_visible_conversations(client, team):
    toms = await claimed_by(client, team["tom"])
    bot_only = await start(client)
    for conv in (toms, bot_only):
        resp = await client.post(
            f"/api/v1/agent/conversations/{conv['conversation_id']}/notes",
            json={"text": "heimlich"},
            headers=team["eva"],
        )
        assert resp.status == 403
    resp = await client.post(
        f"/api/v1/agent/conversations/{toms['conversation_id']}/notes",
        json={"text": "Teamleitung war hier"},
        headers=team["sue"],
    )
    assert resp.status == 201


async def test_only_supervisors_and_admins_act_on_others_conversations(client, team):
    toms = await claimed_by(client, team["tom"])
    url = f"/api/v1/agent/conversations/{toms['conversation_id']}/messages"
    assert (await client.post(url, json={"text": "Eva hier"}, headers=team["eva"])).status == 409
    assert (await client.post(url, json={"text": "Sue hier"}, headers=team["sue"])).status == 201
    listed = await (await client.get("/api/v1/agent/conversations", headers=team["sue"])).json()
    assert [c["conversation_id"] for c in listed["conversations"]] == [toms["conversation_id"]]
    listed = await (await client.get("/api/v1/agent/conversations", headers=team["eva"])).json()
    assert listed["conversations"] == []


async def test_websocket_frames_are_filtered_by_visibility(client, team):
    toms = await claimed_by(client, team["tom"])
    evas = await claimed_by(client, team["eva"])
    eva_ws, sue_ws = (
        await agent_socket(client, team["eva"]),
        await agent_socket(client, team["sue"]),
    )
    for ws in (eva_ws, sue_ws):  # the queue frame comes once the socket is subscribed
        await frames_until(ws, lambda f: f.get("type") == "queue")
    for conv, text in ((toms, "Hallo Tom"), (evas, "Hallo Eva")):
        await client.post(
            f"/api/v1/conversations/{conv['conversation_id']}/messages",
            json={"text": text},
            headers=auth(conv),
        )
    await client.post(
        f"/api/v1/agent/conversations/{toms['conversation_id']}/notes",
        json={"text": "Notiz Tom"},
        headers=team["tom"],
    )
    await client.post(
        f"/api/v1/agent/conversations/{evas['conversation_id']}/notes",
        json={"text": "Notiz Eva"},
        headers=team["eva"],
    )

    def last_note(f):
        return f.get("type") == "note" and f["note"]["text"] == "Notiz Eva"

    eva_frames = await frames_until(eva_ws, last_note)
    sue_frames = await frames_until(sue_ws, last_note)
    eva_conversations = {f.get("conversation_id") for f in eva_frames} - {None}
    assert eva_conversations == {evas["conversation_id"]}
    assert "Hallo Eva" in [message_text(f) for f in eva_frames]
    assert "Hallo Tom" in [message_text(f) for f in sue_frames]
    assert any(f.get("type") == "note" and f["note"]["text"] == "Notiz Tom" for f in sue_frames)
    assert all(not f["type"].startswith("_") for f in eva_frames + sue_frames)

    # a new customer in the queue: everyone sees the queue and that conversation's messages
    queued = await queued_conversation(client)
    frames = await frames_until(
        eva_ws,
        lambda f: (
            f.get("type") == "queue"
            and any(h["conversation_id"] == queued["conversation_id"] for h in f["handoffs"])
        ),
    )
    assert frames
    # Tom transfers his conversation to Eva: from then on she gets its messages
    resp = await client.post(
        f"/api/v1/agent/conversations/{toms['conversation_id']}/transfer",
        json={"agent_id": await agent_id(client, "eva")},
        headers=team["tom"],
    )
    assert resp.status == 200
    await client.post(
        f"/api/v1/conversations/{toms['conversation_id']}/messages",
        json={"text": "Noch da?"},
        headers=auth(toms),
    )
    assert await frames_until(eva_ws, lambda f: message_text(f) == "Noch da?")
    for ws in (eva_ws, sue_ws):
        await ws.close()


async def test_agent_actions_are_audited_and_readable_by_admins_only(client, team):
    conv = await queued_conversation(client)
    cid = conv["conversation_id"]
    assert (
        await client.post(f"/api/v1/agent/conversations/{cid}/claim", headers=team["eva"])
    ).status == 200
    assert (
        await client.get(f"/api/v1/agent/conversations/{cid}", headers=team["eva"])
    ).status == 200
    await login(client, "tom", "falsch")
    tom = await agent_id(client, "tom")
    await client.post(
        f"/api/v1/agent/agents/{tom}/role", json={"role": "supervisor"}, headers=team["chefin"]
    )
    await client.post(f"/api/v1/agent/agents/{tom}/deactivate", headers=team["chefin"])
    await client.post(
        "/api/v1/agent/password",
        json={"old_password": "geheim000", "new_password": "sue-neu-123"},
        headers=team["sue"],
    )
    await client.post("/api/v1/agent/logout", headers=team["eva"])
    await client.app[REPO].audit(
        await agent_id(client, "chefin"), Audit.EXPORT, cid, {"format": "json"}
    )  # GDPR code

    for name in ("eva", "sue"):
        assert (await client.get("/api/v1/agent/audit", headers=team[name])).status in (401, 403)
    resp = await client.get("/api/v1/agent/audit?limit=200", headers=team["chefin"])
    assert resp.status == 200
    entries = (await resp.json())["entries"]
    actions = [e["action"] for e in reversed(entries)]
    for expected in (
        "login",
        "claim",
        "view_conversation",
        "login_failed",
        "role_changed",
        "deactivated",
        "password_changed",
        "logout",
        "gdpr_export",
    ):
        assert expected in actions, expected
    claim = next(e for e in entries if e["action"] == "claim")
    assert claim["agent_name"] == "Eva" and claim["target"] == cid and claim["ip"] == "127.0.0.1"
    role = next(e for e in entries if e["action"] == "role_changed")
    assert role["detail"] == {"email": "tom@shop.de", "from": "agent", "to": "supervisor"}

    # pages: newest first, `before_id` continues where the last page ended
    first = await (await client.get("/api/v1/agent/audit?limit=3", headers=team["chefin"])).json()
    second = await (
        await client.get(
            f"/api/v1/agent/audit?limit=3&before_id={first['next_before_id']}",
            headers=team["chefin"],
        )
    ).json()
    ids = [e["id"] for e in first["entries"] + second["entries"]]
    assert (
        ids == sorted(ids, reverse=True)
        and len(set(ids)) == 6
        and ids == [e["id"] for e in entries[:6]]
    )
    only = await (
        await client.get("/api/v1/agent/audit?action=claim", headers=team["chefin"])
    ).json()
    assert [e["action"] for e in only["entries"]] == ["claim"] and only["next_before_id"] is None
    assert (await client.get("/api/v1/agent/audit?limit=0", headers=team["chefin"])).status == 422
    assert (
        await client.get("/api/v1/agent/audit?before_id=x", headers=team["chefin"])
    ).status == 422
