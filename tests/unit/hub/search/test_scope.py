"""Search never shows a plain agent another team's conversation (issue 27 tests: visibility).

With teams (company.yml `teams:`): Bernd (Buchhaltung) finds his own conversation, the Buchhaltung queue
and Buchhaltung requests; never Kundenservice's queue or requests, another agent's conversation, or
closed and bot-only conversations. A supervisor finds all of them.
"""

from __future__ import annotations

from tests.unit.hub.search.seed import conversation
from tests.unit.hub.search.test_service import find
from tests.unit.hub.test_teams import hub, login  # noqa: F401 - `hub` is the teams fixture

__all__ = ["hub"]


async def test_a_plain_agent_finds_only_what_their_teams_may_open(hub):  # noqa: F811
    admin = await login(hub, "chefin@shop.de", "Chefin", "admin")
    bernd = await login(hub, "bernd@shop.de", "Bernd")
    eva = await login(hub, "eva@shop.de", "Eva")
    sina = await login(hub, "sina@shop.de", "Sina", "supervisor")
    resp = await hub.post(
        f"/api/v1/agent/agents/{bernd['X-Agent-Id']}/teams",
        json={"teams": ["buchhaltung"]},
        headers=admin,
    )
    assert resp.status == 200
    bernd_id, eva_id = int(bernd["X-Agent-Id"]), int(eva["X-Agent-Id"])
    text = ["Lastschrift zurückgebucht"]
    own = await conversation(hub, text, state="agent", assigned=bernd_id)
    evas = await conversation(hub, text, state="agent", assigned=eva_id)
    queued_mine = await conversation(hub, text, state="queued", queued_team="buchhaltung")
    queued_other = await conversation(hub, text, state="queued", queued_team="kundenservice")
    queued_default = await conversation(hub, text, state="queued", queued_team=None)
    request_mine = await conversation(
        hub, text, ticket={"team": "buchhaltung", "status": "open", "note": "Lastschrift"}
    )
    request_other = await conversation(
        hub, text, ticket={"team": None, "status": "open", "note": "Lastschrift"}
    )
    request_done = await conversation(
        hub, text, ticket={"team": "buchhaltung", "status": "done", "note": "Lastschrift"}
    )
    closed_own = await conversation(hub, text, state="closed", assigned=bernd_id)
    bot_only = await conversation(hub, text)

    def ids(body):
        return {r["conversation_id"] for r in body["results"]}

    assert ids(await find(hub, bernd, "lastschrift")) == {
        own["id"],
        queued_mine["id"],
        request_mine["id"],
    }
    assert ids(await find(hub, eva, "lastschrift")) == {
        evas["id"],
        queued_other["id"],
        queued_default["id"],
        request_other["id"],
    }
    everything = {
        c["id"]
        for c in (
            own,
            evas,
            queued_mine,
            queued_other,
            queued_default,
            request_mine,
            request_other,
            request_done,
            closed_own,
            bot_only,
        )
    }
    assert ids(await find(hub, sina, "lastschrift", per_page=50)) == everything
    # filters narrow what an agent may see, never widen it
    assert ids(await find(hub, bernd, "lastschrift", team="kundenservice")) == set()
    assert ids(await find(hub, bernd, "lastschrift", kind="ticket")) == {request_mine["id"]}
    assert ids(await find(hub, sina, "lastschrift", team="buchhaltung")) == {
        queued_mine["id"],
        request_mine["id"],
        request_done["id"],
    }
