"""A question asked while a confirmation waits: answer it, then ask the confirmation again.

"Soll ich die Lieferadresse … ändern?" - "kostet das extra? und kommt das Paket trotzdem diese
Woche?" used to get the shipping-cost FAQ, and the confirmation was gone: the next "ja" confirmed
nothing (held-out persona run 2, problems 3 and 4). bot/dialogue/yes_no.py reads such a message as
a question (`faq`); action_faq hands it here. Each question sentence is answered from what is on the
table - the case summary (refund or exchange, sending back, cost) or the order (delivery day, the
order's own follow-up answers, actions/followups.py); only when none of them knows, the usual FAQ
answer is given. Then the pending question comes again, short, with its buttons, under the same
response name, so the next yes or no answers it (bot/dialogue/pending.py).
"""

from __future__ import annotations

import inspect
import re
from typing import Any, Awaitable, Callable, Dict, List

from rasa_sdk import Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from actions import cancellation, followups, second_request, shop
from actions.cases import COMPLAINT, RETURN, draft_of
from actions.common import facts, register, remember, verified_order
from actions.payment_facts import cancel_payment_text, refund_way
from bot.dialogue import pending as p
from bot.dialogue.return_choice import EXCHANGE_WORDS
from bot.shop.backend import ShopError

MONEY = "money"
SEND_BACK = "send_back"
COST = "cost"
WHEN = "when"
EXCHANGE = "exchange"
INVOICE = "invoice"
WHERE = "where"
# What a question sentence asks about, first match wins ("muss ich das Etikett bezahlen?" is a cost).
TOPICS = (
    (COST, re.compile(r"(?i)kost\w*|geb(?:ü|ue)hr|aufpreis|\bextra\b|gratis|umsonst|\bfree\b|\bcharge|bezahl|\bpay\b")),
    (SEND_BACK, re.compile(r"(?i)einschick|einsend|zur(?:ü|ue|u)ck\s*(?:schick|send|bring)|\betikett|\blabel\b|\bbehalten\b|send\s+(?:it\s+)?back")),
    (MONEY, re.compile(r"(?i)\bgeld\b|erstatt\w*|\brefund|\bmoney\b|\bkohle\b|gutschrift")),
    (INVOICE, re.compile(r"(?i)rechnung|\binvoice|abbuch|lastschrift|\bzahl")),
    (EXCHANGE, EXCHANGE_WORDS),
    (WHERE, re.compile(r"(?i)\bwo\s+(?:ist|steckt|bleibt|liegt)\b|\bwhere\s+is\b|\bstand\b")),
    (WHEN, re.compile(r"(?i)\bwann\b|wie\s+lange|\bdauert|diese[rn]?\s+woche|rechtzeitig|p(?:ü|ue)nktlich|trotzdem\s+noch|\bwhen\b|how\s+long|this\s+week")),
)  # fmt: skip
_QUESTIONS = re.compile(r"[^?]+\?")

# pending kind -> the response names its confirmation is sent under (the buttons are taken from there)
RESPONSES = {
    p.CONFIRM_CASE: ("utter_confirm_return", "utter_confirm_complaint"),
    p.CONFIRM_ADDRESS: ("utter_confirm_address",),
    p.CONFIRM_CANCEL: ("utter_confirm_cancel",),
    p.RETURN_OFFER: (
        "utter_cancel_not_possible_delivered",
    ),  # "… soll ich die Rücksendung anlegen?"
    p.CANCEL_OFFER: ("utter_return_not_possible",),  # "… möchten Sie stattdessen stornieren?"
}
# The short question asked again after the answer (company.yml notices), by response name.
AGAIN = {
    "utter_confirm_return": "confirm_again_return",
    "utter_confirm_complaint": "confirm_again_complaint",
    "utter_confirm_address": "confirm_again_address",
    "utter_confirm_cancel": "confirm_again_cancel",
    "utter_cancel_not_possible_delivered": "confirm_again_return_offer",
    "utter_return_not_possible": "confirm_again_cancel",
}


def open_confirmation(tracker: Tracker) -> str | None:
    """The confirmation the customer's latest message was written at (also behind a side answer)."""
    kind = p.pending(tracker.events)
    return kind if kind in RESPONSES else None


