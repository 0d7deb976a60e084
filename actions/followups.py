"""Follow-up questions answered from the order on the table, not from the FAQ block (issue 22.5, 22.10).

After the bot has told where an order is, "geht das auch schneller?", "kriege ich das Porto zurück?"
or "und wann ist die Kohle wieder da?" read as FAQ questions (delivery time, return policy) and got
the stock text for everyone. With a verified order in the conversation they are about that order:
its delivery date and whether express still helps, the shipping costs it actually had, the way its
refund goes back. A defect after the return period gets the 2-year warranty, not the 30-day return.

`answer` returns the text to say, or None when the FAQ answer is right after all (no order, another
kind of question, an English-writing customer: the English FAQ variants stay).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Dict, List

from rasa_sdk import Tracker

from actions import shop
from actions.common import day, facts, register, verified_order
from actions.payment_facts import (
    NOT_PAID,
    PAYMENT_ASKED,
    awaits_prepayment,
    cancel_payment_key,
    cancel_payment_text,
    method_change_text,
    method_key,
    paid_claimed,
    payment_deadline,
    prepayment_text,
    refund_way,
    refund_way_of,
    transfer_underway_text,
)
from actions.refund_missing import refund_told_before
from bot.dialogue.focus import shaped_follow_up
from bot.dialogue.payment_questions import METHOD_SWITCH, changes_method
from bot.dialogue.time_asked import asks_since_when
from bot.shop.backend import ShopError

FASTER = re.compile(r"(?i)schneller|express|eilig|fr(?:ü|ue)her|beschleunig|flotter|z(?:ü|ue)giger")
COST = re.compile(r"(?i)kost\w*|preis\w*|teuer\w*|geb(?:ü|ue)hr\w*|aufpreis")
WHEN_EXACTLY = re.compile(
    r"(?i)\bwann\b.{0,30}\b(?:genau|kommt|ist\s+(?:es|das|sie|er)\s+da|da\b)|\bwelche[mn]?\s+tag\b"
)
# "…, und wann wird sie dann geliefert?": when the order arrives, asked next to another request.
DELIVERY_WHEN = re.compile(
    r"(?i)\bwann\b.{0,40}\b(?:geliefert|zugestellt|ankomm\w*|kommt|da)\b|"
    r"\bliefer(?:termin|datum|zeit)\b"
)
SHIPPING_REFUND = re.compile(
    r"(?i)(?:versand\w*|porto|lieferkosten).{0,40}(?:erstatt\w*|zur(?:ü|ue|u)ck|wieder)|"
    r"(?:erstatt\w*|zur(?:ü|ue|u)ck).{0,40}(?:versand\w*|porto|lieferkosten)"
)
MONEY_WHEN = re.compile(
    r"(?i)(?:\bwann\b|wie\s+lange|dauert|\bwohin\b|\bwo\s+hin\b|auf\s+welche\w*\s+(?:konto|karte))"
    r".{0,60}(?:geld|erstatt\w*|r(?:ü|ue)ckzahlung|betrag|kohle|gutschrift|kontoauszug|"
    r"(?:auf|in)\s+(?:meinem|meiner|dem|der|mein)\s+(?:konto|karte|abrechnung))|"
    r"(?:geld|betrag)\s+(?:\w+\s+)?(?:zur(?:ü|ue|u)ck|wieder)|"
    r"(?:geld|erstattung|kohle).{0,40}(?:\bwann\b|wie\s+lange|\bwohin\b)"
)
# Where and until when to pay an unpaid prepayment order ("An welches Konto soll ich überweisen?").
PAY_TO = re.compile(
    r"(?i)\b(?:iban|bic|bankverbindung|kontonummer|kontodaten|konto|verwendungszweck|frist|"
    r"zahlungsziel)\b|(?:ü|ue)berweis\w*|\bbis\s+wann\b|\b(?:zahlungs)?beleg\w*"
)
# "Bis wann muss ich zahlen?", "Muss ich die Klarna-Rechnung schon bezahlen?": when this order's
# payment is due (its payment state), not a resent invoice or the payment methods.
PAY_DUE = re.compile(
    r"(?i)\bbis\s+wann\b.{0,30}(?:be)?zahl|\b(?:muss|soll)\s+ich\b.{0,60}\b(?:be)?zahlen\b|"
    r"\bwann\b.{0,30}\bf(?:ä|ae)llig|zahlungsfrist|zahlungsziel|"
    # "kann ich zahlen, wenn es da ist, oder muss ich vorher?" (held-out persona run 4, d26)
    r"\b(?:be)?zahl\w*\b.{0,60}\b(?:vorher|vorab|im\s+voraus)\b|"
    r"\b(?:vorher|vorab|im\s+voraus)\b.{0,30}\b(?:be)?zahl|"
    r"\berst\s+(?:\w+\s+)?(?:be)?zahl\w*\W+wenn\b.{0,40}\b(?:da|angekommen|ankommt|geliefert)\b"
)
PAY_BY = re.compile(r"(?i)\bbis\s+wann\b|\bfrist\b|zahlungsziel|wie\s+lange\s+(?:habe?|hab)\s+ich")
# "Was habe ich insgesamt bezahlt?": the order's total and how it was paid.
TOTAL_ASKED = re.compile(
    r"(?i)\b(?:was|wie\s*viel)\s+(?:habe?|hab)\s+ich\s+(?:\w+\s+){0,2}(?:bezahlt|gezahlt)|"
    r"gesamt(?:betrag|summe|preis)|\bwas\s+hat\s+(?:das|die\s+bestellung)\s+(?:\w+\s+)?gekostet"
)
# A refund named by the way it was paid ("und bei PayPal?", "wie lange dauert das bei der Kreditkarte?").
REFUND_WORDS = re.compile(
    r"(?i)geld\s+(?:\w+\s+){0,3}(?:zur(?:ü|ue|u)ck|wieder)\b|zur(?:ü|ue|u)ckbekomm\w*|zur(?:ü|ue|u)ckkrieg\w*|"
    r"erstatt\w*|r(?:ü|ue)ckzahlung|gutschrift|kohle|\bgeld\s+(?:geht|kommt|landet|flie(?:ß|ss)t)\b"
)
METHOD_NAMES = {
    "klarna": "Klarna",
    "paypal": "PayPal",
    "card": "Kreditkarte",
    "debit": "SEPA-Lastschrift",
    "prepayment": "Vorkasse",
}
EN_METHOD_NAMES = {
    "klarna": "Klarna",
    "paypal": "PayPal",
    "card": "a credit card",
    "debit": "SEPA direct debit",
    "prepayment": "prepayment",
}
# English: where the money of a refund goes ("will the refund go back to my card?", "does the money
# go back onto my Visa?"); with a payment way named, that way's refund text (company.yml `refunds`).
EN_REFUND = re.compile(
    r"(?i)\brefund\w*|\breimburs\w*|\bmoney\b.{0,40}\bback\b|\b(?:go|goes|come|comes)\s+back\b|"
    r"\bpaid\s+back\b"
)
# "Wenn ich etwas zurückschicke, zahle ich dann weniger?" (a Klarna invoice not paid yet): how the
# refund of this order's payment method works, not the return policy.
PAY_LESS = re.compile(
    r"(?i)\bweniger\b.{0,20}\b(?:be)?zahl|\b(?:be)?zahl\w*\b.{0,30}\bweniger\b|"
    r"\brechnung\b.{0,40}\b(?:angepasst|anpass\w*|reduziert|gek(?:ü|ue)rzt|weniger)\b|"
    r"\b(?:muss|soll)\s+ich\b.{0,30}\b(?:trotzdem|alles|den\s+ganzen\s+betrag)\b.{0,20}\b(?:be)?zahlen"
)
DEFECT = re.compile(
    r"(?i)kaputt|defekt|besch(?:ä|ae)digt|riss|gerissen|\bloch\b|l(?:ö|oe)st\s+sich|undicht|"
    r"mangel|funktioniert\s+nicht|geht\s+nicht\s+mehr|abgebrochen|gebrochen|naht"
)
_NUMBER_WORDS = {
    "ein": 1,
    "einem": 1,
    "einer": 1,
    "zwei": 2,
    "drei": 3,
    "vier": 4,
    "fünf": 5,
    "fuenf": 5,
    "sechs": 6,
    "sieben": 7,
    "acht": 8,
    "neun": 9,
    "zehn": 10,
    "halben": 0.5,
}
_UNIT_DAYS = {"tag": 1, "woche": 7, "monat": 30, "jahr": 365}
ELAPSED = re.compile(
    r"(?i)\b(?:nach|seit|vor)\s+(?:(?:über|ueber|gut|knapp|etwa|ca\.?)\s+)?(ein\w*\s+halben|\d+|[a-zäöü]+)\s+"
    r"(tag|woche|monat|jahr)\w*"
)
LATE_WORDS = re.compile(r"(?i)abgelaufen|vorbei|verstrichen|nach\s+ablauf|zu\s+sp(?:ä|ae)t")
COMPLAINT = {"title": "Problem mit Artikel", "payload": "/complaint"}
HUMAN = {"title": "Zum Kundenservice", "payload": "/request_human"}


def human_button(reg: str) -> Dict[str, Any]:
    """The button to a person, titled in the customer's language."""
    return {**HUMAN, "title": "Customer service"} if reg == "en" else HUMAN


