"""A customer turn reads what it needs once (bot/hub/conversations/turns.py): the bot's last reply
serves both the offer check and the `welcomed` flag, and the route answers with the conversation
the turn already has instead of reading it again."""

from __future__ import annotations

from collections import Counter

from bot.hub.keys.store import REPO
from bot.hub.store import conversations_repo
from tests.unit.hub.conftest import auth, start


def count_calls(monkeypatch, repo, *names: str) -> Counter:
    """Counts calls of the named repository methods (the conversation parts share this object)."""
    calls: Counter = Counter()
    for name in names:
        real = getattr(repo, name)

        async def spy(*args, _real=real, _name=name, **kwargs):
            calls[_name] += 1
            return await _real(*args, **kwargs)

        monkeypatch.setattr(repo, name, spy)
    return calls


def count_last_reply_reads(monkeypatch) -> Counter:
    """Reads of the last reply, also those inside the turn's first transaction."""
    calls: Counter = Counter()
    real = conversations_repo._last_reply

    async def spy(*args, **kwargs):
        calls["last_reply"] += 1
        return await real(*args, **kwargs)

    monkeypatch.setattr(conversations_repo, "_last_reply", spy)
    return calls


async def test_one_turn_reads_the_last_reply_and_the_conversation_once(
    client, fake_rasa, monkeypatch
):
    resp = await client.post("/api/v1/conversations", json={"channel": "webchat", "welcome": True})
    conv = await resp.json()
    calls = count_calls(monkeypatch, client.app[REPO], "last_reply_before", "conversation")
    reads = count_last_reply_reads(monkeypatch)
    resp = await client.post(
        f"/api/v1/conversations/{conv['conversation_id']}/messages",
        json={"text": "kannst du mir helfen?"},
        headers=auth(conv),
    )
    body = await resp.json()
    assert resp.status == 200 and body["register"] == "du"  # the register this message set
    assert [m["text"] for m in body["messages"]][-1] == "Echo: kannst du mir helfen?"
    assert fake_rasa.received[-1]["metadata"].get("welcomed") is True
    assert reads == {"last_reply": 1}  # in the turn's first transaction, not a session of its own
    assert calls == {"conversation": 1}  # the token check's read only


async def test_a_message_waiting_behind_an_earlier_one_reads_no_last_reply(
    client, fake_rasa, monkeypatch
):
    conv = await start(client)
    fake_rasa.down = True
    await client.post(
        f"/api/v1/conversations/{conv['conversation_id']}/messages",
        json={"text": "hallo?"},
        headers=auth(conv),
    )  # pending now: the next one waits behind it
    reads = count_last_reply_reads(monkeypatch)
    resp = await client.post(
        f"/api/v1/conversations/{conv['conversation_id']}/messages",
        json={"text": "noch da?"},
        headers=auth(conv),
    )
    assert resp.status == 200 and [m["sender"] for m in (await resp.json())["messages"]] == [
        "customer"
    ]
    assert reads["last_reply"] == 0
