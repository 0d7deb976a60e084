"""Threat: ticket ids are sequential, so a plain agent of one team walks them and closes another team's
requests, reads their e-mails and writes into their conversations (mailing the customer), unrecorded.

A request is for the members of its team (supervisors and admins: all), only an open one can be answered
or closed, who closed it is stored, and every access and every refusal is in the audit log (issue 23.3).
"""

from __future__ import annotations

from typing import Dict

import pytest

from bot.hub.states import Sender
from bot.hub.store.models import AuditEntry, MailOutbox, Message, Ticket
from tests.unit.hub.conftest import auth, rows
from tests.unit.hub.test_teams import ask, hub, login  # noqa: F401 - `hub` is the teams fixture
from tests.unit.hub.test_teams_visibility import callback

__all__ = ["hub"]
CONTACT = "kunde@example.de"


@pytest.fixture()
def settings(settings):
    """E-mail on (the outbox only stores; nothing is sent without the sender loop)."""
    settings.mail_enabled = True
    settings.mail_from = "service@waldmann-outdoor.de"
    settings.mail_reply_domain = "antwort.waldmann-outdoor.de"
    settings.mail_poll_interval = 0
    return settings


async def accounts(client) -> Dict[str, Dict[str, str]]:
    """Eva (Kundenservice), Bernd and Berta (Buchhaltung), an admin."""
    team = {
        "eva": await login(client, "eva@shop.de", "Eva"),
        "bernd": await login(client, "bernd@shop.de", "Bernd"),
        "berta": await login(client, "berta@shop.de", "Berta"),
        "admin": await login(client, "chefin@shop.de", "Chefin", "admin"),
    }
    for name in ("bernd", "berta"):
        resp = await client.post(
            f"/api/v1/agent/agents/{team[name]['X-Agent-Id']}/teams",
            json={"teams": ["buchhaltung"]},
            headers=team["admin"],
        )
        assert resp.status == 200
    return team


def verified_email(fake_rasa) -> None:
    """The bot verified the customer's e-mail against an order before the handoff: the hub may mail it,
    so an answer is refused only for the reasons under test."""
    base = fake_rasa.answer

    def answer(sender: str, text: str):
        replies = base(sender, text)
        for reply in replies:
            handoff = (reply.get("custom") or {}).get("handoff")
            if handoff:
                handoff["summary"].update(email=CONTACT, email_verified=True)
        return replies

    fake_rasa.answer = answer


async def accounting_request(client) -> tuple[dict, int]:
    """A conversation and its open request of Buchhaltung."""
    conv, _ = await ask(client, "Das ist eine Rückbuchung")
    ticket = await callback(client, conv, CONTACT)
    assert ticket["team"] == "buchhaltung"
    return conv, ticket["id"]


async def agent_messages(client, conv_id: str) -> list:
    return await rows(
        client, Message, Message.conversation_id == conv_id, Message.sender == Sender.AGENT
    )


async def audit_of(client, headers: Dict[str, str], action: str) -> list:
    return await rows(
        client,
        AuditEntry,
        AuditEntry.agent_id == int(headers["X-Agent-Id"]),
        AuditEntry.action == action,
        order_by=AuditEntry.id,
    )


async def test_another_teams_request_can_be_neither_closed_read_nor_answered(hub):  # noqa: F811
    team = await accounts(hub)
    conv, ticket_id = await accounting_request(hub)
    base = f"/api/v1/agent/tickets/{ticket_id}"
    attempts = [
        ("close", "POST", f"{base}/close", None),
        ("email", "POST", f"{base}/email", {"text": "Erledigt."}),
        ("emails", "GET", f"{base}/emails", None),
    ]
    for _action, method, url, body in attempts:
        resp = await hub.request(method, url, json=body, headers=team["eva"])
        assert resp.status == 403
        body = await resp.json()
        assert body["error"]["code"] == "not_visible" and "contact" not in str(body)

    ticket = (await rows(hub, Ticket, Ticket.id == ticket_id))[0]
    assert (ticket.status, ticket.closed_at, ticket.closed_by) == ("open", None, None)
    assert await agent_messages(hub, conv["conversation_id"]) == []
    outbox = await rows(hub, MailOutbox, MailOutbox.ticket_id == ticket_id)
    assert [m for m in outbox if m.kind == "agent_reply"] == []  # nothing mailed to the customer
    denied = await audit_of(hub, team["eva"], "ticket_denied")
    assert [(e.target, e.detail["action"], e.detail["code"]) for e in denied] == [
        (f"ticket:{ticket_id}", action, "not_visible") for action, *_ in attempts
    ]