@dataclass(frozen=True)
class Reply:
    text: str
    buttons: List[Dict[str, Any]] = field(default_factory=list)
    form: str | None = None  # a flow to start after the text (outside a form)


# "Was brauchen Sie dafür von mir?" right after an answer that offered a complaint (the warranty).
NEEDS = re.compile(
    r"(?i)\bwas\s+(?:brauchen|ben(?:ö|oe)tigen)\s+(?:sie|ihr)|\bwas\s+brauchst\s+du|"
    r"\bwas\s+muss\s+ich\s+(?:da(?:f(?:ü|ue)r)?\s+)?(?:tun|machen|schicken|angeben|einreichen)|"
    r"\bwie\s+geht\s+(?:es|das)\s+(?:jetzt\s+|dann\s+)?weiter|\bwie\s+(?:gehe|mache)\s+ich\s+das"
)
NEEDS_FOR_COMPLAINT = {
    "sie": "Gern – für die Reklamation brauche ich Ihre Bestellnummer und die E-Mail-Adresse, mit der "
    "Sie bestellt haben; danach beschreiben Sie kurz den Mangel. Ein Foto hilft unserem Team.",
    "du": "Gern – für die Reklamation brauche ich deine Bestellnummer und die E-Mail-Adresse, mit der "
    "du bestellt hast; danach beschreibst du kurz den Mangel. Ein Foto hilft unserem Team.",
}


