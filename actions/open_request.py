"""Short talk around the conversation's open request (issue 22.4, 22.8).

Called first by the actions that would otherwise answer with a help page, a stock FAQ block or
"nicht verstanden" (action_faq, action_answer_from_knowledge, action_fallback, action_rate):

- a short acknowledgement ("Na gut.", "ok", "passt") gets a short reply that keeps the context: the
  open request's number when the team has the matter, then "Kann ich sonst noch etwas …?";
- "Und wenn es dann nicht da ist, …?" / "was mache ich dann?" after an answer: the next step (write
  again, a colleague takes it over), without a question a "ja" would have to answer;
- "Und was bringt mir das jetzt?" after an answer asks for the next step: a person is offered (a yes
  hands over, bot/dialogue/human_request.py), or with the matter at the team, when it answers; so
  does "Nachbarn hab ich schon gefragt, nix" after the bot suggested it and offered a person;
- with a request open in the hub (the `handoff_ticket` slot), an e-mail address or phone number in the
  message goes to the request (the hub notes and confirms it), a wish for the team ("sagen Sie dem
  Team …", "bitte nur vormittags anrufen", "make sure someone calls me") is added to the request's
  note (bot/dialogue/team_note.py) and acknowledged in one sentence - a call back asks for the phone
  number unless one is known -, "wie lange dauert das?" is answered from
  the team's service hours and response target, and "wie erreichen Sie mich?" with the contact the
  customer already gave (the verified e-mail) - never asked again.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any, Dict, List

from rasa_sdk import Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from actions import refund_missing
from actions.common import facts, register, remember
from bot.dialogue.follow_up import asks_if_not
from bot.dialogue.pending import HUMAN_OFFER, pending
from bot.dialogue.questions import tried_without_luck
from bot.dialogue.short_talk import (
    asks_how_reached,
    asks_what_now,
    asks_when_answered,
    is_acknowledgement,
    leaves,
)
from bot.dialogue.team_note import CALL, NOTE, other_question, wish_for_team
from bot.dialogue.time_asked import ACCESS, ERASURE, privacy_time
from bot.shared import wire
from bot.shared.calendar import next_available_text
from bot.shared.contact import EMAIL, phone_in

TICKET = "handoff_ticket"


def given_contact(tracker: Tracker) -> str | None:
    """The e-mail address or phone number the customer last gave since the request was opened (the
    hub noted it on the request, or note_contact sent it there)."""
    found: str | None = None
    opened = False
    for event in tracker.events or []:
        if event.get("event") == "slot" and event.get("name") == TICKET:
            opened = bool(event.get("value"))
        elif opened and event.get("event") == "user":
            found = (
                contact_in({**(event.get("parse_data") or {}), "text": event.get("text")}) or found
            )
    return found


def known_contact(tracker: Tracker) -> str | None:
    """Where the team answers: the contact given for the request (a phone number left for a call
    back, persona run 4 d11), else the e-mail the customer verified in this conversation."""
    given = given_contact(tracker)
    if given:
        return given
    order_id = tracker.get_slot("order_id")
    verified = bool(order_id) and tracker.get_slot("verified_order") == order_id
    email = tracker.get_slot("email")
    return str(email) if verified and email else None


def when_text(tracker: Tracker, ticket: str) -> str:
    """When the team answers: on duty now (the response target), or when it is back."""
    company, reg = facts(), register(tracker)
    now = datetime.now(company.tz)
    if company.is_open(now):
        minutes = int((company.raw.get("sla") or {}).get("first_response_minutes") or 15)
        return company.notice("request_when_open", reg, ticket=ticket, minutes=minutes)
    opening = company.next_opening(now)
    when = (
        next_available_text(opening, now) if opening else company.notice("as_soon_as_possible", reg)
    )
    return company.notice("request_when_closed", reg, ticket=ticket, when=when)


def reach_text(tracker: Tracker) -> str:
    contact = known_contact(tracker)
    if contact:
        return facts().notice("request_reach_known", register(tracker), contact=contact)
    return facts().notice("request_reach_chat", register(tracker))


def contact_in(latest: Dict[str, Any]) -> str | None:
    """The e-mail address (the entity, else the first in the text) or phone number the message gives."""
    for entity in latest.get("entities") or []:
        if entity.get("entity") == "email" and entity.get("value"):
            return str(entity["value"])
    text = str(latest.get("text") or "")
    found = EMAIL.search(text)
    return found.group(0) if found else phone_in(text)


def note_contact(dispatcher: CollectingDispatcher, tracker: Tracker) -> List[EventType] | None:
    """An e-mail address or phone number given while the matter lies with the team, outside a form that
    asked for one: where the team answers. The hub notes it on the request and confirms it (wire
    payload `contact`); None when the message gives none or no request is open."""
    ticket = tracker.get_slot(TICKET)
    address = contact_in(tracker.latest_message or {})
    if not ticket or not address or (tracker.active_loop or {}).get("name"):
        return None
    dispatcher.utter_message(json_message=wire.contact(int(ticket), address))
    return [remember(tracker, f"Kontakt zur Anfrage {ticket} genannt")]


def known_phone(tracker: Tracker) -> str | None:
    """A phone number the customer gave in this conversation (the team calls there)."""
    for event in reversed(tracker.events or []):
        if event.get("event") == "user":
            found = phone_in(str(event.get("text") or ""))
            if found:
                return found
    return None


def note_wish(
    dispatcher: CollectingDispatcher, tracker: Tracker, wish: str, text: str
) -> List[EventType]:
    """A wish for the team while the matter lies with it: onto the request's note (wire payload
    `note`), acknowledged in one sentence; a call back names the number it goes to or asks for one.
    A question about the team's answer time beside it is answered too."""
    ticket = str(tracker.get_slot(TICKET))
    company, reg = facts(), register(tracker)
    dispatcher.utter_message(json_message=wire.note(int(ticket), text))
    if wish == CALL:
        phone = known_phone(tracker)
        said = (
            company.notice("request_call_noted", reg, ticket=ticket, contact=phone)
            if phone
            else company.notice("request_call_ask", reg, ticket=ticket)
        )
    else:
        said = company.notice("request_note_added", reg, ticket=ticket)
    sentences = re.split(r"(?<=[.!?])\s+", text)
    if any(asks_when_answered(s) for s in sentences):  # "Wann ungefähr? Ab 17 Uhr kann ich nicht."
        said = f"{said} {when_text(tracker, ticket)}"
    dispatcher.utter_message(text=said)
    return [remember(tracker, f"Wunsch zur Anfrage {ticket} notiert")]


