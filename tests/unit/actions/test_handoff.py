import pytest
from rasa_sdk.events import ActiveLoop, ConversationPaused, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.handoff import ActionHandoff, ActionRate, ActionWelcomeBack, parse_rating
from tests.trackers import make_tracker, user_event


def payload(dispatcher):
    return [m["custom"]["handoff"] for m in dispatcher.messages if m.get("custom")][0]


async def test_handoff_pauses_and_sends_a_readable_summary(domain):
    events = [
        user_event("Wo ist meine Bestellung 100234?", "order_status", mood=0.1),
        {"event": "bot", "text": "Mit welcher E-Mail-Adresse haben Sie bestellt?"},
        user_event("anna.schmidt@web.de", "inform"),
        {"event": "bot", "text": "Ihre Bestellung 100234 ist unterwegs."},
        user_event("Ich will einen Menschen sprechen", "request_human", mood=0.2),
    ]
    slots = {
        "order_id": "100234",
        "verified_order": "100234",
        "email": "anna.schmidt@web.de",
        "order_status": "versandt",
        "register": "sie",
        "bot_actions": ["Status von 100234 genannt (versandt)"],
    }
    d = CollectingDispatcher()
    result = await ActionHandoff().run(d, make_tracker(slots, events), domain)
    assert ConversationPaused() in result and ActiveLoop(None) in result
    data = payload(d)
    assert data["reason"] == "customer_request" and data["priority"] == "normal"
    summary = data["summary"]
    assert (
        summary["topic"] == "Lieferstatus"
        and summary["request"] == "Wo ist meine Bestellung 100234?"
    )
    assert summary["order_id"] == "100234" and summary["email_verified"] is True
    assert summary["email"] == "anna.schmidt@web.de" and summary["order_status"] == "versandt"
    assert summary["intents"] == ["order_status", "inform", "request_human"]
    assert summary["mood_trend"] == [0.1, 0.0, 0.2] and summary["register"] == "sie"
    assert summary["last_messages"][-1] == {
        "sender": "customer",
        "text": "Ich will einen Menschen sprechen",
    }
    assert d.messages[0]["response"] == "utter_handoff"


async def test_unverified_email_is_not_handed_over(domain):
    slots = {"order_id": "100234", "email": "fremd@example.com", "verified_order": None}
    d = CollectingDispatcher()
    await ActionHandoff().run(
        d, make_tracker(slots, [user_event("Mensch!", "request_human")]), domain
    )
    summary = payload(d)["summary"]
    assert summary["email"] is None and summary["email_verified"] is False


async def test_frustration_handoff_is_urgent_and_apologises(domain):
    d = CollectingDispatcher()
    await ActionHandoff().run(
        d, make_tracker({}, [user_event("SAUER!!!", "frustration", mood=0.95)]), domain
    )
    assert payload(d)["priority"] == "urgent" and payload(d)["reason"] == "frustration"
    assert d.messages[0]["response"] == "utter_handoff_frustrated"


async def test_with_a_request_open_in_the_hub_no_i_connect_you_is_said(domain):
    """Issue 22.8: the hub names the open request again (bot/hub/handoff/requests.py); "ich verbinde
    Sie" before it would not be true. The handoff payload still goes to the hub."""
    d = CollectingDispatcher()
    tracker = make_tracker({"handoff_ticket": "12"}, [user_event("Mitarbeiter!", "request_human")])
    await ActionHandoff().run(d, tracker, domain)
    assert [m.get("response") for m in d.messages] == [None] and payload(d)


async def test_anger_after_nobody_was_reachable_is_not_offered_a_direct_connection(domain):
    from actions.faq import ActionFrustration

    d = CollectingDispatcher()
    tracker = make_tracker({"handoff_ticket": "12"}, [user_event("Frechheit!", "frustration")])
    await ActionFrustration().run(d, tracker, domain)
    assert (
        d.messages[-1]["response"] == "utter_frustration_ticket"
        and d.messages[-1]["ticket"] == "12"
    )
    texts = [v["text"] for v in domain["responses"]["utter_frustration_ticket"]]
    assert all("verbinde" not in t and "{ticket}" in t for t in texts)


