"""Report figures on the hand-counted week of report_seed.py, on SQLite and PostgreSQL, through the API."""

from __future__ import annotations

from typing import Any, Dict

import pytest

from bot.hub.keys.store import REPO
from tests.unit.hub.report_seed import PASSWORD, WEEK, seed

WEEK_QUERY = f"from={WEEK}&days=7"


@pytest.fixture()
async def seeded(client):
    await seed(client.app[REPO])
    return client


async def login(client, email: str) -> Dict[str, str]:
    resp = await client.post("/api/v1/agent/login", json={"email": email, "password": PASSWORD})
    assert resp.status == 200, await resp.text()
    return {"Authorization": f"Bearer {(await resp.json())['token']}"}


async def report(
    client, section: str, query: str = WEEK_QUERY, email: str = "sina@shop.de"
) -> Dict[str, Any]:
    resp = await client.get(
        f"/api/v1/agent/reports/{section}?{query}", headers=await login(client, email)
    )
    assert resp.status == 200, await resp.text()
    return await resp.json()


async def test_volume(seeded):
    v = await report(seeded, "volume")
    assert v["period"] == {
        "from": "2026-11-16",
        "to": "2026-11-22",
        "days": 7,
        "timezone": "Europe/Berlin",
    }
    conv = v["conversations"]
    assert conv["total"] == 11  # C1-C9, C12, C13; C10 started the day before, C11 the day after
    assert conv["by_channel"] == {"webchat": 7, "whatsapp": 2, "telegram": 1, "messenger": 1}
    assert [d["total"] for d in conv["per_day"]] == [2, 1, 1, 2, 1, 1, 3]
    assert conv["per_day"][3] == {
        "day": "2026-11-19",
        "total": 2,
        "by_channel": {"webchat": 1, "whatsapp": 1},
    }
    msg = v["messages"]
    assert msg["total"] == 38  # C10's two messages after midnight count, its first two do not
    assert msg["by_sender"] == {"customer": 15, "bot": 9, "agent": 2, "system": 12}
    assert [d["total"] for d in msg["per_day"]] == [8, 6, 2, 6, 7, 3, 6]
    heat = v["heatmap"]["conversations"]
    assert sum(map(sum, heat)) == 11
    assert (
        heat[0][9] == heat[0][10] == heat[3][10] == heat[3][11] == heat[6][19] == 1
    )  # Mon 9, 10; Thu 10, 11; Sun 19
    assert heat[2][20] == 1  # C4, Wednesday 20:30 local (19:30 UTC)
    assert v["heatmap"]["customer_messages"][0][0] == 1  # C10's "Hallo" at 00:10 on Monday


async def test_containment(seeded):
    c = await report(seeded, "containment")
    assert {
        k: c[k]
        for k in (
            "conversations",
            "engaged",
            "escalated",
            "with_agent",
            "stuck",
            "bot_only",
            "resolved_by_bot",
        )
    } == {
        "conversations": 11,
        "engaged": 10,
        "escalated": 7,
        "with_agent": 2,
        "stuck": 1,
        "bot_only": 3,
        "resolved_by_bot": 2,
    }
    assert c["containment_rate"] == 0.2 and c["escalation_rate"] == 0.7
    assert c["per_day"][0] == {
        "day": "2026-11-16",
        "engaged": 2,
        "resolved_by_bot": 1,
        "escalated": 0,
        "containment_rate": 0.5,
    }  # C1 resolved, C2 stuck on a fallback
    assert c["per_day"][6] == {
        "day": "2026-11-22",
        "engaged": 2,
        "resolved_by_bot": 1,
        "escalated": 1,
        "containment_rate": 0.5,
    }  # C8 resolved, C12 waiting; C9 never wrote