def offered_complaint(tracker: Tracker) -> bool:
    """Whether the bot's answer just before offered to take a complaint (the "Problem mit Artikel" button)."""
    events = list(tracker.events or [])
    users = [i for i, e in enumerate(events) if e.get("event") == "user"]
    before = events[users[-2] + 1 : users[-1]] if len(users) >= 2 else []
    return any(
        button.get("payload") == COMPLAINT["payload"]
        for e in before
        if e.get("event") == "bot"
        for button in (e.get("data") or {}).get("buttons") or []
    )


FAQ_KEYS = (
    "delivery_time",
    "shipping_costs",
    "return_policy",
    "withdrawal",
    "payment_methods",
    "invoice_due",  # "wann ist die Klarna-Rechnung fällig?" with the order on the table: its state
)


def elapsed_days(text: str) -> float | None:
    """ "nach 40 Tagen", "seit zwei Monaten", "vor einem halben Jahr": days the customer says passed."""
    match = ELAPSED.search(text)
    if not match:
        return None
    amount, unit = match.group(1).lower(), match.group(2).lower()
    if amount.endswith("halben"):
        amount = "halben"
    number = float(amount) if amount.isdigit() else _NUMBER_WORDS.get(amount)
    return None if number is None else number * _UNIT_DAYS[unit]


def after_return_period(text: str, order: shop.Order | None, on: date) -> bool:
    """A defect reported after the return period: said so, or the order was delivered longer ago."""
    days = int(facts().lookup("returns.days") or 30)
    said = elapsed_days(text)
    if said is not None:
        return said > days
    delivered = order.delivered_at if order is not None else None
    if delivered is not None and (on - delivered.date()).days > days:
        return True
    return bool(LATE_WORDS.search(text))


def late_return(order: shop.Order, reg: str) -> Reply:
    """A return asked for after the return period: no return; a defect is the 2-year warranty,
    taken as a complaint (the button starts it)."""
    text = facts().notice(
        "return_period_over",
        reg,
        days=facts().lookup("returns.days") or 30,
        order_id=order.id,
        date=day(order.delivered_at),
    )
    return Reply(text, [COMPLAINT])


def shipping_cents(order: shop.Order) -> int:
    """What the order paid for shipping: its total beyond the items (0 when it shipped free)."""
    items = sum(item.price_cents * item.quantity for item in order.items)
    return max(0, order.total_cents - items) if items else 0


def delivery_text(order: shop.Order, on: date) -> str:
    """When this order arrives, as far as the shop knows (register-neutral)."""
    expected = order.expected_delivery
    if awaits_prepayment(order):
        return prepayment_text(order)
    if order.status == shop.DELIVERED:
        return f"Die Bestellung {order.id} wurde am {day(order.delivered_at)} zugestellt."
    if order.status == shop.CANCELLED:
        return f"Die Bestellung {order.id} ist storniert; es kommt nichts mehr."
    if order.status == shop.SHIPPED:
        if expected is not None and expected.date() < on:
            return (
                f"Das Paket zu {order.id} hätte am {day(expected)} ankommen sollen und ist noch mit "
                f"{order.carrier} unterwegs (Sendungsnummer {order.tracking_number}). Einen genauen Tag "
                "kann ich leider nicht versprechen; ein Kollege kann bei DHL nachforschen lassen."
            )
        when = f"voraussichtlich am {day(expected)}" if expected else "in den nächsten Tagen"
        return (
            f"Das Paket zu {order.id} ist mit {order.carrier} unterwegs und kommt {when} an "
            f"(Sendungsnummer {order.tracking_number}; den Tag genauer zeigt die Sendungsverfolgung)."
        )
    when = (
        f"geplant ist die Zustellung am {day(expected)}" if expected else "sie geht in Kürze raus"
    )
    return f"Die Bestellung {order.id} ist noch nicht verschickt; {when}."