async def test_reason_set_by_an_action_wins(domain):
    d = CollectingDispatcher()
    tracker = make_tracker(
        {"handoff_reason": "bot_cannot_act"}, [user_event("doppelt abgebucht", "payment_issue")]
    )
    result = await ActionHandoff().run(d, tracker, domain)
    assert payload(d)["reason"] == "bot_cannot_act" and SlotSet("handoff_reason", None) in result


async def test_welcome_back_remembers_order_and_asks_rating(domain):
    d = CollectingDispatcher()
    await ActionWelcomeBack().run(
        d,
        make_tracker(
            {"order_id": "100234", "register": "du"},
            [user_event("wo ist mein paket", "order_status")],
        ),
        domain,
    )
    assert (
        d.messages[0]["context_text"]
        == "Wir waren bei deiner Bestellung 100234 (Thema: Lieferstatus)."
    )
    assert d.messages[1]["response"] == "utter_ask_rating"


def test_parse_rating():
    assert parse_rating("4", "") == 4
    assert parse_rating(None, "ich gebe 5 Sterne") == 5
    assert parse_rating(None, "war sehr gut") == 5
    assert parse_rating(None, "eher schlecht") == 2
    assert parse_rating(None, "keine ahnung") is None


ASKED = {
    "event": "bot",
    "text": "Wie zufrieden waren Sie mit der Hilfe?",
    "metadata": {"utter_action": "utter_ask_rating"},
}


async def test_rate_stores_and_thanks(domain):
    d = CollectingDispatcher()
    result = await ActionRate().run(
        d, make_tracker({"rating": "4"}, [ASKED, user_event("4", "rate")]), domain
    )
    assert (
        d.messages[0]["custom"] == {"rating": 4}
        and d.messages[1]["response"] == "utter_rating_thanks"
    )
    assert SlotSet("rating", "4") in result


@pytest.mark.parametrize(
    "text, rating",
    [
        ("vier", 4),
        ("fünf Sterne", 5),
        ("drei sterne", 3),
        ("einen Stern", 1),
        ("10 von 10", 5),
        ("8/10", 4),
        ("4 von 5 Sternen", 4),
        ("null sterne wenn das ginge", 1),
        ("keine 5, eher eine 3", 3),
        ("nicht so gut", 2),
        ("nicht gut", 2),
        ("gar nicht zufrieden", 1),
        ("nicht zufrieden", 2),
        ("sehr unzufrieden", 1),
        ("nicht schlecht", 4),
        ("mittelmäßig", 3),
    ],
)
def test_parse_rating_number_words_and_negations(text, rating):
    assert parse_rating(None, text) == rating


def test_negated_number_is_no_rating_even_if_the_entity_says_so():
    assert parse_rating("5", "keine 5") is None
    assert parse_rating(None, "keine fünf Sterne") is None


@pytest.mark.parametrize("question", ["utter_ask_rating", "utter_goodbye_ask_rating"])
async def test_rating_in_words_right_after_the_question(domain, question):
    d = CollectingDispatcher()
    asked = {"event": "bot", "text": "…", "metadata": {"utter_action": question}}
    tracker = make_tracker(
        {"rating_asked": question == "utter_goodbye_ask_rating"},
        [user_event("hallo", "greet"), asked, user_event("vier", "rate")],
    )
    result = await ActionRate().run(d, tracker, domain)
    assert d.messages[0]["custom"] == {"rating": 4}
    assert SlotSet("rating", "4") in result


async def test_welcome_back_question_counts_as_asked(domain):
    events = [
        {
            "event": "bot",
            "text": "Hier ist wieder Wanda",
            "metadata": {"utter_action": "utter_welcome_back"},
        },
        ASKED,
        user_event("nicht so gut", "rate"),
    ]
    d = CollectingDispatcher()
    await ActionRate().run(d, make_tracker({}, events), domain)
    assert d.messages[0]["custom"] == {"rating": 2}


