from rasa_sdk.executor import CollectingDispatcher

from actions.common import facts, mood, topic_of
from actions.faq import ActionFallback, ActionFaq, ActionFrustration
from tests.trackers import make_tracker, user_event


def faq_event(key, text="frage", mood=0.0):
    """A FAQ turn as Rasa records it: the retrieval key in the intent and in the response selector."""
    event = user_event(
        text,
        "faq",
        mood=mood,
        response_selector={"faq": {"response": {"intent_response_key": f"faq/{key}"}}},
    )
    event["parse_data"]["intent"]["full_retrieval_intent_name"] = f"faq/{key}"
    return event


async def test_faq_answers_from_company_file_in_sie_and_du(domain):
    sie, du = CollectingDispatcher(), CollectingDispatcher()
    await ActionFaq().run(sie, make_tracker({}, [faq_event("shipping_costs")]), domain)
    await ActionFaq().run(
        du, make_tracker({"register": "du"}, [faq_event("shipping_costs")]), domain
    )
    assert "4,95 €" in sie.messages[0]["text"] and "für dich" in du.messages[0]["text"]
    assert sie.messages[0]["text"] != du.messages[0]["text"]


async def test_faq_acknowledges_bad_mood_first(domain):
    d = CollectingDispatcher()
    await ActionFaq().run(d, make_tracker({}, [faq_event("return_policy", mood=0.5)]), domain)
    assert d.messages[0]["response"] == "utter_empathy" and "30 Tage" in d.messages[1]["text"]


async def test_unknown_faq_key_falls_back_with_choices(domain):
    d = CollectingDispatcher()
    await ActionFaq().run(d, make_tracker({}, [faq_event("nonexistent")]), domain)
    assert d.messages[0]["response"] == "utter_fallback"


async def test_fallback_and_frustration_offer_choices(domain):
    d = CollectingDispatcher()
    await ActionFallback().run(d, make_tracker(), domain)
    assert d.messages[0]["response"] == "utter_fallback"
    d = CollectingDispatcher()
    await ActionFrustration().run(d, make_tracker(), domain)
    assert d.messages[0]["response"] == "utter_frustration"
    assert "utter_frustration" in domain["responses"]
    buttons = domain["responses"]["utter_frustration"][0]["buttons"]
    assert any(b["payload"] == "/request_human" for b in buttons)


def test_register_is_filled_inside_rasa_from_the_detector_and_sticks(domain):
    """No action-server round trip per turn: the slot comes from RegisterDetector's entity; a message
    that shows no register carries no entity, so the slot keeps its value (du stays du)."""
    slot = domain["slots"]["register"]
    assert slot["initial_value"] == "sie" and slot["influence_conversation"] is False
    assert slot["mappings"] == [{"type": "from_entity", "entity": "register"}]
    assert {"register": {"influence_conversation": False}} in domain["entities"]
    assert "action_validate_slot_mappings" not in domain["actions"]
    assert "mood" not in domain["slots"] and "topic" not in domain["slots"]


def test_mood_and_topic_come_from_the_events():
    assert mood(make_tracker({}, [user_event("sauer!!!", "frustration", mood=0.9)])) >= 0.9
    assert mood(make_tracker({}, [user_event("hallo", "greet")])) < 0.3
    order = user_event("wo ist meine bestellung", "order_status")
    assert topic_of(make_tracker({}, [order, faq_event("warranty")])) == "faq/warranty"
    assert topic_of(make_tracker({}, [order, user_event("danke", "thank")])) == "order_status"
    assert topic_of(make_tracker({}, [user_event("hallo", "greet")])) is None


def test_every_response_has_du_and_sie(domain):
    for name, variants in domain["responses"].items():
        if name.startswith("utter_faq/"):
            continue
        conditions = [v.get("condition") for v in variants]
        assert any(c and c[0]["value"] == "du" for c in conditions), name
        assert any(not c for c in conditions), name


