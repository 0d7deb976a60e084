"""Verified order requests: status, cancellation, address change, invoice, payment."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import List

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions import (
    cases,
    followups,
    knowledge,
    open_request,
    refund_missing,
    second_request,
    settings,
    shop,
)
from actions.cancellation import offer_address, offer_cancel
from actions.common import (
    STATUS_LABELS,
    day,
    empathize,
    english,
    facts,
    feel,
    register,
    remember,
    verified_order,
)
from actions.payment_facts import (
    PAYMENT_ASKED,
    awaits_prepayment,
    payment_deadline,
    prepayment_text,
    prepayment_text_en,
    refund_way,
)
from actions.verification import latest_text, start_event, start_text, unverified
from bot.dialogue.arrival_by import arrives_in_time
from bot.dialogue.beyond_facts import beyond_facts, quoted_question
from bot.dialogue.case_question import asks_label, asks_returned, names_label
from bot.dialogue.empathy import shown
from bot.dialogue.follow_up import asks_status_again, is_follow_up, with_topic
from bot.dialogue.not_answered import insists
from bot.dialogue.parcel_here import says_parcel_here
from bot.dialogue.passed_on import asks_passed_on
from bot.dialogue.pending import task_event
from bot.dialogue.questions import fears_cancellation
from bot.dialogue.team_note import other_question
from bot.dialogue.time_asked import asks_since_when
from bot.shared.calendar import WEEKDAYS_DE, WEEKDAYS_EN
from bot.shop.model import Capability, ReturnCase

# What the customer's first message may say besides "where is my order" (read, not asked again).
LOST = re.compile(
    r"(?i)\b(?:nicht|nix|nichts|nie|kein\w*)\s+(?:\w+\s+)?(?:angekommen|da|bekommen|erhalten|gekommen|"
    r"auffindbar|hier)\b|zugestellt,?\s+(?:aber|obwohl)|\bnie\s+angekommen|"
    r"zugestellt\b.{0,40}\b(?:nichts|nix|kein\w*|nicht\s+da)\b"
)
RETURN_STATUS = re.compile(
    r"(?i)r(?:ü|ue|u)cksendung|retoure|r(?:ü|ue)ckgabe|zur(?:ü|ue)ckgeschickt|"
    r"erstatt\w*|geld\s+(?:\w+\s+)?zur(?:ü|ue|u)ck|r(?:ü|ue)ckzahlung|gutschrift|"
    r"geld\s+(?:\w+\s+){0,2}(?:auf|bei)\s+(?:meinem|meinen|dem|mein|meiner)\s+(?:konto|karte)|"
    # English: "the status of my return", "the boots I sent back"
    r"\breturn(?:s|ed)?\b|\bsent\s+(?:\w+\s+){0,2}back\b"
)
# A question about where the parcel is: only then is an answer about the same order again
# introduced as such ("Gern sehe ich noch einmal nach"); anything else gets the facts alone.
STATUS_ASKED = re.compile(
    r"(?i)\b(?:wo\s+(?:ist|bleibt|steckt)|wann\s+(?:kommt|ist|wird)|stand|status|unterwegs|geliefert|"
    r"zugestellt|lieferung|sendung\w*|paket|tracking\w*|track|verfolg\w*|nachverfolg\w*|where|when)\b"
)
# "Ist meine Zahlung angekommen?" is classified like "ist mein Paket angekommen?": the words say it is
# about the money (a refund is RETURN_STATUS, checked first).
INVOICE_CHANGE = re.compile(
    r"(?i)firma|firmen|gewerb|\bust\b|ust-?id|umsatzsteuer|steuer-?id|steuernummer|\bvat\b|"
    r"korrig|korrektur|falsch|(?:ä|ae)nder|ausstellen|neu\s+aus|rechnungsadresse|arbeitgeber|"
    r"auf\s+(?:den|die|meinen|meine)\s+(?:namen|mann|frau)|sammelrechnung|englisch|"
    # in English: "with my company name on it", "the invoice address", "for tax reasons" (run 7, d27)
    r"\bcompany\b|\bbusiness\b|\bemployer\b|\btax\b|\bbilling\b|invoice\s+address|\bcorrect\w*|"
    r"\bchang\w*|re-?issue|\bmy\s+name\b"
)

# What a status is about, in the help pages' words: a question right after it ("Bei wem könnte das
# Paket denn liegen?" after 'delivered') is searched with it (bot/dialogue/follow_up.py).
STATUS_TOPICS = {
    shop.DELIVERED: "Die Sendungsverfolgung sagt zugestellt, aber das Paket ist nicht da.",
    shop.SHIPPED: "Das Paket ist mit DHL unterwegs, Zustellung und Sendungsverfolgung.",
    shop.PROCESSING: "Die Bestellung wird bearbeitet und noch nicht verschickt, Lieferzeit.",
}
OVERDUE_TOPIC = "Das Paket kommt nicht an."


def today() -> date:
    """The shop's date (tests move it)."""
    return datetime.utcnow().date()


# "ich will mein Geld zurück", "erstatten Sie das": a wish for the money beside another message.
MONEY_BACK = re.compile(
    r"(?i)\bgeld\s+(?:\w+\s+){0,2}zur(?:ü|ue|u)ck|\berstatt\w*|\brefund\w*|\bmoney\s+back\b"
)


