from bot.dialogue.escalation import current_topic, decide, declines_on_topic, since_resume
from bot.shared.company import load_company
from tests.trackers import user_event

COMPANY = load_company()


def test_no_escalation_for_a_calm_question():
    assert decide([user_event("wo ist mein paket", "order_status")], COMPANY) is None


def test_high_frustration_alone_hands_nothing_over():
    """Anger is acknowledged and a person offered (actions/faq.py); no handoff record unasked."""
    assert decide([user_event("SAUER!!!", "frustration", mood=0.95)], COMPANY) is None
    angry_request = user_event("FRECHHEIT! Wo ist 100242?", "order_status", mood=0.95)
    assert decide([angry_request], COMPANY) is None


def test_an_angry_customer_asking_for_a_person_is_urgent():
    events = [
        user_event("SAUER!!!", "frustration", mood=0.95),
        {"event": "bot", "text": "..."},
        user_event("Dann will ich einen Menschen sprechen.", "request_human", mood=0.5),
    ]
    result = decide(events, COMPANY)
    assert result and result.reason == "frustration" and result.priority == "urgent"


def test_a_calm_request_for_a_person_right_after_an_outburst_is_still_urgent():
    outburst = [user_event("FRECHHEIT!!! Seit Wochen!!!", "frustration", mood=0.95)]
    bot = {"event": "bot", "text": "..."}
    ask = user_event("Dann will ich sofort einen Menschen sprechen!", "request_human", mood=0.0)
    result = decide([*outburst, bot, ask], COMPANY)
    assert result and (result.reason, result.priority) == ("frustration", "urgent")
    calmed = [*outburst, bot, user_event("Die Nummer ist 100234.", "inform", mood=0.0), bot, ask]
    result = decide(calmed, COMPANY)  # two calm messages later the anger no longer decides
    assert result and (result.reason, result.priority) == ("customer_request", "normal")


def test_a_person_asked_for_next_to_another_request_is_a_request():
    text = "Bitte leiten Sie an einen Mitarbeiter weiter, die Rechnung hat eine falsche Anschrift."
    result = decide([user_event(text, "change_address")], COMPANY)
    assert result and result.reason == "customer_request" and result.priority == "normal"
    negated = "Ich will keinen Mitarbeiter sprechen, nur die Anschrift ändern."
    assert decide([user_event(negated, "change_address")], COMPANY) is None


def test_a_yes_to_the_offer_of_a_trace_is_a_request():
    offer = {"event": "bot", "text": "…", "metadata": {"utter_action": "utter_order_delayed"}}
    yes = [offer, user_event("Ja, bitte eine Nachforschung starten.", "nlu_fallback")]
    result = decide(yes, COMPANY)
    assert result and result.reason == "customer_request"
    assert decide([offer, user_event("ja ok, ich warte noch", "affirm")], COMPANY) is None


def test_human_only_topic_wins():
    result = decide([user_event("dann geh ich zum Anwalt", "complaint", mood=0.2)], COMPANY)
    assert result and result.reason == "human_only_topic" and result.detail == "legal"


def test_two_fallbacks_in_a_row():
    one = [user_event("blub", "nlu_fallback")]
    assert decide(one, COMPANY) is None
    two = one + [{"event": "bot", "text": "?"}, user_event("blab", "nlu_fallback")]
    result = decide(two, COMPANY)
    assert result and result.reason == "repeated_fallback"


def test_declining_twice_on_the_same_topic():
    events = [
        user_event("versandkosten?", "faq"),
        {"event": "bot", "text": "4,95"},
        user_event("nein", "deny"),
    ]
    assert declines_on_topic(events) == 1
    assert decide(events, COMPANY) is None
    events += [{"event": "bot", "text": "..."}, user_event("nein, das hilft nicht", "deny")]
    result = decide(events, COMPANY)
    assert result and result.reason == "declined_answers" and result.detail == "faq"


def test_no_inside_a_form_is_not_a_declined_answer():
    events = [
        user_event("paket?", "order_status"),
        {"event": "active_loop", "name": "verify_form"},
        user_event("nein", "deny"),
        user_event("nein", "deny"),
    ]
    assert declines_on_topic(events) == 0


def test_explicit_request_and_resume_resets_history():
    assert (
        decide([user_event("mensch bitte", "request_human")], COMPANY).reason == "customer_request"
    )
    events = [
        user_event("WUT!!!", "frustration", mood=1.0),
        {"event": "resume"},
        user_event("danke", "thank"),
    ]
    assert since_resume(events)[-1]["text"] == "danke"
    assert decide(events, COMPANY) is None
    assert current_topic([user_event("rechnung", "invoice_request")]) == "invoice_request"


def test_a_money_decision_the_bot_cannot_make_is_handed_over_with_what_it_is():
    """Held-out persona run 2 (d04): the chargeback and overdraft questions got stock texts."""
    text = "Darf ich die Lastschrift zurückbuchen lassen? Und erstatten Sie die Dispozinsen?"
    result = decide([user_event(text, "faq", mood=0.2)], COMPANY)
    assert result and result.reason == "bot_cannot_act" and result.detail == "chargeback, fees"
    assert decide([user_event("Wann kommt mein Geld zurück?", "faq")], COMPANY) is None


def test_a_call_back_wish_with_the_request_open_is_a_note_not_a_second_handoff():
    """Held-out persona runs 5/6: "ruf mich bitte an" after the request was recorded got "liegt schon
    bei unserem Team"; now it is a note for that request (bot/dialogue/team_note.py)."""
    wish = user_event("ruf mich bitte an, aber erst abends", "nlu_fallback")
    opened = [
        user_event("ich will nen menschen", "request_human"),
        {"event": "slot", "name": "handoff_ticket", "value": "3"},
        {"event": "resume"},
    ]
    assert decide([*opened, wish], COMPANY) is None
    assert decide([wish], COMPANY) is not None  # no request open: a call back asks for a person


def test_a_fallback_after_a_note_is_no_repeated_fallback():
    opened = [{"event": "slot", "name": "handoff_ticket", "value": "3"}, {"event": "resume"}]
    note = user_event("Please tell the team it is urgent.", "nlu_fallback")
    other = user_event("blorp", "nlu_fallback")
    assert decide([*opened, note, other], COMPANY) is None
    assert decide([note, other], COMPANY) is not None  # two misunderstood messages in a row


def test_a_wish_for_accounting_with_a_verified_order_goes_to_the_team():
    """held-out run 8, e13: "Können Sie der Buchhaltung Bescheid geben?" got the refund line again."""
    events = [
        user_event("Wo bleibt meine Erstattung für 100243?", "payment_issue"),
        {"event": "slot", "name": "verified_order", "value": "100243"},
        {"event": "bot", "text": "Die Erstattung ist veranlasst."},
        user_event("Können Sie der Buchhaltung Bescheid geben, dass ich warte?", "payment_issue"),
    ]
    result = decide(events, COMPANY)
    assert result and result.reason == "customer_request"
