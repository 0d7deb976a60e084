"""Facts read for what they mean, what the first message already said, order-number help, new FAQ paths."""

import re
from datetime import date, datetime, timedelta

from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import orders, shop
from actions.faq import ActionFaq
from actions.orders import ActionHandleVerified, overdue, status_text
from actions.verification import (
    ValidateAddressForm,
    ValidateComplaintForm,
    ValidateReturnForm,
    ValidateVerifyForm,
    in_start_turn,
    said_address,
    said_complaint,
    said_return,
    start_text,
)
from bot.shared.company import company
from bot.shop import demo_db
from bot.shop.model import Order, Shipment
from tests.trackers import make_tracker, user_event


def responses(dispatcher):
    return [m.get("response") for m in dispatcher.messages]


def faq_event(key, text="frage"):
    event = user_event(
        text, "faq", response_selector={"faq": {"response": {"intent_response_key": f"faq/{key}"}}}
    )
    event["parse_data"]["intent"]["full_retrieval_intent_name"] = f"faq/{key}"
    return event


def started(text, intent, form, *later):
    """Events of a form started by `text`, then later user turns."""
    events = [user_event(text, intent), {"event": "active_loop", "name": form}]
    for said in later:
        events += [{"event": "bot", "text": "?"}, user_event(said, "inform")]
    return events


async def handle(slots, events):
    """Runs the submit action as Rasa does: right after the form deactivated."""
    d = CollectingDispatcher()
    events = events + [{"event": "active_loop", "name": None}]
    result = await ActionHandleVerified().run(d, make_tracker(slots, events), {})
    return d, result


# --- facts ----------------------------------------------------------------------------------------


def test_seeded_dates_are_relative_to_the_day_of_seeding(shop_db):
    today = datetime.utcnow().date()
    shipped = demo_db.find_order("100234")
    assert shipped.shipped_at.date() == today - timedelta(days=1)
    assert shipped.expected_delivery.date() == today + timedelta(days=1)
    assert not overdue(shipped)
    late = demo_db.find_order("100242")
    assert late.status == shop.SHIPPED and overdue(late)
    assert demo_db.find_order("100235").delivered_at.date() < today


def test_a_past_expected_date_is_said_as_a_delay():
    order = Order(
        number="1",
        key="1",
        status=shop.SHIPPED,
        email="",
        shipments=(
            Shipment(
                carrier="DHL",
                tracking_number="X",
                shipped_at=datetime(2026, 11, 25),
                expected_delivery=datetime(2026, 11, 30),
            ),
        ),
    )
    assert "Voraussichtliche Zustellung: 30.11.2026" in status_text(order, on=date(2026, 11, 30))
    late = status_text(order, on=date(2026, 12, 1))
    assert "hätte am 30.11.2026 ankommen sollen" in late and "Voraussichtliche" not in late


async def test_money_back_beside_the_e_mail_for_an_overdue_parcel_gets_the_lost_parcel_facts(
    shop_db,
):
    """Held-out run 4, d03: "<e-mail>. Und ich will mein Geld zurück" got the delay text only."""
    d, events = await handle(
        {"order_id": "100242", "verified_order": "100242"},
        [
            user_event("Mein Paket 100242 ist immer noch nicht da!", "order_status"),
            {"event": "active_loop", "name": "verify_form"},
            {"event": "bot", "text": "E-Mail?"},
            user_event("felix.braun@posteo.de. Und ich will mein Geld zurück.", "order_status"),
        ],
    )
    assert responses(d)[0] == "utter_order_delayed"
    said = d.messages[-1]["text"]
    assert "zahlen Sie nicht" in said and "Ersatz oder erstatten" in said
    d, _ = await handle(
        {"order_id": "100242", "verified_order": "100242"},
        [user_event("wo bleibt mein paket", "order_status")],
    )
    assert len(d.messages) == 1  # no money text unasked


async def test_overdue_order_apologises_once_and_offers_tracing(shop_db):
    d, events = await handle(
        {"order_id": "100242", "verified_order": "100242"},
        [user_event("wo bleibt mein paket", "order_status")],
    )
    assert responses(d) == ["utter_order_delayed"]
    assert "hätte am" in d.messages[0]["status_text"]
    assert any("Verspätung von 100242" in str(e) for e in events)