async def test_number_without_a_rating_question_is_not_stored(domain):
    events = [
        {"event": "slot", "name": "rating", "value": "5"},
        {
            "event": "bot",
            "text": "Ihre Bestellung ist unterwegs.",
            "metadata": {"utter_action": "utter_order_status"},
        },
        user_event("2", "rate", entities=[{"entity": "rating", "value": "2"}]),
        {"event": "slot", "name": "rating", "value": "2"},
    ]
    d = CollectingDispatcher()
    result = await ActionRate().run(d, make_tracker({"rating": "2"}, events), domain)
    assert not any(m.get("custom") for m in d.messages)
    assert d.messages[0]["response"] == "utter_fallback"
    assert SlotSet("rating", "5") in result


async def test_the_summary_topic_is_the_task_not_a_question_asked_on_the_way(domain):
    """Cancelling, asked about shipping costs inside the form, then wants a person: the agent reads "Stornierung"."""
    events = [
        user_event("Ich möchte meine Bestellung stornieren", "cancel_order"),
        {"event": "active_loop", "name": "verify_form"},
        {"event": "bot", "text": "Wie lautet Ihre Bestellnummer?"},
        user_event("Moment, was kostet eigentlich der Versand?", "faq/shipping_costs"),
        {"event": "bot", "text": "Der Versand kostet 4,95 €."},
        user_event("Ich will jetzt einen Menschen", "request_human"),
    ]
    d = CollectingDispatcher()
    await ActionHandoff().run(
        d, make_tracker({"register": "sie"}, events, active_loop="verify_form"), domain
    )
    summary = payload(d)["summary"]
    assert summary["topic"] == "Stornierung" and summary["topic_key"] == "cancel_order"
    assert summary["request"] == "Ich möchte meine Bestellung stornieren"
    assert summary["latest_topic"] == "Allgemeine Frage"


async def test_an_english_customer_is_handed_over_with_a_note(domain):
    events = [user_event("Is there someone who speaks English?", "nlu_fallback")]
    d = CollectingDispatcher()
    await ActionHandoff().run(d, make_tracker({"language": "en"}, events), domain)
    summary = payload(d)["summary"]
    assert summary["language"] == "en"
    assert any("Englisch" in line for line in summary["bot_actions"])


async def test_a_german_customer_has_no_language_note(domain):
    d = CollectingDispatcher()
    await ActionHandoff().run(
        d, make_tracker({}, [user_event("Mitarbeiter bitte", "request_human")]), domain
    )
    summary = payload(d)["summary"]
    assert "language" not in summary and not any("Englisch" in a for a in summary["bot_actions"])


async def test_praise_read_as_a_rating_out_of_the_blue_is_thanked(domain):
    """Issue 22.7: "perfekt 💚" after an answer is joy - thanks, never "nicht verstanden", no rating."""
    events = [
        {"event": "bot", "text": "Ab 50 € ist der Versand kostenlos."},
        user_event("perfekt 💚", "rate"),
    ]
    d = CollectingDispatcher()
    await ActionRate().run(d, make_tracker({"register": "du"}, events), domain)
    assert not any(m.get("custom") for m in d.messages)
    assert d.messages[0].get("response") != "utter_fallback"
    from bot.shared.company import company

    assert d.messages[0]["text"] in company().raw["emotions"]["joy"]["du"]


@pytest.mark.parametrize(
    "slots, said",
    [
        ({}, ["kann ich nicht selbst entscheiden", "utter_handoff"]),
        ({"register": "du"}, ["kann ich nicht selbst entscheiden", "utter_handoff"]),
        ({"language": "en"}, ["is not something I can decide myself", "utter_handoff"]),
        # with a request already open in the hub the hub names it again; the reason still comes first
        ({"handoff_ticket": "3"}, ["kann ich nicht selbst entscheiden"]),
    ],
)
async def test_a_decision_the_bot_cannot_make_is_said_before_the_handoff(domain, slots, said):
    """Held-out persona run 2 (d24): 'Auf ihr PayPal-Konto habe ich keinen Zugriff mehr' got the
    PayPal refund way again; now the bot says it cannot decide that and hands it over."""
    d = CollectingDispatcher()
    text = "Auf das PayPal-Konto habe ich keinen Zugriff mehr. Geht das Geld auch auf mein Konto?"
    await ActionHandoff().run(d, make_tracker(slots, [user_event(text, "faq")]), domain)
    messages = [m for m in d.messages if not m.get("custom")]
    assert [m.get("response") for m in messages][1:] == said[1:]
    assert said[0] in messages[0]["text"]
    assert payload(d)["reason"] == "bot_cannot_act"


