"""Forms that need an order number and the matching e-mail before revealing anything.

Verification resists guessing: every comparison of an e-mail with an order number counts, a
failure is recorded in the shop database against the order number, the conversation's sender id
and the hub's `client` (keyed hash of the client address, from the message metadata) - so neither
/restart nor a new conversation resets it - and too many failures within the window lock
verification of that order, in that conversation, or from that network. The network's limit is
far above what the customers behind one office or mobile-carrier address fail by honest use
(KD_VERIFY_CLIENT_LIMIT): it stops one source spraying guesses over many orders. A lock is told
as what it is (this chat, this order number, this network) with the time it ends and a human to
turn to, and the handoff summary records it as a lock, not as a failed check. An unknown order
number and a wrong e-mail get the same answer.
"""

from __future__ import annotations

import hashlib
import math
import re
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from enum import Enum
from typing import Any, Callable, Dict, List

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import FormValidationAction
from rasa_sdk.types import DomainDict

from actions import cases, open_request, second_request, settings, shop
from actions.common import facts, feel, register, remember, verified_order
from actions.faq import HUMAN
from bot.dialogue import address_fix
from bot.dialogue.case_kind import DEFECT_WORDS
from bot.dialogue.emotion import ANGER
from bot.dialogue.form_answer import CASE_TASKS, PROTEST, REQUEST, read_answer, switched_request
from bot.dialogue.lead_in import without_lead_in
from bot.dialogue.pending import TASK_INTENTS
from bot.dialogue.ready import only_ready
from bot.dialogue.return_choice import (
    CORRECTION_OPENER,
    bereavement_reason,
    earlier_mode,
    exchange_note,
    reason_text,
    said_return,
)
from bot.shared.contact import EMAIL as EMAIL_IN_TEXT
from bot.shared.wire import MessageMetadata
from bot.shop.backend import NotSupported, ShopConfigError, ShopError, ShopUnavailable
from bot.shop.model import Capability

EMAIL = re.compile(r"^[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}$")
RETURN_MODES = {
    "refund": ("geld", "erstatt", "refund", "zurück", "zuruck"),
    "exchange": ("umtausch", "tausch", "exchange", "andere größe", "andere farbe"),
}


def _activation_index(events: List[Dict[str, Any]]) -> int | None:
    """Index of the event that activated the latest form (an active_loop with a name after none)."""
    found, active = None, None
    for idx, event in enumerate(events):
        if event.get("event") == "active_loop":
            name = event.get("name")
            if name and name != active:
                found = idx
            active = name
    return found


def start_event(tracker: Tracker) -> Dict[str, Any] | None:
    """The user message that started the latest form. While a form is being activated (its
    active_loop event not recorded yet, nothing active) that is the latest user message.

    Not bot.dialogue.pending.task_event: that one is the customer's task (forms started
    from idle by a task intent, or the `task` slot an answer sets without any form); this one is
    whatever message activated the running form, also on a form-to-form switch and before the
    loop is recorded, which `in_start_turn` needs to read the first message exactly once."""
    events = list(tracker.events or [])
    users = [i for i, e in enumerate(events) if e.get("event") == "user"]
    if not users:
        return None
    last_user = users[-1]
    activated = _activation_index(events)
    loop_since = any(e.get("event") == "active_loop" for e in events[last_user + 1 :])
    if activated is not None and (activated > last_user or tracker.active_loop or loop_since):
        before = [i for i in users if i < activated]
        return events[before[-1]] if before else None
    return events[last_user]


def start_text(tracker: Tracker) -> str:
    """Text of the message that started the latest form: what the customer asked for in the first place."""
    return str((start_event(tracker) or {}).get("text") or "")


def form_texts(tracker: Tracker) -> str:
    """What the customer wrote since the message that started the latest form, joined: the items
    named along the way ("die Lampe, den Rucksack behalt ich") count for the summary even when the
    stored reason leaves them out."""
    start = start_event(tracker)
    events = [e for e in tracker.events or [] if e.get("event") == "user"]
    since = events[events.index(start) :] if start in events else events[-1:]
    return " ".join(str(e.get("text") or "") for e in since)


def in_start_turn(tracker: Tracker) -> bool:
    """True while the form handles the message that started it (so the first message is read once)."""
    users = [e for e in tracker.events or [] if e.get("event") == "user"]
    return bool(users) and start_event(tracker) is users[-1]


# --- what the first message already says (read back, not asked again) -------------------------
# The address pattern (any street name, a c/o line kept) lives with the address corrections.
ADDRESS = address_fix.ADDRESS
MAX_READ = 4000  # characters of one message the extractors read (a long letter still fits)


ASKS_STATUS = re.compile(
    r"(?i)\b(?:wann|angekommen|eingegangen|schon\s+da|stand|status|wo\s+(?:ist|bleibt)|noch\s+nicht|"
    r"noch\s+kein)\b"
)


def asks_return_status(text: str) -> bool:
    """'Ist meine Rücksendung angekommen?', 'wann bekomme ich mein Geld für die Retoure?': a status
    question about a return, not a new one (NLU may still call it return_item)."""
    return bool(ASKS_STATUS.search(text)) and not said_return(text).get("return_reason")


