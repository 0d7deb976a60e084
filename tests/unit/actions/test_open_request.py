"""Short talk around the open request: an okay is answered, the team's timing and the known contact told."""

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions import open_request
from actions.faq import ActionFaq
from actions.handoff import ActionRate
from tests.trackers import make_tracker, user_event


def texts(d: CollectingDispatcher) -> str:
    return " ".join(m.get("text") or m.get("response") or "" for m in d.messages)


async def test_an_okay_out_of_the_blue_is_no_fallback(domain):
    events = [
        {"event": "bot", "text": "…", "metadata": {"utter_action": "utter_order_status"}},
        user_event("Na gut.", "rate"),
    ]
    d = CollectingDispatcher()
    await ActionRate().run(d, make_tracker(events=events), domain)
    assert [m.get("response") for m in d.messages] == ["utter_anything_else"]


async def test_an_okay_with_the_matter_at_the_team_names_its_number(domain):
    d = CollectingDispatcher()
    t = make_tracker({"handoff_ticket": 7}, [user_event("passt", "affirm")])
    assert open_request.answer(d, t) is not None
    assert "Vorgangsnummer 7" in texts(d) and d.messages[-1]["response"] == "utter_anything_else"


async def test_how_long_is_answered_from_the_team_not_a_help_page(domain):
    events = [user_event("Und wie lange dauert das jetzt wieder?", "faq")]
    slots = {
        "handoff_ticket": 3,
        "order_id": "100242",
        "verified_order": "100242",
        "email": "felix.braun@posteo.de",
    }
    d = CollectingDispatcher()
    await ActionFaq().run(d, make_tracker(slots, events), domain)
    said = texts(d)
    assert "Vorgangsnummer 3" in said and "felix.braun@posteo.de" in said
    assert "meldet sich" in said and "Servicezeiten" in said


def test_how_the_team_reaches_the_customer_without_a_known_contact():
    d = CollectingDispatcher()
    t = make_tracker({"handoff_ticket": 3}, [user_event("Wie erreichen Sie mich denn?", "faq")])
    assert open_request.answer(d, t) is not None
    assert "hier im Chat" in texts(d)


def test_without_an_open_request_a_question_is_left_to_the_faq():
    d = CollectingDispatcher()
    t = make_tracker({}, [user_event("Wie lange dauert das?", "faq")])
    assert open_request.answer(d, t) is None and d.messages == []


def test_what_now_offers_a_person_whose_yes_hands_over():
    from bot.dialogue.pending import HUMAN_OFFER, QUESTIONS

    d = CollectingDispatcher()
    t = make_tracker({}, [user_event("Und was bringt mir das jetzt?", "nlu_fallback")])
    assert open_request.answer(d, t) is not None
    assert d.messages[0]["response"] == "utter_next_step_human"
    assert QUESTIONS["utter_next_step_human"] == HUMAN_OFFER


async def test_the_suggestion_did_not_help_gets_the_person_again_not_the_tip_again(domain):
    """Issue 22.5 ("stock"): after "did a neighbour take it? … a colleague can trace it", the report
    "Nachbarn hab ich schon gefragt, nix" offers the person again instead of the neighbour block."""
    offer = {"event": "bot", "text": "…", "metadata": {"utter_action": "utter_lost_parcel"}}
    tried = user_event("bei den nachbarn hab ich schon geschaut, nix", "faq")
    d = CollectingDispatcher()
    assert open_request.answer(d, make_tracker(events=[offer, tried])) is not None
    assert [m.get("response") for m in d.messages] == ["utter_next_step_human"]
    for events in (
        [tried],  # no person offered before: not this
        [offer, user_event("Hab ich schon gefragt, wer nimmt Pakete an?", "faq")],  # a question
    ):
        assert open_request.answer(CollectingDispatcher(), make_tracker(events=events)) is None


