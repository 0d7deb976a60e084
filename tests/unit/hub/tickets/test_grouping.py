"""Grouping of repeated requests (issue 27.7): one verified customer about one order or topic is one
group; an unverified address or a different matter stands alone."""

from __future__ import annotations

from bot.hub.store.models import Conversation, Ticket
from bot.hub.tickets.grouping import group_key, groups, matter, verified_contact

VERIFIED = {"email": "Kunde@Example.de", "email_verified": True, "order_id": "100234"}


def ticket(ticket_id: int, **summary) -> Ticket:
    return Ticket(id=ticket_id, conversation_id=f"c{ticket_id}", reason="callback", summary=summary)


def test_one_verified_customer_about_one_order_is_one_group():
    rows = [
        (ticket(1, **VERIFIED), None),
        (ticket(2, **VERIFIED), None),
        (ticket(3, **{**VERIFIED, "order_id": "100999"}), None),  # another order
        (ticket(4, email="kunde@example.de", email_verified=False, order_id="100234"), None),
    ]
    found = groups(rows)
    assert found[1] == found[2] == {"key": found[1]["key"], "count": 2, "ticket_ids": [1, 2]}
    assert 3 not in found and 4 not in found
    assert "kunde" not in found[1]["key"]  # the key does not repeat the address


def test_contacts_and_matters():
    confirmed = ticket(5, topic_key="return_item")
    confirmed.contact_confirmed = "k@x.de"
    assert verified_contact(confirmed, None) == "k@x.de"
    assert matter(confirmed) == "topic:return_item"
    messenger = Conversation(id="m", channel="telegram", external_id="4711")
    assert verified_contact(ticket(6), messenger) == "telegram:4711"
    webchat = Conversation(id="w", channel="webchat", external_id="abc")
    assert verified_contact(ticket(7), webchat) is None and group_key(ticket(7), webchat) is None
    assert matter(ticket(8)) == "topic:callback"  # no order, no topic: why it was recorded