async def test_a_request_is_closed_once_by_a_member_and_who_closed_it_is_stored(hub):  # noqa: F811
    team = await accounts(hub)
    conv, ticket_id = await accounting_request(hub)
    base = f"/api/v1/agent/tickets/{ticket_id}"
    resp = await hub.post(f"{base}/close", headers=team["bernd"])
    assert resp.status == 200
    body = await resp.json()
    assert body["status"] == "done" and body["closed_by"] == int(team["bernd"]["X-Agent-Id"])
    closed = (await rows(hub, Ticket, Ticket.id == ticket_id))[0]
    assert closed.closed_by == int(team["bernd"]["X-Agent-Id"]) and closed.closed_at is not None

    for name in ("bernd", "admin"):  # closing again changes nothing, whoever tries
        resp = await hub.post(f"{base}/close", headers=team[name])
        assert resp.status == 409 and (await resp.json())["error"]["code"] == "ticket_done"
        resp = await hub.post(f"{base}/email", json={"text": "Nachtrag"}, headers=team[name])
        assert resp.status == 409 and (await resp.json())["error"]["code"] == "ticket_done"
    again = (await rows(hub, Ticket, Ticket.id == ticket_id))[0]
    assert (again.closed_at, again.closed_by) == (closed.closed_at, closed.closed_by)
    assert await agent_messages(hub, conv["conversation_id"]) == []

    assert [e.target for e in await audit_of(hub, team["bernd"], "ticket_closed")] == [
        f"ticket:{ticket_id}"
    ]
    refused = await audit_of(hub, team["admin"], "ticket_denied")
    assert [(e.detail["action"], e.detail["code"]) for e in refused] == [
        ("close", "ticket_done"),
        ("email", "ticket_done"),
    ]


async def test_an_answer_by_email_never_lands_in_a_colleagues_live_chat(hub, fake_rasa):  # noqa: F811
    verified_email(fake_rasa)
    team = await accounts(hub)
    conv, ticket_id = await accounting_request(hub)
    cid = conv["conversation_id"]
    await ask_again(hub, conv)
    resp = await hub.post(f"/api/v1/agent/conversations/{cid}/claim", headers=team["berta"])
    assert resp.status == 200  # Berta talks with the customer now

    url = f"/api/v1/agent/tickets/{ticket_id}/email"
    resp = await hub.post(url, json={"text": "Per E-Mail dazwischen"}, headers=team["bernd"])
    assert resp.status == 409 and (await resp.json())["error"]["code"] == "not_assigned"
    assert await agent_messages(hub, cid) == []
    resp = await hub.post(url, json={"text": "Von Berta per E-Mail"}, headers=team["berta"])
    assert resp.status == 201
    assert [m.text for m in await agent_messages(hub, cid)] == ["Von Berta per E-Mail"]
    assert [e.target for e in await audit_of(hub, team["berta"], "ticket_answered")] == [
        f"ticket:{ticket_id}"
    ]


async def ask_again(client, conv: dict) -> None:
    """The customer writes again and waits in Buchhaltung's queue."""
    resp = await client.post(
        f"/api/v1/conversations/{conv['conversation_id']}/messages",
        json={"text": "Noch eine Rückbuchung"},
        headers=auth(conv),
    )
    assert resp.status == 200