def test_an_e_mail_in_any_message_while_the_team_has_the_matter_goes_to_the_request():
    text = "Ich will das schriftlich, schicken Sie mir eine Bestätigung an m.yilmaz@posteo.de"
    d = CollectingDispatcher()
    assert open_request.answer(
        d, make_tracker({"handoff_ticket": 9}, [user_event(text, "nlu_fallback")])
    )
    assert d.messages[0]["custom"] == {"contact": {"ticket": 9, "contact": "m.yilmaz@posteo.de"}}


async def test_what_as_soon_as_possible_means_is_the_team_s_timing_not_another_offer(domain):
    """Held-out persona run 2 (d03): "So bald wie möglich heißt was? Heute noch?" right after the
    handoff got "nichts gefunden … Soll ich Sie mit unserem Kundenservice verbinden?"."""
    from actions.knowledge import ActionAnswerFromKnowledge

    text = "So bald wie möglich heißt was? Heute noch? Samstag sind wir weg."
    d = CollectingDispatcher()
    tracker = make_tracker({"handoff_ticket": 2}, [user_event(text, "nlu_fallback")])
    await ActionAnswerFromKnowledge().run(d, tracker, domain)
    said = texts(d)
    assert "Vorgangsnummer 2" in said and "utter_knowledge_none" not in said


def test_what_if_it_does_not_come_true_gets_the_next_step_without_a_question():
    events = [
        {"event": "bot", "text": "…", "metadata": {"utter_action": "utter_knowledge_answer"}},
        user_event("Und falls das nicht klappt, was mache ich dann?", "nlu_fallback"),
    ]
    d = CollectingDispatcher()
    assert open_request.answer(d, make_tracker(events=events)) is not None
    assert "Kollege" in texts(d) and "?" not in texts(d)


def test_what_if_it_does_not_come_true_with_the_matter_at_the_team_names_the_request():
    d = CollectingDispatcher()
    t = make_tracker({"handoff_ticket": 4}, [user_event("Und wenn es nicht kommt?", "faq")])
    assert open_request.answer(d, t) is None or "Kollege aus unserem Team kümmert" not in texts(d)


def test_when_after_a_phone_number_left_for_the_request_names_that_number(domain):
    """Persona run 4 (d11): a phone number left after the handoff, then "…: WANN?" got the
    still-there line; the number is where the team answers, not "hier im Chat"."""
    events = [
        {"event": "slot", "name": "handoff_ticket", "value": 8},
        user_event("Telefon 0171 2345678, es geht um die Rechnung", "invoice_request"),
        {"event": "bot", "text": "Danke! Ich habe 0171 2345678 notiert."},
        user_event("Sie haben meine Frage nicht beantwortet: WANN?", "faq"),
    ]
    d = CollectingDispatcher()
    assert open_request.answer(d, make_tracker({"handoff_ticket": 8}, events)) is not None
    said = texts(d)
    assert "Vorgangsnummer 8" in said and "0171 2345678" in said and "hier im Chat" not in said


def test_a_contact_before_the_request_was_opened_is_not_taken_for_it():
    events = [
        user_event("Meine Nummer 0171 2345678", "inform"),
        {"event": "slot", "name": "handoff_ticket", "value": 4},
        user_event("wie lange dauerts bis mir jemand schreibt?", "faq"),
    ]
    assert open_request.given_contact(make_tracker({"handoff_ticket": 4}, events)) is None


async def order_form_after_handoff(text: str, domain) -> tuple[Tracker, CollectingDispatcher]:
    """An order question after a handoff: the verify form asks for nothing; the tracker and what
    the order action then says."""
    from actions.orders import ActionHandleVerified
    from actions.verification import ValidateVerifyForm

    handed = {"event": "action", "name": "action_handoff"}
    tracker = make_tracker({"handoff_ticket": 17}, [handed, user_event(text, "order_status")])
    slots = await ValidateVerifyForm().required_slots(
        ["order_id", "email"], CollectingDispatcher(), tracker, domain
    )
    assert slots == []
    d = CollectingDispatcher()
    await ActionHandleVerified().run(d, tracker, domain)
    return tracker, d


