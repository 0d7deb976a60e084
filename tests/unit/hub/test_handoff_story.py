"""Issue 27.2: the handoff summary names what the customer picked or wrote, never a button payload,
and keeps an e-mail address the customer typed."""

from __future__ import annotations

from bot.hub.handoff.story import PICKED, readable
from bot.hub.keys.store import REPO
from tests.unit.hub.conftest import auth, start

SAID = [
    ("Wo ist meine Bestellung?", '/order_status{"order_id":"100234"}'),
    ("Ich möchte einen Menschen", "/request_human"),
    ("anna.schmidt@web.de", None),
]


def test_payloads_become_the_button_titles():
    summary = {
        "request": "/order_status",
        "email": None,
        "last_messages": [
            {"sender": "customer", "text": '/order_status{"order_id":"100234"}'},
            {"sender": "bot", "text": "Wie lautet Ihre E-Mail?"},
            {"sender": "customer", "text": "/request_human"},
            {"sender": "customer", "text": "/stop"},
        ],
    }
    out = readable(summary, SAID)
    assert out["request"] == "Wo ist meine Bestellung?"
    assert [m["text"] for m in out["last_messages"]] == [
        "Wo ist meine Bestellung?",
        "Wie lautet Ihre E-Mail?",
        "Ich möchte einen Menschen",
        PICKED,  # a payload without a known title is never shown raw
    ]
    assert out["email_given"] == "anna.schmidt@web.de"
    assert summary["request"] == "/order_status"  # the input is not changed


def test_words_and_a_verified_email_stay():
    summary = {"request": "Mein Paket fehlt", "email": "a@b.de", "last_messages": []}
    out = readable(summary, [("Mein Paket fehlt", None), ("x@y.de", None)])
    assert out["request"] == "Mein Paket fehlt" and "email_given" not in out
    assert readable({"request": "/greet"}, [])["request"] is None


async def test_the_queued_summary_is_readable(client, fake_rasa):
    fake_rasa.answer = lambda sender, text: [
        {
            "recipient_id": sender,
            "custom": {
                "handoff": {
                    "reason": "customer_request",
                    "priority": "normal",
                    "summary": {
                        "request": "/request_human",
                        "last_messages": [{"sender": "customer", "text": "/request_human"}],
                    },
                }
            },
        }
    ]
    conv = await start(client)
    cid = conv["conversation_id"]
    resp = await client.post(
        f"/api/v1/conversations/{cid}/messages",
        json={"text": "Meine Mail ist eva.k@web.de, bitte einen Menschen"},
        headers=auth(conv),
    )
    assert resp.status in (200, 201), await resp.text()
    handoff = await client.app[REPO].latest_handoff(cid)
    assert handoff is not None and handoff.summary["email_given"] == "eva.k@web.de"
    assert handoff.summary["request"] is None
    assert handoff.summary["last_messages"][0]["text"] == PICKED


def test_requests_carry_their_reason_in_german():
    from bot.hub.store.models import Ticket
    from bot.hub.store.serialize import ticket_json

    assert ticket_json(Ticket(id=1, reason="frustration", status="open"))["reason_label"] == (
        "Kunde ist verärgert"
    )
    assert ticket_json(Ticket(id=2, reason="callback", status="open"))["reason_label"] == (
        "Rückruf gewünscht"
    )