def said_complaint(text: str) -> str | None:
    """The defect a first message already describes ("Das Zelt ist mit einem Riss angekommen"),
    without the outbursts around it ("ich bin so sauer echt", "Frechheit!!!"): the team reads the
    defect, and the customer does not see their anger quoted back (persona run 2, d19)."""
    text = text.strip()
    if not (DEFECT_WORDS.search(text) and len(text.split()) >= 4):
        return None
    return without_outbursts(without_lead_in(text))[:500]  # "Legen Sie eine neue an: …"


def without_outbursts(text: str) -> str:
    """The text without its clauses that only vent anger (no defect named in them)."""
    parts = re.split(r"(?<=[.!?,;])\s+", text)
    kept = [p for p in parts if DEFECT_WORDS.search(p) or not ANGER.search(p)]
    return " ".join(kept).strip().rstrip(",;").strip() or text


def said_address(text: str) -> str | None:
    """A new address in the first message ("bitte an Musterstraße 5, 10115 Berlin")."""
    return address_fix.said_address(text[:MAX_READ])


def latest_text(tracker: Tracker) -> str:
    return str((tracker.latest_message or {}).get("text") or "")


MIN_REUSED_WORDS = 4


def form_answer(value: Any, tracker: Tracker, dispatcher: CollectingDispatcher) -> str | None:
    """A free-text form answer (return reason, complaint text, new address), or None when the message
    is no answer (bot/dialogue/form_answer.py): a question (the form's rules answer it), another
    request, or a protest. A protest that restates the value gives that value; a bare protest
    reuses the message that started the form when it says more than the request. The first
    message's values (extract_* above) are taken as read."""
    text = str(value or "").strip()
    if in_start_turn(tracker):
        return text
    intent = (tracker.latest_message or {}).get("intent") or {}
    reading = read_answer(text, intent.get("name"), float(intent.get("confidence") or 0.0))
    if reading.kind == REQUEST:
        dispatcher.utter_message(response="utter_form_answer_later")
    if reading.kind != PROTEST:
        return reading.value
    found = reading.value
    if found is None and len(start_text(tracker).split()) >= MIN_REUSED_WORDS:
        found = start_text(tracker)
    if found is None:
        dispatcher.utter_message(response="utter_form_answer_missing")
    else:
        dispatcher.utter_message(response="utter_form_answer_taken", value=found)
    return found


def invoice_target(tracker: Tracker, email: str) -> bool:
    """'Rechnung bitte an buchhaltung@firma.de': the address is where the invoice goes, not the order's."""
    text = latest_text(tracker)
    return bool(
        re.search(r"(?i)rechnung", text)
        and re.search(
            r"(?i)\b(?:an|auf)\s+(?:die\s+|meine\s+|unsere\s+)?(?:e-?mail(?:-?adresse)?\s+|mail\s+|adresse\s+)?"
            + re.escape(email),
            text,
        )
    )


def untried_email(tracker: Tracker) -> str | None:
    """The latest e-mail address the customer wrote in this chat that never went into a slot: not
    checked against an order nor kept as an invoice target (so a wrong one is never tried twice).
    Held-out persona run 4 (d18, d30): the address left for the team's request was asked again."""
    events = list(tracker.events or [])
    used = {
        str(e.get("value") or "").lower()
        for e in events
        if e.get("event") == "slot" and e.get("name") in ("email", "invoice_email")
    }
    for event in reversed(events):
        if event.get("event") == "session_started":
            break
        if event.get("event") != "user":
            continue
        for found in reversed(EMAIL_IN_TEXT.findall(str(event.get("text") or ""))):
            if found.lower() not in used:
                return found.lower()
    return None


def untried_order_id(tracker: Tracker) -> str | None:
    """The latest order number the customer wrote in this chat that never went into the order slot:
    the number left for the team's request ("es geht um 100240", held-out persona run 6, d21) is
    used when a form needs it, not asked again."""
    events = list(tracker.events or [])
    used = {
        str(e.get("value") or "")
        for e in events
        if e.get("event") == "slot" and e.get("name") == "order_id"
    }
    for event in reversed(events):
        if event.get("event") == "session_started":
            break
        if event.get("event") != "user":
            continue
        found = shop.normalize_order_id(event.get("text"))
        if found and found not in used:
            return found
    return None


def invalid_order_ids(tracker: Tracker) -> int:
    """How often the bot said "that is no order number" since the latest form started."""
    events = list(tracker.events or [])
    start = _activation_index(events) or 0
    return sum(
        1
        for e in events[start:]
        if e.get("event") == "bot"
        and (
            (e.get("metadata") or {}).get("utter_action")
            in ("utter_invalid_order_id", "utter_order_id_offer_human")
            or str(e.get("text") or "").startswith(INVALID_ORDER_ID_OPENING)
        )
    )


INVALID_ORDER_ID_OPENING = (
    "Das ist leider keine Bestellnummer"  # utter_invalid_order_id, both registers
)


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
    candidates = [
        (tracker.get_last_event_for("user") or {}).get("metadata"),
        (tracker.latest_message or {}).get("metadata"),
        tracker.get_slot("session_started_metadata"),
    ]
    for metadata in candidates:
        client = MessageMetadata.from_json(metadata).client
        if client:
            return client
    return None