async def test_when_a_person_answers_read_as_an_order_question_asks_no_order_number(domain):
    """Persona run 4 (d30): "wann meldet sich ein MITARBEITER bei mir?" after the handoff was read as
    order_status and the form asked for the order number; it is the team's answer time."""
    text = "nee, wann schreibt mir denn ein MITARBEITER?"
    _, d = await order_form_after_handoff(text, domain)
    assert "Vorgangsnummer 17" in texts(d) and "Bestellnummer" not in texts(d)
    # an order number in the message: about that order, the form goes on
    named = make_tracker({"handoff_ticket": 17}, [user_event(f"{text} 100240", "order_status")])
    assert not open_request.asks_team_time(named, f"{text} 100240")


async def test_a_goodbye_with_the_matter_at_the_team_is_honoured_not_an_order_form(domain):
    """Persona run 4 (d30): "100240 hab ich doch geschrieben. egal, ich warte einfach. ciao" after
    the handoff got "Mit welcher E-Mail-Adresse hast du bestellt?"."""
    text = "die nummer 100240 stand doch schon oben. egal, ich wart einfach ab. tschüss"
    tracker, d = await order_form_after_handoff(text, domain)
    assert [m.get("response") for m in d.messages] == ["utter_goodbye"]
    # without a request open, or with a question, it is no goodbye to the team
    assert not open_request.leaves_the_team_to_it(make_tracker({}, []), text)
    asks = "wo ist 100240 denn jetzt? ciao"
    assert not open_request.leaves_the_team_to_it(tracker, asks)


def test_a_goodbye_on_the_faq_path_with_a_request_open_is_a_goodbye():
    d = CollectingDispatcher()
    handed = {"event": "action", "name": "action_handoff"}
    bye = user_event("ok dann warte ich halt. bis dann!", "faq")
    t = make_tracker({"handoff_ticket": 3}, [handed, bye])
    assert open_request.answer(d, t) is not None
    assert [m.get("response") for m in d.messages] == ["utter_goodbye"]


def notes_sent(d: CollectingDispatcher) -> list:
    return [m["custom"]["note"] for m in d.messages if "note" in (m.get("custom") or {})]


async def test_a_wish_for_the_team_goes_onto_the_request_and_is_acknowledged_once(domain):
    """Read as a note (bot/dialogue/team_note.py): no help page, no form, no second offer of a person."""
    wish = "Could you let the team know I would rather have a new one than my money back?"
    events = [
        user_event("Order 100236, the strap tore", "complaint"),
        user_event(wish, "nlu_fallback"),
    ]
    slots = {"handoff_ticket": "6", "language": "en", "order_id": "100236"}
    d = CollectingDispatcher()
    from actions.knowledge import ActionAnswerFromKnowledge

    await ActionAnswerFromKnowledge().run(d, make_tracker(slots, events), domain)
    assert notes_sent(d) == [{"ticket": 6, "note": wish}]
    said = texts(d).strip()
    assert said.startswith("Noted – I have added that to your request (reference 6)")
    assert "order number" not in said and "customer service" not in said.lower()


def test_a_call_back_wish_without_a_number_asks_for_one():
    d = CollectingDispatcher()
    t = make_tracker({"handoff_ticket": 4}, [user_event("Rufen Sie mich bitte zurück.", "thank")])
    assert open_request.answer(d, t) is not None
    assert notes_sent(d) == [{"ticket": 4, "note": "Rufen Sie mich bitte zurück."}]
    assert "Rückrufwunsch" in texts(d) and "Unter welcher Telefonnummer" in texts(d)