def note_beside_task(dispatcher: CollectingDispatcher, tracker: Tracker) -> List[EventType]:
    """A wish for the team asked together with a task ("Bitte stornieren Sie 100236 und sagen Sie
    dem Team, …", bot/dialogue/team_note.py task_before_wish): noted on the request in one sentence
    while the task's form goes on to its confirmation. Once per turn (a form validates more than
    once); [] when the message carries no such wish."""
    latest = tracker.latest_message or {}
    ticket = tracker.get_slot(TICKET)
    if not ticket or not (latest.get("context") or {}).get("team_note"):
        return []
    said = facts().notice("request_note_added", register(tracker), ticket=ticket)
    users = [i for i, e in enumerate(tracker.events or []) if e.get("event") == "user"]
    since = (tracker.events or [])[users[-1] :] if users else []
    if any(e.get("event") == "bot" and e.get("text") == said for e in since):
        return []
    return note_wish(dispatcher, tracker, NOTE, str(latest.get("text") or ""))


def note_unanswered(
    dispatcher: CollectingDispatcher, tracker: Tracker, question: str, notice: str, **values: Any
) -> List[EventType] | None:
    """A question the bot cannot answer while the matter lies with the team (no form running): onto
    the request's note and said so (company.yml `notice`) - never "soll ich Sie verbinden?" again
    (held-out persona run 6, d12/d15). None when no request is open."""
    if (tracker.active_loop or {}).get("name"):
        return None
    return note_question(dispatcher, tracker, question, notice, register(tracker), **values)


def note_question(
    dispatcher: CollectingDispatcher,
    tracker: Tracker,
    asked: str,
    notice: str,
    reg: str,
    **values: Any,
) -> List[EventType] | None:
    """A question (`asked`) left open while the matter lies with the team, form or not: onto the
    request's note (wire payload `note`) and said so in the customer's register `reg` (company.yml `notice`,
    given the `ticket`). None when no request is open (then a person is offered as usual)."""
    ticket = tracker.get_slot(TICKET)
    if not ticket:
        return None
    dispatcher.utter_message(json_message=wire.note(int(ticket), asked))
    dispatcher.utter_message(text=facts().notice(notice, reg, ticket=ticket, **values))
    return [remember(tracker, f"Offene Frage zur Anfrage {ticket} notiert")]


def asks_team_time(tracker: Tracker, text: str) -> bool:
    """ "Wann meldet sich ein Mitarbeiter?" read as an order question (persona run 4, d30: the order
    form asked for the number): with a request open and no order number in the message, the team's
    answer time is asked, not an order's state."""
    return (
        bool(tracker.get_slot(TICKET))
        and asks_when_answered(text)
        and not re.search(r"(?<!\d)\d{6}(?!\d)", text or "")
    )


def leaves_the_team_to_it(tracker: Tracker, text: str) -> bool:
    """ "100240 hab ich doch geschrieben. egal, ich warte einfach. ciao" with a request open: a
    goodbye, whatever else the message names - not an order form asking for the e-mail."""
    return bool(tracker.get_slot(TICKET)) and leaves(text)