def faster_text(order: shop.Order, on: date) -> str:
    """Whether express still helps this order (it cannot once the parcel is with the carrier)."""
    express = facts().lookup("shipping.express_cost")
    express_days = facts().lookup("shipping.express_days")
    if order.status == shop.PROCESSING and not awaits_prepayment(order):
        return (
            delivery_text(order, on)
            + " Auf Express umstellen kann ich eine laufende Bestellung hier leider nicht selbst – "
            "ein Kollege aus dem Team kann prüfen, ob das noch geht. Bei künftigen Bestellungen "
            f"kostet Express {express} und dauert {express_days}."
        )
    if order.status == shop.SHIPPED:
        return (
            "Schneller geht es jetzt leider nicht mehr: Das Paket ist schon beim Zusteller. "
            + delivery_text(order, on)
        )
    return delivery_text(order, on)


def shipping_refund_text(order: shop.Order, reg: str) -> str:
    """Whether this order's shipping costs come back, and that the return itself costs nothing."""
    label = facts().lookup("returns.label")
    cost = shipping_cents(order)
    free = "ist für dich kostenlos" if reg == "du" else "ist für Sie kostenlos"
    if cost == 0:
        return (
            f"Für die Bestellung {order.id} sind keine Versandkosten angefallen (ab "
            f"{facts().lookup('shipping.free_from')} liefern wir versandkostenfrei), und auch die "
            f"Rücksendung {free} – mit unserem {label}."
        )
    return (
        f"Die Versandkosten der Bestellung {order.id} ({shop.euro(cost)}) erstatten wir mit, wenn die "
        f"ganze Bestellung zurückgeht; bei einem Teil der Bestellung bleiben sie bestehen. Die "
        f"Rücksendung selbst {free} – mit unserem {label}."
    )


def refund_when_text(
    order: shop.Order, reg: str, text: str = "", on: date | None = None, lost: bool = False
) -> str:
    """When and how this order's money comes back: after the return arrives, the way it was paid; for
    a double charge, a cancellation or a lost parcel the way that case goes (`refund_case`; `lost`:
    the customer said the delivered parcel never came)."""
    if order.returns or order.payment_status in ("refund_pending", "refunded"):
        # the state of the refund itself: orders.return_text / payment_text say it
        from actions.orders import payment_text, return_text

        if order.returns:
            return return_text(order, order.returns[-1], reg)
        return payment_text(order, reg)
    case = refund_case(order, text, on, lost)
    if case is not None:  # no return on the table: the money question is about this case
        values = {
            "order_id": order.id,
            "amount": shop.euro(order.total_cents),
            "total": shop.euro(2 * order.total_cents),
            "carrier": order.carrier or "dem Paketdienst",
            "refund_way": refund_way(order, reg),
        }
        if case == "cancelled" and cancel_payment_key(order) in UNPAID_CANCEL:
            case, values["payment"] = "cancelled_unpaid", cancel_payment_text(order, reg)
        told = facts().text("refund_cases", case, reg, **values)
        if told:
            return told
    return (
        f"Sobald die Rücksendung zu {order.id} bei uns ist, erstatten wir den Betrag innerhalb von "
        f"5 Werktagen. Die Erstattung {refund_way(order, reg)}"
    )


# Cancelled with nothing paid: "you pay nothing", not "if you have paid, we refund".
UNPAID_CANCEL = ("nothing_received", "invoice_void", "released")


def refund_when_once(tracker: Tracker, order: shop.Order, text: str) -> str:
    """`refund_when_text`, or asked again after it was told ("Wann. Ist. Das. Geld. Da."): honestly
    that the exact day is not known, with the team's answer time when a request is open - never the
    same text twice (held-out persona run 4, d18/d24)."""
    from actions import open_request

    reg = register(tracker)
    told = refund_when_text(order, reg, text, today(), parcel_lost(tracker, order))
    if not said_before(tracker, told):
        return told
    ticket = tracker.get_slot(open_request.TICKET)
    way = refund_way(order, reg)
    unknown = str(facts().notice("refund_day_unknown", reg, refund_way=way))
    return unknown + (" " + open_request.when_text(tracker, str(ticket)) if ticket else "")


def parcel_lost(tracker: Tracker, order: shop.Order) -> bool:
    """Whether the bot gave the delivered-but-missing checklist for this order in this chat."""
    from actions.orders import lost_note

    return lost_note(order.id) in (tracker.get_slot("bot_actions") or [])


# After the delivered-but-missing checklist: the places looked in, or that it never came.
CHECKED_MISSING = re.compile(
    r"(?i)\bnachbar\w*|\bbriefkasten|\bpaketkasten|\bablageort|\bnirgend\w*|\bnicht\s+(?:\w+\s+)?da\b|"
    r"\bnie\s+(?:\w+\s+)?(?:bekommen|erhalten|angekommen|gesehen)|\bnicht\s+(?:gefunden|aufgetaucht)"
)