def overdue(order: shop.Order, on: date | None = None) -> bool:
    """A shipped order whose expected delivery day has passed: told as a delay, not as a date."""
    expected = order.expected_delivery
    return (
        order.status == shop.SHIPPED and expected is not None and expected.date() < (on or today())
    )


def carrier_news(order: shop.Order) -> str:
    """' Letzte Meldung von DHL: 02.12., Bruchsal: …' when the carrier was asked (bot/shop/tracking)."""
    event = order.shipment.last_event if order.shipment else ""
    return f" Letzte Meldung von {order.carrier}: {event}" if event else ""


def status_text(order: shop.Order, on: date | None = None, gentle: bool = False) -> str:
    """Register-neutral description of where an order is (`gentle`: see prepayment_text)."""
    if overdue(order, on):
        return (
            f"Das Paket ist seit dem {day(order.shipped_at)} mit {order.carrier} unterwegs (Sendungsnummer "
            f"{order.tracking_number}) und hätte am {day(order.expected_delivery)} ankommen sollen."
            + carrier_news(order)
        )
    if awaits_prepayment(order):  # not packed before the money is there (issue 22.10)
        return prepayment_text(order, gentle)
    if order.status == shop.PROCESSING:
        return (
            f"Das Paket wird gerade gepackt und verlässt unser Lager in Kürze. "
            f"Geplante Zustellung: {day(order.expected_delivery)}."
        )
    if order.status == shop.SHIPPED:
        return (
            f"Das Paket ist seit dem {day(order.shipped_at)} mit {order.carrier} unterwegs, Sendungsnummer "
            f"{order.tracking_number}."
            + (
                f" Voraussichtliche Zustellung: {day(order.expected_delivery)}."
                if order.expected_delivery
                else ""
            )
            + carrier_news(order)
        )
    if order.status == shop.DELIVERED:
        return (
            f"Das Paket wurde am {day(order.delivered_at)} an {order.shipping_address} zugestellt."
        )
    return "Die Bestellung wurde storniert."


def status_text_en(order: shop.Order, on: date | None = None) -> str:
    """Where an order is, for an English-writing customer (issue 22.12): the same facts, in English."""
    if overdue(order, on):
        return (
            f"The parcel has been on its way with {order.carrier} since {day(order.shipped_at)} (tracking number "
            f"{order.tracking_number}) and should have arrived on {day(order.expected_delivery)}."
        )
    if awaits_prepayment(order):
        return prepayment_text_en(order)
    if order.status == shop.PROCESSING:
        return f"The parcel is being packed and leaves our warehouse shortly. Planned delivery: {day(order.expected_delivery)}."
    if order.status == shop.SHIPPED:
        return (
            f"The parcel has been on its way with {order.carrier} since {day(order.shipped_at)}, tracking number {order.tracking_number}."
            + (
                f" Expected delivery: {day(order.expected_delivery)}."
                if order.expected_delivery
                else ""
            )
        )
    if order.status == shop.DELIVERED:
        return f"The parcel was delivered on {day(order.delivered_at)} to {order.shipping_address}."
    return "The order was cancelled."


def status_in(order: shop.Order, in_english: bool, gentle: bool = False) -> str:
    return status_text_en(order) if in_english else status_text(order, gentle=gentle)


ONCE_NOTES = (
    "Eine doppelte Abbuchung sehe ich nicht.",
    "Abgebucht wurde nur einmal – eine doppelte Zahlung gibt es nicht.",
)
ASKS_TWICE = re.compile(r"(?i)doppelt|zweimal|zwei\s*mal|mehrfach|\beinmal\b|2\s*x\b")


def once_note(order: shop.Order, tracker: Tracker) -> str:
    """ "Habe ich doppelt bezahlt?" of a paid order: said plainly that it was charged once - in other
    words when the customer asks again ("Also nur einmal abgebucht?"), so no answer is repeated."""
    if order.payment_status != "paid" or register(tracker) == "en":
        return ""
    if not (ASKS_TWICE.search(latest_text(tracker)) or ASKS_TWICE.search(start_text(tracker))):
        return ""
    said = " ".join(str(e.get("text") or "") for e in tracker.events if e.get("event") == "bot")
    if ONCE_NOTES[0] in said:
        return ONCE_NOTES[1] + " "
    return ONCE_NOTES[0] + " "


# The customer sees the money taken twice: "zwei Zahlungen über …", "zweimal abgebucht", "charged twice"
# (the worried "doppelt bezahlt?" is asked, not seen: once_note).
SEEN_TWICE = re.compile(
    r"(?i)\bzwei\s+(?:\w+\s+)?(?:zahlungen|abbuchungen|buchungen|lastschriften|belastungen|betr(?:ä|ae)ge)\b|"
    r"\b(?:zweimal|zwei\s*mal)\s+(?:\w+\s+){0,3}(?:abgebucht|belastet|abgezogen|eingezogen|bezahlt)\b|"
    r"\b(?:abgebucht|belastet|abgezogen)\s+(?:\w+\s+){0,2}(?:zweimal|zwei\s*mal)\b|"
    r"\bzwei\s*mal\b.{0,40}\b(?:paypal|konto|karte)\b|\b(?:paypal|konto|karte)\b.{0,40}\bzwei\s*mal\b|"
    r"\b(?:charged|paid|debited|taken)\s+(?:\w+\s+){0,2}twice\b|\btwo\s+(?:\w+\s+)?(?:payments|charges|debits)\b"
)