async def test_second_question_about_the_same_order_is_recognised(shop_db):
    slots = {
        "order_id": "100234",
        "verified_order": "100234",
        "bot_actions": ["Status von 100234 genannt (versandt)"],
    }
    d, _ = await handle(slots, [user_event("und wo ist es jetzt", "order_status")])
    assert responses(d) == ["utter_order_asked_before", "utter_order_status"]
    d, _ = await handle(
        {"order_id": "100234", "verified_order": "100234"},
        [user_event("wo ist es", "order_status")],
    )
    assert responses(d) == ["utter_order_status"]


async def test_a_request_on_file_is_mentioned(shop_db):
    ticket = demo_db.create_ticket("100238", "complaint", "Rucksack ist gerissen")
    d, _ = await handle(
        {"order_id": "100238", "verified_order": "100238"}, [user_event("status?", "order_status")]
    )
    assert responses(d) == ["utter_order_request_on_file", "utter_order_status"]
    assert d.messages[0]["ticket_ref"] == ticket.reference


async def test_delivered_but_not_here_is_a_lost_parcel_not_the_status_again(shop_db):
    events = started(
        "laut dhl zugestellt aber nix angekommen", "order_status", "verify_form", "100235"
    )
    d, _ = await handle({"order_id": "100235", "verified_order": "100235"}, events)
    assert responses(d) == [None, "utter_lost_parcel"]  # one acknowledgement, then the checklist
    assert "Danke für Ihren Hinweis" in d.messages[0]["text"]  # told calmly: no apology (22.7)
    d, _ = await handle(
        {"order_id": "100235", "verified_order": "100235"},
        started("wo ist meine bestellung", "order_status", "verify_form", "100235"),
    )
    assert responses(d) == ["utter_order_status"]
    followup = started("Aber bei mir ist nichts angekommen!", "order_status", "verify_form")
    slots = {
        "order_id": "100235",
        "verified_order": "100235",
        "bot_actions": ["Status von 100235 genannt (zugestellt)"],
    }
    d, _ = await handle(slots, followup)
    assert responses(d) == [None, "utter_lost_parcel"]


async def test_company_invoice_is_a_ticket_not_the_same_invoice_again(shop_db):
    events = started(
        "ich brauche die rechnung auf meine firma mit ust-idnr",
        "invoice_request",
        "verify_form",
        "100235",
    )
    d, _ = await handle({"order_id": "100235", "verified_order": "100235"}, events)
    assert responses(d) == ["utter_invoice_change"]
    assert [t.kind for t in demo_db.tickets_for("100235")] == ["invoice_change"]


async def test_invoice_says_where_it_goes(shop_db):
    slots = {
        "order_id": "100235",
        "verified_order": "100235",
        "email": "jonas.becker@gmx.de",
        "invoice_email": "buchhaltung@firma.de",
    }
    d, events = await handle(slots, started("rechnung bitte", "invoice_request", "verify_form"))
    assert (
        responses(d) == ["utter_invoice_sent"]
        and d.messages[0]["email_to"] == "buchhaltung@firma.de"
    )
    assert SlotSet("invoice_email", None) in events


async def test_invoice_to_another_address_does_not_fail_verification(shop_db, domain):
    d = CollectingDispatcher()
    tracker = make_tracker(
        {"order_id": "100234"},
        [
            user_event(
                "Rechnung zu 100234 bitte an buchhaltung@firma.de schicken", "invoice_request"
            )
        ],
    )
    out = await ValidateVerifyForm().validate_email("buchhaltung@firma.de", d, tracker, domain)
    assert out == {"email": None, "invoice_email": "buchhaltung@firma.de"}
    assert responses(d) == ["utter_invoice_target_noted"]
    assert "verify_attempts" not in out


async def test_return_status_from_the_shops_returns(shop_db):
    events = started(
        "ist meine rücksendung schon angekommen?", "order_status", "verify_form", "100243"
    )
    d, _ = await handle({"order_id": "100243", "verified_order": "100243"}, events)
    assert responses(d) == ["utter_return_status"]
    assert (
        "angekommen" in d.messages[0]["return_text"] and d.messages[0]["return_ref"] == "RT-100243"
    )
    events = started("wann bekomme ich mein geld zurück", "payment_issue", "verify_form", "100235")
    d, _ = await handle({"order_id": "100235", "verified_order": "100235"}, events)
    assert responses(d) == ["utter_return_status_none"]


