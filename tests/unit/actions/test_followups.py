"""Follow-up questions about the order on the table are answered from that order, not with the FAQ
block (issue 22.5); a defect after the return period gets the warranty (issue 22.10)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime

import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions import followups, shop
from actions.faq import ActionFaq
from actions.payment_facts import PAYMENT_ASKED, prepayment_text, transfer_underway_text
from bot.shared.company import company
from bot.shop.model import Item, Order, Shipment
from tests.trackers import make_tracker, user_event

STOCK = {key: company().text("faq", key, "sie") for key in followups.FAQ_KEYS}


def faq_turn(key: str, text: str):
    event = user_event(
        text, "faq", response_selector={"faq": {"response": {"intent_response_key": f"faq/{key}"}}}
    )
    event["parse_data"]["intent"]["full_retrieval_intent_name"] = f"faq/{key}"
    return event


async def ask(key: str, text: str, order_id: str | None = None, reg: str = "sie"):
    slots = {"register": reg}
    if order_id:
        slots.update(order_id=order_id, verified_order=order_id)
    d = CollectingDispatcher()
    events = await ActionFaq().run(d, make_tracker(slots, [faq_turn(key, text)]), {})
    return "\n".join(m.get("text") or "" for m in d.messages), d.messages, events


@pytest.mark.parametrize(
    "text, days",
    [
        ("nach 40 Tagen ist die Naht gerissen", 40),
        ("seit zwei Monaten ist der Reißverschluss kaputt", 60),
        ("vor einem halben Jahr gekauft", 182.5),
        ("nach 3 Wochen", 21),
        ("die jacke ist kaputt", None),
    ],
)
def test_the_time_the_customer_names_is_read_in_days(text, days):
    assert followups.elapsed_days(text) == days


async def test_faster_for_a_shipped_order_says_it_is_with_the_carrier(shop_db):
    said, messages, events = await ask("delivery_time", "geht das nicht etwas flotter?", "100234")
    assert "Schneller geht es jetzt leider nicht" in said and "100234" in said and "DHL" in said
    assert STOCK["delivery_time"] not in said
    assert "Folgefrage" in str(events)


async def test_faster_for_an_unshipped_order_is_honest_about_express(shop_db):
    said, _, _ = await ask("delivery_time", "kann man das noch per express schicken?", "100236")
    assert "noch nicht verschickt" in said and "Express" in said and "9,95 €" in said
    assert "Kollege" in said


async def test_without_an_order_the_faq_answer_stays(shop_db):
    said, _, _ = await ask("delivery_time", "geht das auch schneller?")
    assert STOCK["delivery_time"] in said


async def test_shipping_costs_back_reads_the_orders_own_shipping(shop_db):
    said, _, _ = await ask("return_policy", "krieg ich das porto auch wieder?", "100234")
    assert "keine Versandkosten angefallen" in said and "Rücksendung ist für Sie kostenlos" in said
    with_costs = Order(
        number="100999",
        key="k",
        status=shop.DELIVERED,
        email="x@example.de",
        items=(Item("Trinkflasche 1 l", 1, 1990),),
        total_cents=2485,
    )
    text = followups.shipping_refund_text(with_costs, "du")
    assert "(4,95 €) erstatten wir mit" in text and "für dich kostenlos" in text


async def test_when_the_money_comes_back_follows_the_payment_method(shop_db):
    said, _, _ = await ask("return_policy", "und wann hab ich die kohle wieder?", "100234", "du")
    assert "PayPal-Konto" in said and "5 Werktagen" in said
    said, _, _ = await ask("return_policy", "Wann bekomme ich mein Geld zurück?", "100236")
    assert "Klarna passt Ihre Rechnung an" in said


async def test_paying_less_after_a_return_follows_the_payment_method(shop_db):
    """Issue 22.5 ("stock"): "zahle ich dann weniger?" on an open Klarna invoice is how Klarna adjusts
    it, not the return policy block."""
    said, _, _ = await ask(
        "return_policy", "Und wenn ich was zurückgebe, zahle ich dann weniger?", "100236"
    )
    assert "Klarna passt Ihre Rechnung an" in said and "Rückgaberecht" not in said
    said, _, _ = await ask("return_policy", "Bis wann kann ich zurückgeben?", "100236")
    assert "Rückgaberecht" in said  # no money question: the policy stays


async def test_when_to_pay_an_open_invoice_is_its_payment_state(shop_db):
    """ "Bis wann muss ich zahlen?" on an open Klarna invoice: its state, not the payment methods."""
    said, _, _ = await ask("payment_methods", "Bis wann muss ich das zahlen?", "100236")
    assert "Klarna" in said and "offen" in said and "PayPal, Kreditkarte" not in said
    said, _, _ = await ask("return_policy", "Muss ich dann trotzdem alles zahlen?", "100236")
    assert "Klarna passt Ihre Rechnung an" in said  # after a return: how the refund goes
    said, _, _ = await ask("payment_methods", "Bis wann muss ich das zahlen?", "100234")
    assert "PayPal, Kreditkarte" in said  # paid already: the question is a general one


async def test_a_defect_after_the_return_period_gets_the_warranty():
    said, messages, _ = await ask(
        "return_policy", "Meine Jacke hat nach 40 Tagen einen Riss, kann ich sie noch zurückgeben?"
    )
    assert "2 Jahren" in said and "Gewährleistung" in said and STOCK["return_policy"] not in said
    assert [b["title"] for b in messages[-1]["buttons"]] == ["Problem mit Artikel"]
    said, _, _ = await ask("return_policy", "Kann ich die Jacke nach 40 Tagen noch zurückgeben?")
    assert STOCK["return_policy"] in said  # no defect: the return policy is the answer


def test_a_delivery_longer_ago_than_the_return_period_counts_without_words():
    old = Order(
        number="100998",
        key="k",
        status=shop.DELIVERED,
        email="x@example.de",
        shipments=(),
    )
    assert not followups.after_return_period("die naht ist kaputt", old, date(2026, 12, 7))
    delivered = datetime(2026, 10, 1)
    late = Order(
        number="100997",
        key="k",
        status=shop.DELIVERED,
        email="x@example.de",
        shipments=(Shipment(carrier="DHL", delivered_at=delivered),),
    )
    assert followups.after_return_period("die naht ist kaputt", late, date(2026, 12, 7))


async def test_english_keeps_the_english_faq_answer(shop_db):
    slots = {"language": "en", "order_id": "100234", "verified_order": "100234"}
    d = CollectingDispatcher()
    await ActionFaq().run(
        d, make_tracker(slots, [faq_turn("delivery_time", "can it be faster?")]), {}
    )
    assert "Within Germany" in d.messages[-1]["text"]


async def test_a_follow_up_the_nlu_read_otherwise_is_still_answered_from_the_order(shop_db):
    """ "Geht das auch irgendwie schneller?" read as a product question: the order on the table
    answers it, not the help pages."""
    from actions.knowledge import ActionAnswerFromKnowledge

    slots = {"order_id": "100234", "verified_order": "100234"}
    turn = user_event("Geht das auch irgendwie schneller?", "product_question")
    d = CollectingDispatcher()
    await ActionAnswerFromKnowledge().run(d, make_tracker(slots, [turn]), {})
    assert "Schneller geht es jetzt leider nicht" in d.messages[-1]["text"]


async def test_what_express_costs_stays_the_price_answer(shop_db):
    said, _, _ = await ask("shipping_costs", "Was kostet eigentlich der Expressversand?", "100242")
    assert "Schneller geht es" not in said and "9,95 €" in said


async def test_the_account_and_deadline_of_an_unpaid_prepayment_order(shop_db):
    """Issue 22.10: "An welches Konto?" after the bot said 100241 waits for the transfer."""
    for text in (
        "An welches Konto soll ich denn überweisen?",
        "Und bis wann muss das Geld da sein?",
    ):
        said, _, _ = await ask("payment_methods", text, "100241")
        assert "IBAN DE89" in said and "Verwendungszweck 100241" in said and "bis zum" in said


async def test_until_when_after_the_account_was_told_is_the_deadline_in_other_words(shop_db):
    account, _, _ = await ask("payment_methods", "An welches Konto soll ich überweisen?", "100241")
    events = [
        faq_turn("payment_methods", "An welches Konto soll ich überweisen?"),
        {"event": "bot", "text": account},
        faq_turn("payment_methods", "Und bis wann muss das Geld da sein?"),
    ]
    slots = {"order_id": "100241", "verified_order": "100241"}
    d = CollectingDispatcher()
    await ActionFaq().run(d, make_tracker(slots, events), {})
    said = " ".join(m.get("text") or "" for m in d.messages)
    assert said.startswith("Das Geld muss bis zum") and "storniert" in said and said != account


async def test_the_account_question_of_a_paid_order_stays_the_faq_answer(shop_db):
    said, _, _ = await ask("payment_methods", "An welches Konto soll ich überweisen?", "100238")
    assert "IBAN" not in said


async def test_a_refund_named_by_its_payment_way_needs_no_order():
    """A Klarna refund is no card refund; "und bei PayPal?" after it is the PayPal refund."""
    said, _, _ = await ask(
        "return_policy", "wie krieg ich mein geld zurück wenn ich mit klarna gezahlt hab", reg="du"
    )
    assert "Klarna" in said and "Rechnung" in said and "Kreditkarte" not in said
    events = [
        faq_turn("return_policy", "wie krieg ich mein geld zurück, klarna?"),
        {"event": "bot", "text": "Bei Zahlung mit Klarna: Die Erstattung läuft über Klarna …"},
        faq_turn("payment_methods", "und bei paypal?"),
    ]
    d = CollectingDispatcher()
    await ActionFaq().run(d, make_tracker({"register": "du"}, events), {})
    said = " ".join(m.get("text") or "" for m in d.messages)
    assert "PayPal-Konto" in said and "Kreditkarte" not in said


async def test_a_payment_way_without_refund_words_is_the_payment_methods_answer():
    said, _, _ = await ask("payment_methods", "kann man bei euch mit paypal zahlen?")
    assert said == STOCK["payment_methods"]


async def test_where_the_money_of_a_new_return_goes(shop_db):
    """ "Wohin kommt das Geld zurück?" right after a return: the way this order was paid."""
    t = make_tracker({})
    await shop.create_return(await shop.find_order("100235", t), "nie getragen", "refund", t)
    said, _, _ = await ask("return_policy", "Wohin kommt das Geld zurück?", "100235")
    assert "Kreditkarte" in said and "5 Werktagen" in said


async def test_what_is_needed_after_the_warranty_offer_starts_the_complaint():
    """Issue 22.10: "Was brauchen Sie dafür von mir?" after the 2-year warranty answer: what is needed,
    and the complaint starts - not the capabilities block."""
    warranty = company().text("faq", "warranty_after_returns", "sie")
    events = [
        faq_turn("return_policy", "Verschluss nach zwei Monaten gebrochen, 30 Tage vorbei?"),
        {"event": "bot", "text": warranty, "data": {"buttons": [followups.COMPLAINT]}},
        faq_turn("capabilities", "Was brauchen Sie dafür von mir?"),
    ]
    d = CollectingDispatcher()
    result = await ActionFaq().run(d, make_tracker({}, events), {})
    said = " ".join(m.get("text") or "" for m in d.messages)
    assert "Bestellnummer" in said and "Foto" in said and "Wanda" not in said
    assert {"event": "followup", "name": "complaint_form", "timestamp": None} in result


async def test_what_is_needed_without_an_offer_is_not_a_complaint():
    said, _, events = await ask("capabilities", "Was brauchen Sie von mir?")
    assert not any(e.get("event") == "followup" for e in events)


async def test_money_back_after_a_double_charge_is_no_return(shop_db):
    """Persona run, problem 5: "Wann habe ich die 189 Euro wieder?" after a double debit is about
    the duplicate charge (the accounts team checks it), never "Sobald die Rücksendung … bei uns ist"."""
    said, _, _ = await ask(
        "return_policy", "Wann ist das doppelt abgebuchte Geld wieder da?", "100237"
    )
    assert "doppelte Abbuchung" in said and "Rücksendung zu" not in said
    assert "Lastschrift" in said  # the way it goes back: the debited account


def money_order(status: str, **extra) -> Order:
    return Order(
        number="100998",
        key="k",
        status=status,
        email="x@example.de",
        items=(Item("Zelt Trekker 2", 1, 18900),),
        total_cents=18900,
        payment_method="paypal",
        payment_status="paid",
        **extra,
    )


def test_money_back_for_a_cancelled_double_charge_is_both_debits():
    """Held-out run 4, d05: a cancelled order charged twice gets both debits back - the sum named,
    not "die zweite Abbuchung" alone."""
    order = replace(money_order(shop.CANCELLED), payment_status="double_charged")
    said = followups.refund_when_text(order, "sie", "Bekomme ich beide Beträge zurück?")
    assert "zweimal mit 189,00 €" in said and "zusammen 378,00 €" in said
    assert "zweite Abbuchung" not in said
    kept = replace(order, status=shop.PROCESSING)
    assert "zweite Abbuchung über 189,00 €" in followups.refund_when_text(kept, "sie", "Geld?")


def test_money_back_fits_the_case_on_the_table():
    on = date(2026, 12, 7)
    cancelled = followups.refund_when_text(
        money_order(shop.CANCELLED), "sie", "wann kommt mein geld?", on
    )
    assert "stornierte Bestellung 100998" in cancelled and "PayPal-Konto" in cancelled
    assert "Rücksendung" not in cancelled
    unshipped = followups.refund_when_text(
        money_order(shop.PROCESSING), "du", "muss ich das dann trotzdem bezahlen?", on
    )
    assert "storniert, bevor sie unser Lager verlässt" in unshipped and "zahlst du" in unshipped
    late = money_order(
        shop.SHIPPED,
        shipments=(Shipment("DHL", "1", datetime(2026, 12, 1), datetime(2026, 12, 4)),),
    )
    lost = followups.refund_when_text(late, "sie", "Muss ich das Zelt trotzdem bezahlen?", on)
    assert "Nachforschung mit DHL" in lost and "Ersatz oder erstatten" in lost
    # on its way and on time: a money question names a return only when the customer speaks of one
    on_time = money_order(
        shop.SHIPPED,
        shipments=(Shipment("DHL", "1", datetime(2026, 12, 5), datetime(2026, 12, 9)),),
    )
    assert "Sobald die Rücksendung" in followups.refund_when_text(on_time, "sie", "wann geld?", on)
    said_lost = followups.refund_when_text(on_time, "sie", "und wenn es verloren geht?", on)
    assert "Nachforschung" in said_lost
    returned = followups.refund_when_text(
        money_order(shop.PROCESSING), "sie", "wenn ich es zurückschicke, wann kommt das Geld?", on
    )
    assert "Sobald die Rücksendung" in returned
    assert "Sobald die Rücksendung" in followups.refund_when_text(
        money_order(shop.DELIVERED), "sie", "wann habe ich mein Geld wieder?", on
    )
    # delivered on paper but never there (held-out persona run 5, d19): the trace, even beside
    # "wie soll ich was zurückschicken?"
    missing = followups.refund_when_text(
        money_order(shop.DELIVERED), "sie", "Wie soll ich was zurückschicken?", on, lost=True
    )
    assert "Nachforschung" in missing and "Sobald die Rücksendung" not in missing


async def test_a_payment_way_named_after_the_list_gets_a_yes_not_the_list_again():
    """ "und auf rechnung geht auch?" right after the payment methods: yes, via Klarna; "und nehmt
    ihr american express?" is no part of the list: the payment page's sentence that says no, not
    the list again."""
    listed = company().text("faq", "payment_methods", "du")
    for text, expected in (
        ("und auf rechnung geht auch?", "Ja, Kauf auf Rechnung über Klarna geht bei uns."),
        ("und nehmt ihr american express?", "American Express und Diners Club nehmen wir nicht an"),
    ):
        events = [
            faq_turn("payment_methods", "kann man bei euch mit paypal zahlen?"),
            {"event": "bot", "text": listed},
            faq_turn("payment_methods", text),
        ]
        d = CollectingDispatcher()
        await ActionFaq().run(d, make_tracker({"register": "du"}, events), {})
        said = " ".join(m.get("text") or m.get("quote") or "" for m in d.messages)
        assert expected in said and listed not in said


async def test_whether_the_payment_arrived_is_answered_from_the_verified_order(shop_db):
    """Issue 22.10: "Und ist die Zahlung damals ordnungsgemäß eingegangen?" after the invoice of 100235
    (read as a return-policy question) tells this order's payment, not the return block."""
    said, _, _ = await ask(
        "return_policy", "Und ist die Zahlung damals ordnungsgemäß eingegangen?", "100235"
    )
    assert said.startswith("Zu Ihrer Bestellung 100235:") and "eingegangen" in said
    assert STOCK["return_policy"] not in said


