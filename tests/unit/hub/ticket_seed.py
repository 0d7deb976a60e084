"""A hub with teams whose fake Rasa hands every message over with a summary read from its text, so
tests can make requests of chosen customers about chosen orders (tickets, tags, history; issue 27).

"Rückbuchung" routes to Buchhaltung (topic "Zahlung"), anything else to Kundenservice (topic
"Bestellstatus"); a 6-digit number is the order; an e-mail address is verified against the order
only when the text says "geprüft" (else it is an address the customer typed)."""

from __future__ import annotations

import re
from typing import Any, Dict, Tuple

import pytest

from bot.hub.app import init_app
from bot.hub.keys.config import COMPANY
from bot.hub.keys.handoff import QUEUE
from tests.unit.hub.test_teams import OPEN, TEAMS, ask, company_with

EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[a-z]{2,}")


def summary_of(text: str) -> Dict[str, Any]:
    dispute = "rückbuchung" in text.lower()
    order = re.search(r"\b\d{6}\b", text)
    email = EMAIL.search(text)
    verified = bool(email) and "geprüft" in text
    return {
        "topic": "Zahlung" if dispute else "Bestellstatus",
        "topic_key": "payment_dispute" if dispute else "order_status",
        "reason_detail": "payment_dispute" if dispute else None,
        "request": text,
        "order_id": order.group(0) if order else None,
        "email": email.group(0) if verified else None,
        "email_verified": verified,
        "order_status": "versandt" if verified else None,
        "register": "sie",
        "intents": ["order_status"],
    }


@pytest.fixture()
async def hub(aiohttp_client, settings, tmp_path, fake_rasa):
    def answer(sender: str, text: str):
        return [
            {"recipient_id": sender, "text": "Ich gebe Ihr Anliegen weiter."},
            {
                "recipient_id": sender,
                "custom": {
                    "handoff": {
                        "reason": "customer_request",
                        "priority": "normal",
                        "summary": summary_of(text),
                    }
                },
            },
        ]

    fake_rasa.answer = answer
    app = init_app(settings)
    app[COMPANY] = company_with(tmp_path, TEAMS)
    client = await aiohttp_client(app)
    client.app[QUEUE].clock = lambda: OPEN
    return client


async def request_of(client, text: str) -> Tuple[Dict[str, Any], int]:
    """A customer asks while nobody of the team is online: the conversation and its request's number."""
    conv, notice = await ask(client, text)
    ticket = (notice.get("custom") or {}).get("ticket")
    assert isinstance(ticket, int), notice
    return conv, ticket