def test_only_turns_that_need_company_facts_alone_run_in_the_rasa_worker():
    def reading(key, intent=0.99, share=None):
        event = faq_event(key)
        event["parse_data"]["intent"]["confidence"] = intent
        if share is not None:
            event["parse_data"]["response_selector"]["faq"]["response"]["confidence"] = share
        return make_tracker({}, [event])

    assert ActionFaq.runs_in_worker(reading("shipping_costs"))  # sure: company.yml only
    assert ActionFaq.runs_in_worker(reading("shipping_costs", 0.95, 0.96))  # 0.912 >= FAQ_SURE
    assert not ActionFaq.runs_in_worker(reading("shipping_costs", 0.95, 0.9))  # help pages
    assert ActionFaq.runs_in_worker(reading("repeat", 0.5))  # steers the dialogue: no search
    assert not ActionFaq.runs_in_worker(reading("no_order_number"))  # may ask the shop


async def test_the_same_answer_again_is_narrowed_to_what_the_follow_up_asks(domain):
    """ "Is the return free?" right after the return policy: its sentence, not the block again."""
    first = CollectingDispatcher()
    asked = faq_event("return_policy", "How long can I send an item back?")
    await ActionFaq().run(first, make_tracker({"language": "en"}, [asked]), domain)
    block = first.messages[0]["text"]
    said = {"event": "bot", "text": block, "data": {}}
    again = CollectingDispatcher()
    follow_up = faq_event("return_policy", "Is that free of charge?")
    tracker = make_tracker({"language": "en"}, [asked, said, follow_up])
    await ActionFaq().run(again, tracker, domain)
    text = again.messages[-1]["text"]
    assert text != block and "free" in text and text in block


async def test_a_follow_up_read_as_an_unrelated_answer_gets_the_part_of_the_earlier_one(domain):
    """Issue 22.5 ("stock"): "und kann man sich den Rest bar geben lassen?" after the voucher answer,
    read as the payment methods, gets the voucher answer's sentence, not the payment block."""
    slots = {"register": "du", "bot_actions": ["FAQ beantwortet: voucher"]}
    follow_up = faq_event("payment_methods", "und kann ich mir den auch bar auszahlen lassen?")
    d = CollectingDispatcher()
    await ActionFaq().run(d, make_tracker(slots, [follow_up]), domain)
    assert [m["text"] for m in d.messages] == ["Bar auszahlen können wir Gutscheine leider nicht."]


async def test_a_question_of_its_own_still_gets_its_answer(domain):
    slots = {"register": "du", "bot_actions": ["FAQ beantwortet: voucher"]}
    for text in (
        "welche zahlungsarten gibt es bei euch?",  # no word of the voucher answer: its own answer
        "kann ich mit paypal bezahlen?",  # shares words with its own answer
        "gutschein hab ich eingelöst, jetzt zahl ich den rest",  # reports back, asks nothing
    ):
        d = CollectingDispatcher()
        await ActionFaq().run(d, make_tracker(slots, [faq_event("payment_methods", text)]), domain)
        assert "PayPal, Kreditkarte" in d.messages[-1]["text"], text


async def test_an_answer_taken_with_thanks_is_thanks_not_a_faq_block():
    """Issue 22.7: "ok dann nehm ich paypal, danke" read unsurely as a FAQ question closes as thanks."""
    from rasa_sdk.executor import CollectingDispatcher

    from actions.faq import ActionFaq
    from tests.trackers import make_tracker, user_event

    event = user_event(
        "ok dann nehm ich paypal, danke",
        "faq",
        response_selector={
            "faq": {"response": {"intent_response_key": "faq/payment_methods", "confidence": 0.5}}
        },
    )
    event["parse_data"]["intent"]["confidence"] = 0.6
    d = CollectingDispatcher()
    events = await ActionFaq().run(d, make_tracker({}, [event]), {})
    assert d.messages == []
    assert {"event": "followup", "name": "action_thank", "timestamp": None} in events