async def test_what_was_paid_in_total_is_the_orders_amount_and_way(shop_db):
    said, _, _ = await ask("payment_methods", "Und was habe ich insgesamt bezahlt?", "100240")
    assert "100240" in said and "Vorkasse" in said and "€" in said


def test_money_for_a_cancelled_order_nothing_was_paid_for_follows_its_payment_state():
    """Held-out persona run 2 (d05, d21): a cancelled prepayment order nobody paid and a cancelled
    open Klarna invoice get "you pay nothing", not "if you have paid, we refund"."""
    on = date(2026, 12, 7)
    unpaid = money_order(shop.CANCELLED)
    unpaid = replace(unpaid, payment_method="Vorkasse", payment_status="pending")
    said = followups.refund_when_text(
        unpaid, "sie", "bekomme ich noch eine Zahlungserinnerung?", on
    )
    assert "zahlen Sie nichts" in said and "noch kein Geld eingegangen" in said
    assert "Haben Sie schon bezahlt" not in said
    invoice = replace(unpaid, payment_method="Klarna-Rechnung", payment_status="open")
    said = followups.refund_when_text(invoice, "en", "do I still have to pay the invoice?", on)
    assert "You pay nothing" in said and "Klarna invoice of 189,00 € is void" in said


async def test_an_english_money_question_about_a_cancelled_order_is_answered_from_it(shop_db):
    """Held-out persona run 2 (d21): after the cancellation, "do I have to pay the Klarna invoice or
    not?" got the German checkout help; now the cancelled order's own answer, in English."""
    from bot.shop import demo_db

    with demo_db.session() as db, db.begin():
        db.get(demo_db.Order, "100236").status = shop.CANCELLED  # Klarna invoice, open
    text = "The order is cancelled - do I have to pay the Klarna invoice or not?"
    slots = {"register": "sie", "language": "en", "order_id": "100236", "verified_order": "100236"}
    d = CollectingDispatcher()
    tracker = make_tracker(slots, [faq_turn("checkout_payment", text)])
    assert followups.needs_the_order(tracker, "checkout_payment")  # the action server answers
    await ActionFaq().run(d, tracker, {})
    said = "\n".join(m.get("text") or "" for m in d.messages)
    assert "You pay nothing for the cancelled order 100236" in said and "void" in said
    assert "Klarna" in said and "ärgerlich" not in said