def test_a_call_back_wish_with_a_number_given_earlier_names_it():
    events = [
        user_event("Meine Nummer ist 0152 7654321", "inform"),
        user_event("Bitte nur vormittags anrufen, ich hätte gern einen Rückruf", "faq"),
    ]
    d = CollectingDispatcher()
    assert open_request.answer(d, make_tracker({"handoff_ticket": 9}, events)) is not None
    assert "0152 7654321" in texts(d) and "Telefonnummer" not in texts(d)


def test_a_time_question_beside_the_note_is_answered_too():
    text = "Wann ungefähr? Ab 17 Uhr bin ich nicht mehr erreichbar."
    d = CollectingDispatcher()
    assert open_request.answer(d, make_tracker({"handoff_ticket": 2}, [user_event(text, "faq")]))
    said = texts(d).strip()
    assert notes_sent(d) == [{"ticket": 2, "note": text}]
    assert said.startswith("Notiert") and "Vorgangsnummer 2" in said and "meldet sich" in said


def test_a_number_left_with_a_call_wish_is_the_contact_and_the_wish_a_note():
    text = "Bitte erst ab 14 Uhr anrufen: 0171 2223334"
    d = CollectingDispatcher()
    assert open_request.answer(d, make_tracker({"handoff_ticket": 5}, [user_event(text, "inform")]))
    customs = [m["custom"] for m in d.messages if m.get("custom")]
    assert {"contact": {"ticket": 5, "contact": "0171 2223334"}} in customs
    assert {"note": {"ticket": 5, "note": text}} in customs


def test_a_wish_without_an_open_request_is_left_to_the_other_answers():
    d = CollectingDispatcher()
    t = make_tracker({}, [user_event("Sagen Sie dem Team, es eilt.", "faq")])
    assert open_request.answer(d, t) is None and d.messages == []


def test_nothing_found_with_the_request_open_notes_the_question_and_offers_no_person():
    """Held-out persona run 6 (d12 t3, d15 t4): "nothing found – shall I hand you over?" while the
    customer was already handed over; now the question goes onto the request."""
    from actions.knowledge import said_nothing_found

    text = "Gibt es die Jacke auch mit abnehmbarer Kapuze?"
    d = CollectingDispatcher()
    said_nothing_found(
        d,
        make_tracker({"handoff_ticket": 8}, [user_event(text, "nlu_fallback")]),
        "utter_knowledge_none",
        [],
    )
    assert notes_sent(d) == [{"ticket": 8, "note": text}]
    assert "Vorgangsnummer 8" in texts(d) and "notiert" in texts(d)
    assert not any(
        m.get("response") == "utter_knowledge_none" or m.get("buttons") for m in d.messages
    )
    assert any("knowledge" in (m.get("custom") or {}) for m in d.messages)  # the content gap counts
    d2 = CollectingDispatcher()
    said_nothing_found(
        d2, make_tracker({}, [user_event(text, "nlu_fallback")]), "utter_knowledge_none", []
    )
    assert d2.messages[0]["response"] == "utter_knowledge_none"  # no request: a person offered


def test_an_unsure_question_in_english_gets_an_english_button():
    from actions.second_request import say_unsure

    d = CollectingDispatcher()
    say_unsure(d, make_tracker({}, []), "en", "will the new one be the same colour")
    assert [b["title"] for b in d.messages[0]["buttons"]] == ["Customer service"]
    assert "Zum Kundenservice" not in texts(d)


async def test_an_english_question_naming_no_shop_topic_is_noted_not_the_capabilities(domain):
    from actions.knowledge import ActionAnswerFromKnowledge

    text = "Do you also rent out kayaks for a weekend trip on the lake?"
    slots = {"handoff_ticket": "5", "language": "en"}
    d = CollectingDispatcher()
    await ActionAnswerFromKnowledge().run(
        d, make_tracker(slots, [user_event(text, "product_question")]), domain
    )
    assert notes_sent(d) == [{"ticket": 5, "note": text}]
    assert "added your question to your request (reference 5)" in texts(d)
    assert not any(m.get("response") == "utter_fallback" for m in d.messages)


