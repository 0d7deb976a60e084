"""Cancelling an order and changing its address: say what will happen, act only on "ja".

Both change an order for good, so after verification the bot names the order and its items and
asks; actions/answers.py carries out the "ja". "Kann ich noch stornieren?" gets the answer
(possible or not, and why) plus the offer, never the cancellation itself. Cancelling single items
is something only a human can do: it goes to the team with the customer's words.
"""

from __future__ import annotations

import re
from typing import List

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import followups, refund_missing, shop, undo
from actions.cases import in_shop_words
from actions.common import STATUS_LABELS, day, english, facts, register, remember, verified_order
from actions.payment_facts import (
    awaits_prepayment,
    cancel_payment_text,
    kept_text,
    payment_deadline,
)
from bot.dialogue import address_fix
from bot.dialogue.hesitation import hesitant_question
from bot.dialogue.pending import task_event
from bot.dialogue.questions import fears_cancellation
from bot.dialogue.yes_no import changed_before
from bot.shop.backend import NotAllowed, NotSupported, ShopConfigError, ShopError, ShopUnavailable
from bot.shop.model import Capability

REFUND_STATES = ("refund_pending", "refunded")  # a cancelled order whose money is on its way back
# "nur die Handschuhe", "einen Artikel", "einzelne Teile", "den Rest behalten"; in English "only the
# gloves", "just one item", "single items", "keep the rest".
PARTIAL = re.compile(
    r"\b(nur (die|den|das|der|ein|eine|einen|eines|\d|zwei|drei)|einzeln\w*|teilweise|teil der|"
    r"einen artikel|ein artikel|eines der|einen der|der rest|den rest|restliche\w*|"
    r"(?:only|just) (?:the|one|\d|two|three)(?! (?:whole |entire )?order)|single items?|individual items?|one of the items|"
    r"some of the items|part of the order|keep the rest)\b",
    re.IGNORECASE,
)
# "Kann ich noch stornieren?", "Ist eine Stornierung möglich?", "Geht das noch?".
QUESTION = re.compile(
    r"\?|^\s*(kann|könnte|koennte|geht|ginge|ist|wäre|waere|darf|lässt|laesst)\b|möglich|moeglich|"
    r"zu spät|zu spaet",
    re.IGNORECASE,
)


# "die Bestellung rückgängig machen", "die ganze Bestellung", "alles stornieren": the whole order,
# even when an item is named on the way ("Mein Mann hat eine Daunenjacke bestellt … ich möchte die
# Bestellung rückgängig machen", persona run 2 d05).
WHOLE = re.compile(
    r"\b(?:die|meine|seine|ihre|deren|unsere|diese|ganze|gesamte|komplette)\s+"
    r"(?:ganze\s+|gesamte\s+|komplette\s+)?bestellung\b(?!\s+\d*\s*(?:behalt|lass))|"
    r"\balles\s+(?:stornier|rückgängig|zurück|canceln)|"
    # "cancel my whole order", "the entire order", "cancel everything"
    r"(?:\b(?:my|the|this|whole|entire|complete)\s+(?:whole\s+|entire\s+|complete\s+)?|"
    r"\bcancel\w*\s+)order\b"
    r"(?!\s+\d*\s*(?:but|except|apart))|\bcancel\s+(?:everything|it\s+all|all\s+of\s+it)\b",
    re.IGNORECASE,
)


def is_partial(text: str, order: shop.Order, in_english: bool = False) -> bool:
    """Whether the customer wants only some of the items cancelled ("nur die Handschuhe", "just the
    bottle, I keep the tent"), not an item named while asking to cancel the whole order."""
    if PARTIAL.search(text or ""):
        return True
    if len(order.items) < 2 or WHOLE.search(text or ""):
        return False
    # an English customer's "the tent" names "Zelt Trekker 2" (German "hat" is no hat)
    low = in_shop_words(text) if in_english else (text or "").lower()
    named = [item for item in order.items if item.name.split()[0].lower() in low]
    return 0 < len(named) < len(order.items)


def asks_whether(text: str) -> bool:
    """A question whether cancelling is possible, rather than the instruction to cancel."""
    return bool(QUESTION.search(text or ""))


