"""What a short answer ("ja", "nein danke", "stimmt nicht") means: the bot's last question decides.

A "ja" alone carries no meaning; it answers whatever the bot asked last. Rasa records the response
name of every bot message (`metadata.utter_action`, also for responses sent by custom actions), so
the pending question is read from the tracker's events instead of being kept in a slot that every
action would have to maintain. Works on plain event dicts like bot.dialogue.escalation.

The same events also give the customer's task: the request that started the current form. It
survives FAQ digressions inside the form, unlike the topic (the latest topic-like intent).
"""

from __future__ import annotations

from typing import Any, Dict, List, Tuple

# "Anything else?" questions: "ja" invites the next request, "nein" says goodbye.
ANYTHING_ELSE = "anything_else"
HUMAN_OFFER = "human_offer"  # "Möchten Sie lieber mit einem Mitarbeiter sprechen?"
RETURN_OFFER = "return_offer"  # cancelling is too late: "soll ich die Rücksendung anlegen?"
CANCEL_OFFER = "cancel_offer"  # a return is too early: "Möchten Sie sie stattdessen stornieren?"
CONFIRM_CANCEL = "confirm_cancel"
CONFIRM_ADDRESS = "confirm_address"
DID_IT_HELP = "did_it_help"  # self-service instructions: "Hat Ihnen das geholfen?"
KNOWLEDGE_CHECK = (
    "knowledge_check"  # an answer quoted from the help pages: "Hat Ihnen das geholfen?"
)
RATING_OFFER = "rating_offer"  # the goodbye's optional rating
CONFIRM_CASE = "confirm_case"  # a return's or complaint's summary: "Soll ich … so anlegen?"
OPEN_CASE = "open_case"  # "there is one already: change, withdraw or keep it?"
CASE_CREATED = "case_created"  # just created: "doch nicht" withdraws it, "nein danke" ends

QUESTIONS: Dict[str, str] = {
    "utter_anything_else": ANYTHING_ELSE,
    "utter_thank": ANYTHING_ELSE,
    "utter_rating_thanks": ANYTHING_ELSE,
    "utter_cancel_kept": ANYTHING_ELSE,
    "utter_cancel_already": ANYTHING_ELSE,
    "utter_address_kept": ANYTHING_ELSE,
    "utter_glad_it_helped": ANYTHING_ELSE,
    "utter_bot_challenge": HUMAN_OFFER,
    "utter_shop_cannot_here": HUMAN_OFFER,  # actions/shop.py: not possible in this shop
    "utter_shop_unavailable": HUMAN_OFFER,  # actions/shop.py: the shop is not answering
    "utter_cancel_not_possible": ANYTHING_ELSE,  # on its way: a return only once it arrived
    "utter_cancel_not_possible_delivered": RETURN_OFFER,
    "utter_return_not_possible": CANCEL_OFFER,
    "utter_confirm_cancel": CONFIRM_CANCEL,
    "utter_confirm_address": CONFIRM_ADDRESS,
    "utter_account_help": DID_IT_HELP,
    "utter_knowledge_answer": KNOWLEDGE_CHECK,
    "utter_knowledge_next": KNOWLEDGE_CHECK,
    "utter_knowledge_none": HUMAN_OFFER,
    "utter_knowledge_general": HUMAN_OFFER,  # the general rule only: "soll ich Sie verbinden?"
    "utter_product_availability": HUMAN_OFFER,  # stock the bot cannot see
    "utter_knowledge_offer_human": HUMAN_OFFER,
    "utter_goodbye_ask_rating": RATING_OFFER,
    "utter_confirm_return": CONFIRM_CASE,  # actions/cases.py
    "utter_confirm_complaint": CONFIRM_CASE,
    "utter_case_open": OPEN_CASE,
    "utter_case_undo_hint": CASE_CREATED,
    "utter_case_declined": ANYTHING_ELSE,
    "utter_case_kept": ANYTHING_ELSE,
    "utter_case_withdrawn": ANYTHING_ELSE,
    "utter_return_not_delivered": ANYTHING_ELSE,
    "utter_case_status_none": HUMAN_OFFER,  # a colleague may find what came by mail
    "utter_case_status_none_again": HUMAN_OFFER,
    "utter_handoff_ticket_status": ANYTHING_ELSE,
    "utter_case_not_changed": HUMAN_OFFER,
    # "… startet ein Kollege einen Nachforschungsauftrag, dann verbinde ich Sie": "ja" asks for one
    "utter_order_delayed": HUMAN_OFFER,
    "utter_lost_parcel": HUMAN_OFFER,
    "utter_next_step_human": HUMAN_OFFER,
    "utter_contact_for_topic": HUMAN_OFFER,
    "utter_case_in_progress": HUMAN_OFFER,  # the open case has arrived: nothing left to change  # an e-mail after a question needing no order  # "Und was bringt mir das jetzt?" (actions/open_request.py)
}

# `rasa test` replays custom actions without their bot messages: the reply such an action usually sends.
REPLAYED: Dict[str, str] = {"action_thank": "utter_thank"}

# Intents whose request starts a form and is what the verified order is needed for.
TASK_INTENTS = {
    "order_status",
    "cancel_order",
    "return_item",
    "complaint",
    "change_address",
    "payment_issue",
    "invoice_request",
}