async def test_a_question_next_to_an_order_number_also_looks_at_that_order():
    """Issue 22.10: "meine Bestellung 100240 ist unterwegs in die Schweiz. Muss ich Zoll bezahlen?" -
    the customs answer, then the e-mail check to tell where 100240 is; not once it is verified."""
    from rasa_sdk.executor import CollectingDispatcher

    from actions.faq import ActionFaq
    from bot.shared.company import company
    from tests.trackers import make_tracker, user_event

    text = "Grüezi, meine Bestellung 100240 ist unterwegs in die Schweiz. Muss ich Zoll bezahlen?"
    event = user_event(
        text,
        "faq",
        entities=[{"entity": "order_id", "value": "100240"}],
        response_selector={
            "faq": {"response": {"intent_response_key": "faq/customs", "confidence": 0.99}}
        },
    )
    d = CollectingDispatcher()
    events = await ActionFaq().run(d, make_tracker({}, [event]), {})
    said = [m.get("text") for m in d.messages]
    assert said[0] == company().text("faq", "customs", "sie") and "100240" in said[-1]
    assert events[-1] == {"event": "followup", "name": "verify_form", "timestamp": None}
    d = CollectingDispatcher()
    slots = {"order_id": "100240", "verified_order": "100240"}
    events = await ActionFaq().run(d, make_tracker(slots, [event]), {})
    assert not any(e.get("event") == "followup" for e in events)


async def test_an_unsure_reading_of_a_closing_thank_you_is_a_thank_you(domain):
    """ "ok dann nehm ich paypal, danke" read as the payment methods at 0.54: the customer closes."""
    from rasa_sdk.events import FollowupAction

    unsure = faq_event("payment_methods", "ok dann nehm ich paypal, danke")
    unsure["parse_data"]["intent"]["confidence"] = 0.54
    d = CollectingDispatcher()
    events = await ActionFaq().run(d, make_tracker({}, [unsure]), domain)
    assert FollowupAction("action_thank") in events and d.messages == []
    sure = faq_event("payment_methods", "danke, und kann ich mit paypal zahlen?")
    d = CollectingDispatcher()
    await ActionFaq().run(d, make_tracker({}, [sure]), domain)
    assert "PayPal" in d.messages[-1]["text"]  # a question with thanks is answered


async def test_a_bare_follow_up_is_answered_from_the_previous_topic(domain):
    """ "und wie lange?" after the privacy answer is read as delivery time; it asks about the data."""
    asked = faq_event("privacy", "was speichert ihr von mir?")
    follow_up = faq_event("delivery_time", "und wie lange?")
    d = CollectingDispatcher()
    await ActionFaq().run(d, make_tracker({"register": "du"}, [asked, follow_up]), domain)
    text = d.messages[0]["text"]
    assert "90 Tage" in text and "Werktag" not in text


async def test_the_legal_deadline_after_the_privacy_answer_is_answered_whole(domain):
    """Held-out persona run 4 (d21): "how many days do you have by law?" after the privacy answer is
    the GDPR deadline (bot/dialogue/english_questions.py), in English, not the chat's 90 days."""
    asked = faq_event("privacy", "What data do you keep about me?")
    deadline = faq_event("privacy_deadline", "And how many days do you have by law to answer?")
    d = CollectingDispatcher()
    await ActionFaq().run(d, make_tracker({"language": "en"}, [asked, deadline]), domain)
    text = d.messages[-1]["text"]
    assert "within one month" in text and "90 days" not in text
    assert d.messages[-1]["buttons"][0]["payload"] == "/request_human"


def data_request(key, text, more=()):
    """A data request as bot/dialogue/privacy_requests.py reads it (its other topics in the context)."""
    event = faq_event(key, text)
    event["parse_data"]["context"] = {"privacy_topics": [key, *more]}
    return event


async def test_a_newsletter_request_inside_the_order_number_form_is_answered_and_leaves_it(domain):
    """Held-out persona run 2 (d13): "Ich will nur den Newsletter abbestellen" inside the order-number
    question got "Dafür brauche ich Ihre Bestellnummer"; it needs none."""
    from rasa_sdk.events import ActiveLoop, FollowupAction

    d = CollectingDispatcher()
    tracker = make_tracker(
        {"task": "order_status", "requested_slot": "order_id"},
        [data_request("newsletter", "Wozu die Bestellnummer? Nur den Newsletter abbestellen.")],
        {"name": "verify_form"},
    )
    events = await ActionFaq().run(d, tracker, domain)
    said = " ".join(m.get("text") or "" for m in d.messages)
    assert (
        "„Abmelden“" in said and "Mein Konto → Newsletter" in said and "Bestellnummer?" not in said
    )
    assert ActiveLoop(None) in events and FollowupAction("action_listen") in events