async def test_a_question_beside_the_wish_is_answered_after_the_note(domain):
    text = "Wo kann ich Ihre Datenschutzerklärung lesen? Und die Löschung hätte ich gern schriftlich bestätigt."
    d = CollectingDispatcher()
    t = make_tracker({"handoff_ticket": 7}, [user_event(text, "faq")])
    assert open_request.answer(d, t) is None  # the caller goes on and answers the question
    assert notes_sent(d) == [{"ticket": 7, "note": text}] and "Notiert" in texts(d)


def faq_event(key: str, text: str, others=None):
    event = user_event(
        text,
        "faq",
        response_selector={"faq": {"response": {"intent_response_key": f"faq/{key}"}}},
        other_requests=others or [],
    )
    event["parse_data"]["intent"]["full_retrieval_intent_name"] = f"faq/{key}"
    return event


async def test_a_question_beside_how_long_the_team_takes_is_answered_after_the_time(domain):
    """ "Wie lange, bis sich jemand meldet? Und mit PayPal zahlen?" with a request open (held-out
    run 6, d12 t3, d21 t3): the team's time, then the other question - not the time alone."""
    text = "Wie lange dauert es, bis sich jemand meldet? Und kann ich eigentlich mit PayPal zahlen?"
    d = CollectingDispatcher()
    t = make_tracker({"handoff_ticket": 9}, [faq_event("payment_methods", text)])
    await ActionFaq().run(d, t, domain)
    said = texts(d)
    assert "Vorgangsnummer 9" in said and "meldet sich" in said
    assert "PayPal, Kreditkarte" in said
    assert said.index("Vorgangsnummer 9") < said.index("PayPal, Kreditkarte")


def test_how_long_alone_is_still_the_team_s_time_only():
    d = CollectingDispatcher()
    t = make_tracker({"handoff_ticket": 9}, [faq_event("contact", "Wie lange dauert das noch?")])
    assert open_request.answer(d, t) is not None
    assert "Vorgangsnummer 9" in texts(d)


async def test_the_time_clause_beside_another_question_gets_no_second_answer(domain):
    """The NLU may list the when-clause as a question of its own: it was answered with the team's
    time, so it gets no "nichts Sicheres" and no help page after the other answer."""
    text = "Wie lange dauert es, bis sich jemand meldet? Und kann ich eigentlich mit PayPal zahlen?"
    clause = {
        "intent": "unknown",
        "key": None,
        "text": "wie lange dauert es bis sich jemand meldet",
    }
    d = CollectingDispatcher()
    t = make_tracker({"handoff_ticket": 9}, [faq_event("payment_methods", text, [clause])])
    await ActionFaq().run(d, t, domain)
    said = texts(d)
    assert "PayPal, Kreditkarte" in said and said.count("Vorgangsnummer 9") == 1
    assert "nichts Sicheres" not in said and not notes_sent(d)


CANCEL_AND_TELL = "Bitte stornieren Sie die Bestellung 100236 und sagen Sie dem Team, dass es sich damit erledigt hat."


def cancel_and_tell_turn():
    return user_event(CANCEL_AND_TELL, "cancel_order", context={"team_note": True})


def test_a_wish_beside_a_task_is_noted_once_per_turn():
    d = CollectingDispatcher()
    t = make_tracker({"handoff_ticket": 5}, [cancel_and_tell_turn()])
    assert open_request.note_beside_task(d, t)
    assert notes_sent(d) == [{"ticket": 5, "note": CANCEL_AND_TELL}]
    assert "Notiert" in texts(d) and "Vorgangsnummer 5" in texts(d)
    said = {"event": "bot", "text": d.messages[-1]["text"]}
    d2 = CollectingDispatcher()  # the form validates again in the same turn: nothing twice
    again = make_tracker({"handoff_ticket": 5}, [cancel_and_tell_turn(), said])
    assert open_request.note_beside_task(d2, again) == [] and not d2.messages
    plain = make_tracker(
        {"handoff_ticket": 5}, [user_event("Bitte 100236 stornieren", "cancel_order")]
    )
    assert open_request.note_beside_task(CollectingDispatcher(), plain) == []


