"""Forms never reveal anything before the e-mail matches the order."""

import pytest
from rasa_sdk.executor import CollectingDispatcher

try:  # Python >= 3.11 moved the regex parser
    from re import _parser as sre_parse  # type: ignore[attr-defined]
except ImportError:  # Python 3.10, the Rasa environment
    import sre_parse  # type: ignore[no-redef]

from actions.verification import (
    ADDRESS,
    MAX_READ,
    ValidateAddressForm,
    ValidateVerifyForm,
    parse_return_mode,
    said_address,
)
from bot.shared.company import company
from tests.trackers import make_tracker, user_event

COMPANY = company()


def responses(dispatcher):
    return [m.get("response") for m in dispatcher.messages]


async def test_unknown_order_number_is_not_revealed_before_the_email(shop_db, domain):
    for number in ("199999", "100234"):  # unknown and known: both accepted, the e-mail comes next
        d = CollectingDispatcher()
        out = await ValidateVerifyForm().validate_order_id(number, d, make_tracker(), domain)
        assert out == {"order_id": number} and d.messages == []


async def test_malformed_order_number_is_rejected(shop_db, domain):
    d = CollectingDispatcher()
    out = await ValidateVerifyForm().validate_order_id("999999", d, make_tracker(), domain)
    assert out == {"order_id": None}
    assert responses(d) == ["utter_invalid_order_id"]


async def test_order_number_with_prefix_is_normalised(shop_db, domain):
    out = await ValidateVerifyForm().validate_order_id(
        "KD-100234", CollectingDispatcher(), make_tracker(), domain
    )
    assert out["order_id"] == "100234"


async def test_matching_email_verifies(shop_db, domain):
    d = CollectingDispatcher()
    tracker = make_tracker({"order_id": "100234"})
    out = await ValidateVerifyForm().validate_email("Anna.Schmidt@web.de ", d, tracker, domain)
    assert out == {"email": "anna.schmidt@web.de", "verified_order": "100234"}
    assert d.messages == []


async def test_wrong_email_is_refused_and_counted(shop_db, domain):
    d = CollectingDispatcher()
    tracker = make_tracker({"order_id": "100234", "verify_attempts": 0})
    out = await ValidateVerifyForm().validate_email("fremd@example.com", d, tracker, domain)
    assert out["email"] is None and out["verified_order"] is None and out["verify_attempts"] == 1
    assert [m["text"] for m in d.messages] == [COMPANY.notice("verify_no_match", "sie")]


async def test_malformed_email(shop_db, domain):
    d = CollectingDispatcher()
    out = await ValidateVerifyForm().validate_email(
        "anna at web", d, make_tracker({"order_id": "100234"}), domain
    )
    assert out == {"email": None}
    assert responses(d) == ["utter_invalid_email"]


async def test_earlier_email_must_match_a_new_order(shop_db, domain):
    events = [
        user_event(
            "und 100235?", "order_status", entities=[{"entity": "order_id", "value": "100235"}]
        ),
        {"event": "slot", "name": "order_id", "value": "100235"},
    ]
    tracker = make_tracker(
        {"order_id": "100235", "email": "anna.schmidt@web.de", "verified_order": "100234"}, events
    )
    out = await ValidateVerifyForm().validate_order_id(
        "100235", CollectingDispatcher(), tracker, domain
    )
    assert out == {
        "order_id": "100235",
        "email": None,
        "verified_order": None,
        "verify_attempts": 1,
    }


async def test_form_gives_up_after_three_wrong_emails(shop_db, domain):
    tracker = make_tracker({"verify_attempts": 3})
    slots = await ValidateVerifyForm().required_slots(
        ["order_id", "email"], CollectingDispatcher(), tracker, domain
    )
    assert slots == []


async def test_address_form_skips_address_when_shipped(shop_db, domain):
    form = ValidateAddressForm()
    shipped = make_tracker({"order_id": "100234", "verified_order": "100234"})
    processing = make_tracker({"order_id": "100236", "verified_order": "100236"})
    all_slots = ["order_id", "email", "new_address"]
    assert "new_address" not in await form.required_slots(
        all_slots, CollectingDispatcher(), shipped, domain
    )
    assert "new_address" in await form.required_slots(
        all_slots, CollectingDispatcher(), processing, domain
    )