async def test_a_data_request_inside_a_form_with_an_order_keeps_the_form(domain):
    d = CollectingDispatcher()
    tracker = make_tracker(
        {"task": "return_item", "order_id": "100238", "requested_slot": "email"},
        [data_request("newsletter", "und wie komme ich aus dem Newsletter raus?")],
        {"name": "return_form"},
    )
    events = await ActionFaq().run(d, tracker, domain)
    assert "Newsletter" in d.messages[0]["text"]
    assert not any(e.get("event") in ("active_loop", "followup") for e in events)


async def test_two_data_requests_in_one_message_get_both_answers(domain):
    d = CollectingDispatcher()
    text = "Welche Daten haben Sie über mich? Und keine Werbung mehr, bitte."
    await ActionFaq().run(
        d, make_tracker({}, [data_request("privacy", text, ["newsletter"])]), domain
    )
    said = [m.get("text") or "" for m in d.messages]
    assert len(said) == 2 and "DSGVO" in said[0] and "Newsletter" in said[1]


async def test_an_erasure_request_is_honest_and_offers_a_person_in_english_too(domain):
    d = CollectingDispatcher()
    text = "Please erase everything you have stored about me"
    await ActionFaq().run(
        d, make_tracker({"language": "en"}, [data_request("data_erasure", text)]), domain
    )
    message = d.messages[0]
    assert message["text"].startswith("I cannot delete your data myself here in the chat")
    assert message["buttons"] == [{"title": "Customer service", "payload": "/request_human"}]
    d = CollectingDispatcher()
    await ActionFaq().run(
        d, make_tracker({}, [data_request("data_erasure", "Daten löschen!")]), domain
    )
    assert "nicht selbst" in d.messages[0]["text"] and "DSGVO" in d.messages[0]["text"]
    assert d.messages[0]["buttons"][0]["title"] == "Zum Kundenservice"


async def test_a_bare_number_question_after_the_opening_hours_gets_the_phone_number(domain):
    """ "Und unter welcher Nummer?" after the opening hours, read as the order-number help: the
    phone number from the contact answer, and the worker leaves it to the action server."""
    asked = faq_event("opening_hours", "Wann ist Ihre Hotline besetzt?")
    follow_up = faq_event("order_number_help", "Und unter welcher Nummer?")
    tracker = make_tracker({}, [asked, follow_up])
    assert not ActionFaq.runs_in_worker(tracker)
    d = CollectingDispatcher()
    await ActionFaq().run(d, tracker, domain)
    text = d.messages[0]["text"]
    assert "030 123 456 70" in text and "sechs Ziffern" not in text


async def test_a_number_question_of_its_own_keeps_its_answer(domain):
    d = CollectingDispatcher()
    asked = faq_event("opening_hours", "Wann ist Ihre Hotline besetzt?")
    follow_up = faq_event("order_number_help", "Wo finde ich meine Bestellnummer?")
    await ActionFaq().run(d, make_tracker({}, [asked, follow_up]), domain)
    assert "sechs Ziffern" in d.messages[0]["text"]


async def test_you_repeat_yourself_never_gets_the_same_text_again(domain):
    """Held-out persona run 6 (d01): "Sie wiederholen sich" was read as "Wie bitte?" and got "Gern
    noch einmal:" with the same paragraph. It gets an apology and no copy of the text."""
    block = "Ihre Zahlung ist noch nicht verbucht – das dauert meist 1–2 Werktage."
    events = [
        user_event("Ist mein Geld schon da?", "payment_issue"),
        {"event": "bot", "text": block},
        faq_event("repeat", "Das schrieben Sie schon. Sie wiederholen sich!"),
    ]
    d = CollectingDispatcher()
    await ActionFaq().run(d, make_tracker({}, events), domain)
    texts = [m.get("text") for m in d.messages]
    assert block not in texts and "Gern noch einmal:" not in texts
    assert texts[0].startswith("Entschuldigung, Sie haben recht")
    assert d.messages[-1].get("response") == "utter_knowledge_none"  # honest, with a person