def say_goodbye(dispatcher: CollectingDispatcher, tracker: Tracker) -> List[EventType]:
    from actions.farewell import farewell  # farewell imports this module

    return farewell(dispatcher, tracker)


def tell_team_time(dispatcher: CollectingDispatcher, tracker: Tracker) -> List[EventType]:
    ticket = str(tracker.get_slot(TICKET))
    dispatcher.utter_message(text=f"{when_text(tracker, ticket)} {reach_text(tracker)}")
    return [remember(tracker, f"Wann sich das Team meldet genannt (Anfrage {ticket})")]


PRIVACY_TIME = {ERASURE: ("notices", "erasure_time"), ACCESS: ("faq", "privacy_deadline")}


def data_request_time(
    dispatcher: CollectingDispatcher, tracker: Tracker, text: str
) -> List[EventType] | None:
    """How long an erasure or a data request handed to the team takes, when the message asks that
    (bot/dialogue/time_asked.py: named, or a bare "Wie lange dauert das?" right after such a request;
    held-out run 8, e19/e20 got the team's 15-minute target), else None."""
    earlier = [str(e.get("text") or "") for e in tracker.events if e.get("event") == "user"][:-1]
    matter = privacy_time(text, [t for t in earlier if not t.startswith("/")])
    if matter is None:
        return None
    section, key = PRIVACY_TIME[matter]
    dispatcher.utter_message(text=str(facts().text(section, key, register(tracker)) or ""))
    return [remember(tracker, f"Frist der Datenschutz-Anfrage genannt ({matter})")]


def answer(dispatcher: CollectingDispatcher, tracker: Tracker) -> List[EventType] | None:
    """The short answer the latest message needs, or None when it is no such message."""
    text = str((tracker.latest_message or {}).get("text") or "")
    ticket = tracker.get_slot(TICKET)
    in_form = bool((tracker.active_loop or {}).get("name"))
    noted = note_contact(dispatcher, tracker)  # "schicken Sie mir eine Bestätigung an …"
    if noted is not None:
        if ticket and not in_form and wish_for_team(text):  # "nur bis 17 Uhr anrufen: 0171 …"
            dispatcher.utter_message(json_message=wire.note(int(ticket), text))
        return noted
    wish = wish_for_team(text) if ticket and not in_form else None
    if wish is not None:  # "sagen Sie dem Team, ich möchte lieber Ersatz" (persona runs 5/6)
        noted_wish = note_wish(dispatcher, tracker, wish, text)
        # a question beside it is answered as usual after the acknowledgement (held-out run 6, d15)
        return None if other_question(text) else noted_wish
    if leaves_the_team_to_it(tracker, text) and not in_form:  # "ok, dann warte ich. tschüss"
        return say_goodbye(dispatcher, tracker)
    if is_acknowledgement(text) and not in_form:
        if ticket:
            dispatcher.utter_message(
                text=facts().notice("request_acknowledged", register(tracker), ticket=ticket)
            )
        dispatcher.utter_message(response="utter_anything_else")
        return [remember(tracker, "Kurze Bestätigung beantwortet")]
    if not in_form and refund_missing.asks_money_missing(tracker, text):
        # "und wenn nach 5 Tagen nix auf der Karte ist?" after the refund (persona run 4, d24)
        dispatcher.utter_message(text=refund_missing.money_missing_text(tracker))
        return [remember(tracker, "Nächster Schritt genannt, falls die Erstattung ausbleibt")]
    tried = tried_without_luck(text) and pending(tracker.events) == HUMAN_OFFER
    if (asks_what_now(text) or tried) and not in_form:  # not enough: the next step is a person
        if ticket:
            dispatcher.utter_message(
                text=f"{when_text(tracker, str(ticket))} {reach_text(tracker)}"
            )
            return [remember(tracker, f"Wann sich das Team meldet genannt (Anfrage {ticket})")]
        dispatcher.utter_message(response="utter_next_step_human")
        return [remember(tracker, "Antwort reichte nicht: Mitarbeiter angeboten")]
    if asks_if_not(text) and not in_form and not ticket:  # "und wenn es nicht auftaucht?"
        dispatcher.utter_message(text=facts().notice("if_not_then", register(tracker)))
        return [remember(tracker, "Nächster Schritt genannt, falls es nicht klappt")]
    if not ticket:
        return None
    deadline = data_request_time(dispatcher, tracker, text)
    if deadline is not None:  # "wie lange dauert das Löschen?": its deadline, not the team's time
        return deadline
    if asks_when_answered(text):
        told = tell_team_time(dispatcher, tracker)
        # "Wie lange dauert das? Und können Sie mir die Rechnung schicken?": the other question is
        # answered as read after the time, not dropped (held-out run 6, d12 t3, d21 t3)
        return None if other_question(text) else told
    if asks_how_reached(text):
        dispatcher.utter_message(text=reach_text(tracker))
        return [remember(tracker, f"Kontaktweg zur Anfrage {ticket} genannt")]
    return None