async def test_a_relative_of_someone_who_died_is_not_answered_at_that_persons_address(domain):
    """Persona run 3 (d04): the verified order's e-mail is the deceased mother's mailbox."""
    events = [
        user_event("Meine Mutter ist gestorben, hier ihre Bestellung 100236", "inform"),
        user_event("Ich komme an ihre Mails nicht ran, bitte ein Mensch", "request_human"),
    ]
    slots = {"order_id": "100236", "verified_order": "100236", "email": "mutter@example.de"}
    d = CollectingDispatcher()
    await ActionHandoff().run(d, make_tracker(slots, events), domain)
    summary = payload(d)["summary"]
    assert summary["email"] is None and summary["third_party"] is True
    assert summary["order_id"] == "100236" and summary["email_verified"] is True


async def test_yes_with_a_colleague_asked_after_it_creates_the_return_first(
    shop_db: str, domain
) -> None:
    """ "Ja, bitte anlegen. Und geben Sie meine Frage an einen Kollegen weiter" at the return's
    summary: the return is created (reference said), then handed over (held-out run 8, e05)."""
    from actions.returns import ActionCreateReturn
    from bot.shop import demo_db

    start = {"order_id": "100238", "verified_order": "100238", "bot_actions": []}
    start.update(return_reason="zu klein", return_mode="refund", register="sie")
    d = CollectingDispatcher()
    made = await ActionCreateReturn().run(
        d, make_tracker(start, [user_event("Rucksack zurück, zu klein", "return_item")]), {}
    )
    slots = {**start, **{e["name"]: e["value"] for e in made if e.get("event") == "slot"}}
    events = [
        user_event("Rucksack zurück, zu klein", "return_item"),
        {"event": "bot", "text": "…", "metadata": {"utter_action": "utter_confirm_return"}},
        user_event(
            "Ja, legen Sie sie an. Und geben Sie bitte meine Frage an einen Kollegen weiter.",
            "affirm",
        ),
    ]
    d = CollectingDispatcher()
    result = await ActionHandoff().run(d, make_tracker(slots, events), domain)
    returns = demo_db.returns_for("100238")
    assert len(returns) == 1
    said = [m.get("response") for m in d.messages]
    assert said[0] == "utter_return_created" and "utter_case_undo_hint" not in said
    assert "utter_handoff" in said and ConversationPaused() in result
    assert SlotSet("case_ref", returns[0].reference) in result
    summary = payload(d)["summary"]
    assert any(returns[0].reference in done for done in summary["bot_actions"])


async def test_a_person_asked_inside_the_yes_creates_nothing(shop_db: str, domain) -> None:
    """ "Ja, verbinden Sie mich mit einem Mitarbeiter" is no plain yes to the change."""
    from bot.shop import demo_db

    slots = {
        "order_id": "100238",
        "verified_order": "100238",
        "case_draft": {"kind": "return", "order_id": "100238", "reason": "zu klein"},
    }
    events = [
        {"event": "bot", "text": "…", "metadata": {"utter_action": "utter_confirm_return"}},
        user_event("Ja, verbinden Sie mich mit einem Mitarbeiter", "request_human"),
    ]
    d = CollectingDispatcher()
    await ActionHandoff().run(d, make_tracker(slots, events), domain)
    assert demo_db.returns_for("100238") == []
    assert d.messages[0]["response"] == "utter_handoff"


async def test_how_long_beside_a_data_request_handed_over_gets_its_deadline(domain):
    """Held-out run 8, e19 t5: "… Geben Sie das an Ihr Team weiter. Wie lange dauert das?" was handed
    over and the question dropped: the GDPR deadline is said beside the handoff."""
    text = "Ich will Auskunft über meine gespeicherten Daten. Bitte ans Team geben. Wie lange dauert das?"
    d = CollectingDispatcher()
    await ActionHandoff().run(d, make_tracker({}, [user_event(text, "request_human")]), domain)
    said = " ".join(m.get("text") or "" for m in d.messages)
    assert "innerhalb eines Monats" in said and payload(d)