@pytest.mark.parametrize(
    "text, key",
    [
        ("karte auch nicht. krieg ich mein geld zurück?", None),
        ("eine Benachrichtigungskarte war nicht da", None),
        ("ich hab mit der Karte bezahlt", "card"),
        ("und bei Kreditkarte?", "card"),
        ("karte lag keine da, und bei PayPal?", "paypal"),
    ],
)
def test_only_a_card_to_pay_with_is_a_payment_method(text, key):
    assert followups.named_method(text) == key


async def test_a_refund_question_names_the_way_the_order_was_paid(shop_db):
    """Held-out persona run 3, d23: "karte auch nicht" is the notification card - 100238 is PayPal."""
    said, _, _ = await ask(
        "payment_methods", "karte auch nicht. krieg ich dann mein geld zurück?", "100238", "du"
    )
    assert "Kreditkarte" not in said and "PayPal" in said


async def test_switching_the_payment_method_of_an_order_is_answered_honestly(shop_db):
    """Run 3, d11/d22: never "Kauf auf Rechnung geht" or the checkout help; a person checks."""
    for text in (
        "Kann ich statt Klarna mit PayPal zahlen?",
        "Zahlungsart ändern, geht das oder nicht?",
    ):
        said, messages, _ = await ask("payment_methods", text, "100236")
        assert "Zahlungsart einer schon aufgegebenen Bestellung" in said, text
        assert "Kauf auf Rechnung" not in said and "3D Secure" not in said
        assert messages[0]["buttons"][0]["payload"] == "/request_human"
    said, _, _ = await ask("payment_methods", "Kann ich statt Klarna mit PayPal zahlen?")
    assert "aufgegebenen Bestellung" not in said  # no order: a question about the ways