async def test_wie_bitte_still_repeats(domain):
    events = [
        user_event("versand?", "faq"),
        {"event": "bot", "text": "Der Versand kostet 4,95 €."},
        faq_event("repeat", "wie bitte?"),
    ]
    d = CollectingDispatcher()
    await ActionFaq().run(d, make_tracker({}, events), domain)
    assert [m.get("text") for m in d.messages] == [
        "Gern noch einmal:",
        "Der Versand kostet 4,95 €.",
    ]


async def test_stock_question_read_as_still_there_is_answered_as_stock(domain):
    """Held-out persona run 6 (d02): "habt ihr die noch da?" (the jacket) got "Ja, ich bin noch da!"."""
    event = faq_event("still_there", "gut, dann die in M. haben Sie die noch da?")
    assert not ActionFaq.runs_in_worker(make_tracker({}, [event]))
    d = CollectingDispatcher()
    await ActionFaq().run(d, make_tracker({}, [event]), domain)
    assert d.messages[0].get("response") == "utter_product_availability"
    d = CollectingDispatcher()
    await ActionFaq().run(
        d, make_tracker({}, [faq_event("still_there", "sind Sie noch da?")]), domain
    )
    assert "noch da" in d.messages[0]["text"]


async def test_an_insisting_repeat_of_the_same_question_gets_no_copy_of_the_answer(domain):
    """Held-out persona run 6 (d04): "No, I asked about …" got the same FAQ block again."""
    from bot.shared.company import company

    block = company().text("faq", "payment_methods", "sie")
    events = [
        user_event("Kann ich mit Karte zahlen?", "faq"),
        {"event": "bot", "text": block},
        faq_event("payment_methods", "Das war nicht meine Frage. Geht Ratenkauf, ja oder nein?"),
    ]
    events[-1]["parse_data"]["response_selector"]["faq"]["response"]["confidence"] = 1.0
    d = CollectingDispatcher()
    await ActionFaq().run(d, make_tracker({}, events), domain)
    assert block not in [m.get("text") for m in d.messages]


async def test_a_goodbye_read_as_a_question_answered_before_is_a_goodbye(domain):
    """Held-out persona run 6 (d09): "Ich gebe auf, ich rufe in der Filiale an. Tschüss." was read as
    the stores question and got the store list a second time; it is a (sorry) goodbye."""
    from bot.shared.company import company

    stores = company().text("faq", "stores", "sie")
    events = [
        faq_event("stores", "Wo gibt es Filialen?"),
        {"event": "bot", "text": stores},
        faq_event("stores", "Na gut, dann frage ich eben im Laden nach. Auf Wiedersehen."),
    ]
    d = CollectingDispatcher()
    await ActionFaq().run(d, make_tracker({}, events), domain)
    assert stores not in [m.get("text") for m in d.messages]
    assert d.messages[-1].get("response", "").startswith("utter_goodbye")
    events[-1] = faq_event("stores", "Ich gebe auf. Tschüss.")
    d = CollectingDispatcher()
    await ActionFaq().run(d, make_tracker({}, events), domain)
    assert d.messages[0]["text"].startswith("Schade")
    d = CollectingDispatcher()  # a first question with a goodbye in it is still answered
    await ActionFaq().run(
        d, make_tracker({}, [faq_event("stores", "Wo sind eure Läden? Danke!")]), domain
    )
    assert d.messages[0]["text"] == stores