def subjects(tracker: Tracker, order_id: str) -> List[shop.Subject]:
    """What an attempt on `order_id` counts against: the order number, the sender, the client."""
    found: List[shop.Subject] = [
        ("order", order_id),
        ("sender", _hashed(str(tracker.sender_id or ""))),
    ]
    client = client_of(tracker)
    if client:
        found.append(("client", _hashed(client)))
    return found


@dataclass(frozen=True)
class Lock:
    """Verification refused until `until` (naive UTC): too many failures of one subject.

    scope "order": of this order number (whoever tried); "sender": in this conversation;
    "client": from this network (client address, shared by everyone behind it).
    """

    scope: str
    until: datetime


def limit_of(scope: str) -> int:
    """Failures within the window that lock a subject of this scope.

    A conversation is locked once the form gives up (KD_MAX_VERIFY_ATTEMPTS, if lower than
    KD_VERIFY_SENDER_LIMIT): the bot says it stops checking, so it must stop - a later correct guess
    in the same chat is refused like a wrong one, until the lock ends (issue 22.11)."""
    return max(
        1,
        {
            "order": settings.VERIFY_ORDER_LIMIT,
            "sender": min(settings.VERIFY_SENDER_LIMIT, settings.MAX_VERIFY_ATTEMPTS),
            "client": settings.VERIFY_CLIENT_LIMIT,
        }[scope],
    )


def lock_of(who: List[shop.Subject], moment: datetime) -> Lock | None:
    """The lock on any of the subjects that ends last, None when none is locked at `moment`.

    A subject is locked for the lock time after the failure that made its limit of failures within
    the window. Attempts while locked are refused before comparing anything and are not recorded,
    so a lock ends on time however often someone keeps trying.
    """
    window, lock = _window(), _lock()
    found: Lock | None = None
    for scope, key in who:
        times = shop.verify_failure_times((scope, key), since=moment - window - lock)
        for first, last in zip(times, times[limit_of(scope) - 1 :]):
            if last - first <= window and last + lock > moment:
                if found is None or last + lock > found.until:
                    found = Lock(scope, last + lock)
    return found


def locked_until(who: List[shop.Subject], moment: datetime) -> datetime | None:
    """End of the lock on any of the subjects, None when none is locked at `moment`."""
    lock = lock_of(who, moment)
    return lock.until if lock else None


async def attempt(tracker: Tracker, order_id: str, email: str) -> Verdict:
    """One verification of `email` against `order_id`; a failure counts whether or not the order
    exists. The lock-out lives in the bot's ledger, so it holds whatever the shop backend is.
    Raises ShopUnavailable (nothing is counted then: no comparison ran)."""
    moment = now()
    who = subjects(tracker, order_id)
    if locked_until(who, moment):
        return Verdict.LOCKED
    order = await shop.find_order(order_id, tracker)
    if order is not None and await shop.email_matches(order, email):
        shop.clear_verify_failures(
            ("order", order_id)
        )  # whoever knows the e-mail needs no guessing
        return Verdict.MATCH
    shop.record_verify_failure(who, moment, prune_before=moment - _window() - _lock())
    return Verdict.LOCKED if locked_until(who, moment) else Verdict.NO_MATCH


# What the customer is told about a lock (company.yml notices) and what the handoff summary keeps
# (`bot_actions`; every note starts with LOCKED, and none says a check failed: none ran).
LOCK_NOTICES = {
    "sender": "verify_paused",
    "order": "verify_locked_order",
    "client": "verify_locked_network",
}
LOCKED = "Prüfung gesperrt"
LOCK_NOTES = {
    "sender": LOCKED + ": zu viele Fehlversuche in diesem Chat",
    "order": LOCKED + ": zu viele Fehlversuche zu Bestellnummer {order_id}",
    "client": LOCKED + ": zu viele Versuche von diesem Netzwerk",
}


def clock(moment: datetime) -> str:
    """A naive UTC moment as the shop's local time of day ("14:35")."""
    return f"{moment.replace(tzinfo=timezone.utc).astimezone(facts().tz):%H:%M}"


def paused(tracker: Tracker, dispatcher: CollectingDispatcher, order_id: str) -> Dict[str, Any]:
    """Say which lock holds, until when, and offer a human; the form then gives up (its submit
    action adds nothing) and the summary notes the lock."""
    moment = now()
    lock = lock_of(subjects(tracker, order_id), moment) or Lock("order", moment + _lock())
    minutes = max(1, math.ceil((lock.until - moment).total_seconds() / 60))
    note = f"{LOCK_NOTES[lock.scope].format(order_id=order_id)} (bis {clock(lock.until)} Uhr)"
    history: List[str] = list(tracker.get_slot("bot_actions") or [])
    # told before in this chat: the same facts in other words, not the same block again
    notice = "verify_still_paused" if note in history else LOCK_NOTICES[lock.scope]
    dispatcher.utter_message(
        text=facts().notice(notice, register(tracker), minutes=minutes, until=clock(lock.until)),
        buttons=[HUMAN],
    )
    if history[-1:] != [note]:  # the same lock told again: noted once
        history = (history + [note])[-10:]
    return {
        "email": None,
        "verified_order": None,
        "verify_attempts": settings.MAX_VERIFY_ATTEMPTS,
        "bot_actions": history,
    }