async def lost_parcel_checked(tracker: Tracker, reg: str) -> Reply | None:
    """The trace and that nothing goes back, once, after the checklist for the verified order."""
    try:
        order = await verified_order(tracker)
    except ShopError:
        return None
    if order is None or not parcel_lost(tracker, order):
        return None
    told = facts().notice("lost_parcel_checked", reg, carrier=order.carrier or "DHL")
    return None if said_before(tracker, told) else Reply(told, [human_button(reg)])


def refund_case(
    order: shop.Order, text: str = "", on: date | None = None, lost: bool = False
) -> str | None:
    """The company.yml `refund_cases` key for a money question on an order without a return: a double
    charge, a cancelled order, one not shipped yet unless the customer speaks of sending something
    back (then only a cancellation brings money back), one overdue or said to be lost (replacement or
    refund after a trace); None for the return answer."""
    from actions.orders import overdue

    if order.payment_status == "double_charged":  # cancelled: both debits come back (run 4, d05)
        return "double_cancelled" if order.status == shop.CANCELLED else "double_charged"
    if order.status == shop.CANCELLED:
        return "cancelled"
    if lost and order.status in (shop.SHIPPED, shop.DELIVERED):
        # never came although 'delivered' (run 5, d19): "wie soll ich was zurückschicken?" is no return
        return "in_transit"
    if RETURN_TALK.search(text):
        return None
    if order.status == shop.PROCESSING:
        return "before_shipping"
    if order.status == shop.SHIPPED and (overdue(order, on) or LOST.search(text)):
        return "in_transit"
    return None


# Sending something back: the return answer. A parcel that may be lost: the trace answer.
RETURN_TALK = re.compile(
    r"(?i)zur(?:ü|ue|u)ck\s*(?:schick|send|geb)\w*|r(?:ü|ue)cksend\w*|retour\w*|umtausch\w*"
)
LOST = re.compile(
    r"(?i)\bverloren\w*|\bweg\s+ist|\bwirklich\s+weg\b|\bnicht\s+an(?:kommt|kommen|gekommen)\b|"
    r"\bnachforschung\w*|\bverschwunden\b|\bverschollen\b"
)


def said_before(tracker: Tracker, text: str) -> bool:
    """Whether the bot already said this text in the conversation."""
    return any(e.get("event") == "bot" and text in str(e.get("text") or "") for e in tracker.events)


def since_text(order: shop.Order, reg: str) -> str:
    """ "Seit wann?" about the order's state (held-out run 8, e06/e13): a refund's day is not in the
    shop's data, so honestly that, with the return's date and the usual time; a parcel on its way
    its shipping date; anything else an honest "the exact date I cannot see"."""
    if order.payment_status in ("refund_pending", "refunded"):
        text = facts().notice("since_refund", reg, refund_way=refund_way(order, reg))
        if order.returns:
            ret = facts().notice("since_return", reg, date=day(order.returns[-1].created_at))
            text = f"{ret} {text}"
        return text
    if order.status == shop.SHIPPED and order.shipped_at is not None:
        return facts().notice(
            "since_shipped", reg, date=day(order.shipped_at), carrier=order.carrier or "DHL"
        )
    return facts().notice("since_unknown", reg)


def lost_refund(order: shop.Order | None, text: str) -> bool:
    """ "Falls das Paket verloren ist, bekomme ich mein Geld auf PayPal zurück?" about a parcel still
    on its way (held-out run 8, e03 t4 got "Zahlung eingegangen"): the lost-parcel money facts."""
    return (
        order is not None
        and order.status == shop.SHIPPED
        and bool(LOST.search(text) and REFUND_WORDS.search(text))
    )


def deadline_text(order: shop.Order) -> str:
    """Until when an unpaid prepayment order waits for the money (the account was told already)."""
    deadline = payment_deadline(order)
    if deadline is None:
        return prepayment_text(order)
    return (
        f"Das Geld muss bis zum {day(deadline)} bei uns eingegangen sein – eine Überweisung braucht "
        f"meist 1–2 Werktage. Kommt bis dahin keine Zahlung, wird die Bestellung {order.id} storniert; "
        "sobald das Geld da ist, geht das Paket in den Versand."
    )


# Ways the shop does not take, though some read as a listed one (Amex is a card): never a "yes".
NOT_LISTED = re.compile(
    r"(?i)american\s+express|amex|diners|bitcoin|krypto|apple\s*pay|google\s*pay"
)
ON_INVOICE = re.compile(r"(?i)auf\s+rechnung|rechnungskauf|kauf\s+auf\s+rechnung")


# A card named as a way to pay: "Kreditkarte", "Visa", "mit der Karte bezahlt" - not any "karte"
# ("Benachrichtigungskarte", "karte auch nicht", held-out persona run 3, d23).
CARD_NAMED = re.compile(
    r"(?i)kredit\w*|credit|visa|master|amex|american\s+express|\bec[\s-]?karte|"
    r"\b(?:mit|per|auf|(?:ü|ue)ber|bei)\s+(?:der\s+|die\s+|meine[rn]?\s+|deine[rn]?\s+)?karte\b|"
    r"\b(?:my|the|that|by|with|onto|on|to)\s+card\b"
)


