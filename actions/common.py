"""Small helpers every action module shares: register, mood, topic, bookkeeping."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Dict, List

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions import settings, shop
from bot.dialogue.empathy import acknowledgement, annoyed, calm_acknowledgement, feeling
from bot.dialogue.escalation import current_mood, current_topic, since_resume
from bot.shared.company import Company, company

TOPIC_LABELS = {
    "order_status": "Lieferstatus",
    "cancel_order": "Stornierung",
    "return_item": "Rücksendung/Umtausch",
    "complaint": "Reklamation",
    "change_address": "Adressänderung",
    "payment_issue": "Zahlung",
    "invoice_request": "Rechnung",
    "account_help": "Kundenkonto",
    "faq": "Allgemeine Frage",
}

STATUS_LABELS = {
    shop.PROCESSING: "in Bearbeitung",
    shop.SHIPPED: "versandt",
    shop.DELIVERED: "zugestellt",
    shop.CANCELLED: "storniert",
}


def day(moment: datetime | None) -> str:
    """A date as customers read it (dd.mm.yyyy)."""
    return f"{moment:%d.%m.%Y}" if moment else "–"


def facts() -> Company:
    return company()


def english(tracker: Tracker) -> bool:
    """The customer writes English (the `language` slot, bot/rasa_plugins/language.py)."""
    return tracker.get_slot("language") == "en"


def register(tracker: Tracker) -> str:
    """How company.yml texts address the customer: "du", "sie", or "en" for an English-writing customer
    (the core answers have an English variant; the others fall back to Sie)."""
    if english(tracker):
        return "en"
    return "du" if tracker.get_slot("register") == "du" else "sie"


def mood(tracker: Tracker) -> float:
    """The conversation's mood since the last hand-back, from the events (not a slot: no round trip per turn)."""
    return current_mood(since_resume(tracker.events))


def topic_of(tracker: Tracker) -> str | None:
    """The latest topic the customer raised (FAQ topics with their key)."""
    return current_topic(tracker.events)


def empathize(dispatcher: CollectingDispatcher, tracker: Tracker) -> bool:
    """One acknowledgement before the facts: the feeling's own line (condolence, safety advice, thanks for
    praise, anger) or one that fits the topic (waiting, defect, double charge, lost parcel, general) and the
    mood: at most one apology per flow, none on a button tap (bot/dialogue/empathy.py). True when a
    feeling's own line was said."""
    key = feeling(tracker.events, settings.EMPATHY_THRESHOLD)
    if key:
        dispatcher.utter_message(text=facts().text("emotions", key, register(tracker)))
        return True
    response = acknowledgement(topic_of(tracker), tracker.events, settings.EMPATHY_THRESHOLD)
    if response:
        dispatcher.utter_message(response=response)
        return False
    calm = calm_acknowledgement(topic_of(tracker), tracker.events, settings.EMPATHY_THRESHOLD)
    if calm:  # bad news told calmly: acknowledged without an apology (issue 22.7)
        dispatcher.utter_message(
            text=facts().text("calm_acknowledgements", calm, register(tracker))
        )
    return False


def feel(dispatcher: CollectingDispatcher, tracker: Tracker) -> bool:
    """Grief, worry or anger shown in this flow and not answered yet: its own line, before the bot
    starts on the case (a form's next question after the e-mail matched, the read-back of a first
    message). Once per flow like any apology; True when said."""
    key = feeling(tracker.events, settings.EMPATHY_THRESHOLD)
    if key not in ("grief", "worry", "anger") or said_now(dispatcher, key):
        return False
    dispatcher.utter_message(text=facts().text("emotions", key, register(tracker)))
    return True


def said_now(dispatcher: CollectingDispatcher, key: str) -> bool:
    """The feeling's line is among this action's messages already: two steps of one form run (the
    read-back of the first message, the e-mail question) both start on the case (held-out run 7, d28)."""
    variants = (facts().raw.get("emotions") or {}).get(key) or {}
    lines = {v for vs in variants.values() for v in (vs if isinstance(vs, list) else [vs])}
    return any(m.get("text") in lines for m in dispatcher.messages)


def acknowledge_annoyance(dispatcher: CollectingDispatcher, tracker: Tracker) -> bool:
    """Frustration without anger before the verification questions ("wo bleibt mein paket 😤"): the
    topic's acknowledgement comes with the question, not a cheerful "Danke!" (once per flow: the
    facts later are not acknowledged again). True when the flow shows such frustration."""
    if not annoyed(tracker.events, settings.EMPATHY_THRESHOLD):
        return False
    response = acknowledgement(topic_of(tracker), tracker.events, settings.EMPATHY_THRESHOLD)
    if response:
        dispatcher.utter_message(response=response)
    return True


ASKS_AFTER = (
    "grief",
    "worry",
    "anger",
)  # feelings whose line is followed by the question what it is about


def react(dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> bool:
    """The feeling's own line where the bot would otherwise say "nicht verstanden" or its stock
    frustration text (issue 22.7): condolence, safety advice on a suspicious message, thanks for praise,
    an acknowledged anger - then, after grief, worry or anger, what it is about with the topic buttons.
    False when the message shows no such feeling (the caller says what it said before)."""
    key = feeling(tracker.events, settings.EMPATHY_THRESHOLD)
    if not key:
        return False
    reg = register(tracker)
    dispatcher.utter_message(text=facts().text("emotions", key, reg))
    if key in ASKS_AFTER:
        buttons = topic_buttons(domain)
        ask = "ask"
        if tracker.get_slot("handoff_ticket"):  # the team has the matter already: no second offer
            buttons = [b for b in buttons if b.get("payload") != "/request_human"]
        elif key == "anger":  # anger creates nothing by itself: a person is offered, not forced
            ask = "ask_anger"
        dispatcher.utter_message(text=facts().text("emotions", ask, reg), buttons=buttons)
    return True


def topic_buttons(domain: DomainDict) -> List[Dict[str, Any]]:
    """The topic buttons of the fallback (its Sie variant: titles are the same in both registers)."""
    variants = (domain.get("responses") or {}).get("utter_fallback") or []
    plain = [v for v in variants if not v.get("condition")]
    return list((plain or [{}])[0].get("buttons") or [])


def remember(tracker: Tracker, done: str) -> SlotSet:
    """Append to the list of things the bot did; the handoff summary shows it."""
    history: List[str] = list(tracker.get_slot("bot_actions") or [])
    return SlotSet("bot_actions", (history + [done])[-10:])


def topic_label(topic: str | None) -> str | None:
    if not topic:
        return None
    return TOPIC_LABELS.get(topic.split("/")[0], topic)


async def verified_order(tracker: Tracker, fresh: bool = False) -> shop.Order | None:
    """The order whose e-mail the customer has confirmed, else None. `fresh`: as the shop has it
    now, not from this conversation's read cache (before a write). Raises ShopUnavailable."""
    order_id = shop.normalize_order_id(tracker.get_slot("order_id"))
    if not order_id or tracker.get_slot("verified_order") != order_id:
        return None
    if fresh:
        return await shop.fresh_order(order_id, tracker)
    return await shop.tracked_order(order_id, tracker)


def faq_response_key(tracker: Tracker) -> str | None:
    """The ResponseSelector's choice for the latest message, e.g. 'faq/shipping_costs'."""
    selector = (tracker.latest_message or {}).get("response_selector") or {}
    return ((selector.get("faq") or {}).get("response") or {}).get("intent_response_key")