def offer_cancel(
    order: shop.Order, request: str, dispatcher: CollectingDispatcher, tracker: Tracker
) -> List[EventType]:
    """Answer a cancellation request by the order's state; a possible one ends with the confirmation question."""
    if not shop.supports(Capability.CANCEL):
        return shop.not_here(dispatcher, tracker, Capability.CANCEL)
    if order.status == shop.CANCELLED:
        if undo.asks_undo(request):  # "ich will die Stornierung rückgängig machen"
            return undo.cannot_undo(dispatcher, tracker)
        if order.payment_status in REFUND_STATES:  # "wann kommt mein Geld?": the refund and its way
            from actions.orders import payment_text  # orders imports this module

            dispatcher.utter_message(
                text=f"Die Bestellung {order.id} ist bereits storniert. "
                + payment_text(order, register(tracker))
            )
            # "… storniert, owa des Göld is no ned do" (held-out run 7, d06): what to do if it has not come
            if refund_missing.misses_money(request):
                dispatcher.utter_message(text=refund_missing.money_missing_text(tracker))
            else:
                dispatcher.utter_message(response="utter_anything_else")
            told = refund_missing.told_note(order.id)
            return [remember(tracker, f"{order.id} war schon storniert ({told})")]
        dispatcher.utter_message(response="utter_cancel_already", order_id=order.id)
        return [remember(tracker, f"{order.id} war schon storniert")]
    if order.status == shop.DELIVERED:
        dispatcher.utter_message(response="utter_cancel_not_possible_delivered", order_id=order.id)
        return [remember(tracker, f"Storno {order.id} nicht möglich (bereits zugestellt)")]
    if order.status != shop.PROCESSING:
        dispatcher.utter_message(response="utter_cancel_not_possible", order_id=order.id)
        return [remember(tracker, f"Storno {order.id} nicht möglich (bereits versandt)")]
    asked = not_a_request(order, request, dispatcher, tracker)
    if asked is not None:
        return asked
    if is_partial(request, order, english(tracker)):
        dispatcher.utter_message(response="utter_cancel_partial", order_id=order.id)
        return [
            remember(tracker, f"Teilstornierung für {order.id} gewünscht: „{request.strip()}“"),
            SlotSet("handoff_reason", "bot_cannot_act"),
            FollowupAction("action_handoff"),
        ]
    if asks_whether(request):
        dispatcher.utter_message(response="utter_cancel_possible", order_id=order.id)
    dispatcher.utter_message(
        response="utter_confirm_cancel", order_id=order.id, items=shop.item_names(order)
    )
    return [remember(tracker, f"Storno von {order.id} angeboten")]


def not_a_request(
    order: shop.Order, request: str, dispatcher: CollectingDispatcher, tracker: Tracker
) -> List[EventType] | None:
    """A message read as a cancellation that asks instead (held-out persona run 4): "Will my order
    be cancelled automatically if I don't pay?" gets the payment deadline (d25), "dann storniere ich
    … oder wart - käme das Zelt dann noch bis Freitag?" the delivery facts and the question whether
    to cancel (d06) - never a cancellation, a partial one or a handoff. None: a request."""
    deadline = payment_deadline(order) if awaits_prepayment(order) else None
    if deadline is not None and fears_cancellation(request):
        dispatcher.utter_message(
            text=facts().notice("prepayment_no_cancel_yet", register(tracker), date=day(deadline))
        )
        return [
            remember(tracker, f"Frage nach automatischer Stornierung von {order.id} beantwortet")
        ]
    question = hesitant_question(request)
    if question is None:
        return None
    from actions.orders import status_in  # orders imports this module

    dispatcher.utter_message(
        response="utter_order_status",
        order_id=order.id,
        items=shop.item_names(order),
        status_text=status_in(order, english(tracker)),
    )
    dispatcher.utter_message(
        response="utter_confirm_cancel", order_id=order.id, items=shop.item_names(order)
    )
    return [
        remember(tracker, f"Storno von {order.id} gezögert: „{question}“ - Lieferstand genannt"),
    ]


