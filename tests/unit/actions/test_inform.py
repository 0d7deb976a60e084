"""An order number on its own starts the request the customer stated; the menu only without one (issue 22)."""

from rasa_sdk.executor import CollectingDispatcher

from actions.inform import ActionInform, stated_request
from tests.trackers import make_tracker, user_event


def _inform(text: str = "100236", ranking=None):
    event = user_event(text, "inform", entities=[{"entity": "order_id", "value": "100236"}])
    event["parse_data"]["intent_ranking"] = ranking or [{"name": "inform", "confidence": 0.99}]
    return event


async def test_a_runner_up_request_in_the_same_message_starts_its_flow(domain):
    events = [
        _inform(
            "Nr. 100236, Rücksendung",
            [{"name": "inform", "confidence": 0.6}, {"name": "return_item", "confidence": 0.3}],
        )
    ]
    d = CollectingDispatcher()
    result = await ActionInform().run(d, make_tracker(events=events), domain)
    assert d.messages == []
    assert {"event": "slot", "name": "task", "value": "return_item", "timestamp": None} in result
    assert result[-1]["name"] == "return_form"


async def test_the_request_of_the_message_before_is_continued(domain):
    events = [
        user_event("Kann ich meine Bestellung noch stornieren", "cancel_order"),
        {"event": "bot", "text": "..."},
        _inform(),
    ]
    d = CollectingDispatcher()
    result = await ActionInform().run(d, make_tracker(events=events), domain)
    assert result[-1]["name"] == "verify_form" and d.messages == []


def test_a_new_number_after_a_finished_request_continues_that_request():
    """Only a conversation without any stated request gets the menu (issue 22)."""
    events = [
        user_event("wo ist mein Paket", "order_status"),
        {"event": "active_loop", "name": "verify_form"},
        {"event": "active_loop", "name": None},
        _inform(),
    ]
    assert stated_request(events, events[-1]["parse_data"]) == "order_status"


async def test_a_number_after_an_angry_delivery_message_starts_the_status(domain):
    events = [
        user_event("Zweimal war der Bote da und ich war zu Hause!", "frustration", mood=0.9),
        {"event": "bot", "text": "Ich verstehe Ihren Ärger …"},
        _inform("Die Nummer ist 100236."),
    ]
    d = CollectingDispatcher()
    result = await ActionInform().run(d, make_tracker(events=events), domain)
    assert d.messages == [] and result[-1]["name"] == "verify_form"
    assert {"event": "slot", "name": "task", "value": "order_status", "timestamp": None} in result


async def test_without_any_request_the_bot_asks_what_it_is_about(domain):
    events = [user_event("hallo", "greet"), _inform()]
    d = CollectingDispatcher()
    assert await ActionInform().run(d, make_tracker(events=events), domain) == []
    assert d.messages[0]["response"] == "utter_inform_ack"


async def test_an_e_mail_after_the_lock_is_not_checked_and_the_lock_is_told_again(domain, shop_db):
    """Issue 22.11: once the form gave up, a later guess - even the right address - reveals nothing."""
    from actions import settings, verification
    from actions.verification import ValidateVerifyForm

    for guess in range(settings.MAX_VERIFY_ATTEMPTS):
        t = make_tracker(
            {"order_id": "100234", "verify_attempts": guess},
            [user_event(f"anna{guess}@web.de", "inform")],
        )
        await ValidateVerifyForm().validate_email(
            f"anna{guess}@web.de", CollectingDispatcher(), t, {}
        )
    right = user_event(
        "anna.schmidt@web.de",
        "inform",
        entities=[{"entity": "email", "value": "anna.schmidt@web.de"}],
    )
    t = make_tracker({"order_id": "100234"}, [right])
    d = CollectingDispatcher()
    result = await ActionInform().run(d, t, domain)
    text = " ".join(m.get("text") or "" for m in d.messages)
    assert "pausiert" in text and "Lindenstraße" not in text
    assert {"event": "slot", "name": "verified_order", "value": None, "timestamp": None} in result
    assert not any(e.get("event") == "followup" for e in result)
    assert verification.lock_of(verification.subjects(t, "100234"), verification.now())
    # a further guess: the same facts in other words, not the same block again
    history = next(e["value"] for e in result if e.get("name") == "bot_actions")
    t = make_tracker({"order_id": "100234", "bot_actions": history}, [right])
    d2 = CollectingDispatcher()
    await ActionInform().run(d2, t, domain)
    again = " ".join(m.get("text") or "" for m in d2.messages)
    assert "bleibt" in again and "nicht" in again and again != text


