"""SLAs through the API (issue 27.13): targets from company.yml and from an admin, time left of the
conversations an agent sees, attainment per team and agent in the report and the CSV, breaches in
/metrics - the real hub with a fixed clock, fake Rasa."""

from datetime import datetime, timedelta, timezone

from sqlalchemy import update

from bot.hub.keys.sla import SLA
from bot.hub.store.models import Handoff, Message
from tests.unit.hub.conftest import auth, change, start
from tests.unit.hub.test_api_macros import people  # noqa: F401 - the fixture (Eva, Tom, Chefin)

MONDAY = datetime(2026, 11, 23, 9, 0, tzinfo=timezone.utc)  # 10:00 in Berlin, hours 8-20


def at(client, moment: datetime) -> None:
    client.app[SLA].clock = lambda: moment


async def waiting(client, queued_at: datetime) -> str:
    conv = await start(client)
    cid = conv["conversation_id"]
    await client.post(
        f"/api/v1/conversations/{cid}/messages", json={"text": "Mensch bitte"}, headers=auth(conv)
    )
    await change(
        client,
        update(Handoff)
        .where(Handoff.conversation_id == cid)
        .values(queued_at=queued_at.replace(tzinfo=None)),
    )
    return cid


async def test_targets_come_from_company_yml_and_an_admin_may_change_them(client, people):  # noqa: F811
    shown = await (await client.get("/api/v1/agent/sla/targets", headers=people["Eva"])).json()
    assert shown["targets"] == [
        {
            "team": "kundenservice",
            "first_response_minutes": 15,
            "resolution_minutes": 240,
            "warn_percent": 20,
            "source": "company.yml",
        }
    ]
    url = "/api/v1/agent/sla/targets/kundenservice"
    body = {"first_response_minutes": 10, "resolution_minutes": None, "warn_percent": 30}
    assert (await client.put(url, json=body, headers=people["Eva"])).status == 403
    resp = await client.put(url, json=body, headers=people["Chefin"])
    assert resp.status == 200
    assert (await resp.json())["source"] == "admin"
    bad = await client.put(
        url, json={**body, "first_response_minutes": 0}, headers=people["Chefin"]
    )
    assert bad.status == 422 and "1 bis" in (await bad.json())["error"]["message"]
    missing = await client.put(url, json={"first_response_minutes": 5}, headers=people["Chefin"])
    assert missing.status == 422
    unknown = await client.put(
        "/api/v1/agent/sla/targets/einkauf", json=body, headers=people["Chefin"]
    )
    assert unknown.status == 404
    targets = (await (await client.get("/api/v1/agent/sla/targets", headers=people["Eva"])).json())[
        "targets"
    ]
    assert targets[0]["first_response_minutes"] == 10 and targets[0]["resolution_minutes"] is None


async def test_time_left_warns_before_the_breach_and_stops_at_the_first_reply(client, people):  # noqa: F811
    cid = await waiting(client, MONDAY)
    at(client, MONDAY + timedelta(minutes=5))
    shown = (await (await client.get("/api/v1/agent/sla/active", headers=people["Eva"])).json())[
        "conversations"
    ]
    first = shown[0]["first_response"]
    assert shown[0]["conversation_id"] == cid
    assert first["state"] == "running" and first["left_seconds"] == 600
    at(client, MONDAY + timedelta(minutes=13))
    shown = (await (await client.get("/api/v1/agent/sla/active", headers=people["Eva"])).json())[
        "conversations"
    ]
    assert shown[0]["first_response"]["state"] == "warning"  # 2 of 15 minutes left
    at(client, MONDAY + timedelta(minutes=16))
    base = f"/api/v1/agent/conversations/{cid}"
    assert (await client.post(f"{base}/claim", headers=people["Eva"])).status == 200
    assert (
        await client.post(f"{base}/messages", json={"text": "Hallo!"}, headers=people["Eva"])
    ).status == 201
    await change(  # the reply happened at the fixed clock's time
        client,
        update(Message)
        .where(Message.conversation_id == cid, Message.sender == "agent")
        .values(created_at=(MONDAY + timedelta(minutes=16)).replace(tzinfo=None)),
    )
    mine = (await (await client.get("/api/v1/agent/sla/active", headers=people["Eva"])).json())[
        "conversations"
    ]
    assert mine[0]["first_response"]["state"] == "missed"
    assert mine[0]["resolution"]["state"] == "running"
    # Tom sees neither Eva's conversation nor its clock
    theirs = await (await client.get("/api/v1/agent/sla/active", headers=people["Tom"])).json()
    assert theirs["conversations"] == []


async def test_the_clock_stands_still_outside_the_hours(client, people):  # noqa: F811
    friday_evening = datetime(
        2026, 11, 27, 18, 50, tzinfo=timezone.utc
    )  # 19:50 Berlin, closes 20:00
    await waiting(client, friday_evening)
    at(client, datetime(2026, 11, 28, 7, 30, tzinfo=timezone.utc))  # Saturday 8:30: not open yet
    first = (await (await client.get("/api/v1/agent/sla/active", headers=people["Eva"])).json())[
        "conversations"
    ][0]["first_response"]
    assert first["paused"] is True and first["left_seconds"] == 5 * 60
    assert first["due_at"] == "2026-11-28T08:05:00Z"  # Saturday 09:05 (Saturday hours 9-16)


async def test_attainment_per_team_and_agent_in_the_report_csv_and_metrics(client, people):  # noqa: F811
    met = await waiting(client, MONDAY)
    late = await waiting(client, MONDAY)
    for cid, minutes in ((met, 5), (late, 30)):
        base = f"/api/v1/agent/conversations/{cid}"
        await client.post(f"{base}/claim", headers=people["Eva"])
        await client.post(f"{base}/messages", json={"text": "Hallo"}, headers=people["Eva"])
        await change(
            client,
            update(Message)
            .where(Message.conversation_id == cid, Message.sender == "agent")
            .values(created_at=(MONDAY + timedelta(minutes=minutes)).replace(tzinfo=None)),
        )
    still = await waiting(client, MONDAY)
    at(client, MONDAY + timedelta(hours=1))
    report = await (
        await client.get(
            "/api/v1/agent/reports/sla",
            params={"from": "2026-11-23", "days": 1, "svg": "true"},
            headers=people["Chefin"],
        )
    ).json()
    team = report["teams"][0]
    assert team["first_response"]["met"] == 1 and team["first_response"]["missed"] == 1
    assert team["first_response"]["rate"] == 0.5
    assert team["first_response"]["breached_open"] == 1  # `still` waits for an hour now
    assert [
        (a["name"], a["first_response"]["met"], a["first_response"]["missed"])
        for a in report["agents"]
    ] == [("Eva", 1, 1)]
    assert "first_response" in report["charts"]
    assert (await client.get("/api/v1/agent/reports/sla", headers=people["Eva"])).status == 403
    csv = await (
        await client.get(
            "/api/v1/agent/reports/export/sla.csv",
            params={"from": "2026-11-23", "days": 1},
            headers=people["Chefin"],
        )
    ).text()
    lines = csv.strip().splitlines()
    assert lines[0].startswith("handoff_id,conversation_id,team")
    assert len(lines) == 4 and any(still in line and "breached" in line for line in lines)
    scrape = await (await client.get("/metrics")).text()
    assert (
        'kundendialog_sla_breaches{target="first_response",team="kundenservice",which="open"} 1.0'
        in scrape
    )
    assert (
        'kundendialog_sla_breaches{target="first_response",team="kundenservice",which="missed_24h"} 1.0'
        in scrape
    )
