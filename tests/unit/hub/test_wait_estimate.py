"""Issue 27.4: one wait estimate - the chat notice and the status line (queue info) say the same minutes."""

from __future__ import annotations

from datetime import timedelta

from bot.hub.handoff.queue import wait_minutes
from bot.hub.keys.store import REPO
from bot.hub.store.models import Conversation, Handoff, utcnow
from tests.unit.hub.conftest import auth, start
from tests.unit.hub.test_api_agent import ask_for_human, team  # noqa: F401 - the fixture


def test_minutes_round_up_to_at_least_one():
    assert [wait_minutes(s) for s in (0, 59, 60, 61, 130, 150)] == [1, 1, 1, 2, 3, 3]


async def test_notice_and_status_line_agree(client, team):  # noqa: F811
    now = utcnow()
    async with client.app[
        REPO
    ].sessions.begin() as db:  # one earlier claim after 130 s: 2.17 minutes
        db.add(Conversation(id="old", token_hash="x", channel="webchat", state="closed", meta={}))
        await db.flush()
        db.add(
            Handoff(
                conversation_id="old",
                reason="customer_request",
                state="done",
                queued_at=now - timedelta(seconds=400),
                claimed_at=now - timedelta(seconds=270),
                finished_at=now,
                outcome="closed",
            )
        )
    conv = await start(client)
    notice = (await ask_for_human(client, conv))[-1]
    state = await (
        await client.get(f"/api/v1/conversations/{conv['conversation_id']}", headers=auth(conv))
    ).json()
    assert state["queue"]["expected_wait_seconds"] == 130
    assert state["queue"]["expected_wait_minutes"] == 3
    assert "ca. 3 Min." in notice["text"]