async def test_changing_the_payment_method_in_so_many_words_needs_no_order(shop_db):
    """Held-out persona run 4 (d06): "Zahlungsart ändern" / "auf PayPal umstelln" ask about a placed
    order even before it is verified: the honest "kann ich hier nicht ändern" with a person, and no
    order-status offer stitched on for the order number beside it."""
    for text in (
        "Kann ich die Zahlungsart von Klarna auf PayPal ändern?",
        "geht des no, die bestellung auf PayPal umstelln?",
    ):
        said, messages, _ = await ask("payment_methods", text)
        assert "Zahlungsart einer schon aufgegebenen Bestellung" in said, text
        assert messages[0]["buttons"][0]["payload"] == "/request_human"
    said, _, events = await ask(
        "payment_methods", "Bestellung 100236: lässt sich die noch auf Kreditkarte umstellen?"
    )
    assert "aufgegebenen Bestellung" in said and "gerade ist" not in said
    assert not any(e.get("event") == "followup" for e in events)  # no verification started


async def test_an_english_refund_question_naming_a_card_gets_the_english_card_text():
    """Held-out persona run 4 (d19): "Will the refund go back to my credit card?" got a German quote
    although company.yml has the English card text."""

    async def in_english(text: str) -> str:
        d = CollectingDispatcher()
        tracker = make_tracker({"language": "en"}, [faq_turn("return_policy", text)])
        await ActionFaq().run(d, tracker, {})
        return "\n".join(m.get("text") or "" for m in d.messages)

    for text in (
        "Will the refund go back to my credit card?",
        "Does the money go back onto my Visa?",
        "and the refund, does it come back to my card?",
    ):
        said = await in_english(text)
        assert said.startswith("If you paid with a credit card: the refund goes back"), text
        assert "3–5 working days" in said
    assert "PayPal account" in await in_english("Is the refund paid back to PayPal?")