def shop_trouble(
    tracker: Tracker, dispatcher: CollectingDispatcher, error: ShopError
) -> Dict[str, Any]:
    """A form meets a shop that is down or cannot do what is asked: say so, offer a human
    (actions/shop.py), and give up the form like a lock does (its submit adds nothing)."""
    if isinstance(error, NotSupported):
        events = shop.not_here(dispatcher, tracker, error.capability)
    else:
        events = shop.unavailable(dispatcher, tracker)
    return {
        "email": None,
        "verified_order": None,
        "verify_attempts": settings.MAX_VERIFY_ATTEMPTS,
        **{str(e["name"]): e["value"] for e in events if e.get("event") == "slot"},
    }


GAVE_UP = (LOCKED, shop.SHOP_DOWN, shop.NOT_HERE)  # notes of a form that gave up and said why


def locked_this_turn(tracker: Tracker) -> bool:
    """Whether a form refused verification in this turn because of a lock (paused() noted it)
    or because the shop could not help (shop_trouble() noted it)."""
    events = list(tracker.events or [])
    users = [i for i, e in enumerate(events) if e.get("event") == "user"]
    for event in events[users[-1] if users else 0 :]:
        if event.get("event") == "slot" and event.get("name") == "bot_actions":
            notes = event.get("value") or []
            if notes and str(notes[-1]).startswith(GAVE_UP):
                return True
    return False


def unverified(dispatcher: CollectingDispatcher, tracker: Tracker) -> List[EventType]:
    """What a form's submit action says when the order is not verified. After a lock the customer
    has been told what holds and offered a human, and the summary has the lock: nothing to add.
    Otherwise the e-mail check failed: say so, offer a human, note it."""
    if locked_this_turn(tracker):
        return []
    dispatcher.utter_message(response="utter_verification_failed")
    return [remember(tracker, "E-Mail-Prüfung fehlgeschlagen")]


# "Ich habe zwei Bestellungen, 100234 und 100240" - "Die erste ist über anna@…": which of the orders
# the customer named an e-mail is for (issue 22.5). Only an ordinal the customer writes decides; the
# e-mail is never tried against several orders (each try counts towards the lock-out).
_ORDINAL = re.compile(r"(?i)\b(erste|zweite|dritte|letzte)n?\b")
_ORDINAL_INDEX = {"erste": 0, "zweite": 1, "dritte": 2, "letzte": -1}


def named_orders(tracker: Tracker) -> List[str]:
    """The order numbers the customer wrote in this conversation, in order, each once."""
    found: List[str] = []
    for event in tracker.events or []:
        if event.get("event") != "user":
            continue
        for entity in (event.get("parse_data") or {}).get("entities") or []:
            order_id = (
                shop.normalize_order_id(entity.get("value"))
                if entity.get("entity") == "order_id"
                else None
            )
            if order_id and order_id not in found:
                found.append(order_id)
    return found


def meant_order(tracker: Tracker) -> str | None:
    """The order an ordinal in the latest message points at ("die erste", "bei der zweiten") when
    the customer named several; None otherwise."""
    named = named_orders(tracker)
    match = _ORDINAL.search(latest_text(tracker))
    if len(named) < 2 or not match:
        return None
    index = _ORDINAL_INDEX[match.group(1).lower()]
    return named[index] if -len(named) <= index < len(named) else None


async def check_email(
    order_id: str, email: str, tracker: Tracker, dispatcher: CollectingDispatcher
) -> Dict[str, Any]:
    """Slot updates after comparing an e-mail with an order number (known or not: same answer)."""
    try:
        verdict = await attempt(tracker, order_id, email)
    except (ShopUnavailable, ShopConfigError, NotSupported) as error:
        return shop_trouble(tracker, dispatcher, error)
    if verdict is Verdict.MATCH:
        feel(dispatcher, tracker)  # condolence first when the bot starts on the case (issue 22.7)
        return {"email": email.strip().lower(), "verified_order": order_id}
    if verdict is Verdict.LOCKED:
        return paused(tracker, dispatcher, order_id)
    attempts = int(tracker.get_slot("verify_attempts") or 0) + 1
    if attempts < settings.MAX_VERIFY_ATTEMPTS:
        dispatcher.utter_message(text=facts().notice("verify_no_match", register(tracker)))
    return {"email": None, "verify_attempts": attempts, "verified_order": None}


FORM_TASKS = {"return_form": "return_item", "complaint_form": "complaint"}
# Where a switched-to request goes on: its own form, or the verified order's answer.
FORMS = {
    "return_item": "return_form",
    "complaint": "complaint_form",
    "change_address": "address_form",
}


def switch_request(
    dispatcher: CollectingDispatcher, tracker: Tracker, form: str, task: str
) -> List[EventType]:
    """ "Keine Reklamation! Stornierung von 100236": the form ends without storing the message, and
    the named request starts (on the order verified already; else verification comes first); a
    bare "das ist keine Reklamation" only ends the form. Nothing is created: every flow asks first."""
    ended: List[EventType] = [SlotSet("requested_slot", None)] + [
        SlotSet(name, None)
        for name in cases.FORM_SLOTS[cases.RETURN if form == "return_form" else cases.COMPLAINT]
    ]
    if not task:
        dispatcher.utter_message(response="utter_form_cancelled")
        return ended + [remember(tracker, f"{form}: nicht gewünscht, beendet")]
    verified = tracker.get_slot("verified_order")
    # verify_form, not action_handle_verified: its rule answers the request once the (already
    # verified) order is confirmed, and the dialogue listens after it (a bare follow-up of
    # action_handle_verified outside its rule ended in the core fallback, which undid the turn)
    follow = FORMS.get(task) or "verify_form"
    # the order number in the message ("Stornierung von 100236") came as an unvalidated candidate:
    # the verified order stays the one talked about
    kept: List[EventType] = [SlotSet("order_id", verified)] if verified else []
    if task == "return_item":  # "not broken, just too warm, I want a refund": reason and mode kept
        said = said_return(latest_text(tracker))
        kept += [SlotSet(k, said[k]) for k in ("return_reason", "return_mode") if said.get(k)]
    return (
        ended
        + kept
        + [
            SlotSet("task", task),
            remember(tracker, f"Anliegen gewechselt: {task} statt {FORM_TASKS[form]}"),
            FollowupAction(follow),
        ]
    )