def test_return_mode_from_text_or_button():
    assert parse_return_mode("refund") == "refund"
    assert parse_return_mode("lieber umtauschen bitte") == "exchange"
    assert parse_return_mode("Geld zurück") == "refund"
    assert parse_return_mode("weiß nicht") is None
    # read with its negation, and in English
    assert parse_return_mode("kein Geld zurück, lieber tauschen") == "exchange"
    assert parse_return_mode("keinen Umtausch!") == "refund"
    assert parse_return_mode("Money back please") == "refund"


def _unbounded_repeats(parsed) -> list:
    """Repeats without an upper bound over anything but whitespace (the quadratic kind)."""
    found = []
    for op, arg in parsed:
        if op in (sre_parse.MAX_REPEAT, sre_parse.MIN_REPEAT):
            low, high, body = arg
            only_space = all(
                o == sre_parse.IN and (sre_parse.CATEGORY, sre_parse.CATEGORY_SPACE) in a
                for o, a in body
            ) or list(body) == [(sre_parse.CATEGORY, sre_parse.CATEGORY_SPACE)]
            if high == sre_parse.MAXREPEAT and not only_space:
                found.append(body)
            found += _unbounded_repeats(body)
        elif op in (sre_parse.SUBPATTERN,):
            found += _unbounded_repeats(arg[-1])
        elif op == sre_parse.BRANCH:
            for branch in arg[1]:
                found += _unbounded_repeats(branch)
    return found


def test_the_address_pattern_bounds_every_word_run():
    """An open `*` over letters made a 2,000-letter message cost 0.3 s (issue 23.10)."""
    assert _unbounded_repeats(sre_parse.parse(ADDRESS.pattern)) == []


@pytest.mark.parametrize(
    "text, address",
    [
        ("bitte an Musterstraße 5, 10115 Berlin", "Musterstraße 5, 10115 Berlin"),
        ("Neue Adresse: Am Alten Markt 12a, 80331 München", "Am Alten Markt 12a, 80331 München"),
        ("Hauptstr. 5 10115 Berlin", "Hauptstr. 5 10115 Berlin"),
        ("a" * 5000, None),
    ],
)
def test_said_address_still_reads_addresses(text, address):
    assert said_address(text) == address