def named_method(text: str) -> str | None:
    """The payment way a message names ("bei PayPal", "mit Klarna auf Rechnung"), or None."""
    key = method_key(text)
    if key == "card" and not CARD_NAMED.search(text):
        key = method_key(re.sub(r"(?i)\w*karte\w*|\bcard\b", " ", text))  # another way, or none
    if key == "other" and ON_INVOICE.search(text):
        return "klarna"  # buying on invoice is Klarna's
    return key if key in METHOD_NAMES else None


def method_yes_text(key: str, reg: str) -> str:
    """ "und auf Rechnung geht auch?" after the payment methods: yes, that way, not the list again."""
    label = "Kauf auf Rechnung über Klarna" if key == "klarna" else METHOD_NAMES[key]
    text = f"Ja, {label} geht bei uns."
    if key == "klarna":
        text += (
            " Du zahlst erst, wenn die Ware bei dir ist – innerhalb von 30 Tagen."
            if reg == "du"
            else " Sie zahlen erst, wenn die Ware bei Ihnen ist – innerhalb von 30 Tagen."
        )
    return text


# Payment questions read from their own words, which rule a refund out (bot/dialogue/payment_questions.py):
# "ihr verschickt erst wenn die kohle da is?" about prepayment is no refund (held-out run 7, d20 t5 got
# the Vorkasse refund text); "zieht ihr die kohle gleich ein?" asks when a debit is taken (run 8, e12).
NOT_REFUNDS = frozenset({"prepayment", "pay_later", "invoice_due", "charge_timing", "payment_fees"})


def about_refunds(tracker: Tracker, text: str) -> bool:
    """Whether the message is about getting money back: its own words, or the bot's answer just before
    was a refund ("und bei PayPal?" after the Klarna refund)."""
    return bool(REFUND_WORDS.search(text)) or refund_told_before(tracker)


def method_refund_text(key: str, reg: str) -> str:
    """How a refund comes back for one payment way, no order needed (company.yml `refunds`)."""
    if reg == "en":
        return f"If you paid with {EN_METHOD_NAMES[key]}: the refund {refund_way_of(key, reg)}"
    return f"Bei Zahlung mit {METHOD_NAMES[key]}: Die Erstattung {refund_way_of(key, reg)}"


def needs_the_order(tracker: Tracker, key: str | None) -> bool:
    """Whether `answer` would look at the verified order for this message (the shop is asked:
    only the action server does that, bot/rasa_plugins/local_actions.py)."""
    if not tracker.get_slot("verified_order"):
        return False
    text = str((tracker.latest_message or {}).get("text") or "")
    if register(tracker) == "en":
        return bool(EN_MONEY.search(text))  # answer_english
    if asks_since_when(text) or (LOST.search(text) and REFUND_WORDS.search(text)):
        return True  # "seit wann?", "falls es verloren ist, Geld zurück?": from the order
    if key is not None and key not in FAQ_KEYS:
        return False
    shapes = (
        SHIPPING_REFUND,
        MONEY_WHEN,
        PAY_LESS,
        PAY_DUE,
        FASTER,
        WHEN_EXACTLY,
        DEFECT,
        PAY_TO,
        PAYMENT_ASKED,
        TOTAL_ASKED,
    )
    return any(shape.search(text) for shape in shapes)


# The money named as an amount or currency: "the extra 189 euros", "€ 79.90", "the second debit"
# (held-out run 7, d12: "How long until I get the extra 189 euros back?" named no "money").
EN_WHEN = r"\b(?:when|how\s+(?:long|soon))\b"
EN_AMOUNT = (
    r"(?:\d+(?:[.,]\d{1,2})?\s*(?:€|eur\b|euros?\b)|€\s*\d+|\beuros?\b|\bdebit\w*|\bcharge\w*|"
    r"\bmoney\b)"
)
# English: "do I still have to pay the invoice?", "will Klarna send me a bill?", "when is my refund?"
EN_MONEY = re.compile(
    r"(?i)\b(?:have|need)\s+to\s+pay\b|\bstill\s+(?:pay|owe|be\s+charged)\b|"
    r"\b(?:send|get|receive)\w*\s+(?:me\s+)?(?:a|an|the)\s+(?:bill|invoice|reminder)\b|"
    r"\brefund\w*\b|\bmoney\s+back\b|\bpay\s+(?:for\s+)?(?:it|that|the\s+invoice)\b|"
    rf"{EN_WHEN}.{{0,60}}{EN_AMOUNT}"
)
# English "when is the money back?": MONEY_WHEN's question in English (actions/orders.py).
EN_MONEY_WHEN = re.compile(
    r"(?i)\b(?:when|how\s+long)\b.{0,40}\b(?:money|refund\w*|charge\w*|paid\s+back)\b|"
    rf"{EN_WHEN}.{{0,60}}{EN_AMOUNT}.{{0,20}}\bback\b|"
    r"\bmoney\s+back\b|\brefund\w*\b.{0,30}\b(?:when|how\s+long)\b"
)


