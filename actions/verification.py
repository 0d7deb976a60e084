"""Forms that need an order number and the matching e-mail before revealing anything."""

from __future__ import annotations

import re
from typing import Any, Dict, List

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import FormValidationAction
from rasa_sdk.types import DomainDict

from actions import settings, shop

EMAIL = re.compile(r"^[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}$")
RETURN_MODES = {
    "refund": ("geld", "erstatt", "refund", "zurück", "zuruck"),
    "exchange": ("umtausch", "tausch", "exchange", "andere größe", "andere farbe"),
}


def check_email(order: shop.Order, email: str, tracker: Tracker, dispatcher: CollectingDispatcher) -> Dict[str, Any]:
    """Slot updates after comparing an e-mail with the order's customer."""
    if shop.email_matches(order, email):
        return {"email": email.strip().lower(), "verified_order": order.id}
    attempts = int(tracker.get_slot("verify_attempts") or 0) + 1
    if attempts < settings.MAX_VERIFY_ATTEMPTS:
        dispatcher.utter_message(response="utter_email_mismatch")
    return {"email": None, "verify_attempts": attempts, "verified_order": None}


class OrderFormValidation(FormValidationAction):
    """Validates order_id and email; subclasses add their own slots."""

    form: str = "verify_form"

    def name(self) -> str:
        return f"validate_{self.form}"

    async def required_slots(
        self, domain_slots: List[str], dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[str]:
        if int(tracker.get_slot("verify_attempts") or 0) >= settings.MAX_VERIFY_ATTEMPTS:
            return []  # give up; the submit action explains and offers a human
        return domain_slots

    def validate_order_id(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[str, Any]:
        order_id = shop.normalize_order_id(value)
        order = shop.find_order(order_id) if order_id else None
        if order is None:
            dispatcher.utter_message(response="utter_invalid_order_id")
            return {"order_id": None}
        slots: Dict[str, Any] = {"order_id": order.id}
        email = tracker.get_slot("email")
        fresh = tracker.slots_to_validate()
        if tracker.get_slot("verified_order") != order.id and email and "email" not in fresh:
            # An e-mail from earlier in the chat must match this order too.
            matches = shop.email_matches(order, email)
            slots.update({"verified_order": order.id} if matches else {"email": None, "verified_order": None})
        return slots

    def validate_email(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[str, Any]:
        email = str(value or "").strip()
        if not EMAIL.match(email):
            dispatcher.utter_message(response="utter_invalid_email")
            return {"email": None}
        order_id = shop.normalize_order_id(tracker.get_slot("order_id"))
        order = shop.find_order(order_id) if order_id else None
        if order is None:
            return {"email": email.lower()}
        return check_email(order, email, tracker, dispatcher)


class ValidateVerifyForm(OrderFormValidation):
    form = "verify_form"


class ValidateReturnForm(OrderFormValidation):
    form = "return_form"

    def validate_return_reason(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[str, Any]:
        text = str(value or "").strip()
        return {"return_reason": text if len(text) >= 2 else None}

    def validate_return_mode(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[str, Any]:
        return {"return_mode": parse_return_mode(value)}


def parse_return_mode(value: Any) -> str | None:
    text = str(value or "").strip().lower()
    if text in RETURN_MODES:
        return text
    for mode, words in RETURN_MODES.items():
        if any(w in text for w in words):
            return mode
    return None


class ValidateComplaintForm(OrderFormValidation):
    form = "complaint_form"

    def validate_complaint_details(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[str, Any]:
        text = str(value or "").strip()
        return {"complaint_details": text if len(text) >= 3 else None}


class ValidateAddressForm(OrderFormValidation):
    form = "address_form"

    async def required_slots(
        self, domain_slots: List[str], dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[str]:
        slots = await super().required_slots(domain_slots, dispatcher, tracker, domain)
        order_id = shop.normalize_order_id(tracker.get_slot("order_id"))
        order = shop.find_order(order_id) if order_id and tracker.get_slot("verified_order") == order_id else None
        if order is not None and order.status != shop.PROCESSING:
            return [s for s in slots if s != "new_address"]  # too late: the submit explains why
        return slots

    def validate_new_address(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[str, Any]:
        text = str(value or "").strip()
        if not re.search(r"\d", text) or len(text) < 8:
            dispatcher.utter_message(response="utter_ask_new_address")
            return {"new_address": None}
        return {"new_address": text}
