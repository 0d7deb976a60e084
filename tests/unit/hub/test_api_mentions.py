"""Mentions and presence (issue 27.11) against the real hub: `@Name` in a note reaches only that
agent's console live and their "Für mich" list, and by e-mail (a real local SMTP server) when they are
not online and mail is on; consoles learn who views a conversation and who starts replying."""

from __future__ import annotations

import pytest

from bot.hub.keys.mail import MAIL
from bot.hub.keys.store import REPO
from bot.hub.store.models import MailOutbox
from tests.unit.hub.conftest import rows, start
from tests.unit.hub.test_agent_security import agent_socket
from tests.unit.hub.test_api_agent import ask_for_human, team  # noqa: F401 - the fixture
from tests.unit.hub.test_live_frames import next_of
from tests.unit.hub.test_mail import smtp_server  # noqa: F401 - the fixture


@pytest.fixture()
def settings(settings, smtp_server):  # noqa: F811
    settings.mail_enabled = True
    settings.smtp_port = smtp_server[1]
    settings.mail_from = "service@waldmann-outdoor.de"
    settings.mail_poll_interval = 0  # the test drives the outbox
    return settings


async def queued(client) -> str:
    conv = await start(client)
    await ask_for_human(client, conv)
    return conv["conversation_id"]


async def test_a_mention_reaches_the_named_agent_live_and_in_fuer_mich(client, team):  # noqa: F811
    cid = await queued(client)
    tom = await agent_socket(client, team["tom"])
    chefin = await agent_socket(client, team["chefin"])
    await next_of(tom, "queue")
    await next_of(chefin, "queue")
    resp = await client.post(
        f"/api/v1/agent/conversations/{cid}/notes",
        json={"text": "@Tom kannst du das übernehmen? Kunde schrieb an eva@shop.de"},
        headers=team["eva"],
    )
    assert resp.status == 201
    note = await resp.json()
    assert [m["by_name"] for m in note["mentions"]] == ["Eva"]
    frame = await next_of(tom, "mention")
    assert frame["mention"]["conversation_id"] == cid and "@Tom" in frame["mention"]["text"]
    # the admin sees every conversation, but not Tom's mention: her next frames are others
    await client.post("/api/v1/agent/presence", json={"status": "online"}, headers=team["tom"])
    assert (await next_of(chefin, "presence"))["type"] == "presence"
    listed = await (await client.get("/api/v1/agent/mentions", headers=team["tom"])).json()
    assert [m["id"] for m in listed["mentions"]] == [frame["mention"]["id"]]
    assert (await (await client.get("/api/v1/agent/mentions", headers=team["eva"])).json())[
        "mentions"
    ] == []
    # only Tom marks it read; then it leaves his unread list
    mention = frame["mention"]["id"]
    assert (
        await client.post(f"/api/v1/agent/mentions/{mention}/read", headers=team["eva"])
    ).status == 404
    assert (
        await client.post(f"/api/v1/agent/mentions/{mention}/read", headers=team["tom"])
    ).status == 200
    assert (await next_of(tom, "mention_read"))["mention_id"] == mention
    unread = await (
        await client.get("/api/v1/agent/mentions", params={"unread": "true"}, headers=team["tom"])
    ).json()
    assert unread["mentions"] == []
    # Tom is online: no mail for him
    assert await rows(client, MailOutbox) == []
    for ws in (tom, chefin):
        await ws.close()


async def test_an_offline_agent_is_mailed_once_without_the_note(
    client,
    team,  # noqa: F811
    smtp_server,  # noqa: F811
):
    cid = await queued(client)
    assert (await client.post("/api/v1/agent/logout", headers=team["tom"])).status == 200
    await client.post(
        f"/api/v1/agent/conversations/{cid}/notes",
        json={"text": "@Tom Kundin hat IBAN DE89 3704 0044 0532 0130 00 genannt, bitte prüfen"},
        headers=team["eva"],
    )
    assert await client.app[MAIL].send_due() == 1
    catcher, _port = smtp_server
    (mail,) = catcher.mails
    assert mail["To"] == "tom@shop.de" and "Eva" in mail["Subject"]
    body = mail.get_content()
    assert f"/console#gespraech={cid}" in body and "IBAN" not in body
    assert await client.app[MAIL].send_due() == 0  # never twice


