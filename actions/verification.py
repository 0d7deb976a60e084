"""Forms that need an order number and the matching e-mail before revealing anything.

Verification resists guessing: every comparison of an e-mail with an order number counts, a
failure is recorded in the shop database against the order number, the conversation's sender id
and the hub's `client` (hashed client IP, from the message metadata) - so neither /restart nor a
new conversation resets it - and too many failures within the window pause verification of that
order / by that client. An unknown order number and a wrong e-mail get the same answer.
"""

from __future__ import annotations

import hashlib
import math
import re
from datetime import datetime, timedelta
from enum import Enum
from typing import Any, Dict, List

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import FormValidationAction
from rasa_sdk.types import DomainDict

from actions import settings, shop
from actions.common import facts, register

EMAIL = re.compile(r"^[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}$")
RETURN_MODES = {
    "refund": ("geld", "erstatt", "refund", "zurück", "zuruck"),
    "exchange": ("umtausch", "tausch", "exchange", "andere größe", "andere farbe"),
}


class Verdict(Enum):
    MATCH = "match"
    NO_MATCH = "no_match"  # unknown order number or wrong e-mail: deliberately one outcome
    LOCKED = "locked"


def now() -> datetime:
    """The lockout's clock: naive UTC like the shop's other timestamps (tests move it)."""
    return datetime.utcnow()


def _window() -> timedelta:
    return timedelta(seconds=settings.VERIFY_WINDOW_SECONDS)


def _lock() -> timedelta:
    return timedelta(seconds=settings.VERIFY_LOCK_SECONDS)


def _hashed(value: str) -> str:
    return hashlib.sha256(value.encode("utf-8")).hexdigest()


def client_of(tracker: Tracker) -> str | None:
    """The hub's `client` id of the latest message. Rasa keeps a message's metadata on its user
    event (not in `latest_message`); the session's first metadata is the fallback."""
    candidates = [(tracker.get_last_event_for("user") or {}).get("metadata"),
                  (tracker.latest_message or {}).get("metadata"), tracker.get_slot("session_started_metadata")]
    for metadata in candidates:
        if isinstance(metadata, dict) and metadata.get("client"):
            return str(metadata["client"])
    return None


def subjects(tracker: Tracker, order_id: str) -> List[shop.Subject]:
    """What an attempt on `order_id` counts against: the order number, the sender, the client."""
    found: List[shop.Subject] = [("order", order_id), ("sender", _hashed(str(tracker.sender_id or "")))]
    client = client_of(tracker)
    if client:
        found.append(("client", _hashed(client)))
    return found


def locked_until(who: List[shop.Subject], moment: datetime) -> datetime | None:
    """End of the lock on any of the subjects, None when none is locked at `moment`.

    A subject is locked for the lock time after the failure that made `limit` failures within the
    window. Attempts while locked are refused before comparing anything and are not recorded, so a
    lock ends on time however often someone keeps trying.
    """
    window, lock = _window(), _lock()
    until: datetime | None = None
    for subject in who:
        limit = max(1, settings.VERIFY_ORDER_LIMIT if subject[0] == "order" else settings.VERIFY_CLIENT_LIMIT)
        times = shop.verify_failure_times(subject, since=moment - window - lock)
        for first, last in zip(times, times[limit - 1:]):
            if last - first <= window and (until is None or last + lock > until):
                until = last + lock
    return until if until is not None and until > moment else None


def attempt(tracker: Tracker, order_id: str, email: str) -> Verdict:
    """One verification of `email` against `order_id`; a failure counts whether or not the order exists."""
    moment = now()
    who = subjects(tracker, order_id)
    if locked_until(who, moment):
        return Verdict.LOCKED
    order = shop.find_order(order_id)
    if order is not None and shop.email_matches(order, email):
        shop.clear_verify_failures(("order", order_id))  # whoever knows the e-mail needs no guessing
        return Verdict.MATCH
    shop.record_verify_failure(who, moment, prune_before=moment - _window() - _lock())
    return Verdict.LOCKED if locked_until(who, moment) else Verdict.NO_MATCH