def seen_twice(order: shop.Order, tracker: Tracker) -> bool:
    """A paid order whose customer says the money went out twice, the next step not told yet."""
    if order.payment_status != "paid":
        return False
    if not any(SEEN_TWICE.search(t) for t in (latest_text(tracker), start_text(tracker))):
        return False
    done = [str(d) for d in tracker.get_slot("bot_actions") or []]
    return f"Doppelte Zahlung zu {order.id} gesehen: Prüfung angeboten" not in done


def payment_text(order: shop.Order, reg: str = "sie", gentle: bool = False) -> str:
    """The payment state in words (company.yml `payment_states`, never the raw code); an unpaid
    prepayment with the account and deadline, a refund with the way it takes for this payment method
    (issue 22.10)."""
    if awaits_prepayment(order):
        return prepayment_text_en(order) if reg == "en" else prepayment_text(order, gentle)
    values = {
        "method": order.payment_method,
        "amount": shop.euro(order.total_cents),
        "total": shop.euro(2 * order.total_cents),  # a double charge: "also 378 €?" (run 4, d05)
        "order_id": order.id,
        "refund_way": refund_way(order, reg),
    }
    text = facts().text("payment_states", order.payment_status or "unknown", reg, **values)
    return text or str(facts().text("payment_states", "unknown", reg, **values))


def return_text(order: shop.Order, ret: ReturnCase, reg: str = "sie") -> str:
    """State of a return, read from the order's payment state; the refund told the way it goes back
    for the order's payment method (issue 22.10); in English for an English customer (company.yml
    `return_state_*`)."""
    if order.payment_status in ("refunded", "refund_pending"):
        key = f"return_state_{order.payment_status}"
    elif ret.status == "received":  # the shop has it, no refund recorded yet
        key = "return_state_received"
    else:
        key = f"return_state_announced_{'exchange' if ret.mode == 'exchange' else 'refund'}"
    return facts().notice(
        key,
        reg,
        amount=shop.euro(order.total_cents),
        refund_way=refund_way(order, reg),
        date=day(ret.created_at),
    )


def grieving(tracker: Tracker) -> bool:
    """A customer in grief in this flow: payment facts are told gently (no deadline threat)."""
    return shown(tracker.events, settings.EMPATHY_THRESHOLD) == "grief"


def status_said_last(order: shop.Order, tracker: Tracker) -> bool:
    """Whether the bot's latest deed was telling this order's status (or its delay)."""
    done = [str(d) for d in tracker.get_slot("bot_actions") or []]
    return bool(done) and done[-1].startswith(
        (f"Status von {order.id}", f"Verspätung von {order.id}")
    )


def asked_before(order: shop.Order, tracker: Tracker) -> bool:
    """Whether the bot already spoke about this order in this chat (its list of things done)."""
    return any(order.id in str(done) for done in tracker.get_slot("bot_actions") or [])


def not_arrived_note(order_id: str) -> str:
    """What the bot notes after "noch unterwegs … kann noch keine Rücksendung anlegen"."""
    return f"Rücksendung {order_id} nicht möglich (noch unterwegs)"


def said_not_arrived(order: shop.Order, tracker: Tracker) -> bool:
    return not_arrived_note(order.id) in (tracker.get_slot("bot_actions") or [])


def tracking_lags(
    order: shop.Order, dispatcher: CollectingDispatcher, tracker: Tracker
) -> List[EventType]:
    """After "noch unterwegs", the parcel in the customer's hands (persona run 4, d08): believed, the
    tracking lags; nothing to do, a person can create the return now - not the same status again."""
    reg = register(tracker)
    dispatcher.utter_message(
        text=facts().notice("tracking_lags", reg, order_id=order.id),
        buttons=[followups.human_button(reg)],
    )
    return [remember(tracker, f"Rücksendung {order.id}: laut Kunde angekommen, Tracking hinkt")]


def lost_note(order_id: str) -> str:
    """What the bot notes after the delivered-but-missing checklist (actions/followups.py reads it)."""
    return f"{order_id} laut DHL zugestellt, kommt aber nicht an: Nachforschung angeboten"


def parcel_missing(order: shop.Order, text: str) -> bool:
    """A delivered order the customer says never came ("zugestellt, aber nichts angekommen", "nie
    bekommen"), even beside a money-back wish - not when they speak of sending something back."""
    return (
        order.status == shop.DELIVERED
        and bool(LOST.search(text))
        and not followups.RETURN_TALK.search(text)
    )


