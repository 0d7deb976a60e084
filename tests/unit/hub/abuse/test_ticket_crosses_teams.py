"""Threat: an open request made its conversation readable to every agent, whatever the team: a plain agent
read another team's transcript, internal notes and attachments and wrote notes into it; the learning view
handed plain agents the conversation ids of every team to try.

An open request opens its conversation only to the members of the request's team (supervisors and admins:
all), and plain agents get no conversation ids from the learning view (issue 23.4).
"""

from __future__ import annotations

import pytest

from bot.hub.store.models import Note
from tests.unit.hub.conftest import rows
from tests.unit.hub.test_learning import seeded_with_parcels
from tests.unit.hub.test_reports import WEEK_QUERY
from tests.unit.hub.test_reports import login as seeded_login
from tests.unit.hub.test_teams import ask, hub, login  # noqa: F401 - `hub` is the teams fixture
from tests.unit.hub.test_teams_visibility import callback

__all__ = ["hub"]


async def test_another_teams_request_does_not_open_its_conversation(hub):  # noqa: F811
    eva = await login(hub, "eva@shop.de", "Eva")
    bernd = await login(hub, "bernd@shop.de", "Bernd")
    supervisor = await login(hub, "sina@shop.de", "Sina", "supervisor")
    admin = await login(hub, "chefin@shop.de", "Chefin", "admin")
    resp = await hub.post(
        f"/api/v1/agent/agents/{bernd['X-Agent-Id']}/teams",
        json={"teams": ["buchhaltung"]},
        headers=admin,
    )
    assert resp.status == 200
    dispute, _ = await ask(hub, "Das ist eine Rückbuchung")
    general, _ = await ask(hub, "Wo ist mein Paket")
    await callback(hub, dispute, "kunde@example.de")  # Buchhaltung's request
    await callback(hub, general, "andere@example.de")  # Kundenservice's request
    base = f"/api/v1/agent/conversations/{dispute['conversation_id']}"
    resp = await hub.post(f"{base}/notes", json={"text": "Geheim"}, headers=bernd)
    assert resp.status == 201  # the team's internal note

    resp = await hub.get(base, headers=eva)
    assert resp.status == 403 and (await resp.json())["error"]["code"] == "not_visible"
    assert "Geheim" not in await resp.text()
    resp = await hub.post(f"{base}/notes", json={"text": "Eva war hier"}, headers=eva)
    assert resp.status == 403
    assert [n.text for n in await rows(hub, Note)] == ["Geheim"]

    for headers in (bernd, supervisor, admin):  # the team, and those who see everything
        assert (await hub.get(base, headers=headers)).status == 200
    # Eva's own team's request still opens its conversation (the callback list works)
    own = f"/api/v1/agent/conversations/{general['conversation_id']}"
    assert (await hub.get(own, headers=eva)).status == 200


@pytest.mark.parametrize("email, with_ids", [("eva@shop.de", False), ("sina@shop.de", True)])
async def test_learning_view_gives_plain_agents_no_conversation_ids(client, email, with_ids):
    await seeded_with_parcels(client)  # C20's messages were not understood
    resp = await client.get(
        f"/api/v1/agent/learning/candidates?{WEEK_QUERY}",
        headers=await seeded_login(client, email),
    )
    assert resp.status == 200
    messages = [m for g in (await resp.json())["groups"] for m in g["messages"]]
    assert messages and all(m["message_id"] for m in messages)  # what a review needs
    shown = {m.get("conversation_id") for m in messages} - {None}
    assert ("C20" in shown) is with_ids  # supervisors and admins keep them
    assert bool(shown) is with_ids