async def test_escalations(seeded):
    e = await report(seeded, "escalations")
    assert e["total"] == 7
    assert [(r["reason"], r["count"]) for r in e["by_reason"]] == [
        ("customer_request", 2),
        ("frustration", 2),
        ("bot_cannot_act", 1),
        ("human_only_topic", 1),
        ("repeated_fallback", 1),
    ]
    assert e["by_reason"][0]["label"] == "Kunde möchte einen Menschen"
    assert [(t["topic"], t["count"]) for t in e["by_topic"]] == [
        ("Lieferstatus", 2),
        ("Zahlung", 2),
        ("Reklamation", 1),
        ("Rücksendung", 1),
        ("unklar", 1),
    ]
    assert [d["total"] for d in e["per_day"]] == [0, 1, 1, 2, 1, 1, 1]


async def test_queue(seeded):
    q = await report(seeded, "queue")
    assert {
        k: q[k]
        for k in (
            "queued",
            "taken",
            "abandoned",
            "callback",
            "still_waiting",
            "tickets",
            "tickets_outside_hours",
            "tickets_no_agent",
            "abandon_rate",
        )
    } == {
        "queued": 5,
        "taken": 2,
        "abandoned": 1,
        "callback": 1,
        "still_waiting": 1,
        "tickets": 2,
        "tickets_outside_hours": 1,
        "tickets_no_agent": 1,
        "abandon_rate": 0.2,
    }
    assert q["wait_seconds"] == {
        "count": 2,
        "p50": 120.0,
        "p90": 300.0,
        "mean": 210.0,
        "max": 300.0,
    }
    assert [b["count"] for b in q["wait_histogram"]] == [0, 1, 0, 1, 0, 0]


async def test_agents(seeded):
    a = await report(seeded, "agents")
    assert [
        (
            r["name"],
            r["conversations"],
            r["handbacks"],
            r["closed"],
            r["open"],
            r["first_response_p50"],
            r["handling_p50"],
        )
        for r in a["agents"]
    ] == [("Eva", 1, 1, 0, 0, 60.0, 600.0), ("Tom", 1, 0, 1, 0, 30.0, 900.0)]
    assert a["conversations"] == 2 and a["handbacks"] == 1
    assert a["first_response_seconds"] == {
        "count": 2,
        "p50": 30.0,
        "p90": 60.0,
        "mean": 45.0,
        "max": 60.0,
    }
    assert a["handling_seconds"] == {
        "count": 2,
        "p50": 600.0,
        "p90": 900.0,
        "mean": 750.0,
        "max": 900.0,
    }


async def test_satisfaction(seeded):
    s = await report(seeded, "satisfaction")
    assert s["bot_only"] == {
        "count": 2,
        "average": 4.0,
        "distribution": {"1": 0, "2": 0, "3": 1, "4": 0, "5": 1},
    }
    assert s["after_agent"] == {
        "count": 2,
        "average": 3.0,
        "distribution": {"1": 0, "2": 1, "3": 0, "4": 1, "5": 0},
    }
    assert s["all"]["count"] == 4 and s["all"]["average"] == 3.5
    assert [(d["bot_only_average"], d["after_agent_average"]) for d in s["per_day"]] == [
        (5.0, None),
        (None, 4.0),
        (None, None),
        (None, None),
        (None, 2.0),
        (None, None),
        (3.0, None),
    ]


async def test_understanding(seeded):
    u = await report(seeded, "understanding")
    assert {
        k: u[k]
        for k in (
            "typed",
            "read",
            "fallback",
            "low_confidence",
            "fallback_rate",
            "fallback_escalations",
        )
    } == {
        "typed": 14,
        "read": 13,
        "fallback": 3,
        "low_confidence": 1,
        "fallback_rate": round(3 / 13, 4),
        "fallback_escalations": 1,
    }
    assert [(i["intent"], i["count"]) for i in u["by_intent"]] == [
        ("order_status", 2),
        ("payment_issue", 2),
        ("faq/shipping_costs", 1),
        ("frustration", 1),
        ("greet", 1),
        ("request_human", 1),
        ("return_item", 1),
        ("thank", 1),
    ]
    assert [(d["read"], d["fallback"]) for d in u["per_day"]] == [
        (4, 1),
        (1, 0),
        (1, 0),
        (3, 2),
        (1, 0),
        (1, 0),
        (2, 0),
    ]