class ActionHandleVerified(Action):
    """Answers the request that started `verify_form`, once the e-mail matched."""

    def name(self) -> str:
        return "action_handle_verified"

    @shop.guarded
    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        if open_request.leaves_the_team_to_it(tracker, start_text(tracker)):
            return open_request.say_goodbye(dispatcher, tracker)  # "egal, ich warte. ciao" (d30)
        if (
            tracker.get_slot("verified_order")
            and open_request.asks_team_time(tracker, start_text(tracker))
        ):  # "Wann meldet sich jemand? Und …?" with the order verified (run 8, e03 t4 got the status)
            told = open_request.tell_team_time(dispatcher, tracker)
            if not other_question(start_text(tracker)):
                return told
            return told + await self.answer_verified(dispatcher, tracker)
        return await self.answer_verified(dispatcher, tracker)

    async def answer_verified(
        self, dispatcher: CollectingDispatcher, tracker: Tracker
    ) -> List[EventType]:
        """The answer to the request itself (the team's answer time already said, when asked)."""
        order = await verified_order(tracker)
        if order is None and cases.asks_handoff_ticket(tracker, start_text(tracker)):
            return cases.report_handoff_ticket(dispatcher, tracker)
        if order is None and open_request.asks_team_time(tracker, start_text(tracker)):
            return open_request.tell_team_time(dispatcher, tracker)
        if order is None:
            return [SlotSet("verify_attempts", 0), SlotSet("email", None)] + unverified(
                dispatcher, tracker
            )
        if asks_since_when(start_text(tracker)):  # "Seit wann ist sie veranlasst?" (run 8, e13)
            return self.since(order, dispatcher, tracker)
        if refund_missing.asks_money_missing(tracker, start_text(tracker)):
            # "und wenn nach 5 Tagen nix da ist?" after the refund, read as an order question (run 4,
            # d24): the next step for the money, not the delivered-parcel checklist
            dispatcher.utter_message(text=refund_missing.money_missing_text(tracker))
            return [
                remember(tracker, f"Nächster Schritt, falls die Erstattung zu {order.id} ausbleibt")
            ]
        # The task that started the form, not the latest topic: an FAQ question in between
        # must not turn a cancellation into an order status.
        topic = task_event(tracker.events)[0] or "order_status"
        if "cancel_order" in second_request.declined(tracker):
            # "NICHT stornieren. Bleibt die Bestellung bestehen?", "I don't want to cancel anything":
            # said first; a cancellation that started the form is not offered again
            dispatcher.utter_message(
                text=facts().text("notices", "order_stays", register(tracker), order_id=order.id)
            )
            topic = "order_status" if topic == "cancel_order" else topic
        handler = {
            "cancel_order": self.cancel,
            "invoice_request": self.invoice,
            "payment_issue": self.payment,
        }.get(topic, self.status)
        asked = start_text(tracker)
        if (
            handler == self.status
            and cases.named_case_kind(asked)[0]
            and cases.asks_case_status(asked)
        ):
            # "any news on my complaint?": the case is looked up - no apology for a wait, only a
            # feeling shown (anger, worry) gets its line (held-out persona run 4, d29)
            feel(dispatcher, tracker)
        elif not (
            handler == self.status and overdue(order)
        ):  # the delay answer carries its own apology
            empathize(dispatcher, tracker)
        done = await handler(order, dispatcher, tracker)
        if handler in (self.invoice, self.status):
            done += self.also_asked(order, dispatcher, tracker, topic)
        return [
            SlotSet("order_status", STATUS_LABELS.get(order.status)),
            SlotSet("verify_attempts", 0),
        ] + done

    def also_asked(
        self, order: shop.Order, dispatcher: CollectingDispatcher, tracker: Tracker, topic: str
    ) -> List[EventType]:
        """The first message's other questions about the same order that only read it (status,
        payment), answered now that it is verified: "Rechnung schicken und ist meine Zahlung
        angekommen?" gets both (issue 22.5; actions/second_request.py leaves them for this)."""
        reg = "du" if register(tracker) == "du" else "sie"
        parse = (start_event(tracker) or {}).get("parse_data") or {}
        said: List[str] = []
        for request in parse.get("other_requests") or []:
            intent, text = str(request.get("intent") or ""), str(request.get("text") or "")
            if intent not in second_request.READ_ONLY or intent in said:
                continue
            if intent == "payment_issue" or PAYMENT_ASKED.search(text):
                asked = start_text(tracker)  # status() answers the money itself when it is asked
                if topic != "invoice_request" and (
                    PAYMENT_ASKED.search(asked) or RETURN_STATUS.search(asked)
                ):
                    continue
                answer = payment_text(order, register(tracker))
            elif topic != "order_status":
                answer = status_in(order, english(tracker))
            else:
                continue
            dispatcher.utter_message(text=f"{second_request.PREFIX[reg]} {answer}")
            said.append(intent)
        return [remember(tracker, f"Zweite Frage zu {order.id} beantwortet")] if said else []

    def lost_parcel(
        self, order: shop.Order, dispatcher: CollectingDispatcher, tracker: Tracker, asked: str
    ) -> List[EventType]:
        """The checklist (neighbour, card, parcel box) and the trace; with a money-back wish also
        what a lost parcel costs: nothing, replacement or refund after the trace."""
        dispatcher.utter_message(
            response="utter_lost_parcel",
            order_id=order.id,
            date=day(order.delivered_at),
            address=str(order.shipping_address),
        )
        if MONEY_BACK.search(asked):
            reg = "en" if english(tracker) else "du" if register(tracker) == "du" else "sie"
            dispatcher.utter_message(
                text=followups.refund_when_text(order, reg, asked, today(), lost=True)
            )
        return [remember(tracker, lost_note(order.id))]

    async def status(
        self, order: shop.Order, dispatcher: CollectingDispatcher, tracker: Tracker
    ) -> List[EventType]:
        """The status read for what it means: a late parcel is a delay, "delivered but not here" a lost parcel."""
        passed = self.passed_on(order, dispatcher, tracker)
        if passed is not None:
            return passed
        asked = start_text(tracker)
        if said_not_arrived(order, tracker) and says_parcel_here(latest_text(tracker)):
            return tracking_lags(
                order, dispatcher, tracker
            )  # "das Paket ist doch hier" (run 4, d08)
        names_case, kind = cases.named_case_kind(asked)
        if names_case and cases.asks_case_status(asked):
            return cases.report(order, dispatcher, tracker, kind)  # "Stand meiner Reklamation?"
        if parcel_missing(order, asked):
            # "zugestellt, aber NICHTS angekommen … Geld zurück": the trace, not "keine Rücksendung
            # angemeldet" (held-out persona run 5, d19)
            return self.lost_parcel(order, dispatcher, tracker, asked)
        if RETURN_STATUS.search(asked) or asks_label(asked):
            return await self.return_status(order, dispatcher, tracker)
        if PAYMENT_ASKED.search(asked):
            return await self.payment(order, dispatcher, tracker, about_return=False)
        # "ist die Jacke schon bei euch angekommen?" - after the money ("Zahlung bei Ihnen eingegangen?")
        if asks_returned(asked):
            return await self.return_status(order, dispatcher, tracker)
        if order.status == shop.DELIVERED and LOST.search(
            asked
        ):  # answers the new question: no "asked before"
            return self.lost_parcel(order, dispatcher, tracker, asked)
        in_time = self.arrival_by(order, dispatcher, tracker)  # "vor dem Wochenende da?" (run 8)
        if in_time is not None:
            return in_time
        if asked_before(order, tracker):  # "und wann sehe ich das auf dem Konto?" (issue 22.5)
            own = await followups.answer(tracker, None, latest_text(tracker))
            if own:
                dispatcher.utter_message(text=own.text, buttons=own.buttons)
                return [
                    remember(tracker, f"Folgefrage zu {order.id} aus der Bestellung beantwortet")
                ]
            if refund_asked_again(order, tracker):  # "wo is mei Göld?" after the refund was told
                return self.money_next_step(order, dispatcher, tracker)
            about = await self.about_status(order, dispatcher, tracker)
            if about is not None:
                return about
            insisting = status_said_last(order, tracker) and insists(latest_text(tracker))
            if (beyond_facts(latest_text(tracker)) and not overdue(order)) or insisting:
                # "warum wurde storniert?", "die Nummer kennt DHL nicht", "you told me the status
                # again, yes or no?" (held-out run 6, d19): not the facts again
                reg = "en" if english(tracker) else "du" if register(tracker) == "du" else "sie"
                if insisting:
                    dispatcher.utter_message(text=facts().text("faq", "repeat_not_again", reg))
                second_request.say_unsure(
                    dispatcher, tracker, reg, quoted_question(latest_text(tracker))
                )
                return [remember(tracker, f"{second_request.UNSURE_NOTE} zu {order.id}")]
        self.earlier_contact(order, dispatcher, tracker)
        if overdue(order):
            dispatcher.utter_message(
                response="utter_order_delayed",
                order_id=order.id,
                items=shop.item_names(order),
                status_text=status_in(order, english(tracker), grieving(tracker)),
            )
            late = [
                remember(
                    tracker,
                    f"Verspätung von {order.id} genannt (erwartet {day(order.expected_delivery)}), "
                    f"Nachforschung angeboten",
                )
            ]
            if MONEY_BACK.search(latest_text(tracker)):
                # "… und ich will mein Geld zurück" beside the e-mail (held-out run 4, d03): what
                # a parcel that never came means for the money, not only the trace offer
                reg = "en" if english(tracker) else register(tracker)
                dispatcher.utter_message(text=followups.refund_when_text(order, reg, "", today()))
                late.append(remember(tracker, f"Geld zurück zu {order.id}: Verlustfall genannt"))
            return late
        dispatcher.utter_message(
            response="utter_order_status",
            order_id=order.id,
            items=shop.item_names(order),
            status_text=status_in(order, english(tracker), grieving(tracker)),
        )
        told = [remember(tracker, f"Status von {order.id} genannt ({STATUS_LABELS[order.status]})")]
        if order.status != shop.CANCELLED or order.payment_status not in REFUNDING:
            return told
        if refund_missing.refund_told(order.id, tracker):
            return told
        # "storniert, und wo bleibt mein Geld?" (held-out run 7, d06): the cancellation's money
        # with it - paid out or under way, its way and time - and, asked about, what to do if it
        # has not come
        dispatcher.utter_message(text=payment_text(order, register(tracker)))
        if any(refund_missing.misses_money(t) for t in (start_text(tracker), latest_text(tracker))):
            dispatcher.utter_message(text=refund_missing.money_missing_text(tracker))
        return [remember(tracker, f"{refund_missing.told_note(order.id)} (storniert)")]

    @staticmethod
    def money_next_step(
        order: shop.Order, dispatcher: CollectingDispatcher, tracker: Tracker
    ) -> List[EventType]:
        """The money of a cancelled order asked about again after its refund was told: what to do
        if it has not come, then who checks it - a third time a person, never the status line again."""
        said = " ".join(str(e.get("text") or "") for e in tracker.events if e.get("event") == "bot")
        if str(facts().notice("refund_if_missing_again", register(tracker))) in said:
            return [SlotSet("handoff_reason", "bot_cannot_act"), FollowupAction("action_handoff")]
        dispatcher.utter_message(text=refund_missing.money_missing_text(tracker))
        return [
            remember(tracker, f"Nächster Schritt, falls die Erstattung zu {order.id} ausbleibt")
        ]

    @staticmethod
    def arrival_by(
        order: shop.Order, dispatcher: CollectingDispatcher, tracker: Tracker
    ) -> List[EventType] | None:
        """ "Kommt es noch vor dem Wochenende an?" about a parcel on its way (held-out run 8, e15 got
        the complaint form, a stuck-tracking quote or "nothing sure"): yes or probably not, from the
        expected delivery against the day asked about. None: no day asked, or nothing to compare."""
        if order.status != shop.SHIPPED or order.expected_delivery is None or overdue(order):
            return None
        expected = order.expected_delivery.date()
        in_time = arrives_in_time(expected, latest_text(tracker), today())
        if in_time is None:
            return None
        reg = "en" if english(tracker) else "du" if register(tracker) == "du" else "sie"
        names = WEEKDAYS_EN if reg == "en" else WEEKDAYS_DE
        dispatcher.utter_message(
            text=facts().notice(
                "arrival_in_time" if in_time else "arrival_too_late",
                reg,
                order_id=order.id,
                carrier=order.carrier or "DHL",
                weekday=names[expected.weekday()],
                date=day(order.expected_delivery),
            )
        )
        return [remember(tracker, f"Zustellung von {order.id} bis zum gefragten Tag beantwortet")]

    @staticmethod
    async def about_status(
        order: shop.Order, dispatcher: CollectingDispatcher, tracker: Tracker
    ) -> List[EventType] | None:
        """A follow-up about the status already given ("Bei wem könnte das Paket denn liegen?",
        "Und wenn es dann nicht da ist, schreibe ich Ihnen wieder?") read as a question about it,
        not as a new status request: the next step, or the help pages searched with the status as
        topic. None: the status itself is asked again (or the pages have nothing sure)."""
        text = latest_text(tracker)
        if english(tracker) or not is_follow_up(text) or asks_status_again(text):
            return None
        short = open_request.answer(dispatcher, tracker)  # "und wenn es nicht kommt?"
        if short is not None:
            return short
        topic = OVERDUE_TOPIC if overdue(order) else STATUS_TOPICS.get(order.status, "")
        if not topic:
            return None
        found = await knowledge.answer(dispatcher, tracker, with_topic(text, topic), None)
        if found is None:
            return None
        return found + [remember(tracker, f"Folgefrage zum Status von {order.id} beantwortet")]

    def earlier_contact(
        self, order: shop.Order, dispatcher: CollectingDispatcher, tracker: Tracker
    ) -> None:
        """A second contact about the same order is recognised: earlier in this chat (only when the
        parcel is asked about again - never "you asked before" to a different question), or a
        request on file."""
        if asked_before(order, tracker):
            if STATUS_ASKED.search(latest_text(tracker)) or status_said_last(order, tracker):
                # the same facts again: said as such, never word for word as the last reply
                dispatcher.utter_message(response="utter_order_asked_before", order_id=order.id)
            return
        tickets = [t for t in order.tickets if t.kind != "order_lookup"]
        if tickets:
            dispatcher.utter_message(
                response="utter_order_request_on_file",
                order_id=order.id,
                ticket_ref=tickets[-1].reference,
                date=day(tickets[-1].created_at),
            )

    async def return_status(
        self, order: shop.Order, dispatcher: CollectingDispatcher, tracker: Tracker
    ) -> List[EventType]:
        """'Ist meine Rücksendung angekommen?' / 'Wann bekomme ich mein Geld?': from the shop's returns."""
        if not shop.supports(Capability.READ_RETURNS):
            return shop.not_here(dispatcher, tracker, Capability.READ_RETURNS)
        returns = order.returns
        if not returns and followups.refund_case(order, latest_text(tracker)) == "in_transit":
            # "ich will mein Geld zurück" for a parcel that never came (run 4, d03): a trace, then
            # a replacement or the refund - there is nothing to send back
            reg = register(tracker)
            dispatcher.utter_message(
                text=followups.refund_when_once(tracker, order, latest_text(tracker)),
                buttons=[followups.human_button(reg)],
            )
            return [
                remember(tracker, f"Geld zurück zu {order.id} ohne Paket: Nachforschung genannt")
            ]
        if not returns:
            if order.payment_status != "paid" or order.status not in (shop.SHIPPED, shop.DELIVERED):
                return await self.payment(
                    order, dispatcher, tracker, about_return=False
                )  # e.g. a refund after cancelling
            dispatcher.utter_message(response="utter_return_status_none", order_id=order.id)
            return [remember(tracker, f"Keine Rücksendung zu {order.id} gefunden")]
        asked = start_text(tracker)
        named = [r for r in returns if r.reference.lower() in asked.lower()]
        latest = (named or returns)[-1]
        dispatcher.utter_message(
            response="utter_return_status",
            order_id=order.id,
            return_ref=latest.reference,
            return_text=return_text(order, latest, register(tracker)),
        )
        if asks_label(asked):
            return self.label(order, latest, dispatcher, tracker)
        if names_label(asked) and latest.status == "open" and latest.label_reference:
            # "ist sie angelegt? ich brauche das Etikett" (held-out run 8, e05): how the label comes
            dispatcher.utter_message(text=facts().notice("return_label_on_way", register(tracker)))
        return [remember(tracker, f"Stand der Rücksendung {latest.reference} genannt")]

    def label(
        self, order: shop.Order, ret: ReturnCase, dispatcher: CollectingDispatcher, tracker: Tracker
    ) -> List[EventType]:
        """ "Das Rücksendeetikett ist nicht angekommen, bitte nochmal schicken": the return's state is
        told (above); no shop connector can send a label again, so the bot says so and offers a
        person ("ja" hands over) - unless the parcel has arrived already and no label is needed."""
        if ret.status == "received" or order.payment_status in ("refund_pending", "refunded"):
            return [remember(tracker, f"Etikett zu {ret.reference} erfragt: Rücksendung schon da")]
        what = "resending the return label" if english(tracker) else "Rücksendeetikett neu senden"
        dispatcher.utter_message(response="utter_shop_cannot_here", what=what)
        return [
            remember(
                tracker,
                f"Rücksendeetikett zu {ret.reference} erneut erbeten: kann der Bot nicht senden, "
                f"Team angeboten",
            )
        ]

    async def cancel(
        self, order: shop.Order, dispatcher: CollectingDispatcher, tracker: Tracker
    ) -> List[EventType]:
        """Never cancels here: answers by the order's state and asks (actions/cancellation.py)."""
        request = (task_event(tracker.events)[1] or {}).get("text") or ""
        return [SlotSet("task", "cancel_order")] + offer_cancel(
            order, str(request), dispatcher, tracker
        )

    @staticmethod
    def passed_on(
        order: shop.Order, dispatcher: CollectingDispatcher, tracker: Tracker
    ) -> List[EventType] | None:
        """ "Did you send it to accounting?" with a request open on the order: answered from that
        request and its reference, never "nothing reliable" or the old invoice again (held-out run 8,
        e25). None: no such question, or nothing open."""
        if not asks_passed_on(latest_text(tracker)):
            return None
        open_ = [t for t in order.tickets if t.status == "open" and t.kind != "order_lookup"]
        if not open_:
            return None
        ticket = open_[-1]
        key = "invoice_change_known" if ticket.kind == "invoice_change" else "request_passed_on"
        dispatcher.utter_message(
            text=facts().notice(
                key, register(tracker), order_id=order.id, reference=ticket.reference
            )
        )
        return [remember(tracker, f"Weitergabe von {ticket.reference} bestätigt")]

    async def invoice(
        self, order: shop.Order, dispatcher: CollectingDispatcher, tracker: Tracker
    ) -> List[EventType]:
        """Re-sends the invoice - to the address the customer named, said out loud. A changed invoice
        (company, VAT id, corrections) is honest: the bot cannot issue one, accounting gets a ticket."""
        passed = self.passed_on(order, dispatcher, tracker)
        if passed is not None:
            return passed
        asked = start_text(tracker)
        if followups.PAY_DUE.search(asked) and order.payment_status in ("open", "pending"):
            # "Muss ich die Klarna-Rechnung schon bezahlen?" asks when to pay, not for a copy
            return await self.payment(order, dispatcher, tracker, about_return=False)
        if INVOICE_CHANGE.search(
            re.sub(r"\S+@\S+", " ", asked)
        ):  # "an buchhaltung@firma.de" is no company invoice
            known = next(
                (t for t in order.tickets if t.kind == "invoice_change" and t.status == "open"),
                None,
            )
            if (
                known is not None
            ):  # asked again ("The INVOICE needs my company name"): no second one
                dispatcher.utter_message(
                    text=facts().notice(
                        "invoice_change_known",
                        register(tracker),
                        order_id=order.id,
                        reference=known.reference,
                    )
                )
                return [remember(tracker, f"Rechnungsänderung {known.reference} erneut erbeten")]
            ticket = await shop.create_ticket(order, "invoice_change", asked, tracker)
            dispatcher.utter_message(
                response="utter_invoice_change", order_id=order.id, ticket_ref=ticket.reference
            )
            return [
                remember(
                    tracker,
                    f"Rechnungsänderung zu {order.id} als {ticket.reference} an die Buchhaltung",
                )
            ]
        if not shop.supports(Capability.INVOICES) or not order.invoice_number:
            return shop.not_here(dispatcher, tracker, Capability.INVOICES)
        target = str(tracker.get_slot("invoice_email") or tracker.get_slot("email") or order.email)
        dispatcher.utter_message(
            response="utter_invoice_sent",
            order_id=order.id,
            invoice_no=order.invoice_number,
            amount=shop.euro(order.total_cents),
            email_to=target,
        )
        return [
            SlotSet("invoice_email", None),
            remember(tracker, f"Rechnung {order.invoice_number} an {target} gesendet"),
        ]

    @staticmethod
    def since(
        order: shop.Order, dispatcher: CollectingDispatcher, tracker: Tracker
    ) -> List[EventType]:
        """ "Seit wann?" about the state just told: its date or honestly that the day is not shown
        (followups.since_text); a "what if nothing comes" beside it gets the next step for the money
        (held-out run 8, e13 t2 got only that and the first question was dropped)."""
        dispatcher.utter_message(text=followups.since_text(order, register(tracker)))
        if refund_missing.asks_money_missing(tracker, start_text(tracker)):
            dispatcher.utter_message(text=refund_missing.money_missing_text(tracker))
        return [remember(tracker, f"Seit wann zu {order.id} beantwortet")]

    async def payment(
        self,
        order: shop.Order,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        about_return: bool = True,
    ) -> List[EventType]:
        if about_return and parcel_missing(order, start_text(tracker)):
            # "nie was bekommen, will mein Geld zurück" read as a payment question (run 5, d19)
            return self.lost_parcel(order, dispatcher, tracker, start_text(tracker))
        if about_return and (
            RETURN_STATUS.search(start_text(tracker))
            or refund_of_return(order, start_text(tracker))
        ):
            return await self.return_status(order, dispatcher, tracker)
        switch = followups.switches_method(tracker, latest_text(tracker))
        if switch is not None:  # "lieber PayPal statt Vorkasse" (run 3, d22): not the bank block
            dispatcher.utter_message(text=switch.text, buttons=switch.buttons)
            return [remember(tracker, f"Wechsel der Zahlungsart zu {order.id} gefragt")]
        money = money_when_reply(order, tracker)
        if money is not None:  # "Wann ist das Geld wieder auf meinem Konto?" (run 4, d18)
            dispatcher.utter_message(text=money)
            answered: List[EventType] = [
                remember(tracker, f"Erstattungszeit zu {order.id} genannt")
            ]
            if order.payment_status == "double_charged" and not tracker.get_slot(
                open_request.TICKET
            ):  # the accounts team still has to confirm the double charge
                answered += [
                    SlotSet("handoff_reason", "bot_cannot_act"),
                    FollowupAction("action_handoff"),
                ]
            return answered
        if refund_asked_again(order, tracker):  # "hob i mei Göld jetzt?": not the same state again
            return self.money_next_step(order, dispatcher, tracker)
        # "ich habe doch überwiesen": no bank block again (held-out persona run 3, d01)
        told = not grieving(tracker)
        underway = (
            followups.prepayment_reply(tracker, order, latest_text(tracker)) if told else None
        )
        deadline = payment_deadline(order) if awaits_prepayment(order) else None
        if deadline and fears_cancellation(latest_text(tracker)):
            # "Muss ich fürchten, dass die Bestellung storniert wird?": the fact that reassures first
            dispatcher.utter_message(
                text=facts().text(
                    "notices", "prepayment_no_cancel_yet", register(tracker), date=day(deadline)
                )
            )
            if underway and followups.said_before(tracker, underway):
                return [remember(tracker, f"Sorge um Stornierung von {order.id} beantwortet")]
        if underway:
            dispatcher.utter_message(
                text=underway, buttons=[followups.human_button(register(tracker))]
            )
            return [remember(tracker, f"Überweisung zu {order.id} unterwegs: Buchungszeit genannt")]
        if seen_twice(order, tracker):  # "zwei Abbuchungen bei PayPal" (run 5, d22): a next step
            reg = "en" if english(tracker) else "du" if register(tracker) == "du" else "sie"
            dispatcher.utter_message(
                text=facts().notice(
                    "payment_seen_twice",
                    reg,
                    order_id=order.id,
                    amount=shop.euro(order.total_cents),
                ),
                buttons=[followups.human_button(reg)],
            )
            return [remember(tracker, f"Doppelte Zahlung zu {order.id} gesehen: Prüfung angeboten")]
        dispatcher.utter_message(
            response="utter_payment_status",
            order_id=order.id,
            payment_text=once_note(order, tracker)
            + payment_text(order, register(tracker), grieving(tracker)),
        )
        events: List[EventType] = [
            remember(tracker, f"Zahlungsstatus {order.id}: {order.payment_status}")
        ]
        if order.payment_status == "double_charged":
            dispatcher.utter_message(response="utter_payment_escalate")
            events += [
                SlotSet("handoff_reason", "bot_cannot_act"),
                FollowupAction("action_handoff"),
            ]
        return events