# A change just made, and the pending kind whose answers still hold for it: "und kostet die Änderung
# jetzt was?" right after "Erledigt" is about that change, not the shipping costs (run 2, d25).
DONE = {"utter_address_changed": p.CONFIRM_ADDRESS, "utter_cancel_done": p.CONFIRM_CANCEL}


def just_done(tracker: Tracker) -> str | None:
    """The kind of change the bot's last turn made (DONE), or None."""
    seen_user = False
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            if seen_user:
                return None
            seen_user = True
        elif seen_user and event.get("event") == "bot":
            name = (event.get("metadata") or {}).get("utter_action")
            if name in DONE:
                return DONE[str(name)]
    return None


def topic(sentence: str) -> str | None:
    return next((name for name, words in TOPICS if words.search(sentence)), None)


def questions(text: str) -> List[str]:
    """The question sentences of a message ("wart mal, krieg ich …? und muss ich …?" -> two)."""
    found = [q.strip(" ,;:-") for q in _QUESTIONS.findall(text or "")]
    return [q for q in found if q] or [(text or "").strip()]


def case_fact(draft: Dict[str, Any], asked: str, order: shop.Order | None, reg: str) -> str | None:
    """The answer the case summary gives to one question, or None."""
    kind = draft.get("kind")
    if kind == COMPLAINT:
        key = {
            MONEY: "money",
            EXCHANGE: "money",
            WHEN: "money",
            SEND_BACK: "send_back",
            COST: "cost",
        }
        return facts().notice(f"pending_complaint_{key[asked]}", reg) if asked in key else None
    if kind != RETURN:
        return None
    exchange = draft.get("mode") == "exchange"
    if asked in (MONEY, EXCHANGE) or (asked == WHEN and not exchange):
        if exchange:
            return facts().notice("pending_return_money_exchange", reg)
        text = facts().notice("pending_return_money_refund", reg)
        way = refund_way(order, reg) if order is not None and reg != "en" else ""
        return f"{text} Die Erstattung {way}" if way else text
    if asked == WHEN:
        return facts().notice("pending_return_when_exchange", reg)
    if asked in (SEND_BACK, COST):
        return facts().notice(f"pending_return_{asked}", reg)
    return None


# The order kept after all ("wenn ich das Zelt behalte", "angenommen, ich storniere nicht"): a money
# question then asks about paying for it, never what the cancellation would do to the invoice.
KEEPS = re.compile(
    r"(?i)\bbehalt\w*|\bbeh(?:ä|ae)lt\b|\bbehielt\w*|\bnicht\s+(?:\w+\s+)?storn\w*|"
    r"\bdoch\s+nicht\b|\bkeep\s+(?:it|them|the|my|everything|all)\b|\bdon'?t\s+cancel"
)


def kept_payment_text(order: shop.Order, reg: str) -> str:
    """When the kept order is paid: an open invoice its terms (company.yml faq invoice_due, 30 days
    after dispatch), any other its payment state."""
    if order.payment_status == "open":
        return str(facts().text("faq", "invoice_due", reg) or "")
    from actions.orders import payment_text  # orders imports the confirmation's callers

    return payment_text(order, reg)


def order_fact(
    kind: str, asked: str | None, order: shop.Order | None, reg: str, question: str = ""
) -> str | None:
    """The answer the pending change of the order gives to one question (`question`: its words), or
    None."""
    if kind == p.CONFIRM_ADDRESS and asked == COST:
        return facts().notice("pending_address_cost", reg)
    where = asked == WHERE and kind in (p.CONFIRM_ADDRESS, p.CONFIRM_CANCEL, p.CANCEL_OFFER)
    if (where or (kind == p.CONFIRM_ADDRESS and asked == WHEN)) and order and reg != "en":
        return followups.delivery_text(order, followups.today())
    cancels = kind in (p.CONFIRM_CANCEL, p.CANCEL_OFFER)
    if cancels and asked in (MONEY, COST, INVOICE) and order is not None:
        if KEEPS.search(question):  # "Wenn ich es behalte, wann muss ich zahlen?" (run 8, e09)
            return kept_payment_text(order, reg)
        return cancel_payment_text(order, reg)  # "Bekomme ich die Klarna-Rechnung trotzdem?"
    if kind == p.RETURN_OFFER and asked in (COST, SEND_BACK, MONEY):  # "kostet das was?"
        return case_fact({"kind": RETURN, "mode": "refund"}, asked, order, reg)
    return None