async def test_when_a_klarna_invoice_is_paid_without_and_with_the_order(shop_db):
    """Held-out persona run 4 (d26/d14): "zahle ich vorher oder wenn es da ist?" got "Das ist
    ärgerlich" and the methods list. Without an order the invoice's terms, with the open Klarna order
    100236 its own state; in English the English terms."""
    said, _, _ = await ask(
        "invoice_due", "zahl ich bei klarna vorher oder wenn es da ist?", reg="du"
    )
    assert "erst nach der Lieferung" in said and "30 Tage" in said
    assert "ärgerlich" not in said and "Kreditkarte (Visa" not in said
    said, _, _ = await ask("invoice_due", "Wann ist die Klarna-Rechnung fällig?", "100236")
    assert "offen und erst nach Erhalt der Rechnung fällig" in said
    d = CollectingDispatcher()
    tracker = make_tracker(
        {"language": "en"}, [faq_turn("invoice_due", "When is the payment due?")]
    )
    await ActionFaq().run(d, tracker, {})
    assert "you pay after delivery" in d.messages[-1]["text"]


async def test_a_customer_who_has_transferred_gets_no_bank_block_again(shop_db):
    """Run 3, d01: "ich habe doch schon überwiesen" for the unpaid prepayment order 100241."""
    said, messages, _ = await ask(
        "payment_methods",
        "Ich habe schon überwiesen. Kann ich Ihnen den Überweisungsbeleg schicken?",
        "100241",
    )
    assert "1–2 Werktage" in said and "nicht storniert" in said and "IBAN" not in said
    assert messages[0]["buttons"][0]["payload"] == "/request_human"


async def test_a_transfer_said_earlier_is_remembered(shop_db):
    """Run 3, d01: "Kann ich den Beleg schicken?" after "ich habe überwiesen": no bank block."""
    events = [
        user_event("Ich habe am Freitag überwiesen.", "payment_issue"),
        faq_turn("payment_methods", "Kann ich Ihnen den Überweisungsbeleg schicken?"),
    ]
    slots = {"register": "sie", "order_id": "100241", "verified_order": "100241"}
    d = CollectingDispatcher()
    await ActionFaq().run(d, make_tracker(slots, events), {})
    said = " ".join(m.get("text") or "" for m in d.messages)
    assert "1–2 Werktage" in said and "IBAN" not in said