async def test_an_e_mail_without_a_lock_goes_on_as_before(domain, shop_db):
    events = [
        user_event("wo ist mein Paket 100234", "order_status"),
        {"event": "bot", "text": "..."},
        user_event("anna.schmidt@web.de", "inform", entities=[{"entity": "email", "value": "x"}]),
    ]
    result = await ActionInform().run(CollectingDispatcher(), make_tracker(events=events), domain)
    assert result[-1]["name"] == "verify_form"


async def test_an_e_mail_while_the_team_has_the_matter_goes_to_its_request(domain):
    """Issue 22.8: "Meine Mail ist …" after the request was recorded is where the team answers."""
    given = user_event(
        "Meine Mail ist lukas.hofer@gmx.at",
        "inform",
        entities=[{"entity": "email", "value": "lukas.hofer@gmx.at"}],
    )
    d = CollectingDispatcher()
    result = await ActionInform().run(d, make_tracker({"handoff_ticket": "4"}, [given]), domain)
    assert d.messages[0]["custom"] == {"contact": {"ticket": 4, "contact": "lukas.hofer@gmx.at"}}
    assert not any(e.get("event") == "followup" for e in result)


async def test_a_phone_number_for_the_open_request_but_an_e_mail_a_form_asked_for_is_its_answer(
    domain,
):
    phone = user_event("Meine Telefonnummer ist 030 5556677.", "inform")
    d = CollectingDispatcher()
    await ActionInform().run(d, make_tracker({"handoff_ticket": 2}, [phone]), domain)
    assert d.messages[0]["custom"] == {"contact": {"ticket": 2, "contact": "030 5556677"}}
    asked = user_event("anna.schmidt@web.de", "inform")
    d = CollectingDispatcher()
    t = make_tracker({"handoff_ticket": 2}, [asked], active_loop="verify_form")
    await ActionInform().run(d, t, domain)
    assert not any(m.get("custom") for m in d.messages)


async def test_an_e_mail_after_a_question_needing_no_order_is_offered_to_the_team(domain):
    question = user_event("Ich möchte, dass Sie alle meine Daten löschen.", "faq")
    question["parse_data"]["intent"]["full_retrieval_intent_name"] = "faq/privacy"
    mail = user_event(
        "Meine Adresse ist lea@example.org, reicht das?",
        "inform",
        entities=[{"entity": "email", "value": "lea@example.org"}],
    )
    events = [question, {"event": "bot", "text": "..."}, mail]
    d = CollectingDispatcher()
    assert await ActionInform().run(d, make_tracker(events=events), domain) == []
    assert [m["response"] for m in d.messages] == ["utter_contact_for_topic"]
    # A bare e-mail with no question before it still asks what it is about.
    d = CollectingDispatcher()
    await ActionInform().run(d, make_tracker(events=[mail]), domain)
    assert [m["response"] for m in d.messages] == ["utter_inform_ack"]


async def test_a_number_given_with_grief_gets_condolence_and_a_calm_question_not_the_menu(domain):
    """Persona run 3 (d04): no cheerful "Danke für die Angabe! Worum geht es …?" after a death."""
    said = user_event(
        "Meine Oma ist verstorben, in ihren Papieren steht die Bestellung 100241", "inform"
    )
    d = CollectingDispatcher()
    assert await ActionInform().run(d, make_tracker({}, [said]), domain) == []
    texts = [m.get("text") or "" for m in d.messages]
    assert "Beileid" in texts[0] and "Was darf ich für Sie erledigen" in texts[1]
    assert not any(m.get("response") == "utter_inform_ack" for m in d.messages)