async def answer(dispatcher: CollectingDispatcher, tracker: Tracker, kind: str) -> bool:
    """Answer each question of the message from the summary or the order; False when none of them
    could be answered so (the caller gives its usual answer)."""
    reg = register(tracker)
    try:
        order = await verified_order(tracker)
    except ShopError:
        order = None
    draft = draft_of(tracker) if kind == p.CONFIRM_CASE else {}
    said: List[str] = []
    for question in questions(str((tracker.latest_message or {}).get("text") or "")):
        asked = topic(question)
        text = case_fact(draft, asked, order, reg) if draft and asked else None
        text = text or order_fact(kind, asked, order, reg, question)
        if text is None:
            own = await followups.answer(tracker, None, question)
            text = own.text if own else None
        if text and text not in said:
            said.append(text)
    for text in said:
        dispatcher.utter_message(text=text)
    return bool(said)


def ask_again(dispatcher: CollectingDispatcher, tracker: Tracker, kind: str) -> List[EventType]:
    """The pending confirmation once more, short, with the buttons it had and under its response
    name: the next "ja" answers it."""
    shown = last_confirmation(tracker.events, RESPONSES.get(kind, ()))
    if shown is None:
        return []
    name, buttons = shown
    reg = register(tracker)
    order_id = shop.normalize_order_id(tracker.get_slot("order_id")) or ""
    address = str(tracker.get_slot("new_address") or "")
    text = facts().notice(AGAIN[name], reg, order_id=order_id, new_address=address)
    dispatcher.utter_message(text=text, buttons=buttons, utter_action=name)
    return []


def last_confirmation(
    events: List[Dict[str, Any]], names: tuple[str, ...]
) -> tuple[str, List[Dict[str, Any]]] | None:
    """The response name and buttons of the latest confirmation among `names` the bot sent."""
    for event in reversed(events):
        if event.get("event") != "bot":
            continue
        name = (event.get("metadata") or {}).get("utter_action")
        if name in names:
            return str(name), list((event.get("data") or {}).get("buttons") or [])
    return None


# Answers that end with a question of their own, and their plain form for use before the confirmation.
QUESTIONING = {
    "utter_knowledge_answer": "utter_knowledge_answer_in_form",
    "utter_knowledge_next": "utter_knowledge_answer_in_form",
}
# "Nothing found, shall I connect you?" and "not understood": said without a question of its own.
NOTHING = frozenset({"utter_knowledge_none", "utter_knowledge_offer_human", "utter_fallback"})

Answer = Callable[[CollectingDispatcher, Tracker], Awaitable[List[EventType]]]


async def answer_then_ask(
    dispatcher: CollectingDispatcher, tracker: Tracker, kind: str, usual: Answer
) -> List[EventType]:
    """The question answered (from the table, else the `usual` answer), then the confirmation again;
    an answer that hands over to another action (a form, the thanks) is left to do so."""
    if await answer(dispatcher, tracker, kind):
        events: List[EventType] = [remember(tracker, "Frage vor der Bestätigung beantwortet")]
    else:
        start = len(dispatcher.messages)
        events = await usual(dispatcher, tracker)
        if any(e.get("event") == "followup" for e in events):
            return events
        for message in dispatcher.messages[start:]:  # the confirmation's buttons are the ones left
            message["buttons"] = []
            shown = message.get("response")
            if shown in QUESTIONING:  # a help-page quote without "Hat das geholfen?"
                message["response"] = QUESTIONING[shown]
            elif shown in NOTHING:  # no offer of a person in between
                message["response"] = None
                message["text"] = facts().notice("pending_unknown", register(tracker))
    if kind in (p.CONFIRM_CANCEL, p.CANCEL_OFFER) and "cancel_order" in second_request.declined(
        tracker
    ):  # "no, don't cancel. my question: …": answered, and the order stays - not offered again
        kept: Any = cancellation.keep_order(dispatcher, tracker)  # async where it reads the order
        if inspect.isawaitable(kept):
            kept = await kept
        return events + list(kept)
    return events + ask_again(dispatcher, tracker, kind)