async def test_the_booking_time_asked_again_is_that_sentence_not_the_block(shop_db):
    """Corpus (facts_and_lock): "Wie lange dauert so eine Überweisung?" right after the 'transfer
    underway' answer gets its booking-time sentence, not the same block word for word."""
    order = await shop.find_order("100241")
    assert order is not None
    underway = transfer_underway_text(order, "sie")
    assert underway is not None
    events = [
        user_event("Ich habe vor zwei Tagen überwiesen.", "payment_issue"),
        {"event": "bot", "text": underway},
        faq_turn("payment_methods", "Wie lange dauert so eine Überweisung normalerweise?"),
    ]
    slots = {"register": "sie", "order_id": "100241", "verified_order": "100241"}
    d = CollectingDispatcher()
    await ActionFaq().run(d, make_tracker(slots, events), {})
    said = " ".join(m.get("text") or "" for m in d.messages)
    assert "1–2 Werktage" in said and said != underway and "Danke für Ihre Überweisung" not in said


async def test_the_account_asked_for_is_given_even_after_the_bank_details(shop_db):
    """Corpus (facts_and_lock): "An welches Konto soll ich überweisen?" from a customer who has not
    paid gets the account - never "Danke für Ihre Überweisung"."""
    order = await shop.find_order("100241")
    assert order is not None
    events = [
        {"event": "bot", "text": prepayment_text(order)},
        faq_turn("payment_methods", "An welches Konto soll ich denn überweisen?"),
    ]
    slots = {"register": "sie", "order_id": "100241", "verified_order": "100241"}
    d = CollectingDispatcher()
    await ActionFaq().run(d, make_tracker(slots, events), {})
    said = " ".join(m.get("text") or "" for m in d.messages)
    assert "IBAN" in said and "Danke für Ihre Überweisung" not in said


async def test_money_when_asked_again_is_answered_honestly_not_repeated(shop_db):
    """Held-out persona run 4 (d18/d24): the refund's time asked a second time gets "den genauen Tag
    kann ich nicht sagen" and the team's answer time of the open request, not the same text."""
    first, _, _ = await ask("return_policy", "Wann ist das Geld wieder da?", "100237")
    slots = {"register": "sie", "order_id": "100237", "verified_order": "100237"}
    slots["handoff_ticket"] = "12"
    events = [
        faq_turn("return_policy", "Wann ist das Geld wieder da?"),
        {"event": "bot", "text": first},
        faq_turn("return_policy", "Und wie lange dauert die Rückzahlung jetzt genau?"),
    ]
    d = CollectingDispatcher()
    await ActionFaq().run(d, make_tracker(slots, events), {})
    said = "\n".join(m.get("text") or "" for m in d.messages)
    assert first not in said and "genauen Tag" in said and "Vorgangsnummer 12" in said


async def test_paying_before_or_after_delivery_gets_the_orders_due_date(shop_db):
    """Held-out persona run 4 (d26): "kann ich mit klarna zahlen wenns da ist oder muss ich vorher?"
    about an open Klarna order gets its payment state (due after the invoice), not the methods list."""
    said, _, _ = await ask(
        "payment_methods",
        "geht das zahlen mit klarna auch erst wenn das paket da ist, oder muss ich vorher?",
        "100236",
        "du",
    )
    assert "offen und erst nach Erhalt der Rechnung fällig" in said and "Vorkasse" not in said
    # the clause alone, as the second question's split leaves it
    said, _, _ = await ask(
        "payment_methods", "kann ich mit klarna auch erst zahlen, wenn das zelt da ist", "100236"
    )
    assert "offen und erst nach Erhalt der Rechnung fällig" in said


@pytest.mark.parametrize(
    "text, asked",
    [
        ("Wurde der Betrag schon abgebucht?", True),
        ("warum habt ihr doppelt abgebucht?", True),
        ("ist das bereits eingezogen worden?", True),
        ("Kann ich per Lastschrift zahlen?", False),
        ("Wird das beim Versand abgebucht oder vorher?", False),
    ],
)
def test_a_question_about_the_debit_is_about_the_payment_state(text, asked):
    assert bool(PAYMENT_ASKED.search(text)) is asked


async def test_no_bank_block_again_to_a_customer_who_will_not_transfer(shop_db):
    """Held-out persona run 4 (d23): "Also muss ich nichts überweisen?" after the bank details gets
    what happens without the money, not the IBAN paragraph again."""
    order = await shop.find_order("100241")
    assert order is not None
    events = [
        {"event": "bot", "text": prepayment_text(order)},
        faq_turn(
            "payment_methods",
            "Dann muss ich also gar nichts überweisen, wenn wir sie nicht wollen?",
        ),
    ]
    slots = {"register": "sie", "order_id": "100241", "verified_order": "100241"}
    d = CollectingDispatcher()
    await ActionFaq().run(d, make_tracker(slots, events), {})
    said = " ".join(m.get("text") or "" for m in d.messages)
    assert "IBAN" not in said and "storniert" in said


