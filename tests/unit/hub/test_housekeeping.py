"""Retention: the housekeeping job erases old conversations from every store (the erasure's code path),
prunes webhook dedupe rows, expired agent sessions and orphaned tracker senders; SQLite and PostgreSQL."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from sqlalchemy import update

from bot.hub.accounts.agents import create_agent
from bot.hub.housekeeping import PRIVACY, Housekeeping, Retention
from bot.hub.keys.dialogue import CONVERSATIONS
from bot.hub.keys.store import REPO
from bot.hub.store.models import (
    AgentSession,
    Conversation,
    Handoff,
    InboundUpdate,
    Message,
    Ticket,
    utcnow,
)
from bot.ops.cli import housekeeping_cmd
from tests.unit.hub.conftest import auth, change, row, rows, start
from tests.unit.hub.privacy_helpers import (
    add_events,
    privacy_settings,
    shop_record,
    shop_texts,
    tracker_counts,
)

DAY = 86400


@pytest.fixture()
def settings(settings, tmp_path):
    return privacy_settings(settings, tmp_path)


def keeper(client, days=90, updates_days=7):
    return Housekeeping(client.app[REPO], client.app[PRIVACY], Retention(days, updates_days))


async def conversation(client, settings, days_silent, state="closed", reference=None, echoes=None):
    """A conversation with messages, tracker events and (optionally) a return the bot created in it,
    silent for `days_silent`; `echoes`: a reference the customer typed and the bot repeated."""
    conv = await start(client)
    cid = conv["conversation_id"]
    await client.post(
        f"/api/v1/conversations/{cid}/messages", json={"text": "Hallo"}, headers=auth(conv)
    )
    if reference:
        await client.app[REPO].add_messages(
            cid, [("bot", f"Rücksendung {reference} ist angelegt.", {})]
        )
        shop_record(settings, "return", reference, "Jacke zu klein", conversation=cid)
    if echoes:
        await client.app[REPO].add_messages(
            cid, [("bot", f"Ihre Angabe „Rücksendung {echoes}“ habe ich notiert.", {})]
        )
    then = utcnow() - timedelta(days=days_silent)
    await change(
        client,
        update(Conversation)
        .where(Conversation.id == cid)
        .values(state=state, created_at=then, last_message_at=then, last_customer_at=then),
    )
    await add_events(
        settings,
        cid,
        [("user", {"text": "Hallo"}), ("bot", {"text": "Hallo!"})],
        at=time.time() - days_silent * DAY,
    )
    return cid


async def test_old_conversations_are_erased_from_every_store(client, settings):
    old = await conversation(client, settings, 100, reference="RT-100100")
    old_bot = await conversation(client, settings, 95, state="bot")  # abandoned, never closed
    recent = await conversation(client, settings, 10, reference="RT-200200")
    report = await keeper(client).run_once()
    assert report["conversations"] == 2
    assert {c.id for c in await rows(client, Conversation)} == {recent}
    assert await rows(client, Message, Message.conversation_id.in_([old, old_bot])) == []
    assert set(await tracker_counts(settings)) == {recent}
    texts = shop_texts(settings)
    assert texts["RT-100100"] == "[gelöscht]" and texts["RT-200200"] == "Jacke zu klein"


async def test_conversations_with_agents_or_open_requests_are_kept(client, settings):
    queued = await conversation(client, settings, 100, state="queued")
    await client.app[REPO].queue_handoff(
        Handoff(conversation_id=queued, reason="customer_request", summary={})
    )
    await change(
        client, update(Conversation).where(Conversation.id == queued).values(state="queued")
    )
    with_request = await conversation(client, settings, 100)
    await client.app[REPO].add_ticket(Ticket(conversation_id=with_request, contact="a@b.de"))
    done_request = await conversation(client, settings, 100)
    ticket = await client.app[REPO].add_ticket(
        Ticket(conversation_id=done_request, contact="c@d.de")
    )
    await client.app[REPO].close_ticket(ticket.id)
    report = await keeper(client).run_once()
    assert report["conversations"] == 1
    assert {c.id for c in await rows(client, Conversation)} == {queued, with_request}
    assert set(await tracker_counts(settings)) == {queued, with_request}


async def test_zero_days_keeps_everything(client, settings):
    cid = await conversation(client, settings, 1000)
    await keeper(client, days=0, updates_days=0).run_once()
    assert await row(client, Conversation, cid) is not None and cid in await tracker_counts(
        settings
    )


async def test_orphaned_tracker_senders_expire_too(client, settings):
    kept = await conversation(
        client, settings, 100, state="queued"
    )  # still in the hub: its retention decides
    await add_events(
        settings, "direct-old", [("user", {"text": "Hallo"})], at=time.time() - 100 * DAY
    )
    shop_record(settings, "return", "RT-400400", "Jacke zu klein", conversation="direct-old")
    await add_events(
        settings, "direct-new", [("user", {"text": "Hallo"})], at=time.time() - 5 * DAY
    )
    report = await keeper(client).run_once()
    assert report["tracker_senders"] == 1
    assert set(await tracker_counts(settings)) == {kept, "direct-new"}
    assert shop_texts(settings)["RT-400400"] == "[gelöscht]"  # the bot created it for that sender


async def test_webhook_dedupe_rows_and_expired_sessions_are_pruned(client, settings):
    conversations = client.app[CONVERSATIONS]
    assert await conversations.first_delivery("telegram", "old")
    assert await conversations.first_delivery("telegram", "new")
    await change(
        client,
        update(InboundUpdate)
        .where(InboundUpdate.external_id == "old")
        .values(created_at=utcnow() - timedelta(days=8)),
    )
    agent = await create_agent(client.app[REPO], "eva@shop.de", "Eva", "geheim123")
    for name, hours in (
        ("valid", 5),
        ("expired", -1),
    ):  # a login drops its own expired sessions: expired last
        await client.app[REPO].open_session(
            AgentSession(
                token_hash=name, agent_id=agent.id, expires_at=utcnow() + timedelta(hours=hours)
            ),
            utcnow(),
        )
    report = await keeper(client).run_once()
    assert report["inbound_updates"] == 1 and report["agent_sessions"] == 1
    assert [u.external_id for u in await rows(client, InboundUpdate)] == ["new"]
    assert [s.token_hash for s in await rows(client, AgentSession)] == ["valid"]
    assert not await conversations.first_delivery("telegram", "new")  # still deduplicated


async def test_cli_runs_one_pass(client, settings, capsys):
    old = await conversation(client, settings, 100)
    assert await housekeeping_cmd(settings) == 0
    assert '"conversations": 1' in capsys.readouterr().out
    assert await row(client, Conversation, old) is None and old not in await tracker_counts(
        settings
    )


def test_retention_comes_from_company_yml():
    from bot.shared.company import load_company

    assert Retention.of(load_company()) == Retention(conversations_days=90, inbound_updates_days=7)
    assert Retention.parse(None) == Retention()
    assert Retention.parse({"conversations_days": 30}).conversations_days == 30
    for bad in (
        {"conversations_days": -1},
        {"conversations_days": "90"},
        {"conversation_days": 90},
        {"inbound_updates_days": True},
    ):
        with pytest.raises(ValueError):
            Retention.parse(bad)