async def test_an_away_agent_is_mailed_too(client, team, smtp_server):  # noqa: F811
    """ "Abwesend" (set by hand, or by the hub when a console stopped its keep-alive) is not at the
    console either: only an online agent is told live alone."""
    cid = await queued(client)
    note = f"/api/v1/agent/conversations/{cid}/notes"
    away = await client.post("/api/v1/agent/presence", json={"status": "away"}, headers=team["tom"])
    assert (await away.json())["status"] == "away"
    await client.post(note, json={"text": "@Tom bitte Rückruf"}, headers=team["eva"])
    assert await client.app[MAIL].send_due() == 1
    catcher, _port = smtp_server
    assert [m["To"] for m in catcher.mails] == ["tom@shop.de"]
    # back online: the next mention reaches him live only
    await client.post("/api/v1/agent/presence", json={"status": "online"}, headers=team["tom"])
    await client.post(note, json={"text": "@Tom und noch etwas"}, headers=team["eva"])
    assert await client.app[MAIL].send_due() == 0
    assert len(catcher.mails) == 1


async def test_mail_off_means_no_mail(client, team):  # noqa: F811
    client.app[MAIL].settings.mail_enabled = False
    cid = await queued(client)
    await client.post("/api/v1/agent/logout", headers=team["tom"])
    await client.post(
        f"/api/v1/agent/conversations/{cid}/notes", json={"text": "@Tom bitte"}, headers=team["eva"]
    )
    assert await rows(client, MailOutbox) == []
    # the mention waits in "Für mich" for his next login
    login = await client.post(
        "/api/v1/agent/login", json={"email": "tom@shop.de", "password": "geheim456"}
    )
    headers = {"Authorization": f"Bearer {(await login.json())['token']}"}
    listed = await (await client.get("/api/v1/agent/mentions", headers=headers)).json()
    assert [m["text"] for m in listed["mentions"]] == ["@Tom bitte"]


async def test_consoles_see_who_views_and_who_starts_replying(client, team):  # noqa: F811
    cid = await queued(client)
    eva = await agent_socket(client, team["eva"])
    tom = await agent_socket(client, team["tom"])
    await next_of(eva, "queue")
    await next_of(tom, "queue")
    await eva.send_json({"type": "viewing", "conversation_id": cid})
    seen = await next_of(tom, "viewing")
    assert (seen["agent_name"], seen["replying"], seen["left"]) == ("Eva", False, False)
    await eva.send_json({"type": "viewing", "conversation_id": cid, "replying": True})
    assert (await next_of(tom, "viewing"))["replying"] is True
    await eva.send_json({"type": "viewing", "conversation_id": cid, "left": True})
    assert (await next_of(tom, "viewing"))["left"] is True
    # a conversation Eva may not see is not announced
    await client.post(f"/api/v1/agent/conversations/{cid}/claim", headers=team["tom"])
    await eva.send_json({"type": "viewing", "conversation_id": cid, "replying": True})
    await tom.send_json({"type": "viewing", "conversation_id": cid})
    frame = await next_of(tom, "viewing")
    assert frame["agent_name"] == "Tom"  # his own frame, not Eva's
    for ws in (eva, tom):
        await ws.close()


async def test_a_mention_shows_the_note_only_to_who_may_see_the_conversation(client, team):  # noqa: F811
    cid = await queued(client)
    base = f"/api/v1/agent/conversations/{cid}"
    assert (await client.post(f"{base}/claim", headers=team["eva"])).status == 200
    tom = await agent_socket(client, team["tom"])
    await next_of(tom, "queue")
    await client.post(
        f"{base}/notes", json={"text": "@Tom Kundin Müller, Tel. 0171 555"}, headers=team["eva"]
    )
    frame = (await next_of(tom, "mention"))["mention"]
    assert frame["text"] is None and frame["visible"] is False and frame["by_name"] == "Eva"
    listed = (await (await client.get("/api/v1/agent/mentions", headers=team["tom"])).json())[
        "mentions"
    ]
    assert [(m["text"], m["visible"]) for m in listed] == [(None, False)]
    # handed to Tom, he sees it
    tom_id = (await client.app[REPO].agent_by_email("tom@shop.de")).id
    moved = await client.post(f"{base}/transfer", json={"agent_id": tom_id}, headers=team["eva"])
    assert moved.status == 200
    listed = (await (await client.get("/api/v1/agent/mentions", headers=team["tom"])).json())[
        "mentions"
    ]
    assert listed[0]["visible"] is True and "Müller" in listed[0]["text"]
    await tom.close()