async def test_a_prepayment_question_inside_the_order_number_form_is_answered_and_leaves_it(domain):
    """Held-out run 7 (d20): "hab noch nix bestellt, will wissen wie das mit überweisung läuft" in the
    order-number question got "abgebrochen" and no answer; it needs no order."""
    from rasa_sdk.events import ActiveLoop, FollowupAction

    d = CollectingDispatcher()
    asked = faq_event("prepayment", "hab noch nix bestellt, wie läuft das mit überweisung?")
    asked["parse_data"]["intent"]["confidence"] = 0.95
    tracker = make_tracker(
        {"task": "order_status", "requested_slot": "order_id", "register": "du"},
        [asked],
        {"name": "verify_form"},
    )
    events = await ActionFaq().run(d, tracker, domain)
    said = " ".join(m.get("text") or "" for m in d.messages)
    assert "erst nach Zahlungseingang" in said and "Bestellnummer?" not in said
    assert "du" in said.split() or "dir" in said.split()
    assert ActiveLoop(None) in events and FollowupAction("action_listen") in events


async def test_a_prepayment_question_in_a_form_with_an_order_keeps_the_form(domain):
    d = CollectingDispatcher()
    tracker = make_tracker(
        {"task": "order_status", "order_id": "100241", "requested_slot": "email"},
        [faq_event("prepayment", "wann verschickt ihr bei Vorkasse?")],
        {"name": "verify_form"},
    )
    events = await ActionFaq().run(d, tracker, domain)
    assert not any(e.get("event") == "active_loop" for e in events)


async def test_exasperation_read_as_wie_bitte_is_sorry_first(domain):
    """held-out run 8, e05: "Wie oft denn noch." gets an apology, then what is still open."""
    events = [
        user_event("versand?", "faq"),
        {"event": "bot", "text": "Der Versand kostet 4,95 €."},
        faq_event("repeat", "Wie oft muss ich das denn noch sagen."),
    ]
    d = CollectingDispatcher()
    await ActionFaq().run(d, make_tracker({}, events), domain)
    texts = [m.get("text") for m in d.messages]
    assert texts[0].startswith("Entschuldigen Sie bitte") and "Gern noch einmal:" not in texts
    assert texts[1] == "Der Versand kostet 4,95 €."


async def test_a_goodbye_with_an_own_next_step_is_no_faq_answer(domain):
    """held-out run 8, e09: "Egal, ich schau in die App. Tschüss" read as the shipping-costs FAQ
    got that block a second time; it is a goodbye."""
    event = faq_event(
        "shipping_costs",
        "Die Versandkosten wollte ich nicht wissen. Egal, ich schau selbst nach. Tschüss",
    )
    assert ActionFaq.leaves_instead(make_tracker({}, [event]))
    said_after = faq_event("shipping_costs", "Ok tschüss")
    assert not ActionFaq.leaves_instead(make_tracker({}, [said_after]))
    answer = facts().text("faq", "shipping_costs", "sie")  # given before behind a lead-in
    earlier = [{"event": "bot", "text": f"Zu Ihrer zweiten Frage: {answer}"}]
    assert ActionFaq.leaves_instead(make_tracker({}, earlier + [said_after]))


async def test_exasperation_with_the_matter_at_the_team_says_when_it_answers(domain):
    events = [
        user_event("sagen Sie der Buchhaltung Bescheid", "payment_issue"),
        {"event": "bot", "text": "Ich gebe Ihr Anliegen jetzt an einen Mitarbeiter weiter."},
        faq_event("repeat", "Wie oft muss ich das denn noch sagen."),
    ]
    d = CollectingDispatcher()
    await ActionFaq().run(d, make_tracker({"handoff_ticket": "3"}, events), domain)
    texts = [m.get("text") for m in d.messages]
    assert texts[0].startswith("Entschuldigen Sie bitte") and "Vorgangsnummer 3" in texts[1]
    assert not any("gebe Ihr Anliegen" in t for t in texts)


async def test_a_data_access_request_is_offered_to_the_team(domain):
    """Held-out run 8, e19: "welche Daten haben Sie über mich gespeichert?" was only pointed to the
    e-mail address; the answer offers to pass the request on, with the button for it."""
    d = CollectingDispatcher()
    text = "Ich möchte Auskunft, welche Daten Sie über mich gespeichert haben."
    await ActionFaq().run(d, make_tracker({}, [data_request("privacy", text)]), domain)
    message = d.messages[0]
    assert "DSGVO" in message["text"] and "an unser Team weiter" in message["text"]
    assert message["buttons"] == [{"title": "Zum Kundenservice", "payload": "/request_human"}]