def started_as(tracker: Tracker) -> str | None:
    """The intent of the message that started the running form."""
    start = start_event(tracker) or {}
    return ((start.get("parse_data") or {}).get("intent") or {}).get("name")


def not_understood(
    dispatcher: CollectingDispatcher, tracker: Tracker, events: List[EventType]
) -> List[EventType]:
    """A request message inside the verification that gives neither the order number nor the e-mail
    asked for and is read as the form's own request again ("I don't have an order yet, I want to buy
    a tent"): the form would be rejected, no rule answers that intent there, and Rasa's fallback said nothing - an empty reply (persona run,
    problem 8). Instead the bot says what it needs and how to leave; the slot event keeps the form,
    which asks again."""
    asked = tracker.get_slot("requested_slot")
    intent = ((tracker.latest_message or {}).get("intent") or {}).get("name")
    filled = any(e.get("event") == "slot" and e.get("name") != "requested_slot" for e in events)
    if (
        asked not in ("order_id", "email")
        or intent not in TASK_INTENTS
        or intent not in (tracker.get_slot("task"), started_as(tracker))  # another request
        or in_start_turn(tracker)
        or filled
        or dispatcher.messages
    ):
        return []
    dispatcher.utter_message(text=facts().notice(f"form_needs_{asked}", register(tracker)))
    return [SlotSet(str(asked), None)]


def value_to_come(
    dispatcher: CollectingDispatcher, tracker: Tracker, events: List[EventType]
) -> List[EventType]:
    """ "So, bin so weit!!" / "okay, here we go" while the form asks for a value (bot/dialogue/ready.py):
    nothing is stored, no empathy and menu for the exclamation marks (held-out run 6, d09), a short
    "Prima, dann los!" and the form asks for the value again; the slot event keeps the form from
    being rejected when no validation said anything."""
    asked = tracker.get_slot("requested_slot")
    if not asked or in_start_turn(tracker) or not only_ready(latest_text(tracker)):
        return []
    if any(
        e.get("event") == "slot" and e.get("value")
        for e in events
        if e.get("name") != "requested_slot"
    ):
        return []  # a value was taken after all
    dispatcher.utter_message(text=facts().notice("form_value_to_come", register(tracker)))
    if any(e.get("event") == "slot" and e.get("name") != "requested_slot" for e in events):
        return []  # the slot's own validation cleared it
    return [SlotSet(str(asked), None)]


