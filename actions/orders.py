"""Verified order requests: status, cancellation, address change, invoice, payment."""

from __future__ import annotations

from datetime import datetime
from typing import List

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions import shop
from actions.cancellation import offer_address, offer_cancel
from actions.common import empathize, remember, verified_order
from kundendialog.core.pending import task_event

STATUS_LABELS = {
    shop.PROCESSING: "in Bearbeitung", shop.SHIPPED: "versandt", shop.DELIVERED: "zugestellt",
    shop.CANCELLED: "storniert",
}


def day(moment: datetime | None) -> str:
    return f"{moment:%d.%m.%Y}" if moment else "–"


def status_text(order: shop.Order) -> str:
    """Register-neutral description of where an order is."""
    if order.status == shop.PROCESSING:
        return (f"Das Paket wird gerade gepackt und verlässt unser Lager in Kürze. "
                f"Geplante Zustellung: {day(order.expected_delivery)}.")
    if order.status == shop.SHIPPED:
        return (f"Das Paket ist seit dem {day(order.shipped_at)} mit {order.carrier} unterwegs, Sendungsnummer "
                f"{order.tracking_number}. Voraussichtliche Zustellung: {day(order.expected_delivery)}.")
    if order.status == shop.DELIVERED:
        return f"Das Paket wurde am {day(order.delivered_at)} an {order.shipping_address} zugestellt."
    return "Die Bestellung wurde storniert."


# Payment states the shop may report besides those payment_text explains: never the raw code to customers.
PAYMENT_LABELS = {
    "authorized": "Die Zahlung ist autorisiert und wird beim Versand abgebucht.",
    "failed": "Die Zahlung ist leider nicht durchgegangen. Ein Kollege aus der Buchhaltung hilft gern weiter.",
    "chargeback": "Zu dieser Bestellung gibt es eine Rückbuchung – das klärt ein Kollege aus der Buchhaltung.",
    "partially_refunded": "Ein Teil des Betrags wurde bereits erstattet.",
}
UNKNOWN_PAYMENT = "Den Stand der Zahlung kann ich gerade nicht eindeutig sagen – ein Kollege aus der Buchhaltung prüft das gern."


def payment_text(order: shop.Order) -> str:
    amount = shop.euro(order.total_cents)
    return {
        "paid": f"Die Zahlung per {order.payment_method} über {amount} ist bei uns eingegangen – alles in Ordnung.",
        "open": f"Die Zahlung per {order.payment_method} über {amount} ist offen und erst nach Erhalt der Rechnung fällig.",
        "pending": f"Die Zahlung per {order.payment_method} über {amount} ist noch nicht eingegangen. "
                   f"Verwendungszweck bei der Überweisung: {order.id}.",
        "refund_pending": f"Die Erstattung über {amount} ist veranlasst und kommt in 3–5 Werktagen an.",
        "refunded": f"Die Erstattung über {amount} wurde bereits ausgezahlt.",
        "double_charged": f"Ich sehe zu dieser Bestellung eine doppelte Abbuchung über {amount}.",
    }.get(order.payment_status, PAYMENT_LABELS.get(order.payment_status, UNKNOWN_PAYMENT))


class ActionHandleVerified(Action):
    """Answers the request that started `verify_form`, once the e-mail matched."""

    def name(self) -> str:
        return "action_handle_verified"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        order = verified_order(tracker)
        if order is None:
            dispatcher.utter_message(response="utter_verification_failed")
            return [SlotSet("verify_attempts", 0), SlotSet("email", None), remember(tracker, "E-Mail-Prüfung fehlgeschlagen")]
        empathize(dispatcher, tracker)
        # The task that started the form, not the latest topic: an FAQ question in between
        # must not turn a cancellation into an order status.
        topic = task_event(tracker.events)[0] or "order_status"
        handler = {
            "cancel_order": self.cancel, "invoice_request": self.invoice, "payment_issue": self.payment,
        }.get(topic, self.status)
        return [SlotSet("order_status", STATUS_LABELS.get(order.status)), SlotSet("verify_attempts", 0)] + handler(
            order, dispatcher, tracker)

    def status(self, order: shop.Order, dispatcher: CollectingDispatcher, tracker: Tracker) -> List[EventType]:
        dispatcher.utter_message(response="utter_order_status", order_id=order.id, items=shop.item_names(order),
                                 status_text=status_text(order))
        return [remember(tracker, f"Status von {order.id} genannt ({STATUS_LABELS[order.status]})")]

    def cancel(self, order: shop.Order, dispatcher: CollectingDispatcher, tracker: Tracker) -> List[EventType]:
        """Never cancels here: answers by the order's state and asks (actions/cancellation.py)."""
        request = (task_event(tracker.events)[1] or {}).get("text") or ""
        return [SlotSet("task", "cancel_order")] + offer_cancel(order, str(request), dispatcher, tracker)

    def invoice(self, order: shop.Order, dispatcher: CollectingDispatcher, tracker: Tracker) -> List[EventType]:
        dispatcher.utter_message(response="utter_invoice_sent", order_id=order.id, invoice_no=order.invoice_number,
                                 amount=shop.euro(order.total_cents))
        return [remember(tracker, f"Rechnung {order.invoice_number} gesendet")]

    def payment(self, order: shop.Order, dispatcher: CollectingDispatcher, tracker: Tracker) -> List[EventType]:
        dispatcher.utter_message(response="utter_payment_status", order_id=order.id, payment_text=payment_text(order))
        events: List[EventType] = [remember(tracker, f"Zahlungsstatus {order.id}: {order.payment_status}")]
        if order.payment_status == "double_charged":
            dispatcher.utter_message(response="utter_payment_escalate")
            events += [SlotSet("handoff_reason", "bot_cannot_act"), FollowupAction("action_handoff")]
        return events


class ActionChangeAddress(Action):
    def name(self) -> str:
        return "action_change_address"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        order = verified_order(tracker)
        if order is None:
            dispatcher.utter_message(response="utter_verification_failed")
            return [SlotSet("verify_attempts", 0), SlotSet("new_address", None)]
        # Asks before changing; the "ja" is carried out by actions/answers.py.
        return offer_address(order, dispatcher, tracker)