def test_said_address_reads_only_the_start_of_a_very_long_message():
    address = "Musterstraße 5, 10115 Berlin"
    assert said_address("x " * (MAX_READ // 2 - 40) + address) == address
    assert said_address("x " * MAX_READ + address) is None


async def test_condolence_comes_when_the_bot_starts_on_the_case_once(shop_db, domain):
    """Issue 22.7: a grieving customer gets condolence with the first reply after the e-mail matched,
    not "nicht rund läuft", and only once per flow."""
    from actions.verification import ValidateReturnForm

    grief = user_event(
        "hey, die lampe war für nen freund, der ist verstorben. 100238", "return_item"
    )
    events = [grief, {"event": "bot", "text": "Mit welcher E-Mail?"}]
    events.append(user_event("sophie.mueller@gmail.com", "inform"))
    d = CollectingDispatcher()
    tracker = make_tracker({"order_id": "100238", "register": "du"}, events)
    out = await ValidateReturnForm().validate_email("sophie.mueller@gmail.com", d, tracker, domain)
    assert out["verified_order"] == "100238"
    (line,) = [m["text"] for m in d.messages]
    assert "Beileid" in line and ("dein" in line or "dir" in line)
    events += [{"event": "bot", "text": line}, user_event("weil ich sie nicht brauche", "inform")]
    d = CollectingDispatcher()
    tracker = make_tracker({"order_id": "100238", "register": "du"}, events)
    await ValidateReturnForm().validate_email("sophie.mueller@gmail.com", d, tracker, domain)
    assert d.messages == []


async def test_a_grieving_first_message_with_its_number_gets_condolence_before_the_e_mail(domain):
    text = "Mein Mann ist letzte Woche verstorben. Bitte stornieren Sie seine Bestellung 100241."
    d = CollectingDispatcher()
    tracker = make_tracker({}, [user_event(text, "cancel_order")])
    out = await ValidateVerifyForm().validate_order_id("100241", d, tracker, domain)
    assert out == {"order_id": "100241"}
    (line,) = [m["text"] for m in d.messages]
    assert "Beileid" in line
    calm = make_tracker({}, [user_event("Bitte stornieren Sie 100241.", "cancel_order")])
    d = CollectingDispatcher()
    await ValidateVerifyForm().validate_order_id("100241", d, calm, domain)
    assert d.messages == []


async def test_a_calm_verification_says_nothing_extra(shop_db, domain):
    d = CollectingDispatcher()
    events = [
        user_event("wo ist 100234", "order_status"),
        user_event("anna.schmidt@web.de", "inform"),
    ]
    tracker = make_tracker({"order_id": "100234"}, events)
    await ValidateVerifyForm().validate_email("anna.schmidt@web.de", d, tracker, domain)
    assert d.messages == []


async def test_the_email_goes_with_the_order_the_customer_points_at(shop_db, domain):
    """Issue 22.5: "zwei Bestellungen, 100234 und 100240" then "die erste ist über anna…": the first
    named order is checked, not the last number the slot kept - and only that one."""

    def number(value):
        return {"entity": "order_id", "value": value}

    named = user_event(
        "Ich habe zwei Bestellungen, 100234 und 100240. Wo sind die?",
        "order_status",
        entities=[number("100234"), number("100240")],
    )
    first = user_event("Die erste lief über anna.schmidt@web.de", "inform")
    d = CollectingDispatcher()
    tracker = make_tracker({"order_id": "100240"}, [named, first])
    out = await ValidateVerifyForm().validate_email("anna.schmidt@web.de", d, tracker, domain)
    assert out["order_id"] == "100234" and out["verified_order"] == "100234"
    # without an ordinal the order in the slot is checked, as always (no second try elsewhere)
    plain = user_event("anna.schmidt@web.de", "inform")
    d = CollectingDispatcher()
    tracker = make_tracker({"order_id": "100240"}, [named, plain])
    out = await ValidateVerifyForm().validate_email("anna.schmidt@web.de", d, tracker, domain)
    assert out["verified_order"] is None and "order_id" not in out


def test_a_flickering_lamp_is_a_described_defect():
    from actions.verification import said_complaint

    assert said_complaint("digga meine stirnlampe flackert voll, bestellung 100238")
    assert said_complaint("der Reißverschluss hält nicht mehr zu")
    assert said_complaint("wo ist meine bestellung 100238 bitte") is None


def test_a_request_again_instead_of_the_order_number_gets_what_is_needed():
    """Persona run, problem 8: "I don't have an order yet, I want to buy a tent" at "What is your
    order number?" read as the status request again used to get an empty reply (the form was
    rejected, nothing answered). Now the bot says what it needs and how to leave; the form asks again."""
    from rasa_sdk.events import SlotSet

    from actions.verification import not_understood

    events = [
        user_event("Where is my order?", "order_status"),
        {"event": "action", "name": "verify_form"},
        {"event": "active_loop", "name": "verify_form"},
        {"event": "bot", "text": "What is your order number?"},
        user_event("I don't have an order yet, I want to buy a tent for my trip.", "order_status"),
    ]
    slots = {"requested_slot": "order_id", "language": "en"}  # no task slot: the first message's
    d = CollectingDispatcher()
    assert not_understood(d, make_tracker(slots, events, "verify_form"), []) == [
        SlotSet("order_id", None)
    ]
    assert "order number" in d.messages[0]["text"] and "stop" in d.messages[0]["text"]
    # a message the form took, something already said, or another request: nothing added
    d = CollectingDispatcher()
    taken = [SlotSet("order_id", "100234")]
    assert not_understood(d, make_tracker(slots, events, "verify_form"), taken) == []
    assert d.messages == []
    other = events[:-1] + [user_event("cancel my order instead", "cancel_order")]
    assert not_understood(d, make_tracker(slots, other, "verify_form"), []) == []
    first = events[:3]  # the message that started the form is read by the form itself
    assert not_understood(d, make_tracker(slots, first, "verify_form"), []) == []
    assert d.messages == []


def test_an_outburst_next_to_the_defect_is_not_quoted_back():
    """Persona run 2 (d19): the whole angry message was read back as the complaint's description."""
    from actions.verification import said_complaint

    text = (
        "ey ihr habt mir die falsche größe geschickt!!! 39 bestellt, 42 gekommen. "
        "bestellung 100234, ich bin so sauer echt"
    )
    details = said_complaint(text)
    assert details is not None and "falsche größe" in details and "42 gekommen" in details
    assert "sauer" not in details and not details.endswith(",")
    assert (
        said_complaint("Frechheit!!! Der Reißverschluss ist kaputt.")
        == "Der Reißverschluss ist kaputt."
    )
    assert said_complaint("Die Naht ist eine Frechheit, total gerissen") == (
        "Die Naht ist eine Frechheit, total gerissen"
    )  # the defect named in the same clause stays


def test_an_e_mail_left_for_the_team_earlier_is_used_not_asked_again(domain):
    """Held-out persona run 4 (d18): the address given after the handoff (noted by the hub, never a
    slot) was asked again when the order form started; one already tried is never taken again."""
    from actions.verification import untried_email

    left = user_event("m.yilmaz@posteo.de, und wann ist das Geld da?", "faq")
    ask = user_event("Es geht um 100237, zweimal abgebucht!", "payment_issue")
    form = ValidateVerifyForm()
    tracker = make_tracker({"order_id": "100237"}, [left, ask])
    assert form.extract_email(CollectingDispatcher(), tracker, domain) == {
        "email": "m.yilmaz@posteo.de"
    }
    tried = {"event": "slot", "name": "email", "value": "m.yilmaz@posteo.de"}
    assert untried_email(make_tracker({}, [left, tried, ask])) is None
    filled = make_tracker({"email": "anna.schmidt@web.de"}, [left, ask])
    assert form.extract_email(CollectingDispatcher(), filled, domain) == {}


def test_an_order_number_left_for_the_team_earlier_is_used_not_asked_again(domain):
    """Held-out persona run 6 (d21): the order number given with the e-mail after the handoff (never
    a slot) was asked again when the invoice form started; one already in the slot is never taken."""
    from actions.verification import untried_order_id

    left = user_event("Mir fehlt die Rechnung zu 100240, lena@example.org", "request_human")
    ask = user_event("Schicken Sie mir die Rechnung nun selbst oder nicht?", "invoice_request")
    form = ValidateVerifyForm()
    tracker = make_tracker({}, [left, ask])
    assert form.extract_order_id(CollectingDispatcher(), tracker, domain) == {"order_id": "100240"}
    tried = {"event": "slot", "name": "order_id", "value": "100240"}
    assert untried_order_id(make_tracker({}, [left, tried, ask])) is None
    named = user_event("Und die Rechnung zu 100243?", "invoice_request")
    assert (
        form.extract_order_id(CollectingDispatcher(), make_tracker({}, [left, named]), domain) == {}
    )


def test_a_death_told_in_the_first_message_is_the_return_reason(domain):
    """Held-out run 7, d28: the reason is read back with the condolence before it, not asked."""
    from actions.verification import ValidateReturnForm

    text = (
        "Mein Vater ist letzten Monat ums Leben gekommen. Seine Schuhe aus 100235 sind noch "
        "gekommen, kann ich die zurückschicken?"
    )
    d = CollectingDispatcher()
    tracker = make_tracker(events=[user_event(text, "return_item")])
    out = ValidateReturnForm().extract_return_reason(d, tracker, domain)
    assert out == {"return_reason": "Todesfall"}
    texts = [m.get("text") or "" for m in d.messages]
    assert "Beileid" in texts[0]
    assert responses(d)[-1] == "utter_return_understood"


def test_a_death_as_the_answer_to_why_fills_the_reason(domain):
    from actions.verification import ValidateReturnForm

    asked = {"event": "bot", "text": "Was ist der Grund für die Rücksendung?"}
    for answer, mode in (
        ("Sie lebt nicht mehr, das stand doch oben.", None),
        ("Weil mein Sohn gestorben ist. Einfach das Geld zurück.", "refund"),
        ("Der Grund: meine Frau ist verstorben.", None),
    ):
        started = {"event": "active_loop", "name": "return_form"}
        events = [user_event("Rücksendung 100235", "return_item"), started, asked]
        events.append(user_event(answer, "inform"))
        tracker = make_tracker({"requested_slot": "return_reason"}, events, "return_form")
        out = ValidateReturnForm().validate_return_reason(
            answer, CollectingDispatcher(), tracker, domain
        )
        assert out.get("return_reason") in ("Todesfall", "mein Sohn gestorben ist"), answer
        assert out.get("return_mode") == mode, answer


def test_a_reason_without_a_death_is_kept_as_written(domain):
    from actions.verification import ValidateReturnForm

    answer = "Die Farbe ist in echt viel dunkler."
    started = {"event": "active_loop", "name": "return_form"}
    events = [
        user_event("Rücksendung 100235", "return_item"),
        started,
        user_event(answer, "inform"),
    ]
    tracker = make_tracker({"requested_slot": "return_reason"}, events, "return_form")
    out = ValidateReturnForm().validate_return_reason(
        answer, CollectingDispatcher(), tracker, domain
    )
    assert out["return_reason"] == answer
