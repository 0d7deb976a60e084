"""What the customer is told when a handoff becomes a request because nobody is reachable (issue 22.8).

- One matter, one request: a conversation with an open request gets that request's number again,
  not a second request (a double charge asked about four times stays one request).
- Contact details already given are reused: a verified or typed e-mail is where the team answers;
  only without one is the customer asked to leave an address or phone number.
- "Ihr Anliegen ist mit allen Details notiert" only when a concern was stated; otherwise the
  customer is asked to say in a sentence what it is about (the team reads the chat).
- The bot learns the request's number (the tracker slot `handoff_ticket`), so it no longer offers
  "ich verbinde Sie direkt" and can say where the request stands (actions/cases.py).
"""

from __future__ import annotations

import logging
from typing import Any, Dict

from bot.hub.rasa_client import RasaClient
from bot.shared.company import Company

log = logging.getLogger(__name__)
Json = Dict[str, Any]
SLOT = "handoff_ticket"


def known_contact(summary: Json) -> str | None:
    """The e-mail the customer verified or typed in this conversation, if any; none when the customer
    writes for a relative who died (`third_party`): the addresses typed were that person's."""
    if summary.get("third_party"):
        return None
    found = summary.get("email") or summary.get("email_given")
    return str(found) if found else None


def concern_stated(summary: Json) -> bool:
    """Whether the customer said what it is about (a topic the dialogue recognised)."""
    return bool(summary.get("topic_key")) or summary.get("topic") not in (None, "", "unklar")


def request_offer(ticket: int, summary: Json) -> Json:
    """The notice's `custom`: the request's number, and the callback offer (the widget's form, a
    typed phone number or e-mail) only when the customer has not given an e-mail already."""
    if known_contact(summary):
        return {"ticket": ticket}
    return {"ticket": ticket, "callback": True}


def ticket_text(
    company: Company,
    register: str | None,
    summary: Json,
    *,
    ticket: int,
    when: str,
    team: str | None,
) -> str:
    """The notice for a new request: the team's return, what is noted, and how the team answers."""
    key = "ticket_team" if team else "ticket"
    values: Json = {"ticket": ticket, "team": team or "", "when": when}
    if not team:
        values["when"] = when[:1].upper() + when[1:]
    contact = known_contact(summary)
    if concern_stated(summary) and contact is None:
        return company.notice(key, register, **values)  # noted, and "leave your e-mail or phone"
    head = company.notice(
        f"{key}_{'noted' if concern_stated(summary) else 'unstated'}", register, **values
    )
    tail = (
        company.notice("ticket_contact_known", register, contact=contact)
        if contact
        else company.notice("ticket_contact_ask", register)
    )
    return f"{head} {tail}"


def exists_text(company: Company, register: str | None, *, ticket: int, when: str) -> str:
    """The conversation has an open request already: its number, no second one."""
    return company.notice("ticket_exists", register, ticket=ticket, when=when)


async def tell_bot(rasa: RasaClient, conversation: str, ticket: int) -> None:
    """Set the tracker's `handoff_ticket` slot; best effort (the request is stored either way)."""
    try:
        await rasa.append_events(
            conversation, [{"event": "slot", "name": SLOT, "value": str(ticket)}]
        )
    except Exception:  # noqa: BLE001 - the customer has their request number; the bot just knows less
        log.warning("could not note request %s on the tracker of %s", ticket, conversation)