async def test_one_channel(seeded):
    query = WEEK_QUERY + "&channel=whatsapp"
    assert (await report(seeded, "volume", query))["messages"]["total"] == 8  # C3 6, C13 2
    c = await report(seeded, "containment", query)
    assert (c["engaged"], c["escalated"], c["with_agent"], c["containment_rate"]) == (2, 2, 1, 0.0)
    u = await report(seeded, "understanding", query)
    assert (u["typed"], u["fallback"], u["fallback_rate"]) == (2, 0, 0.0)
    assert (await report(seeded, "queue", query))["tickets_no_agent"] == 1


async def test_an_empty_period_and_a_period_in_the_far_future_answer_zeros(seeded):
    v = await report(seeded, "containment", "from=2999-12-31&days=366")
    assert v["engaged"] == 0 and v["containment_rate"] is None and len(v["per_day"]) == 366
    assert (await report(seeded, "queue", "from=2026-01-01&days=1"))["wait_seconds"]["p50"] is None


async def test_charts_come_as_svg_when_asked(seeded):
    v = await report(seeded, "volume", WEEK_QUERY + "&svg=true")
    assert set(v["charts"]) == {"conversations_per_day", "messages_per_day", "heatmap"}
    assert v["charts"]["heatmap"].startswith("<svg") and "<title" in v["charts"]["heatmap"]
    assert "charts" not in await report(seeded, "volume")


@pytest.mark.parametrize(
    "query",
    [
        "days=0",
        "days=367",
        "days=x",
        "from=2026-02-30",
        "from=1999-12-31",
        "channel=fax",
        "svg=vielleicht",
    ],
)
async def test_bad_parameters_are_refused(seeded, query):
    resp = await seeded.get(
        f"/api/v1/agent/reports/volume?{query}", headers=await login(seeded, "sina@shop.de")
    )
    assert resp.status == 422
    assert (await resp.json())["error"]["code"] == "invalid_field"


async def test_reports_are_for_supervisors_and_admins(seeded):
    assert (await seeded.get("/api/v1/agent/reports/volume")).status == 401
    agent = await login(seeded, "eva@shop.de")
    for path in ("volume", "agents", "export/conversations.csv", "export/messages.csv"):
        resp = await seeded.get(f"/api/v1/agent/reports/{path}?{WEEK_QUERY}", headers=agent)
        assert resp.status == 403, path
    assert (await report(seeded, "agents", email="adam@shop.de"))["conversations"] == 2


async def test_every_report_route_is_in_the_openapi_document(client):
    paths = (await (await client.get("/api/v1/openapi.json")).json())["paths"]
    for section in (
        "volume",
        "containment",
        "escalations",
        "queue",
        "agents",
        "satisfaction",
        "understanding",
    ):
        op = paths[f"/api/v1/agent/reports/{section}"]["get"]
        assert {p["name"] for p in op["parameters"]} == {
            "from",
            "days",
            "channel",
            "team",
            "tag",
            "svg",
        }
        assert set(op["responses"]) == {"200", "401", "403", "404", "422"}
    assert (
        "text/csv"
        in paths["/api/v1/agent/reports/export/messages.csv"]["get"]["responses"]["200"]["content"]
    )