async def answer_english(tracker: Tracker, text: str) -> Reply | None:
    """An English money question about a cancelled or double-charged order (held-out persona run 2,
    d21: "do I have to pay the Klarna invoice or not?" got the payment-methods list): what the
    customer pays or gets back. Other English follow-ups keep the English FAQ answer."""
    if paid_claimed(text):  # "I transferred it yesterday" (held-out run 5, d17): not booked yet
        try:
            unpaid = await verified_order(tracker)
        except ShopError:
            unpaid = None
        if unpaid is not None and awaits_prepayment(unpaid):
            underway = transfer_underway_text(unpaid, "en")
            if underway and not said_before(tracker, underway):
                return Reply(underway, [human_button("en")])
    if not EN_MONEY.search(text):
        return None
    try:
        order = await verified_order(tracker)
    except ShopError:
        return None
    if (
        order is not None
        and order.payment_status == "double_charged"
        and not RETURN_TALK.search(text)
    ):
        # "how long until the money is back?" after a double charge (held-out run 6, d07): the
        # double-charge refund with its way and time, not the 30-day return policy
        return Reply(refund_when_once(tracker, order, text))
    if order is not None and order.returns and EN_REFUND.search(text):
        # "the refund for the return - where does that money go?" (held-out run 7, d17): the
        # return's state with the refund's way, not the 30-day return policy
        from actions.orders import return_text  # orders imports this module

        return Reply(return_text(order, order.returns[-1], "en"))
    if order is None or order.status != shop.CANCELLED:
        return None
    return Reply(refund_when_text(order, "en", text, today()))


def switches_method(tracker: Tracker, text: str) -> Reply | None:
    """ "Kann ich statt Klarna mit PayPal zahlen?" with an order on the table: whether its payment
    method can be switched (company.yml notice payment_method_change), never the checkout help or
    "Kauf auf Rechnung geht". Without an order it is a question about the ways (the FAQ answer),
    unless it asks to change the method in so many words ("Zahlungsart ändern": a placed order)."""
    if not METHOD_SWITCH.search(text):
        return None
    named = any(
        e.get("entity") == "order_id" for e in (tracker.latest_message or {}).get("entities") or []
    )
    on_table = tracker.get_slot("verified_order") or tracker.get_slot("order_id") or named
    if not on_table and not changes_method(text):  # "statt Klarna mit PayPal?" before ordering
        return None
    return Reply(method_change_text(register(tracker)), [human_button(register(tracker))])


# "An welches Konto soll ich überweisen?", "Wie ist die IBAN?": the account is asked for, so it is
# given - whatever was said before.
ASKS_ACCOUNT = re.compile(
    r"(?i)\b(?:welche[sm]?|an\s+welches|wohin|wie\s+(?:ist|lautet))\b.{0,30}"
    r"\b(?:konto|iban|bankverbindung|kontonummer|account)\b|\b(?:iban|bankverbindung|kontonummer)\b\s*\?"
)


# The account itself named ("die Kontodaten nochmal"): the bank block is what is asked for.
ACCOUNT_WORDS = re.compile(
    r"(?i)\b(?:iban|bic|bankverbindung|kontonummer|kontodaten|konto|verwendungszweck|empf(?:ä|ae)nger)\b"
)


def prepayment_reply(tracker: Tracker, order: shop.Order, text: str) -> str | None:
    """An unpaid prepayment order whose customer says he has paid: the booking time, the order
    waits, a person to check (run 3, d01) - not the bank block again. Asked once more ("wie lange
    dauert so eine Überweisung?"), the part of it that answers; asked for the account, None."""
    if ASKS_ACCOUNT.search(text):
        return None
    if NOT_PAID.search(text):  # "i hob NED überwiesen, noch nicht!" undoes a claim read before
        return None
    said = [str(e.get("text") or "") for e in tracker.events if e.get("event") == "user"]
    if not any(paid_claimed(earlier) for earlier in [text, *said]):  # "… schon überwiesen" before
        return None
    underway = transfer_underway_text(order, register(tracker))
    if underway and said_before(tracker, underway):
        receipt = receipt_text(order, register(tracker)) if RECEIPT.search(text) else None
        if receipt and not said_before(tracker, receipt):  # "Muss ich den Beleg schicken?"
            return receipt
        return shaped_follow_up(underway, text, bare=False) or underway  # the booking time
    return underway


# The transfer receipt asked about after the booking time was told (held-out persona run 6, d01).
RECEIPT = re.compile(
    r"(?i)\b(?:\w*beleg\w*|nachweis\w*|quittung\w*|screenshot\w*|receipt\w*|proof)\b"
)