async def test_cancel_and_tell_the_team_starts_the_cancellation_and_notes_the_wish(shop_db):
    """With a request open, "bitte stornieren … und sagen Sie dem Team …" (issue 22): the wish goes
    onto the request, the cancellation form starts - nothing is cancelled without a yes."""
    from actions.verification import ValidateVerifyForm

    d = CollectingDispatcher()
    t = make_tracker({"handoff_ticket": 5, "requested_slot": None}, [cancel_and_tell_turn()])
    events = await ValidateVerifyForm().run(d, t, {"slots": {}, "forms": {}})
    assert notes_sent(d) == [{"ticket": 5, "note": CANCEL_AND_TELL}]
    assert "Notiert" in texts(d) and "storniert" not in texts(d)
    assert not any(e.get("event") == "followup" for e in events)  # the form goes on


async def test_the_faq_reading_of_the_when_question_is_not_answered_beside_the_time(domain):
    """ "When will somebody get back to me? And do you also ship to Switzerland?" read as the return
    policy by its when-clause: the team's time and the shipping answer, not the policy block."""
    text = "When will somebody get back to me? And do you also ship to Switzerland?"
    clause = {
        "intent": "faq",
        "key": "faq/shipping_costs",
        "text": "do you also ship to switzerland",
    }
    d = CollectingDispatcher()
    slots = {"handoff_ticket": 3, "language": "en"}
    await ActionFaq().run(
        d, make_tracker(slots, [faq_event("return_policy", text, [clause])]), domain
    )
    said = texts(d)
    assert "reference 3" in said and "Switzerland" in said
    assert "30 days" not in said


async def test_a_faq_reading_of_the_other_question_is_still_answered_beside_the_time(domain):
    text = "Wann meldet sich jemand bei mir? Und kann ich auch per Lastschrift zahlen?"
    d = CollectingDispatcher()
    t = make_tracker({"handoff_ticket": 9}, [faq_event("payment_methods", text)])
    await ActionFaq().run(d, t, domain)
    assert "Vorgangsnummer 9" in texts(d) and "SEPA-Lastschrift" in texts(d)


# Held-out run 8, e19/e20: how long an erasure or a data request takes is its deadline, not the
# team's 15-minute answer target.
def test_how_long_the_deletion_takes_is_the_erasure_deadline():
    d = CollectingDispatcher()
    events = [
        user_event("Bitte löscht mein Konto, ich komm nicht mehr rein.", "faq"),
        user_event("danke. wie lange dauert das löschen dann?", "faq"),
    ]
    t = make_tracker({"handoff_ticket": 7, "register": "du"}, events)
    assert open_request.answer(d, t) is not None
    said = texts(d)
    assert "30 Tagen" in said and "deine Daten" in said and "15 Minuten" not in said


def test_a_bare_how_long_after_a_data_request_is_the_gdpr_deadline():
    d = CollectingDispatcher()
    events = [
        user_event("Ich beantrage Auskunft nach Art. 15 DSGVO, bitte weiterleiten.", "faq"),
        user_event("Wie lange dauert das?", "faq"),
    ]
    assert open_request.answer(d, make_tracker({"handoff_ticket": 6}, events)) is not None
    assert "innerhalb eines Monats" in texts(d) and "15 Minuten" not in texts(d)


def test_when_someone_answers_a_data_request_stays_the_team_time():
    d = CollectingDispatcher()
    events = [
        user_event("Bitte löschen Sie meine Daten.", "faq"),
        user_event("Wann meldet sich jemand bei mir?", "faq"),
    ]
    assert open_request.answer(d, make_tracker({"handoff_ticket": 6}, events)) is not None
    assert "Vorgangsnummer 6" in texts(d) and "30 Tagen" not in texts(d)