async def test_the_team_filter_narrows_the_figures_about_handoffs(
    aiohttp_client, settings, tmp_path
):
    from sqlalchemy import update

    from bot.hub.app import init_app
    from bot.hub.keys.config import COMPANY
    from bot.hub.store.models import Handoff
    from tests.unit.hub.conftest import change
    from tests.unit.hub.test_teams import TEAMS, company_with

    app = init_app(settings)
    app[COMPANY] = company_with(
        tmp_path, TEAMS
    )  # Kundenservice (default), Buchhaltung (Mon-Fri 8-12, 13-17), Retouren
    client = await aiohttp_client(app)
    await seed(client.app[REPO])
    await change(
        client,
        update(Handoff)
        .where(Handoff.conversation_id.in_(["C6", "C13"]))
        .values(team="buchhaltung"),
    )
    await change(
        client, update(Handoff).where(Handoff.conversation_id == "C7").values(team="retouren")
    )
    await change(
        client, update(Handoff).where(Handoff.conversation_id == "C12").values(team="abgeschafft")
    )  # removed
    books = WEEK_QUERY + "&team=buchhaltung"
    e = await report(client, "escalations", books)
    assert (e["team"], e["total"], [r["reason"] for r in e["by_reason"]]) == (
        "buchhaltung",
        2,
        ["bot_cannot_act", "human_only_topic"],
    )
    q = await report(client, "queue", books)
    assert (
        q["queued"],
        q["taken"],
        q["wait_seconds"]["p50"],
        q["tickets_no_agent"],
        q["tickets_outside_hours"],
    ) == (1, 1, 300.0, 1, 0)  # C13 came on Thursday 10:00, within the team's hours
    assert [a["name"] for a in (await report(client, "agents", books))["agents"]] == ["Tom"]
    service = await report(
        client, "queue", WEEK_QUERY + "&team=kundenservice"
    )  # C3, C5, C12 (a removed team) and C4
    assert (
        service["queued"],
        service["taken"],
        service["still_waiting"],
        service["tickets_outside_hours"],
    ) == (3, 1, 1, 1)
    volume = await report(client, "volume", books)
    assert (
        volume["team"] is None and volume["conversations"]["total"] == 11
    )  # about conversations: every team
    resp = await client.get(
        f"/api/v1/agent/reports/queue?{WEEK_QUERY}&team=nirgends",
        headers=await login(client, "sina@shop.de"),
    )
    assert resp.status == 404


async def test_the_tag_filter_narrows_the_conversation_sections(seeded):
    from bot.hub.store.models import ConversationTag

    repo = seeded.app[REPO]
    tag = await repo.add_tag(ConversationTag, "C6", "Rechnung", None)
    await repo.add_tag(ConversationTag, "C13", "Rechnung", None)
    await repo.add_tag(ConversationTag, "C1", "Anderes", None)  # another tag: not counted
    query = f"{WEEK_QUERY}&tag={tag.id}"
    e = await report(seeded, "escalations", query)
    assert (e["tag"], e["total"], [r["reason"] for r in e["by_reason"]]) == (
        tag.id,
        2,
        ["bot_cannot_act", "human_only_topic"],
    )  # the handoffs of C6 and C13, as the team filter test counts them
    c = await report(seeded, "containment", query)
    assert (c["tag"], c["conversations"]) == (tag.id, 2)
    s = await report(seeded, "satisfaction", query)
    assert (s["tag"], s["all"]["count"]) == (tag.id, 1)  # of the 4 ratings, one is C6's or C13's
    volume = await report(seeded, "volume", query)
    assert (volume["tag"], volume["conversations"]["total"]) == (tag.id, 2)  # every section filters
    headers = await login(seeded, "sina@shop.de")
    for bad in ("abc", "0"):
        resp = await seeded.get(
            f"/api/v1/agent/reports/containment?{WEEK_QUERY}&tag={bad}", headers=headers
        )
        assert resp.status == 422, bad
        assert (await resp.json())["error"]["code"] == "invalid_field"
    unknown = await report(seeded, "containment", f"{WEEK_QUERY}&tag=999999")
    assert (unknown["tag"], unknown["conversations"]) == (999999, 0)  # no tag has it: nothing