def paused(tracker: Tracker, dispatcher: CollectingDispatcher, order_id: str) -> Dict[str, Any]:
    """Say verification is paused; the form then gives up and its submit action offers a human."""
    moment = now()
    until = locked_until(subjects(tracker, order_id), moment) or moment + _lock()
    minutes = max(1, math.ceil((until - moment).total_seconds() / 60))
    dispatcher.utter_message(text=facts().notice("verify_paused", register(tracker), minutes=minutes))
    return {"email": None, "verified_order": None, "verify_attempts": settings.MAX_VERIFY_ATTEMPTS}


def check_email(order_id: str, email: str, tracker: Tracker, dispatcher: CollectingDispatcher) -> Dict[str, Any]:
    """Slot updates after comparing an e-mail with an order number (known or not: same answer)."""
    verdict = attempt(tracker, order_id, email)
    if verdict is Verdict.MATCH:
        return {"email": email.strip().lower(), "verified_order": order_id}
    if verdict is Verdict.LOCKED:
        return paused(tracker, dispatcher, order_id)
    attempts = int(tracker.get_slot("verify_attempts") or 0) + 1
    if attempts < settings.MAX_VERIFY_ATTEMPTS:
        dispatcher.utter_message(text=facts().notice("verify_no_match", register(tracker)))
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
        # Only the format is checked here: whether the number exists shows after the e-mail,
        # in the same answer as a wrong e-mail.
        order_id = shop.normalize_order_id(value)
        if order_id is None:
            dispatcher.utter_message(response="utter_invalid_order_id")
            return {"order_id": None}
        slots: Dict[str, Any] = {"order_id": order_id}
        email = tracker.get_slot("email")
        if tracker.get_slot("verified_order") == order_id or "email" in tracker.slots_to_validate():
            return slots  # already verified, or validate_email compares the two in this turn
        if email:
            # An e-mail from earlier in the chat must match this order too, and that check counts.
            # On a mismatch the form quietly asks for the e-mail (same for an unknown number).
            verdict = attempt(tracker, order_id, str(email))
            if verdict is Verdict.MATCH:
                return {**slots, "verified_order": order_id}
            if verdict is Verdict.LOCKED:
                return {**slots, **paused(tracker, dispatcher, order_id)}
            attempts = int(tracker.get_slot("verify_attempts") or 0) + 1
            return {**slots, "email": None, "verified_order": None, "verify_attempts": attempts}
        if locked_until(subjects(tracker, order_id), now()):
            return {**slots, **paused(tracker, dispatcher, order_id)}  # don't ask for an e-mail in vain
        return slots

    def validate_email(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[str, Any]:
        email = str(value or "").strip()
        if not EMAIL.match(email):
            dispatcher.utter_message(response="utter_invalid_email")
            return {"email": None}
        order_id = shop.normalize_order_id(tracker.get_slot("order_id"))
        if order_id is None:
            return {"email": email.lower()}  # checked once the order number comes
        return check_email(order_id, email, tracker, dispatcher)


class ValidateVerifyForm(OrderFormValidation):
    form = "verify_form"


class ValidateReturnForm(OrderFormValidation):
    form = "return_form"

    async def required_slots(
        self, domain_slots: List[str], dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[str]:
        slots = await super().required_slots(domain_slots, dispatcher, tracker, domain)
        order_id = shop.normalize_order_id(tracker.get_slot("order_id"))
        order = shop.find_order(order_id) if order_id and tracker.get_slot("verified_order") == order_id else None
        if order is not None and order.status not in (shop.DELIVERED, shop.SHIPPED):
            # Not on its way yet: no reason to ask why; the submit offers cancelling instead.
            return [s for s in slots if s not in ("return_reason", "return_mode")]
        return slots

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