def test_payment_text_never_shows_a_raw_code():
    for code in (
        "paid",
        "open",
        "pending",
        "refund_pending",
        "refunded",
        "double_charged",
        "authorized",
        "weird_x",
    ):
        order = Order(
            number="1",
            key="1",
            status=shop.PROCESSING,
            email="",
            payment_method="PayPal",
            payment_status=code,
            total_cents=1000,
        )
        assert code not in orders.payment_text(order)


# --- what the first message said ------------------------------------------------------------------


def test_first_message_facts():
    assert said_return("Ich möchte die Schuhe zurückschicken, sie sind zu klein") == {
        "return_reason": "zu klein"
    }
    swap = said_return("Die Jacke bitte umtauschen, in M statt L")
    assert swap["return_mode"] == "exchange" and swap["exchange_size"] == "M statt L"
    assert said_return("Geld zurück bitte, gefällt mir nicht") == {
        "return_mode": "refund",
        "return_reason": "gefällt mir nicht",
    }
    assert said_return("Ich möchte meine Jacke zurückschicken, Bestellung 100235") == {}
    assert (
        said_complaint("Das Zelt ist mit einem Riss angekommen")
        == "Das Zelt ist mit einem Riss angekommen"
    )
    assert said_complaint("ich möchte etwas reklamieren") is None
    assert (
        said_address("bitte an Musterstraße 5, 10115 Berlin liefern")
        == "Musterstraße 5, 10115 Berlin"
    )
    assert said_address("adresse ändern bitte") is None


def test_start_text_is_the_message_that_started_the_form():
    events = started(
        "wo ist mein paket, zugestellt aber nix da", "order_status", "verify_form", "100235"
    )
    tracker = make_tracker({}, events, active_loop="verify_form")
    assert start_text(tracker) == "wo ist mein paket, zugestellt aber nix da" and not in_start_turn(
        tracker
    )
    activating = make_tracker({}, [user_event("Das Zelt hat einen Riss", "complaint")])
    assert in_start_turn(activating)


def test_return_reason_and_size_are_read_back_not_asked(domain):
    d = CollectingDispatcher()
    tracker = make_tracker(
        {},
        [user_event("Ich will die Jacke umtauschen, in M statt L, sie ist zu groß", "return_item")],
    )
    out = ValidateReturnForm().extract_return_reason(d, tracker, domain)
    assert out["return_mode"] == "exchange" and out["return_reason"].startswith("zu groß")
    assert responses(d) == ["utter_return_understood"] and "M statt L" in d.messages[0]["summary"]
    later = make_tracker(
        {},
        started("Ich will die Jacke umtauschen", "return_item", "return_form", "zu groß"),
        active_loop="return_form",
    )
    assert ValidateReturnForm().extract_return_reason(CollectingDispatcher(), later, domain) == {}


def test_an_english_return_reason_is_read_back_in_english(domain):
    """Held-out persona run 2, d11: the reason was asked again, then read back as "Grund: …"."""
    d = CollectingDispatcher()
    text = "I'd like to return the jacket, it is too warm for me. Money back please."
    tracker = make_tracker({"language": "en"}, [user_event(text, "return_item")])
    out = ValidateReturnForm().extract_return_reason(d, tracker, domain)
    assert out["return_reason"] == "too warm" and out["return_mode"] == "refund"
    assert d.messages[0]["summary"] == "money back, reason: too warm"


def test_complaint_description_and_address_from_the_first_message(domain):
    d = CollectingDispatcher()
    tracker = make_tracker({}, [user_event("Das Zelt ist mit einem Riss angekommen", "complaint")])
    assert ValidateComplaintForm().extract_complaint_details(d, tracker, domain) == {
        "complaint_details": "Das Zelt ist mit einem Riss angekommen"
    }
    assert responses(d) == ["utter_complaint_understood"]
    d = CollectingDispatcher()
    tracker = make_tracker(
        {}, [user_event("Lieferadresse ändern auf Am Markt 2, 04109 Leipzig", "change_address")]
    )
    assert ValidateAddressForm().extract_new_address(d, tracker, domain) == {
        "new_address": "Am Markt 2, 04109 Leipzig"
    }


