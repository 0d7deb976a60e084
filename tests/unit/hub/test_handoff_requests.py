"""bot/hub/handoff/requests.py: one matter, one request; contact details already given are reused;
"mit allen Details notiert" only after a concern was stated; the bot learns the request's number."""

from __future__ import annotations

from typing import Any, Dict

from bot.hub.handoff.requests import concern_stated, known_contact, request_offer, ticket_text
from bot.hub.keys.handoff import QUEUE
from bot.hub.store.models import Ticket
from bot.shared.company import company
from tests.unit.hub.conftest import rows, start
from tests.unit.hub.test_register_and_contact import CLOSED, say


def summary(**fields: Any) -> Dict[str, Any]:
    return {"topic": "unklar", "topic_key": None, **fields}


def text(found: Dict[str, Any], register: str = "sie", team: str | None = None) -> str:
    return ticket_text(company(), register, found, ticket=7, when="morgen ab 8 Uhr", team=team)


def test_a_stated_concern_without_contact_asks_for_one() -> None:
    said = text(summary(topic="Zahlung", topic_key="payment_issue"))
    assert "mit allen Details notiert (Vorgangsnummer 7)" in said
    assert "Hinterlassen Sie gern Ihre E-Mail-Adresse oder Telefonnummer" in said


def test_a_verified_or_typed_email_is_reused_not_asked_again() -> None:
    for found in (
        summary(topic="Zahlung", topic_key="payment_issue", email="eva@example.org"),
        summary(topic="Zahlung", topic_key="payment_issue", email_given="eva@example.org"),
    ):
        said = text(found)
        assert "Wir melden uns unter eva@example.org." in said and "Hinterlassen" not in said
        assert "Ihr Anliegen ist notiert (Vorgangsnummer 7)" in said
    assert known_contact(summary(email="a@b.de", email_given="c@d.de")) == "a@b.de"


def test_no_callback_offer_when_the_email_is_known() -> None:
    """A "ja" to "Wir melden uns unter …" must not be answered with "Wo erreichen wir Sie?"."""
    assert request_offer(3, summary(email_given="eva@example.org")) == {"ticket": 3}
    assert request_offer(3, summary()) == {"ticket": 3, "callback": True}


def test_no_concern_stated_is_not_called_noted_with_all_details() -> None:
    for register in ("sie", "du"):
        for team in (None, "Buchhaltung"):
            said = text(summary(), register, team)
            assert "notiert" not in said and "Vorgangsnummer 7" in said
            assert "worum es geht" in said
    assert not concern_stated(summary()) and concern_stated({"topic": "Lieferstatus"})


async def test_a_second_handoff_names_the_open_request_instead_of_a_new_one(
    client: Any, fake_rasa: Any
) -> None:
    """Issue 22.8: one double charge became four tickets."""
    conv = await start(client)
    client.app[QUEUE].clock = lambda: CLOSED
    first = (await say(client, conv, "Ich will einen Menschen"))["messages"][-1]
    [ticket] = await rows(client, Ticket)
    assert f"Vorgangsnummer {ticket.id}" in first["text"]
    cid = conv["conversation_id"]
    assert {"event": "slot", "name": "handoff_ticket", "value": str(ticket.id)} in (
        fake_rasa.events[cid]
    )  # the bot knows: no "ich verbinde Sie direkt" now
    for _ in range(3):
        again = (await say(client, conv, "Mensch bitte, sofort!"))["messages"][-1]
        assert f"liegt schon bei unserem Team (Vorgangsnummer {ticket.id})" in again["text"]
        assert "Hinterlassen" not in again["text"]
    assert len(await rows(client, Ticket)) == 1


def test_a_relative_writing_for_someone_who_died_is_asked_for_her_own_contact() -> None:
    """Persona run 3 (d04): never "Wir melden uns unter <the deceased mother's address>"."""
    found = summary(topic="Konto", email_given="leonie.wagner@t-online.de", third_party=True)
    assert known_contact(found) is None
    said = text(found)
    assert "leonie.wagner" not in said and "E-Mail-Adresse oder Telefonnummer" in said