def _intent(event: Dict[str, Any]) -> str | None:
    return ((event.get("parse_data") or {}).get("intent") or {}).get("name")


# A plain answer whose only button is the way to a person ("… oder ich gebe Ihre Löschanfrage jetzt an
# einen Kollegen weiter" + „Zum Kundenservice“): an offer of a person like a named one (held-out run 5,
# d15: "Ja, geben Sie es bitte weiter" got "Sagen Sie mir gern, was Sie stattdessen brauchen").
PERSON_BUTTON = "person_button"
QUESTIONS[PERSON_BUTTON] = HUMAN_OFFER
HUMAN_PAYLOAD = "/request_human"


def offers_person(event: Dict[str, Any]) -> bool:
    """Whether a bot message's buttons are the way to a person and nothing else."""
    buttons = (event.get("data") or {}).get("buttons") or []
    return bool(buttons) and all(b.get("payload") == HUMAN_PAYLOAD for b in buttons)


def last_question(events: List[Dict[str, Any]]) -> str | None:
    """The response name of the bot's last message before the customer's latest message.

    Messages without a response name (plain texts, JSON payloads) are skipped within that bot
    turn; an earlier user message ends the search: an old question is no longer pending. An
    executed utter_* action counts too (stories replayed by `rasa test` have no bot messages).
    """
    seen_user = False
    for event in reversed(events):
        kind = event.get("event")
        if kind == "user":
            if seen_user:
                return None
            seen_user = True
        elif kind == "bot" and seen_user:
            name = (event.get("metadata") or {}).get("utter_action")
            if name:
                return str(name)
            if offers_person(event):
                return PERSON_BUTTON
        elif kind == "action" and seen_user and str(event.get("name") or "").startswith("utter_"):
            return str(event["name"])  # `rasa test` replays actions without their bot messages
        elif kind == "action" and seen_user and event.get("name") in REPLAYED:
            return REPLAYED[str(event["name"])]
    return None


def pending(events: List[Dict[str, Any]]) -> str | None:
    """The kind of yes/no question the customer's latest message answers, if any (see QUESTIONS)."""
    return QUESTIONS.get(last_question(events) or "") or carried(events)


# Confirmations of a change in the shop stay open across a plain answer to a side question ("kostet
# das extra?" -> the FAQ text, then "ok. ja, bitte ändern"): the yes still confirms (persona run 2,
# problem 3). Only over turns whose bot messages asked nothing (no named response) and ran no form.
CARRIED = frozenset({CONFIRM_CANCEL, CONFIRM_ADDRESS, CONFIRM_CASE, RETURN_OFFER, CANCEL_OFFER})
CARRY_TURNS = 2  # customer messages since the confirmation, the latest one included


def carried(events: List[Dict[str, Any]]) -> str | None:
    """The confirmation still open behind side answers that asked nothing, or None."""
    users = 0
    for event in reversed(events):
        kind = event.get("event")
        if kind == "user":
            users += 1
            if users > CARRY_TURNS:
                return None
        elif kind == "active_loop" and users:
            return None  # a form ran since: it asked its own questions
        elif users and kind in ("bot", "action"):
            name = _response_name(event)
            if name is None:
                continue
            found = QUESTIONS.get(name)
            return found if users >= 2 and found in CARRIED else None
    return None


def _response_name(event: Dict[str, Any]) -> str | None:
    if event.get("event") == "bot":
        name = (event.get("metadata") or {}).get("utter_action")
        return str(name) if name else None
    name = str(event.get("name") or "")
    return name if name.startswith("utter_") else REPLAYED.get(name)


def answers_a_question(events: List[Dict[str, Any]], upto: int) -> bool:
    """Whether the user message at index `upto` answers one of the bot's yes/no questions."""
    return pending(events[: upto + 1]) is not None


def task_event(events: List[Dict[str, Any]]) -> Tuple[str | None, Dict[str, Any] | None]:
    """The customer's current task and the message that started it.

    The task is the intent of the message that activated a form from idle (FAQ questions and
    other digressions inside the form don't change it), or what an action set in the `task` slot
    later (e.g. "ja" to "stattdessen stornieren?"); before any form, the latest request.
    """
    task: str | None = None
    source: Dict[str, Any] | None = None
    latest_user: Dict[str, Any] | None = None
    in_loop = False
    for event in events:
        kind = event.get("event")
        if kind == "user":
            latest_user = event
        elif kind == "active_loop":
            name = event.get("name")
            if (
                name
                and not in_loop
                and latest_user is not None
                and _intent(latest_user) in TASK_INTENTS
            ):
                task, source = _intent(latest_user), latest_user
            in_loop = bool(name)
        elif kind == "slot" and event.get("name") == "task" and event.get("value"):
            task, source = str(event["value"]), latest_user
    if task is None:  # no form started yet (or events without loop records): the latest request
        for event in reversed(events):
            if event.get("event") == "user" and _intent(event) in TASK_INTENTS:
                return _intent(event), event
    return task, source


def current_task(events: List[Dict[str, Any]]) -> str | None:
    return task_event(events)[0]