# --- order-number help ----------------------------------------------------------------------------


def asked_order_id(*said, invalid_before=0):
    events = started("wo ist mein paket", "order_status", "verify_form")
    for _ in range(invalid_before):
        events += [
            {
                "event": "bot",
                "text": "Das ist leider keine Bestellnummer: …",
                "metadata": {"utter_action": "utter_invalid_order_id"},
            },
            user_event("4711", "inform"),
        ]
    for text in said:
        events += [
            {"event": "bot", "text": "Wie lautet Ihre Bestellnummer?"},
            user_event(text, "inform"),
        ]
    return make_tracker({"requested_slot": "order_id"}, events, active_loop="verify_form")


async def test_invalid_order_number_explains_the_format_then_offers_a_human(domain):
    form = ValidateVerifyForm()
    assert form.extract_order_id(CollectingDispatcher(), asked_order_id("12345"), domain) == {
        "order_id": "12345"
    }
    assert form.extract_order_id(CollectingDispatcher(), asked_order_id("100234"), domain) == {}
    assert form.extract_order_id(CollectingDispatcher(), asked_order_id("Moment"), domain) == {}
    d = CollectingDispatcher()
    assert await form.validate_order_id("12345", d, asked_order_id("12345"), domain) == {
        "order_id": None
    }
    assert responses(d) == ["utter_invalid_order_id"]
    d = CollectingDispatcher()
    assert await form.validate_order_id(
        "99999", d, asked_order_id("99999", invalid_before=2), domain
    ) == {"order_id": None}
    assert responses(d) == ["utter_order_id_offer_human"]


async def test_no_order_number_in_a_form_offers_lookup_by_email(shop_db, domain):
    d = CollectingDispatcher()
    events = started("wo ist mein paket", "order_status", "verify_form") + [
        faq_event("no_order_number", "hab ich nicht")
    ]
    result = await ActionFaq().run(d, make_tracker({}, events, active_loop="verify_form"), domain)
    assert SlotSet("order_lookup", "offered") in result
    assert "schicken wir Ihnen die Bestellnummern dorthin" in d.messages[0]["text"]
    form = ValidateVerifyForm()
    offered = make_tracker({"order_lookup": "offered"}, events, active_loop="verify_form")
    assert await form.required_slots(["order_id", "email"], d, offered, domain) == [
        "email",
        "order_id",
    ]


async def test_lookup_answer_is_the_same_whether_or_not_the_address_has_orders(shop_db, domain):
    outs = []
    for email in ("anna.schmidt@web.de", "niemand@example.de"):
        d = CollectingDispatcher()
        tracker = make_tracker(
            {"order_lookup": "offered"}, [user_event(email, "inform")], active_loop="verify_form"
        )
        out = await ValidateVerifyForm().validate_email(email, d, tracker, domain)
        outs.append((responses(d), sorted(out)))
        assert out["order_lookup"] == "sent"
    assert outs[0] == outs[1]
    with demo_db.session() as db:
        queued = [t.description for t in db.query(demo_db.Ticket).filter_by(kind="order_lookup")]
    # one mail, for the address with orders; it names the customer record, not the typed address
    assert len(queued) == 1 and "100234" in queued[0] and "@" not in queued[0]


# --- FAQ paths and small talk ---------------------------------------------------------------------


async def test_new_faq_paths_answer_in_sie_and_du(domain):
    for key, sie_word, du_word in [
        ("withdrawal", "14 Tage", "du kannst"),
        ("voucher", "Gutscheincode", "löst du"),
        ("checkout_payment", "keine Bestellnummer", "brauchst du"),
        ("parcel_neighbour", "Packstation", "du"),
        ("capabilities", "Wanda", "dir"),
        ("order_number_help", "Mein Konto → Bestellungen", "Deine"),
        ("wait", "Zeit", "lass dir"),
        ("still_there", "noch da", "Schreib"),
    ]:
        for reg, word in (("sie", sie_word), ("du", du_word)):
            d = CollectingDispatcher()
            await ActionFaq().run(d, make_tracker({"register": reg}, [faq_event(key)]), domain)
            assert word in d.messages[-1]["text"], (key, reg)