class OrderFormValidation(FormValidationAction):
    """Validates order_id and email; subclasses add their own slots."""

    form: str = "verify_form"

    def name(self) -> str:
        return f"validate_{self.form}"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        """Validates; in the turn that starts the form, a second question in the same message is
        answered before the form asks (issue 22.5, actions/second_request.py). A message that says
        the form's request is not wanted switches to the one it names (switch_request)."""
        task = FORM_TASKS.get(self.form)
        if task in CASE_TASKS and not in_start_turn(tracker):
            intent = ((tracker.latest_message or {}).get("intent") or {}).get("name")
            switch = switched_request(latest_text(tracker), str(task), intent)
            if switch is not None:
                return switch_request(dispatcher, tracker, self.form, switch)
        # "bitte stornieren und sagen Sie dem Team …" with a request open: the wish noted first
        noted = open_request.note_beside_task(dispatcher, tracker) if in_start_turn(tracker) else []
        events = noted + await super().run(dispatcher, tracker, domain)
        events += not_understood(dispatcher, tracker, events)
        events += value_to_come(dispatcher, tracker, events)
        if in_start_turn(tracker):
            # the verified answer also says the order's status or payment when asked (orders.py)
            later = second_request.ANSWERED_BY_FORM.get(self.form, frozenset())
            events += await second_request.answer_others(
                dispatcher, tracker, may_start_flow=False, answered_later=later
            )
        else:  # a question beside the e-mail or the reason is answered too, not dropped
            events += await second_request.answer_beside_form(dispatcher, tracker, events)
        return events

    async def required_slots(
        self,
        domain_slots: List[str],
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> List[str]:
        if int(tracker.get_slot("verify_attempts") or 0) >= settings.MAX_VERIFY_ATTEMPTS:
            return []  # give up; the submit action explains and offers a human
        asked = start_text(tracker)
        if (
            cases.asks_handoff_ticket(tracker, asked)
            or open_request.asks_team_time(tracker, asked)
            or open_request.leaves_the_team_to_it(tracker, asked)
        ):
            return []  # about the hub's request, not an order: the submit tells its state
        if (
            tracker.get_slot("order_lookup") == "offered"
            and not tracker.get_slot("email")
            and not tracker.get_slot("order_id")
            and "email" in domain_slots
        ):
            # no order number: the e-mail first, so the order numbers can be mailed there
            return ["email"] + [s for s in domain_slots if s != "email"]
        return domain_slots

    def extract_email(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[str, Any]:
        """An e-mail address given earlier in the chat that no form ever took (left for the team's
        request, which the hub notes without the dialogue): used instead of asking for it again."""
        if tracker.get_slot("email"):
            return {}
        earlier = untried_email(tracker)
        return {"email": earlier} if earlier else {}

    def extract_order_id(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[str, Any]:
        """An answer to "Bestellnummer?" that is no order number still goes to validate_order_id
        (which explains the format) instead of being ignored by the form. An order number given
        earlier in the chat that no form took is used instead of asking for it."""
        text = latest_text(tracker)
        if not tracker.get_slot("order_id") and not shop.normalize_order_id(text):
            earlier = untried_order_id(tracker)
            if earlier:
                return {"order_id": earlier}
        if (
            tracker.get_slot("requested_slot") != "order_id"
            or in_start_turn(tracker)
            or shop.normalize_order_id(text)
            or "@" in text
            or not re.search(r"\d{3,}", text)
        ):
            return {}
        return {"order_id": text.strip()}

    async def validate_order_id(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[str, Any]:
        # Only the format is checked here: whether the number exists shows after the e-mail,
        # in the same answer as a wrong e-mail.
        order_id = shop.normalize_order_id(value)
        if order_id is None:
            # after three numbers that cannot be one: a human (who finds the order by name and address)
            if invalid_order_ids(tracker) >= 2:
                dispatcher.utter_message(response="utter_order_id_offer_human")
            else:
                dispatcher.utter_message(response="utter_invalid_order_id")
            return {"order_id": None}
        slots: Dict[str, Any] = {"order_id": order_id}
        email = tracker.get_slot("email")
        if tracker.get_slot("verified_order") == order_id or "email" in tracker.slots_to_validate():
            return slots  # already verified, or validate_email compares the two in this turn
        if email:
            # An e-mail from earlier in the chat must match this order too, and that check counts.
            # On a mismatch the form quietly asks for the e-mail (same for an unknown number).
            try:
                verdict = await attempt(tracker, order_id, str(email))
            except (ShopUnavailable, ShopConfigError, NotSupported) as error:
                return {**slots, **shop_trouble(tracker, dispatcher, error)}
            if verdict is Verdict.MATCH:
                return {**slots, "verified_order": order_id}
            if verdict is Verdict.LOCKED:
                return {**slots, **paused(tracker, dispatcher, order_id)}
            attempts = int(tracker.get_slot("verify_attempts") or 0) + 1
            return {**slots, "email": None, "verified_order": None, "verify_attempts": attempts}
        if locked_until(subjects(tracker, order_id), now()):
            return {
                **slots,
                **paused(tracker, dispatcher, order_id),
            }  # don't ask for an e-mail in vain
        # The e-mail is asked next: "Mein Mann ist verstorben … 100241" is answered with condolence
        # first, not with "Danke! Zur Sicherheit: …" alone (once per flow, so not again at the match).
        feel(dispatcher, tracker)
        return slots

    async def validate_email(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[str, Any]:
        email = str(value or "").strip()
        if not EMAIL.match(email):
            dispatcher.utter_message(response="utter_invalid_email")
            return {"email": None}
        if not tracker.get_slot("invoice_email") and invoice_target(tracker, email):
            # where the invoice should go; verification still needs the e-mail of the order
            dispatcher.utter_message(response="utter_invoice_target_noted", email_to=email.lower())
            return {"email": None, "invoice_email": email.lower()}
        order_id = shop.normalize_order_id(tracker.get_slot("order_id"))
        if order_id is None:
            if tracker.get_slot("order_lookup") == "offered":
                try:  # the same answer whether or not there are orders
                    await shop.send_order_numbers(email)
                except (ShopUnavailable, ShopConfigError, NotSupported) as error:
                    found = shop_trouble(tracker, dispatcher, error)
                    return {**found, "email": email.lower(), "order_lookup": "sent"}
                dispatcher.utter_message(response="utter_order_lookup_sent", email_to=email.lower())
                return {"email": email.lower(), "order_lookup": "sent"}
            return {"email": email.lower()}  # checked once the order number comes
        meant = meant_order(tracker)
        if meant and meant != order_id:  # "die erste ist über …": the order the customer points at
            return {**await check_email(meant, email, tracker, dispatcher), "order_id": meant}
        return await check_email(order_id, email, tracker, dispatcher)


async def form_order(tracker: Tracker) -> shop.Order | None:
    """The verified order a form's required_slots decide by; None when there is none yet, or the
    shop is not answering (the submit action says so)."""
    if not shop.normalize_order_id(tracker.get_slot("order_id")):
        return None
    try:
        return await verified_order(tracker)
    except ShopError:
        return None


class ValidateVerifyForm(OrderFormValidation):
    form = "verify_form"


class ValidateReturnForm(OrderFormValidation):
    form = "return_form"

    async def required_slots(
        self,
        domain_slots: List[str],
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> List[str]:
        slots = await super().required_slots(domain_slots, dispatcher, tracker, domain)
        if asks_return_status(start_text(tracker)) or not shop.supports(Capability.CREATE_RETURN):
            # the submit tells the return's state, or that returns are not possible here
            return [s for s in slots if s in ("order_id", "email")]
        order = await form_order(tracker)
        if cases.skips_details(cases.RETURN, order, tracker, start_text(tracker)):
            # Not arrived yet, or a return is open already: no reason to ask why; the submit
            # explains, or offers to change or withdraw the open one (actions/cases.py).
            return [s for s in slots if s not in ("return_reason", "return_mode")]
        return slots

    def extract_return_reason(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[str, Any]:
        """Reason, mode and exchange size from the message that started the return, read back once."""
        if tracker.get_slot("return_reason") or tracker.get_slot("return_mode"):
            return self.kept_reason_mode(tracker)
        if not in_start_turn(tracker):
            return protested(tracker, "return_reason")
        text = latest_text(tracker)
        found = {} if asks_return_status(text) else said_return(text)
        if not found.get("return_reason") and not asks_return_status(text):
            reason = earlier_statement(tracker, lambda t: said_return(t).get("return_reason"))
            if reason:  # "zu klein" told before the form dropped and started again
                found["return_reason"] = reason
        en = register(tracker) == "en"  # "Understood: money back, reason: too warm" (run 2, d11)
        death = None if asks_return_status(text) else bereavement_reason(text, "en" if en else "de")
        if death and not found.get("return_reason"):
            found["return_reason"] = death
        chosen = earlier_mode(earlier_texts(tracker)) if found.get("return_reason") else None
        if chosen and not found.get("return_mode"):  # the way was chosen a few messages before
            found["return_mode"] = chosen
        if not found:
            return {}
        parts = []
        if found.get("return_mode") == "exchange":
            size = found.get("exchange_size")
            if en:
                parts.append(f"exchange for size {size}" if size else "exchange")
            else:
                parts.append(exchange_note(size).strip("()") if size else "Umtausch")
        elif found.get("return_mode") == "refund":
            parts.append("money back" if en else "Geld zurück")
        if found.get("return_reason"):
            parts.append(f"{'reason' if en else 'Grund'}: {found['return_reason']}")
        feel(dispatcher, tracker)  # "Mein Mann ist verstorben …": condolence before the read-back
        dispatcher.utter_message(response="utter_return_understood", summary=", ".join(parts))
        return with_size(found)

    @staticmethod
    def kept_reason_mode(tracker: Tracker) -> Dict[str, Any]:
        """A return started again with its reason kept ("Doch, bitte anlegen, mit Geld zurück"): the
        way the start message names is taken, not asked ("Geld zurück oder Umtausch?")."""
        if tracker.get_slot("return_mode") or not in_start_turn(tracker):
            return {}
        mode = said_return(latest_text(tracker)).get("return_mode")
        return {"return_mode": mode} if mode else {}

    def validate_return_reason(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[str, Any]:
        """The answer to "Warum?" may change the mind too ("eigentlich lieber gegen Größe L
        umtauschen, sie ist zu klein"): its mode and size are taken with it, so the form does not ask
        "Geld zurück oder Umtausch?" about what was just said."""
        text = form_answer(value, tracker, dispatcher) or ""
        if len(text) < 2:
            return {"return_reason": None}
        if in_start_turn(tracker):  # read by extract_return_reason already
            return {"return_reason": text}
        text = reason_text(text)  # "ups, nicht den Rucksack sondern die Lampe" says which, not why
        found = said_return(text)
        death = bereavement_reason(text, "en" if register(tracker) == "en" else "de")
        if death and not found.get("return_reason"):  # "Er ist gestorben, das schrieb ich doch"
            found["return_reason"] = death
        if not found.get("return_mode"):
            chosen = earlier_mode(earlier_texts(tracker))  # "… und das Geld auf mein Konto" before
            reason = found.get("return_reason") if death else text
            return {"return_reason": reason, **({"return_mode": chosen} if chosen else {})}
        # "Nein, falsch: ich will lieber einen Umtausch" changes the way and gives no reason: asked again
        if not found.get("return_reason") and not CORRECTION_OPENER.match(text):
            found["return_reason"] = text
        slots = with_size(found)
        slots.setdefault("return_reason", None)
        return slots

    def validate_return_mode(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[str, Any]:
        """ "Umtausch, in L, hab ich doch gesagt!": the size named with the way goes into the reason
        the team reads, so the replacement is the one wanted."""
        mode = parse_return_mode(value)
        answers_mode = tracker.get_slot("requested_slot") == "return_mode"
        if mode != "exchange" or not answers_mode or in_start_turn(tracker):
            return {"return_mode": mode}  # the reason may be validated in the same turn
        size = said_return(latest_text(tracker)).get("exchange_size")
        reason = str(tracker.get_slot("return_reason") or "")
        if not size or "(Umtausch in" in reason:
            return {"return_mode": mode}
        return {"return_mode": mode, "return_reason": f"{reason} {exchange_note(size)}".strip()}


# Customer messages before the return form that may have chosen its way already, and the actions
# after which an earlier choice belongs to another case.
EARLIER_MESSAGES = 4
CASE_CREATED = frozenset({"action_create_return", "action_create_complaint"})


def earlier_texts(tracker: Tracker, last: int = EARLIER_MESSAGES) -> List[str]:
    """The customer's typed messages before the latest one (the `last` few), since the last case was
    created: a refund chosen for an earlier return does not choose for this one."""
    events = list(tracker.events or [])
    created = [
        i
        for i, e in enumerate(events)
        if e.get("event") == "action" and e.get("name") in CASE_CREATED
    ]
    since = events[created[-1] + 1 :] if created else events
    before = [str(e.get("text") or "") for e in since if e.get("event") == "user"][:-1]
    return [text for text in before if not text.startswith("/")][-last:]


# How far back a reason or defect the customer stated before the form started is looked for.
EARLIER_REASONS = 12


def earlier_statement(tracker: Tracker, read: Callable[[str], str | None]) -> str | None:
    """What `read` finds in the latest earlier message that states it (a return reason, a defect)
    since the last case was created: the form restarted after a dropped one, or started a turn after
    the defect was told, does not ask for it again (held-out run 7, d10 t8, d19)."""
    for text in reversed(earlier_texts(tracker, EARLIER_REASONS)):
        found = read(text)
        if found:
            return found
    return None


def protested(tracker: Tracker, slot: str) -> Dict[str, Any]:
    """ "Das habe ich doch geschrieben: …" at a free-text question, read as a question (`faq`,
    which the slot's mapping leaves out): the message is the answer all the same, so the value is
    taken (form_answer keeps what follows the protest, or the first message) instead of the FAQ
    answer and the same question again (held-out run 7, d19 t3)."""
    if tracker.get_slot("requested_slot") != slot or in_start_turn(tracker):
        return {}
    intent = (tracker.latest_message or {}).get("intent") or {}
    if intent.get("name") not in UNMAPPED_INTENTS:
        return {}  # any other reading reaches the slot through its from_text mapping
    text = latest_text(tracker)
    if read_answer(text, None, 0.0).kind != PROTEST:
        return {}
    return {slot: text}


UNMAPPED_INTENTS = frozenset({"faq", "bot_challenge"})  # domain.yml not_intent besides stop


def with_size(found: Dict[str, str]) -> Dict[str, Any]:
    """Slots from said_return: the wanted size goes into the reason the team reads."""
    slots: Dict[str, Any] = dict(found)
    size = slots.pop("exchange_size", None)
    if size:
        reason = slots.get("return_reason")
        slots["return_reason"] = (
            f"{reason} {exchange_note(size)}" if reason else exchange_note(size)
        )
    return slots


def parse_return_mode(value: Any) -> str | None:
    text = str(value or "").strip().lower()
    if text in RETURN_MODES:
        return text
    said = said_return(text).get(
        "return_mode"
    )  # read with its negation: "kein Geld, lieber tauschen"
    if said:
        return said
    for mode, words in RETURN_MODES.items():
        if any(w in text for w in words):
            return mode
    return None


class ValidateComplaintForm(OrderFormValidation):
    form = "complaint_form"

    async def required_slots(
        self,
        domain_slots: List[str],
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> List[str]:
        slots = await super().required_slots(domain_slots, dispatcher, tracker, domain)
        order = await form_order(tracker)
        if cases.skips_details(cases.COMPLAINT, order, tracker, start_text(tracker)):
            # a status question, or a complaint already open: the submit answers (actions/cases.py)
            return [s for s in slots if s != "complaint_details"]
        return slots

    def extract_complaint_details(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[str, Any]:
        """A first message that describes the defect is the description: no "what's wrong?" - nor
        when the defect was told a message or two before the form started."""
        if tracker.get_slot("complaint_details"):
            return {}
        if not in_start_turn(tracker):
            return protested(tracker, "complaint_details")
        details = said_complaint(latest_text(tracker)) or earlier_statement(tracker, said_complaint)
        if not details:
            return {}
        dispatcher.utter_message(response="utter_complaint_understood", details=details)
        return {"complaint_details": details}

    def validate_complaint_details(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[str, Any]:
        text = form_answer(value, tracker, dispatcher) or ""
        return {"complaint_details": text if len(text) >= 3 else None}


class ValidateAddressForm(OrderFormValidation):
    form = "address_form"

    def extract_new_address(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[str, Any]:
        """A new address in the first message is taken (and read back), not asked for again - also
        over one left from an earlier confirmation: the address typed again is the one meant (held-out
        run 7, d08)."""
        if not in_start_turn(tracker):
            return {}
        address = said_address(latest_text(tracker))
        if not address or address == tracker.get_slot("new_address"):
            return {}
        dispatcher.utter_message(response="utter_address_understood", new_address=address)
        return {"new_address": address}

    async def required_slots(
        self,
        domain_slots: List[str],
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> List[str]:
        slots = await super().required_slots(domain_slots, dispatcher, tracker, domain)
        order = await form_order(tracker)
        if order is not None and order.status != shop.PROCESSING:
            return [s for s in slots if s != "new_address"]  # too late: the submit explains why
        return slots

    def validate_new_address(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[str, Any]:
        answer = form_answer(value, tracker, dispatcher)
        if answer is None:
            return {"new_address": None}  # the form asks again
        text = said_address(answer) or answer
        if not re.search(r"\d", text) or len(text) < 8:
            dispatcher.utter_message(response="utter_ask_new_address")
            return {"new_address": None}
        return {"new_address": text}
