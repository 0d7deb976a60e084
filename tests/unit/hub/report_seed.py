"""A small hub history with hand-counted report figures: the week of Monday 2026-11-16 (Europe/Berlin, UTC+1).

C1..C13 below; the expected figures in test_reports.py are counted from this list by hand, not by
the code under test. C10 started before the week (only its later messages count), C11 after it.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any, Dict, List
from zoneinfo import ZoneInfo

from bot.hub.accounts.agents import create_agent
from bot.hub.store.models import Conversation, Handoff, Message, Ticket

BERLIN = ZoneInfo("Europe/Berlin")
WEEK = "2026-11-16"


def utc(local: str) -> datetime:
    """'2026-11-16 09:00:10' in Berlin -> naive UTC, as the hub stores it."""
    return (
        datetime.fromisoformat(local)
        .replace(tzinfo=BERLIN)
        .astimezone(timezone.utc)
        .replace(tzinfo=None)
    )


# messages: (local time, sender, text, intent, top_intent, confidence, button payload, agent key)
CONVERSATIONS: List[Dict[str, Any]] = [
    {
        "id": "C1",
        "channel": "webchat",
        "start": "2026-11-16 09:00:00",
        "state": "bot",
        "rating": 5,
        "messages": [
            (
                "2026-11-16 09:00:10",
                "customer",
                "Wo ist mein Paket?",
                "order_status",
                "order_status",
                0.92,
                None,
                None,
            ),
            (
                "2026-11-16 09:00:11",
                "bot",
                "Ihr Paket ist unterwegs.",
                None,
                None,
                None,
                None,
                None,
            ),
            ("2026-11-16 09:01:00", "customer", "Danke", "thank", "thank", 0.95, None, None),
            ("2026-11-16 09:01:01", "bot", "Gern!", None, None, None, None, None),
        ],
    },
    {
        "id": "C2",
        "channel": "webchat",
        "start": "2026-11-16 10:30:00",
        "state": "bot",
        "messages": [
            (
                "2026-11-16 10:30:05",
                "customer",
                "blablub xyz",
                "nlu_fallback",
                "order_status",
                0.21,
                None,
                None,
            ),
            (
                "2026-11-16 10:30:06",
                "bot",
                "Das habe ich nicht verstanden.",
                None,
                None,
                None,
                None,
                None,
            ),
        ],
    },
    {
        "id": "C3",
        "channel": "whatsapp",
        "start": "2026-11-17 14:00:00",
        "state": "bot",
        "rating": 4,
        "messages": [
            (
                "2026-11-17 14:00:10",
                "customer",
                "Ich will einen Menschen",
                "request_human",
                "request_human",
                0.97,
                None,
                None,
            ),
            (
                "2026-11-17 14:00:11",
                "bot",
                None,
                None,
                None,
                None,
                None,
                None,
            ),  # the handoff payload
            (
                "2026-11-17 14:00:11",
                "system",
                "Sie sind Nummer 1 in der Warteschlange.",
                None,
                None,
                None,
                None,
                None,
            ),
            (
                "2026-11-17 14:03:00",
                "system",
                "Eva ist jetzt für Sie da.",
                None,
                None,
                None,
                None,
                None,
            ),
            ("2026-11-17 14:04:00", "agent", "Hallo, ich bin Eva.", None, None, None, None, "eva"),
            (
                "2026-11-17 14:13:00",
                "bot",
                "Wie zufrieden waren Sie?",
                None,
                None,
                None,
                None,
                None,
            ),
        ],
        "handoffs": [
            {
                "reason": "customer_request",
                "topic": "Lieferstatus",
                "state": "done",
                "queued": "2026-11-17 14:01:00",
                "claimed": "2026-11-17 14:03:00",
                "by": "eva",
                "finished": "2026-11-17 14:13:00",
                "outcome": "bot",
            }
        ],
    },
    {
        "id": "C4",
        "channel": "telegram",
        "start": "2026-11-18 20:30:00",
        "state": "bot",
        "messages": [
            (
                "2026-11-18 20:30:05",
                "customer",
                "Das ist eine Frechheit!!!",
                "frustration",
                "frustration",
                0.55,
                None,
                None,
            ),
            (
                "2026-11-18 20:30:06",
                "system",
                "Wir melden uns morgen ab 8 Uhr.",
                None,
                None,
                None,
                None,
                None,
            ),
        ],
        "handoffs": [
            {
                "reason": "frustration",
                "topic": "Reklamation",
                "state": "ticket",
                "queued": "2026-11-18 20:30:06",
                "finished": "2026-11-18 20:30:06",
            }
        ],
    },
    {
        "id": "C5",
        "channel": "webchat",
        "start": "2026-11-19 11:00:00",
        "state": "closed",
        "closed": "2026-11-19 11:06:00",
        "messages": [
            (
                "2026-11-19 11:00:05",
                "customer",
                "asdf qwer",
                "nlu_fallback",
                "greet",
                0.30,
                None,
                None,
            ),
            ("2026-11-19 11:00:06", "bot", "Wie bitte?", None, None, None, None, None),
            (
                "2026-11-19 11:01:00",
                "customer",
                "hmm ok??",
                "nlu_fallback",
                "affirm",
                0.35,
                None,
                None,
            ),
            (
                "2026-11-19 11:01:01",
                "system",
                "Sie sind Nummer 1 in der Warteschlange.",
                None,
                None,
                None,
                None,
                None,
            ),
        ],
        "handoffs": [
            {
                "reason": "repeated_fallback",
                "topic": None,
                "state": "done",
                "queued": "2026-11-19 11:01:01",
                "finished": "2026-11-19 11:06:00",
                "outcome": "closed",
            }
        ],
    },
    {
        "id": "C13",
        "channel": "whatsapp",
        "start": "2026-11-19 10:00:00",
        "state": "bot",
        "messages": [
            (
                "2026-11-19 10:00:05",
                "customer",
                "Doppelt abgebucht",
                "payment_issue",
                "payment_issue",
                0.80,
                None,
                None,
            ),
            (
                "2026-11-19 10:00:06",
                "system",
                "Gerade ist niemand erreichbar.",
                None,
                None,
                None,
                None,
                None,
            ),
        ],
        "handoffs": [
            {
                "reason": "bot_cannot_act",
                "topic": "Zahlung",
                "state": "ticket",
                "queued": "2026-11-19 10:00:06",
                "finished": "2026-11-19 10:00:06",
            }
        ],
    },
    {
        "id": "C6",
        "channel": "webchat",
        "start": "2026-11-20 15:00:00",
        "state": "closed",
        "rating": 2,
        "closed": "2026-11-20 15:20:21",
        "messages": [
            (
                "2026-11-20 15:00:05",
                "customer",
                "Ich wurde doppelt belastet",
                "payment_issue",
                "payment_issue",
                0.88,
                None,
                None,
            ),
            (
                "2026-11-20 15:00:06",
                "bot",
                "Möchten Sie mit einem Mitarbeiter sprechen?",
                None,
                None,
                None,
                None,
                None,
            ),
            (
                "2026-11-20 15:00:20",
                "customer",
                "Ja",
                "affirm",
                "affirm",
                1.0,
                "/affirm",
                None,
            ),  # a button
            (
                "2026-11-20 15:00:21",
                "system",
                "Sie sind Nummer 1 in der Warteschlange.",
                None,
                None,
                None,
                None,
                None,
            ),
            (
                "2026-11-20 15:05:21",
                "system",
                "Tom ist jetzt für Sie da.",
                None,
                None,
                None,
                None,
                None,
            ),
            (
                "2026-11-20 15:05:51",
                "agent",
                "Ich schaue mir das an.",
                None,
                None,
                None,
                None,
                "tom",
            ),
            (
                "2026-11-20 15:20:21",
                "system",
                "Das Gespräch wurde beendet.",
                None,
                None,
                None,
                None,
                None,
            ),
        ],
        "handoffs": [
            {
                "reason": "human_only_topic",
                "topic": "Zahlung",
                "state": "done",
                "queued": "2026-11-20 15:00:21",
                "claimed": "2026-11-20 15:05:21",
                "by": "tom",
                "finished": "2026-11-20 15:20:21",
                "outcome": "closed",
            }
        ],
    },
    {
        "id": "C7",
        "channel": "messenger",
        "start": "2026-11-21 12:00:00",
        "state": "bot",
        "messages": [
            (
                "2026-11-21 12:00:05",
                "customer",
                "Rücksendung bitte",
                "return_item",
                "return_item",
                0.90,
                None,
                None,
            ),
            (
                "2026-11-21 12:00:06",
                "system",
                "Sie sind Nummer 1 in der Warteschlange.",
                None,
                None,
                None,
                None,
                None,
            ),
            (
                "2026-11-21 12:02:00",
                "system",
                "Wir rufen Sie zurück.",
                None,
                None,
                None,
                None,
                None,
            ),
        ],
        "handoffs": [
            {
                "reason": "customer_request",
                "topic": "Rücksendung",
                "state": "left",
                "queued": "2026-11-21 12:00:06",
            }
        ],
    },
    {
        "id": "C8",
        "channel": "webchat",
        "start": "2026-11-22 18:00:00",
        "state": "bot",
        "rating": 3,
        "messages": [
            (
                "2026-11-22 18:00:05",
                "customer",
                "Was kostet der Versand?",
                "faq/shipping_costs",
                "faq/shipping_costs",
                0.99,
                None,
                None,
            ),
            ("2026-11-22 18:00:06", "bot", "4,95 €", None, None, None, None, None),
            (
                "2026-11-22 18:01:00",
                "customer",
                "???",
                None,
                None,
                None,
                None,
                None,
            ),  # Rasa was down: never read
            (
                "2026-11-22 18:01:01",
                "system",
                "Ich bin gerade kurz nicht erreichbar.",
                None,
                None,
                None,
                None,
                None,
            ),
        ],
    },
    {
        "id": "C9",
        "channel": "webchat",
        "start": "2026-11-22 09:00:00",
        "state": "bot",
        "messages": [],
    },
    {
        "id": "C12",
        "channel": "webchat",
        "start": "2026-11-22 19:00:00",
        "state": "queued",
        "messages": [
            (
                "2026-11-22 19:00:05",
                "customer",
                "Wann kommt endlich mein Paket!!",
                "order_status",
                "order_status",
                0.70,
                None,
                None,
            ),
            (
                "2026-11-22 19:00:06",
                "system",
                "Sie sind Nummer 1 in der Warteschlange.",
                None,
                None,
                None,
                None,
                None,
            ),
        ],
        "handoffs": [
            {
                "reason": "frustration",
                "topic": "Lieferstatus",
                "state": "queued",
                "queued": "2026-11-22 19:00:06",
            }
        ],
    },
    {
        "id": "C10",
        "channel": "webchat",
        "start": "2026-11-15 23:30:00",
        "state": "bot",
        "messages": [
            ("2026-11-15 23:30:05", "customer", "Hi", "greet", "greet", 0.90, None, None),
            ("2026-11-15 23:30:06", "bot", "Hallo!", None, None, None, None, None),
            ("2026-11-16 00:10:00", "customer", "Hallo", "greet", "greet", 0.90, None, None),
            ("2026-11-16 00:10:01", "bot", "Wie kann ich helfen?", None, None, None, None, None),
        ],
    },
    {
        "id": "C11",
        "channel": "webchat",
        "start": "2026-11-23 00:00:30",
        "state": "bot",
        "messages": [
            ("2026-11-23 00:00:40", "customer", "Hallo", "greet", "greet", 0.90, None, None)
        ],
    },
]
PASSWORD = "bericht-geheim-1"


async def seed(repo: Any) -> Dict[str, int]:
    """Stores the history; returns the agents' ids by key (eva, tom: agents; sina: supervisor; adam: admin)."""
    agents = {
        "eva": await create_agent(repo, "eva@shop.de", "Eva", PASSWORD, "agent"),
        "tom": await create_agent(repo, "tom@shop.de", "Tom", PASSWORD, "agent"),
        "sina": await create_agent(repo, "sina@shop.de", "Sina", PASSWORD, "supervisor"),
        "adam": await create_agent(repo, "adam@shop.de", "Adam", PASSWORD, "admin"),
    }
    ids = {key: a.id for key, a in agents.items()}
    async with repo.sessions.begin() as db:
        for c in CONVERSATIONS:
            customer = [m for m in c["messages"] if m[1] == "customer"]
            db.add(
                Conversation(
                    id=c["id"],
                    token_hash="x",
                    channel=c["channel"],
                    state=c["state"],
                    meta={},
                    rating=c.get("rating"),
                    created_at=utc(c["start"]),
                    updated_at=utc(c["start"]),
                    last_message_at=utc(c["messages"][-1][0]) if c["messages"] else None,
                    last_customer_at=utc(customer[-1][0]) if customer else None,
                    closed_at=utc(c["closed"]) if c.get("closed") else None,
                )
            )
        await db.flush()
        for c in CONVERSATIONS:
            for i, (at, sender, text, intent, top, confidence, payload, agent) in enumerate(
                c["messages"]
            ):
                db.add(
                    Message(
                        id=f"{c['id']}-m{i}",
                        conversation_id=c["id"],
                        sender=sender,
                        text=text,
                        buttons=[],
                        payload=payload,
                        agent_id=ids[agent] if agent else None,
                        intent=intent,
                        top_intent=top,
                        confidence=confidence,
                        created_at=utc(at),
                    )
                )
            for h in c.get("handoffs", []):
                db.add(
                    Handoff(
                        conversation_id=c["id"],
                        reason=h["reason"],
                        priority="normal",
                        summary={"topic": h["topic"]} if h["topic"] else {},
                        state=h["state"],
                        queued_at=utc(h["queued"]),
                        claimed_at=utc(h["claimed"]) if h.get("claimed") else None,
                        claimed_by=ids[h["by"]] if h.get("by") else None,
                        finished_at=utc(h["finished"]) if h.get("finished") else None,
                        outcome=h.get("outcome"),
                    )
                )
                if h["state"] == "ticket":
                    db.add(
                        Ticket(
                            conversation_id=c["id"], reason=h["reason"], created_at=utc(h["queued"])
                        )
                    )
            await db.flush()
    return ids