async def test_wie_bitte_repeats_the_last_answer_with_its_buttons(domain):
    buttons = [{"title": "Rücksendung", "payload": "/return_item"}]
    events = [
        user_event("versand?", "faq"),
        {"event": "bot", "text": "Der Versand kostet 4,95 €.", "data": {"buttons": buttons}},
        faq_event("repeat", "wie bitte?"),
    ]
    d = CollectingDispatcher()
    await ActionFaq().run(d, make_tracker({}, events), domain)
    assert d.messages[0]["text"] == "Gern noch einmal:"
    assert (
        d.messages[1]["text"] == "Der Versand kostet 4,95 €."
        and d.messages[1]["buttons"] == buttons
    )


def test_every_new_response_has_du_and_uses_one_reference_term(domain):
    new = [
        "utter_order_delayed",
        "utter_lost_parcel",
        "utter_order_asked_before",
        "utter_order_request_on_file",
        "utter_return_status",
        "utter_return_status_none",
        "utter_invoice_change",
        "utter_invoice_target_noted",
        "utter_order_lookup_sent",
        "utter_order_id_offer_human",
        "utter_return_understood",
        "utter_complaint_understood",
        "utter_address_understood",
        "utter_invalid_order_id",
    ]
    for name in new:
        texts = [  # Sie and du; an English variant (issue 22.12) comes on top
            v["text"]
            for v in domain["responses"][name]
            if not any(c.get("name") == "language" for c in v.get("condition") or [])
        ]
        assert len(texts) == 2, name
        for text in texts:
            assert (
                "Ticket" not in text
                and "Anfrage Nr" not in text
                and "bereits unterwegs" not in text
            ), name
    faq = company().raw["faq"]
    for key in (
        "withdrawal",
        "voucher",
        "checkout_payment",
        "parcel_neighbour",
        "capabilities",
        "order_number_help",
    ):
        for reg in ("sie", "du"):
            assert not re.search(r"\bin \d+(–\d+)? Werktage\b", faq[key][reg]), (
                key
            )  # dative: "in 2 Werktagen"


async def test_a_return_status_question_classified_as_a_return_creates_none(shop_db, domain):
    from actions.returns import ActionCreateReturn

    text = "wann bekomm ich mein geld für die retoure zurück? bestellung 100243"
    activating = make_tracker({}, [user_event(text, "return_item")])
    assert await ValidateReturnForm().required_slots(
        ["order_id", "email", "return_reason", "return_mode"],
        CollectingDispatcher(),
        activating,
        domain,
    ) == ["order_id", "email"]
    assert (
        ValidateReturnForm().extract_return_reason(CollectingDispatcher(), activating, domain) == {}
    )
    events = started(text, "return_item", "return_form", "clara.weber@gmx.de") + [
        {"event": "active_loop", "name": None}
    ]
    d = CollectingDispatcher()
    await ActionCreateReturn().run(
        d, make_tracker({"order_id": "100243", "verified_order": "100243"}, events), domain
    )
    assert responses(d) == ["utter_return_status"] and len(demo_db.returns_for("100243")) == 1


async def test_address_change_wording_follows_the_order_state(shop_db, domain):
    from actions.orders import ActionChangeAddress

    for order_id, expected in (
        ("100234", "utter_address_too_late"),
        ("100235", "utter_address_after_delivery"),
        ("100239", "utter_address_cancelled"),
    ):
        d = CollectingDispatcher()
        await ActionChangeAddress().run(
            d, make_tracker({"order_id": order_id, "verified_order": order_id}), domain
        )
        assert responses(d) == [expected], order_id
    for name in ("utter_address_after_delivery", "utter_address_cancelled"):
        assert all("unterwegs" not in v["text"] for v in domain["responses"][name])


def test_lost_parcel_wordings():
    from actions.orders import LOST

    for text in (
        "laut dhl zugestellt aber nix angekommen",
        "dhl sagt zugestellt, hier ist aber nichts",
        "Paket ist nicht da",
        "zugestellt?? hier ist nix",
        "ich habe es nie bekommen",
    ):
        assert LOST.search(text), text
    for text in ("wo ist mein paket", "wann wird es zugestellt", "Status von 100235 bitte"):
        assert not LOST.search(text), text