REFUNDING = ("refund_pending", "refunded")


def refund_asked_again(order: shop.Order, tracker: Tracker) -> bool:
    """The money of a cancelled order asked about again after its refund was told (held-out run 7,
    d06: "wo is mei Göld?" got "Die Bestellung wurde storniert." three times)."""
    return (
        order.status == shop.CANCELLED
        and order.payment_status in REFUNDING
        and refund_missing.refund_told(order.id, tracker)
        and refund_missing.names_money(latest_text(tracker))
    )


def refund_of_return(order: shop.Order, text: str) -> bool:
    """ "the money goes back to my credit card, right?" about an order with a return (held-out run 7,
    d17): the return's refund and its way, not "your payment has been received"."""
    return bool(order.returns) and bool(followups.EN_REFUND.search(text or ""))


def money_when_reply(order: shop.Order, tracker: Tracker) -> str | None:
    """ "Wann ist das Geld wieder auf meinem Konto?" about an order whose money comes back (a double
    charge, a refund under way, a cancellation, a lost parcel): the refund's way and usual time, not
    the payment state and a second handoff (held-out persona run 4, d18). Asked again after that: the
    team's answer time with a request open, and honestly that the exact day is not known - never the
    same text twice. None for any other payment question."""
    shapes = (
        followups.MONEY_WHEN,
        followups.EN_MONEY_WHEN,
    )  # "when is the second charge refunded?"
    asked = next(
        (
            t
            for t in (latest_text(tracker), start_text(tracker))
            if any(shape.search(t) for shape in shapes)
        ),
        None,
    )
    if asked is None:
        return None
    if not (
        order.returns or order.payment_status in REFUNDING or followups.refund_case(order, asked)
    ):
        return None
    return followups.refund_when_once(tracker, order, asked)


class ActionChangeAddress(Action):
    def name(self) -> str:
        return "action_change_address"

    @shop.guarded
    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        order = await verified_order(tracker)
        if order is None:
            return [SlotSet("verify_attempts", 0), SlotSet("new_address", None)] + unverified(
                dispatcher, tracker
            )
        # Asks before changing; the "ja" is carried out by actions/answers.py.
        return offer_address(order, dispatcher, tracker)
