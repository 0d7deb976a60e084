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
from bot.shop.model import Capability

CLEAR = ["return_reason", "return_mode", "complaint_details"]


def cleared() -> List[EventType]:
    return [SlotSet(name, None) for name in CLEAR] + [SlotSet("verify_attempts", 0)]


class ActionCreateReturn(Action):
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
        if order.status not in (shop.DELIVERED, shop.SHIPPED):
            dispatcher.utter_message(response="utter_return_not_possible", order_id=order.id)
            return cleared() + [
                remember(tracker, f"Rücksendung {order.id} nicht möglich (noch nicht zugestellt)")
            ]
        if not shop.supports(Capability.CREATE_RETURN):
            return cleared() + shop.not_here(dispatcher, tracker, Capability.CREATE_RETURN)
        mode = tracker.get_slot("return_mode") or "refund"
        ret = await shop.create_return(
            order, str(tracker.get_slot("return_reason") or ""), mode, tracker
        )
        # Only a shop that issues the label itself may promise it: elsewhere the team approves first.
        dispatcher.utter_message(
            response="utter_return_created" if ret.label_reference else "utter_return_requested",
            return_ref=ret.reference,
            mode_text=facts().notice(f"return_{mode}", register(tracker)),
        )
        return cleared() + [
            remember(tracker, f"Rücksendung {ret.reference} ({mode}) für {order.id} angelegt")
        ]


class ActionCreateComplaint(Action):
    def name(self) -> str:
        return "action_create_complaint"

    @shop.guarded
    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        order = await verified_order(tracker)
        if order is None:
            return cleared() + unverified(dispatcher, tracker)
        empathize(dispatcher, tracker)
        if not shop.supports(Capability.TICKETS):
            return cleared() + shop.not_here(dispatcher, tracker, Capability.TICKETS)
        ticket = await shop.create_ticket(
            order, "complaint", str(tracker.get_slot("complaint_details") or ""), tracker
        )
        dispatcher.utter_message(response="utter_complaint_created", ticket_ref=ticket.reference)
        return cleared() + [
            remember(tracker, f"Reklamation {ticket.reference} für {order.id} angelegt")
        ]