async def do_cancel(dispatcher: CollectingDispatcher, tracker: Tracker) -> List[EventType]:
    """The customer said yes: cancel if the order is still verified and in processing (as the
    shop has it now). A shop that is down or cannot cancel gets the honest answer."""
    try:
        order = await verified_order(tracker, fresh=True)
        if order is None:
            dispatcher.utter_message(response="utter_verification_failed")
            return []
        if order.status != shop.PROCESSING:  # changed since the question: answer by the new state
            return offer_cancel(order, "", dispatcher, tracker)
        try:
            await shop.cancel(order, tracker)
        except NotAllowed:  # shipped between our read and the write
            changed = await verified_order(tracker, fresh=True)
            return offer_cancel(changed or order, "", dispatcher, tracker)
    except NotSupported as missing:
        return shop.not_here(dispatcher, tracker, missing.capability)
    except (ShopUnavailable, ShopConfigError):
        return shop.unavailable(dispatcher, tracker)
    dispatcher.utter_message(response="utter_cancel_done", order_id=order.id)
    # what it means for the money follows the payment state the order had (persona run 2)
    dispatcher.utter_message(text=cancel_payment_text(order, register(tracker)))
    dispatcher.utter_message(response="utter_anything_else")
    return [
        SlotSet("order_status", STATUS_LABELS[shop.CANCELLED]),
        remember(tracker, f"{order.id} storniert"),
    ]


async def keep_order(dispatcher: CollectingDispatcher, tracker: Tracker) -> List[EventType]:
    """ "Nein" to the cancellation: the order stays - an unpaid prepayment order ships only once the
    money is there, so it is not promised "wie geplant" (held-out persona run 3, d24)."""
    order_id = shop.normalize_order_id(tracker.get_slot("order_id")) or ""
    try:
        order = await verified_order(tracker)
    except ShopError:
        order = None  # the plain "bleibt bestehen" still holds
    kept = kept_text(order, register(tracker))
    if kept:
        dispatcher.utter_message(text=kept)
    else:
        dispatcher.utter_message(response="utter_cancel_kept", order_id=order_id)
    return [remember(tracker, f"Storno von {order_id} nicht gewünscht")]


def offer_address(
    order: shop.Order,
    dispatcher: CollectingDispatcher,
    tracker: Tracker,
    address: str | None = None,
) -> List[EventType]:
    """Answer an address change by the order's state; a possible one ends with the confirmation
    question (for `address`, else the slot's)."""
    events: List[EventType] = [SlotSet("order_status", STATUS_LABELS[order.status])]
    if not shop.supports(Capability.CHANGE_ADDRESS):
        return (
            events
            + [SlotSet("new_address", None)]
            + shop.not_here(dispatcher, tracker, Capability.CHANGE_ADDRESS)
        )
    if order.status == shop.CANCELLED:
        dispatcher.utter_message(response="utter_address_cancelled", order_id=order.id)
        return events + [
            SlotSet("new_address", None),
            remember(tracker, f"Adressänderung {order.id}: storniert"),
        ]
    if order.status == shop.DELIVERED:
        dispatcher.utter_message(
            response="utter_address_after_delivery",
            order_id=order.id,
            date=day(order.delivered_at),
            address=str(order.shipping_address),
        )
        return events + [
            SlotSet("new_address", None),
            remember(tracker, f"Adressänderung {order.id} zu spät (zugestellt)"),
        ]
    if order.status != shop.PROCESSING:
        dispatcher.utter_message(
            response="utter_address_too_late",
            order_id=order.id,
            tracking=order.tracking_number or "–",
        )
        if asks_when(tracker):  # "Wann kommt sie an, und kann ich sie umleiten?": both answered
            dispatcher.utter_message(text=followups.delivery_text(order, followups.today()))
        return events + [
            SlotSet("new_address", None),
            remember(tracker, f"Adressänderung {order.id} zu spät (versandt)"),
        ]
    address = address or str(tracker.get_slot("new_address") or "")
    dispatcher.utter_message(
        response="utter_confirm_address", order_id=order.id, new_address=address
    )
    return events + [remember(tracker, f"Adressänderung von {order.id} angeboten")]