def test_the_money_after_the_lost_parcel_checklist_is_the_trace_not_a_return():
    """Held-out persona run 5 (d19): "bekomme ich mein Geld zurück?" after the delivered-but-missing
    checklist got "Sobald die Rücksendung … bei uns ist"; the bot's note of the checklist makes it
    the lost-parcel answer."""
    from actions.orders import lost_note

    order = money_order(shop.DELIVERED)
    noted = make_tracker({"bot_actions": [lost_note(order.number)]}, [])
    assert followups.parcel_lost(noted, order)
    said = followups.refund_when_once(noted, order, "bekomme ich mein Geld zurück?")
    assert "Nachforschung" in said and "Sobald die Rücksendung" not in said
    assert not followups.parcel_lost(make_tracker({}, []), order)


async def test_a_transfer_denied_is_not_thanked_for(shop_db):
    """Held-out persona run 5 (d24): "i hab no ned überwiesen" got "Danke für Ihre Überweisung!", and
    "I hob NED überwiesen, noch nicht!" the same paragraph again. A denial is no claim, and it undoes
    one read before."""
    slots = {"register": "sie", "order_id": "100241", "verified_order": "100241"}
    for events in (
        [faq_turn("payment_methods", "Und i hab no ned überwiesen, geht des vom Konto in Wien?")],
        [
            user_event("Ich habe überwiesen, glaube ich.", "payment_issue"),
            faq_turn("payment_methods", "Moment, i hob NED überwiesen, noch nicht!"),
        ],
    ):
        d = CollectingDispatcher()
        await ActionFaq().run(d, make_tracker(slots, events), {})
        said = " ".join(m.get("text") or "" for m in d.messages)
        assert "Danke für Ihre Überweisung" not in said


async def test_the_places_looked_in_after_the_checklist_get_the_trace(shop_db):
    """Held-out persona run 5 (d19): "Nicht beim Nachbarn, nicht im Briefkasten" after the
    delivered-but-missing checklist got the neighbour tip again. Now the trace and that nothing goes
    back, once; without the checklist the FAQ answer stands."""
    from actions.orders import lost_note

    slots = {
        "register": "sie",
        "order_id": "100238",
        "verified_order": "100238",
        "bot_actions": [lost_note("100238")],
    }
    text = "Nicht beim Nachbarn, nicht im Briefkasten. Was nun?"
    reply = await followups.answer(make_tracker(slots, [faq_turn("packstation", text)]), None, text)
    assert reply is not None and "Nachforschung bei DHL" in reply.text
    assert "Zurückschicken müssen Sie nichts" in reply.text
    assert reply.buttons[0]["payload"] == "/request_human"
    told = [faq_turn("packstation", text), {"event": "bot", "text": reply.text}]
    assert await followups.answer(make_tracker(slots, told), None, text) is None
    plain = {k: v for k, v in slots.items() if k != "bot_actions"}
    assert (
        await followups.answer(make_tracker(plain, [faq_turn("packstation", text)]), None, text)
        is None
    )


async def test_an_english_transfer_made_gets_the_booking_time_in_english(shop_db):
    """Held-out persona run 5 (d17): "I transferred it yesterday evening, do I need to send proof?"
    for the unpaid prepayment order 100241 got "I found nothing"; now the English booking time with
    a person to check it, once."""
    slots = {"language": "en", "order_id": "100241", "verified_order": "100241"}
    text = "I transferred the money yesterday. Do you need a receipt from me?"
    reply = await followups.answer(
        make_tracker(slots, [faq_turn("payment_methods", text)]), None, text
    )
    assert reply is not None and "not been booked" in reply.text
    assert reply.buttons[0]["title"] == "Customer service"
    told = [faq_turn("payment_methods", text), {"event": "bot", "text": reply.text}]
    again = await followups.answer(make_tracker(slots, told), None, text)
    assert again is None or again.text != reply.text


async def test_an_english_money_question_after_a_double_charge_gets_its_refund_not_the_policy(
    shop_db,
):
    """Held-out persona run 6 (d07): after the double charge of 100237 was handed to accounting,
    "when will I see the money again?" got the 30-day return policy; now the double-charge refund
    (no return needed, the second charge refunded, its way and time)."""
    text = "ok, and when will I see that money again on my account?"
    slots = {
        "register": "sie",
        "language": "en",
        "order_id": "100237",
        "verified_order": "100237",
        "handoff_ticket": "4",
    }
    d = CollectingDispatcher()
    tracker = make_tracker(slots, [faq_turn("return_policy", text)])
    assert followups.needs_the_order(tracker, "return_policy")
    await ActionFaq().run(d, tracker, {})
    said = "\n".join(m.get("text") or "" for m in d.messages)
    assert "needs no return" in said and "refund the second charge" in said
    assert "30 days" not in said and "return label" not in said


async def test_the_receipt_asked_after_the_booking_time_gets_a_no_not_the_block(shop_db):
    """Held-out persona run 6 (d01): "Muss ich den Beleg schicken oder warte ich ab?" right after
    the booking-time paragraph got that paragraph again; it gets the answer "Nein" first."""
    order = await shop.find_order("100241")
    assert order is not None
    underway = transfer_underway_text(order, "sie")
    assert underway is not None
    events = [
        user_event("Das Geld habe ich am Montag überwiesen.", "payment_issue"),
        {"event": "bot", "text": underway},
        faq_turn("payment_methods", "Soll ich Ihnen den Zahlungsbeleg mailen oder nur warten?"),
    ]
    slots = {"register": "sie", "order_id": "100241", "verified_order": "100241"}
    d = CollectingDispatcher()
    await ActionFaq().run(d, make_tracker(slots, events), {})
    said = " ".join(m.get("text") or "" for m in d.messages)
    assert said.startswith("Nein, schicken müssen Sie") and underway not in said


