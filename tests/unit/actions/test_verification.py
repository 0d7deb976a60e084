"""Forms never reveal anything before the e-mail matches the order."""

from rasa_sdk.executor import CollectingDispatcher

from actions.verification import ValidateAddressForm, ValidateVerifyForm, parse_return_mode
from bot.shared.company import company
from tests.trackers import make_tracker, user_event

COMPANY = company()


def responses(dispatcher):
    return [m.get("response") for m in dispatcher.messages]


def test_unknown_order_number_is_not_revealed_before_the_email(shop_db, domain):
    for number in ("199999", "100234"):  # unknown and known: both accepted, the e-mail comes next
        d = CollectingDispatcher()
        out = ValidateVerifyForm().validate_order_id(number, d, make_tracker(), domain)
        assert out == {"order_id": number} and d.messages == []


def test_malformed_order_number_is_rejected(shop_db, domain):
    d = CollectingDispatcher()
    out = ValidateVerifyForm().validate_order_id("999999", d, make_tracker(), domain)
    assert out == {"order_id": None}
    assert responses(d) == ["utter_invalid_order_id"]


def test_order_number_with_prefix_is_normalised(shop_db, domain):
    out = ValidateVerifyForm().validate_order_id(
        "KD-100234", CollectingDispatcher(), make_tracker(), domain
    )
    assert out["order_id"] == "100234"


def test_matching_email_verifies(shop_db, domain):
    d = CollectingDispatcher()
    tracker = make_tracker({"order_id": "100234"})
    out = ValidateVerifyForm().validate_email("Anna.Schmidt@web.de ", d, tracker, domain)
    assert out == {"email": "anna.schmidt@web.de", "verified_order": "100234"}
    assert d.messages == []


def test_wrong_email_is_refused_and_counted(shop_db, domain):
    d = CollectingDispatcher()
    tracker = make_tracker({"order_id": "100234", "verify_attempts": 0})
    out = ValidateVerifyForm().validate_email("fremd@example.com", d, tracker, domain)
    assert out["email"] is None and out["verified_order"] is None and out["verify_attempts"] == 1
    assert [m["text"] for m in d.messages] == [COMPANY.notice("verify_no_match", "sie")]


def test_malformed_email(shop_db, domain):
    d = CollectingDispatcher()
    out = ValidateVerifyForm().validate_email(
        "anna at web", d, make_tracker({"order_id": "100234"}), domain
    )
    assert out == {"email": None}
    assert responses(d) == ["utter_invalid_email"]


def test_earlier_email_must_match_a_new_order(shop_db, domain):
    events = [
        user_event(
            "und 100235?", "order_status", entities=[{"entity": "order_id", "value": "100235"}]
        ),
        {"event": "slot", "name": "order_id", "value": "100235"},
    ]
    tracker = make_tracker(
        {"order_id": "100235", "email": "anna.schmidt@web.de", "verified_order": "100234"}, events
    )
    out = ValidateVerifyForm().validate_order_id("100235", CollectingDispatcher(), tracker, domain)
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
