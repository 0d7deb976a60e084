"""Returns, exchanges and complaints: they create records in the shop backend."""

from __future__ import annotations

from typing import List

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions import shop
from actions.common import empathize, facts, register, remember, verified_order
from actions.orders import ActionHandleVerified
from actions.verification import asks_return_status, start_text, unverified

CLEAR = ["return_reason", "return_mode", "complaint_details"]


def cleared() -> List[EventType]:
    return [SlotSet(name, None) for name in CLEAR] + [SlotSet("verify_attempts", 0)]


class ActionCreateReturn(Action):
    def name(self) -> str:
        return "action_create_return"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        order = verified_order(tracker)
        if order is None:
            return cleared() + unverified(dispatcher, tracker)
        if asks_return_status(start_text(tracker)):
            return cleared() + ActionHandleVerified().return_status(order, dispatcher, tracker)
        if order.status not in (shop.DELIVERED, shop.SHIPPED):
            dispatcher.utter_message(response="utter_return_not_possible", order_id=order.id)
            return cleared() + [
                remember(tracker, f"Rücksendung {order.id} nicht möglich (noch nicht zugestellt)")
            ]
        mode = tracker.get_slot("return_mode") or "refund"
        ret = shop.create_return(
            order.id,
            str(tracker.get_slot("return_reason") or ""),
            mode,
            conversation=tracker.sender_id,
        )
        dispatcher.utter_message(
            response="utter_return_created",
            return_ref=ret.reference,
            label_ref=ret.label_reference,
            mode_text=facts().notice(f"return_{mode}", register(tracker)),
        )
        return cleared() + [
            remember(tracker, f"Rücksendung {ret.reference} ({mode}) für {order.id} angelegt")
        ]


class ActionCreateComplaint(Action):
    def name(self) -> str:
        return "action_create_complaint"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        order = verified_order(tracker)
        if order is None:
            return cleared() + unverified(dispatcher, tracker)
        empathize(dispatcher, tracker)
        ticket = shop.create_ticket(
            order.id,
            "complaint",
            str(tracker.get_slot("complaint_details") or ""),
            conversation=tracker.sender_id,
        )
        dispatcher.utter_message(response="utter_complaint_created", ticket_ref=ticket.reference)
        return cleared() + [
            remember(tracker, f"Reklamation {ticket.reference} für {order.id} angelegt")
        ]
