"""A customer turn reads what it needs once (bot/hub/conversations/turns.py): the bot's last reply
serves both the offer check and the `welcomed` flag, the route answers with the conversation
the turn already has instead of reading it again, and the customer's token is checked on the row
the turn's first transaction reads (no read of its own once this hub accepted the token)."""

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

    def spy(*args, **kwargs):  # runs inside the transaction (a worker thread on SQLite)
        calls["last_reply"] += 1
        return real(*args, **kwargs)

    monkeypatch.setattr(conversations_repo, "_last_reply", spy)
    return calls


async def test_one_turn_reads_the_last_reply_once_and_the_conversation_in_its_transaction(
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
    assert calls == {}  # the token is checked on the row the turn's first transaction reads


async def test_a_token_withdrawn_after_it_was_accepted_is_refused_before_anything_is_stored(
    client, fake_rasa
):
    conv = await start(client)
    url = f"/api/v1/conversations/{conv['conversation_id']}/messages"
    assert (await client.post(url, json={"text": "Hallo"}, headers=auth(conv))).status == 200
    # withdrawn behind this hub's back (the chat ended or erased through another hub)
    await client.app[REPO].revoke(conv["conversation_id"])
    resp = await client.post(url, json={"text": "Noch da?"}, headers=auth(conv))
    assert resp.status == 401 and (await resp.json())["error"]["code"] == "invalid_token"
    texts = await client.app[REPO].texts_of(conv["conversation_id"], "customer")
    assert texts == ["Hallo"] and len(fake_rasa.received) == 1


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


async def test_an_english_customer_gets_english_notices_and_the_widget_sie(client, fake_rasa):
    """The conversation's register is "en" (notices in English, company.yml's convention); the
    widget, which knows du and Sie only, is told Sie. German again goes back to Sie."""
    conv = await start(client)
    url = f"/api/v1/conversations/{conv['conversation_id']}/messages"
    resp = await client.post(url, json={"text": "Hello, where is my order?"}, headers=auth(conv))
    assert resp.status == 200 and (await resp.json())["register"] == "sie"
    stored = await client.app[REPO].conversation(conv["conversation_id"])
    assert stored.register == "en"
    await client.post(url, json={"text": "Wo ist mein Paket?"}, headers=auth(conv))
    assert (await client.app[REPO].conversation(conv["conversation_id"])).register == "sie"