def receipt_text(order: shop.Order, reg: str) -> str | None:
    """Whether to send the transfer receipt: no, waiting is enough (company.yml notice
    prepayment_receipt); None when the order does not wait for a transfer."""
    deadline = payment_deadline(order) if awaits_prepayment(order) else None
    if deadline is None:
        return None
    return facts().notice("prepayment_receipt", reg, order_id=order.id, date=day(deadline))


def today() -> date:
    """The shop's date (tests move it)."""
    return datetime.utcnow().date()


async def answer(tracker: Tracker, key: str | None, text: str) -> Reply | None:
    """The order's own answer to a follow-up FAQ question, or None for the FAQ answer. `key` None:
    a message the NLU did not read as a FAQ question (a product question, not understood) that may
    still be a follow-up ("geht das irgendwie schneller?")."""
    reg = register(tracker)
    switch = switches_method(tracker, text)
    if switch is not None:
        return switch
    method = named_method(text)
    if reg == "en":
        if method and EN_REFUND.search(text):  # "will it go back to my credit card?" (run 4, d19)
            return Reply(method_refund_text(method, reg))
        return await answer_english(tracker, text)
    if NEEDS.search(text) and offered_complaint(tracker):  # start what was offered (22.10)
        return Reply(NEEDS_FOR_COMPLAINT["du" if reg == "du" else "sie"], form="complaint_form")
    if asks_since_when(text) or LOST.search(text):  # "seit wann?", "falls es verloren ist …"
        try:
            order_now = await verified_order(tracker)
        except ShopError:
            order_now = None
        if order_now is not None and asks_since_when(text):
            return Reply(since_text(order_now, reg))
        if lost_refund(order_now, text) and order_now is not None:  # replacement or refund
            return Reply(refund_when_text(order_now, reg, text, today()), [human_button(reg)])
    if method and key not in NOT_REFUNDS and about_refunds(tracker, text):  # the way named
        return Reply(method_refund_text(method, reg))
    if CHECKED_MISSING.search(text):  # "nicht beim Nachbarn, nicht im Briefkasten" (run 5, d19)
        checked = await lost_parcel_checked(tracker, reg)
        if checked is not None:
            return checked
    if key is not None and key not in FAQ_KEYS:
        return None
    listed = str(facts().text("faq", "payment_methods", reg) or "")
    if (
        key == "payment_methods"
        and method
        and not NOT_LISTED.search(text)
        and listed
        and said_before(tracker, listed)
    ):
        return Reply(method_yes_text(method, reg))  # a way named after the list was given
    try:
        order = await verified_order(tracker)
    except ShopError:
        order = None  # the FAQ answer still holds
    on = today()
    if key in ("return_policy", "withdrawal") and DEFECT.search(text):
        if after_return_period(text, order, on):
            return Reply(str(facts().text("faq", "warranty_after_returns", reg)), [COMPLAINT])
    if order is None:
        return None
    if awaits_prepayment(order) and PAY_TO.search(text):  # the account and the deadline
        if PAY_BY.search(text) and said_before(tracker, prepayment_text(order)):
            return Reply(deadline_text(order))  # "bis wann?" after the account was given
        underway = prepayment_reply(tracker, order, text)
        if underway:  # "ich habe doch überwiesen", "Überweisungsbeleg schicken?" (run 3, d01)
            return Reply(underway, [human_button(reg)])
        if said_before(tracker, prepayment_text(order)) and not ACCOUNT_WORDS.search(text):
            # "Also muss ich nichts überweisen?" after the bank block (run 4, d23): what happens
            # without the money, not the account again
            return Reply(deadline_text(order))
        return Reply(prepayment_text(order))
    due = PAY_DUE.search(text) and not PAY_LESS.search(text)  # "trotzdem alles zahlen?": a refund
    if due and order.payment_status in ("open", "pending"):
        from actions.orders import payment_text  # the order's payment state, as the status says it

        return Reply(payment_text(order, reg))
    if SHIPPING_REFUND.search(text):
        return Reply(shipping_refund_text(order, reg))
    if MONEY_WHEN.search(text):
        return Reply(refund_when_once(tracker, order, text))
    if PAY_LESS.search(text):
        return Reply(refund_when_text(order, reg, text, on, parcel_lost(tracker, order)))
    if PAYMENT_ASKED.search(text) or TOTAL_ASKED.search(
        text
    ):  # "Zahlung eingegangen?", "insgesamt?"
        from actions.orders import payment_text  # orders imports this module's callers

        mine = "deiner" if reg == "du" else "Ihrer"
        return Reply(f"Zu {mine} Bestellung {order.id}: {payment_text(order, reg)}")
    if FASTER.search(text) and key in ("delivery_time", None) and not COST.search(text):
        return Reply(faster_text(order, on))  # "was kostet Express?" stays the price answer
    if WHEN_EXACTLY.search(text) and key in ("delivery_time", None):
        return Reply(delivery_text(order, on))
    return None