def asks_when(tracker: Tracker) -> bool:
    """The message that started the address change also asks when the order comes (its words or its
    other requests, bot/rasa_plugins/clauses.py): the answer says the delivery day too."""
    if register(tracker) == "en":  # the delivery text is German (no mixed-language answer)
        return False
    start = task_event(tracker.events)[1] or {}
    others = (start.get("parse_data") or {}).get("other_requests") or []
    return bool(followups.DELIVERY_WHEN.search(str(start.get("text") or ""))) or any(
        other.get("intent") == "order_status" for other in others
    )


async def do_address(dispatcher: CollectingDispatcher, tracker: Tracker) -> List[EventType]:
    """The customer said yes: change the address if the order is still verified and in processing."""
    address = str(tracker.get_slot("new_address") or "")
    try:
        order = await verified_order(tracker, fresh=True)
        if order is None or not address:
            dispatcher.utter_message(response="utter_verification_failed")
            return [SlotSet("new_address", None)]
        if order.status != shop.PROCESSING:
            return offer_address(order, dispatcher, tracker)
        try:
            await shop.change_address(order, address, tracker)
        except NotAllowed:
            changed = await verified_order(tracker, fresh=True)
            return offer_address(changed or order, dispatcher, tracker)
    except NotSupported as missing:
        return [SlotSet("new_address", None)] + shop.not_here(
            dispatcher, tracker, missing.capability
        )
    except (ShopUnavailable, ShopConfigError):
        return shop.unavailable(dispatcher, tracker)
    dispatcher.utter_message(
        response="utter_address_changed", order_id=order.id, new_address=address
    )
    if asks_when(
        tracker
    ):  # "…, und wann wird sie dann geliefert?" (22.5; not queued when the form started)
        dispatcher.utter_message(text=followups.delivery_text(order, followups.today()))
    dispatcher.utter_message(response="utter_anything_else")
    return [
        SlotSet("new_address", None),
        remember(tracker, f"Lieferadresse von {order.id} geändert"),
    ]


async def correct_address(dispatcher: CollectingDispatcher, tracker: Tracker) -> List[EventType]:
    """A correction at the address confirmation ("nicht Kehrwieder 5, sondern 7", "SIEBEN, nicht
    fünf", "bitte mit c/o …", a whole new address): the corrected address replaces the pending one
    and is confirmed again - the old one is never offered for the yes. A correction that names no
    new value ("die Adresse stimmt nicht") asks for the address again."""
    text = str((tracker.latest_message or {}).get("text") or "")
    # right after a change the address just set is the one corrected (held-out run 8, e17/e27)
    current = str(tracker.get_slot("new_address") or "") or changed_before(tracker.events)
    fixed = address_fix.corrected(current, text)
    if fixed is None:
        dispatcher.utter_message(response="utter_correction_ack")
        return [SlotSet("new_address", None), FollowupAction("address_form")]
    try:
        order = await verified_order(tracker, fresh=True)
    except (ShopUnavailable, ShopConfigError):
        return shop.unavailable(dispatcher, tracker)
    if order is None:
        dispatcher.utter_message(response="utter_verification_failed")
        return [SlotSet("new_address", None)]
    care = address_fix.CARE_OF.search(fixed)
    if fixed == current and care:
        # "Und wo ist „bei Krüger“?" at "c/o Krüger, …": it is there - say so, not the same text only
        name = next(g for g in care.groups() if g).strip()
        dispatcher.utter_message(
            text=facts().notice("address_care_of", register(tracker), name=name)
        )
    return [SlotSet("new_address", fixed)] + offer_address(order, dispatcher, tracker, fixed)


def keep_address(dispatcher: CollectingDispatcher, tracker: Tracker) -> List[EventType]:
    order_id = shop.normalize_order_id(tracker.get_slot("order_id")) or ""
    dispatcher.utter_message(response="utter_address_kept", order_id=order_id)
    return [
        SlotSet("new_address", None),
        remember(tracker, f"Adressänderung von {order_id} nicht gewünscht"),
    ]