async def test_an_amount_asked_back_after_a_double_charge_gets_its_refund_not_the_policy(shop_db):
    """Held-out persona run 7 (d12): "How long until I get the extra 189 euros back?" named the
    amount, not "money", and got the 30-day return policy; an amount or currency reads as money."""
    text = "Alright. How soon will the additional 189 EUR be back with me?"
    slots = {
        "language": "en",
        "order_id": "100237",
        "verified_order": "100237",
        "handoff_ticket": "5",
    }
    d = CollectingDispatcher()
    await ActionFaq().run(d, make_tracker(slots, [faq_turn("return_policy", text)]), {})
    said = "\n".join(m.get("text") or "" for m in d.messages)
    assert "needs no return" in said and "refund the second charge" in said
    assert "30 days" not in said


def test_an_english_amount_back_is_a_money_when_question():
    for text in ("when do I get the second 189 euros back?", "how long until my €49 come back?"):
        assert followups.EN_MONEY_WHEN.search(text), text
    for text in ("when will my parcel arrive?", "when do I get the jacket back from repair?"):
        assert not followups.EN_MONEY_WHEN.search(text), text


async def test_an_english_refund_question_with_a_return_gets_its_way_not_the_policy(shop_db):
    """Held-out persona run 7 (d17 t7): "the refund for the return - where does that money go?"
    got the 30-day return policy; with a return on the order: its state and the refund's way."""
    from bot.shop import demo_db

    demo_db.create_return("100235", "too big", "refund")
    text = "I was asking about the refund of that return: to which place is it paid?"
    slots = {"language": "en", "order_id": "100235", "verified_order": "100235"}
    d = CollectingDispatcher()
    await ActionFaq().run(d, make_tracker(slots, [faq_turn("return_policy", text)]), {})
    said = "\n".join(m.get("text") or "" for m in d.messages)
    assert "goes back to your credit card" in said and "30 days" not in said


async def test_a_prepayment_question_with_money_slang_is_no_refund(shop_db):
    """Held-out run 7, d20 t5: "vorkasse. ihr verschickt erst wenn die kohle da is?" got the Vorkasse
    refund text ("kohle" reads as money back); it asks how prepayment works."""
    said, _, _ = await ask(
        "prepayment", "vorkasse: ihr schickt erst los wenn die kohle da is?", reg="du"
    )
    assert "erst nach Zahlungseingang" in said and "Erstattung" not in said
    refund, _, _ = await ask(
        "return_policy", "bei vorkasse, wann krieg ich die kohle zurück?", reg="du"
    )
    assert "Erstattung" in refund


# Held-out run 8, problems 4 and 6 (e06/e13/e03): "seit wann?" and a lost parcel's money.
async def test_since_when_a_refund_is_paid_out_is_honest_about_the_day(shop_db):
    said, _, events = await ask("return_policy", "Seit wann ist das denn ausgezahlt?", "100239")
    assert "sehe ich hier leider nicht" in said and "3–5 Werktagen" in said
    assert STOCK["return_policy"] not in said and "Folgefrage" in str(events)


async def test_since_when_a_return_refund_is_initiated_names_the_returns_date(shop_db):
    said, _, _ = await ask("delivery_time", "seit wann ist die denn veranlasst?", "100243", "du")
    assert "Deine Rücksendung ist seit dem" in said and "sehe ich hier leider nicht" in said
    assert "für dich" in said and "Ihre" not in said


async def test_a_money_question_if_the_parcel_is_lost_gets_the_lost_parcel_facts(shop_db):
    said, messages, _ = await ask(
        "return_policy",
        "Und falls das Paket wirklich verloren ist – geht mein Geld dann auf PayPal zurück?",
        "100242",
    )
    assert "Ersatz" in said and "PayPal" in said and "Nachforschung" in said
    assert STOCK["return_policy"] not in said and "eingegangen" not in said
    assert any(b["payload"] == "/request_human" for m in messages for b in m.get("buttons") or [])


def test_since_when_and_a_lost_parcels_refund_need_the_order():
    for text in ("seit wann?", "falls das Paket verloren ist, bekomme ich mein Geld zurück?"):
        tracker = make_tracker({"verified_order": "100242"}, [faq_turn("delivery_time", text)])
        assert followups.needs_the_order(tracker, "customs")


async def test_a_debit_timing_question_with_money_slang_is_no_refund(shop_db):
    """Held-out run 8, e12: "bei lastschrift, zieht ihr die kohle gleich ein oder erst beim versand?"
    got the direct-debit refund text ("kohle" reads as money back); it asks when the debit is taken."""
    said, _, _ = await ask(
        "charge_timing",
        "zahl ich per lastschrift, zieht ihr die kohle gleich ein oder erst beim versand?",
        reg="du",
    )
    assert "verschick" in said and "Erstattung" not in said
