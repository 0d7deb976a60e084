"""Free-text form answers go through one check (actions.verification.form_answer, issue 22)."""

from rasa_sdk.executor import CollectingDispatcher

from actions.verification import ValidateAddressForm, ValidateComplaintForm, ValidateReturnForm
from tests.trackers import make_tracker, user_event


def _in_form(form: str, start: str, start_intent: str, answer: str, intent: str):
    events = [
        user_event(start, start_intent),
        {"event": "active_loop", "name": form},
        {"event": "bot", "text": "..."},
        user_event(answer, intent),
    ]
    return make_tracker(events=events, active_loop=form)


def test_a_question_is_not_stored_as_the_return_reason(domain):
    tracker = _in_form(
        "return_form", "Ich will was zurückgeben", "return_item", "Wer zahlt das Porto?", "faq"
    )
    d = CollectingDispatcher()
    assert ValidateReturnForm().validate_return_reason(
        "Wer zahlt das Porto?", d, tracker, domain
    ) == {"return_reason": None}


def test_a_plain_reason_is_stored(domain):
    tracker = _in_form("return_form", "zurückgeben", "return_item", "viel zu weit", "return_item")
    d = CollectingDispatcher()
    assert ValidateReturnForm().validate_return_reason("viel zu weit", d, tracker, domain) == {
        "return_reason": "viel zu weit"
    }
    assert d.messages == []


def test_a_protest_stores_what_it_restates_and_says_so(domain):
    answer = "hab ich doch geschrieben: die Naht ist offen"
    tracker = _in_form("complaint_form", "Reklamation", "complaint", answer, "frustration")
    d = CollectingDispatcher()
    result = ValidateComplaintForm().validate_complaint_details(answer, d, tracker, domain)
    assert result == {"complaint_details": "die Naht ist offen"}
    assert d.messages[0]["response"] == "utter_form_answer_taken"


def test_a_bare_protest_reuses_the_first_message(domain):
    start = "Meine Thermoskanne hält nicht mehr warm, das ist doch Mist"
    tracker = _in_form("complaint_form", start, "complaint", "wie gesagt!", "frustration")
    d = CollectingDispatcher()
    result = ValidateComplaintForm().validate_complaint_details("wie gesagt!", d, tracker, domain)
    assert result == {"complaint_details": start}


def test_another_request_is_not_the_new_address(domain):
    answer = "Schicken Sie mir erst mal die Rechnung"
    tracker = _in_form(
        "address_form", "Adresse ändern", "change_address", answer, "invoice_request"
    )
    d = CollectingDispatcher()
    assert ValidateAddressForm().validate_new_address(answer, d, tracker, domain) == {
        "new_address": None
    }
    assert d.messages[0]["response"] == "utter_form_answer_later"


def test_a_protested_address_is_taken_from_the_protest(domain):
    answer = "Das habe ich doch schon geschrieben: Birkenweg 12, 04109 Leipzig"
    tracker = _in_form("address_form", "Adresse ändern", "change_address", answer, "inform")
    d = CollectingDispatcher()
    assert ValidateAddressForm().validate_new_address(answer, d, tracker, domain) == {
        "new_address": "Birkenweg 12, 04109 Leipzig"
    }


def test_a_change_of_mind_as_the_reason_sets_the_exchange_too(domain):
    answer = "Moment, eigentlich lieber gegen Größe L umtauschen, sie ist zu klein."
    tracker = _in_form("return_form", "Jacke zurückschicken", "return_item", answer, "return_item")
    d = CollectingDispatcher()
    assert ValidateReturnForm().validate_return_reason(answer, d, tracker, domain) == {
        "return_reason": "zu klein (Umtausch in Größe L)",
        "return_mode": "exchange",
    }


def test_the_reason_read_from_the_first_message_is_not_read_again(domain):
    start = "Ich möchte die Jacke umtauschen, lieber in M statt L"
    tracker = make_tracker(events=[user_event(start, "return_item")], active_loop="return_form")
    value = "Größe L passt nicht (Umtausch in M statt L)"
    d = CollectingDispatcher()
    assert ValidateReturnForm().validate_return_reason(value, d, tracker, domain) == {
        "return_reason": value
    }


async def test_a_message_that_disowns_the_form_switches_to_the_request_it_names(domain):
    tracker = _in_form(
        "complaint_form",
        "Problem mit 100236",
        "complaint",
        "Das ist KEINE Beschwerde – ich will die Bestellung stornieren!",
        "complaint",
    )
    tracker.slots.update({"verified_order": "100236", "requested_slot": "complaint_details"})
    d = CollectingDispatcher()
    events = await ValidateComplaintForm().run(d, tracker, domain)
    slots = {e["name"]: e["value"] for e in events if e.get("event") == "slot"}
    assert slots["requested_slot"] is None and slots["complaint_details"] is None
    assert slots["task"] == "cancel_order"
    assert {"event": "followup", "name": "verify_form"} in [
        {"event": e.get("event"), "name": e.get("name")} for e in events
    ]

    tracker = _in_form(
        "return_form", "Rücksendung", "return_item", "nee, ich will gar nichts zurückgeben", "deny"
    )
    d = CollectingDispatcher()
    events = await ValidateReturnForm().run(d, tracker, domain)
    assert [m["response"] for m in d.messages] == ["utter_form_cancelled"]
    assert not any(e.get("event") == "followup" for e in events)


def test_a_reason_that_only_mentions_a_return_is_stored(domain):
    from bot.dialogue.form_answer import switched_request

    assert switched_request("keinen Umtausch, die Farbe passt nicht", "return_item", None) is None
    assert (
        switched_request("kaputt angekommen, keine Rücksendung sondern Ersatz", "return_item", None)
        == "complaint"
    )


def test_a_reason_leaves_out_which_item_and_a_bare_correction_gives_none(domain):
    text = "oh sorry, nicht die Isomatte sondern das Zelt - das ist viel zu schwer"
    tracker = _in_form("return_form", "zurückgeben", "return_item", text, "return_item")
    d = CollectingDispatcher()
    assert ValidateReturnForm().validate_return_reason(text, d, tracker, domain) == {
        "return_reason": "das ist viel zu schwer"
    }
    text = "Nee, stimmt nicht: Erstattung, keinen Tausch."
    tracker = _in_form("return_form", "zurückgeben", "return_item", text, "return_item")
    assert ValidateReturnForm().validate_return_reason(text, d, tracker, domain) == {
        "return_mode": "refund",
        "return_reason": None,
    }


async def test_a_switch_keeps_the_verified_order_as_the_one_talked_about(domain):
    tracker = _in_form(
        "complaint_form",
        "Reklamation",
        "complaint",
        "keine Reklamation, stornieren bitte",
        "complaint",
    )
    tracker.slots.update({"verified_order": "100236", "order_id": "von 100236"})
    events = await ValidateComplaintForm().run(CollectingDispatcher(), tracker, domain)
    slots = {e["name"]: e["value"] for e in events if e.get("event") == "slot"}
    assert slots["order_id"] == "100236"


def test_a_size_named_with_the_exchange_goes_into_the_reason(domain):
    text = "Umtausch, in L, hab ich doch schon gesagt!"
    tracker = _in_form("return_form", "Jacke zurück", "return_item", text, "return_item")
    tracker.slots.update({"requested_slot": "return_mode", "return_reason": "zu eng"})
    d = CollectingDispatcher()
    assert ValidateReturnForm().validate_return_mode("exchange", d, tracker, domain) == {
        "return_mode": "exchange",
        "return_reason": "zu eng (Umtausch in Größe L)",
    }
    tracker.slots.update({"return_reason": "zu eng (Umtausch in Größe L)"})
    assert ValidateReturnForm().validate_return_mode("exchange", d, tracker, domain) == {
        "return_mode": "exchange"
    }


async def test_a_denied_defect_at_the_complaint_form_becomes_a_return_with_its_reason(domain):
    """ "Nothing is wrong, just too warm, I want a refund" is no defect: the complaint form ends
    without storing it, and the return starts with that reason and the refund (persona run 4, d19)."""
    answer = "Nothing is wrong with it, it's just too warm. I want to send it back for a refund."
    tracker = _in_form("complaint_form", "Problem mit 100235", "complaint", answer, "complaint")
    tracker.slots.update({"verified_order": "100235", "requested_slot": "complaint_details"})
    events = await ValidateComplaintForm().run(CollectingDispatcher(), tracker, domain)
    slots = {e["name"]: e["value"] for e in events if e.get("event") == "slot"}
    assert slots["complaint_details"] is None
    assert slots["task"] == "return_item"
    assert slots["return_reason"] == "too warm" and slots["return_mode"] == "refund"
    assert {"event": "followup", "name": "return_form"} in [
        {"event": e.get("event"), "name": e.get("name")} for e in events
    ]


async def test_a_defect_named_beside_a_denied_one_stays_the_complaint(domain):
    answer = "Der Reißverschluss ist nicht kaputt, aber die Naht ist aufgegangen"
    tracker = _in_form("complaint_form", "Reklamation", "complaint", answer, "complaint")
    tracker.slots.update({"verified_order": "100235", "requested_slot": "complaint_details"})
    events = await ValidateComplaintForm().run(CollectingDispatcher(), tracker, domain)
    assert not any(e.get("event") == "followup" for e in events)
    assert not any(e.get("name") == "task" for e in events)
    form = ValidateComplaintForm()
    assert form.validate_complaint_details(answer, CollectingDispatcher(), tracker, domain) == {
        "complaint_details": answer
    }


def test_the_way_chosen_before_the_return_form_is_not_asked_again(domain):
    """Held-out run 6, d06: "… und das Geld auf mein eigenes Konto" two turns before the return
    form; after the reason the form asked "Geld zurück oder Umtausch?" all the same."""
    events = [
        user_event("Ich schicke den Mantel zurück und hätte gern das Geld auf mein Konto.", "faq"),
        {"event": "bot", "text": "..."},
        user_event("Muss ich ihn schon jetzt einpacken?", "return_item"),
        {"event": "active_loop", "name": "return_form"},
        {"event": "bot", "text": "..."},
        user_event("Er war ein Geschenk, das nicht gefallen hat", "inform"),
    ]
    tracker = make_tracker(events=events, active_loop="return_form")
    out = ValidateReturnForm().validate_return_reason(
        "Er war ein Geschenk, das nicht gefallen hat", CollectingDispatcher(), tracker, domain
    )
    assert out == {
        "return_reason": "Er war ein Geschenk, das nicht gefallen hat",
        "return_mode": "refund",
    }


def test_a_choice_for_a_case_created_before_or_only_asked_about_is_not_taken(domain):
    reason = "passt leider nicht"
    asked_only = [
        user_event("Kann ich die Hose eigentlich auch umtauschen?", "faq"),
        {"event": "bot", "text": "..."},
        user_event("Ich möchte sie zurückgeben", "return_item"),
        {"event": "active_loop", "name": "return_form"},
        {"event": "bot", "text": "..."},
        user_event(reason, "inform"),
    ]
    earlier_case = [
        user_event("Bitte das Geld zurück für die Mütze", "return_item"),
        {"event": "action", "name": "action_create_return"},
    ] + asked_only[2:]
    for events in (asked_only, earlier_case):
        tracker = make_tracker(events=events, active_loop="return_form")
        out = ValidateReturnForm().validate_return_reason(
            reason, CollectingDispatcher(), tracker, domain
        )
        assert out == {"return_reason": reason}, events


def test_a_bare_ready_stores_nothing_and_the_form_asks_again(domain):
    """Held-out run 6 (d09): "I bin so weit!!" got empathy and the menu. Inside a form a bare cue
    stores nothing, gets a short "go ahead", and keeps the form (the slot event) so it asks again."""
    from rasa_sdk.events import SlotSet

    from actions.verification import value_to_come

    answer = "So, jetzt bin ich so weit!!"
    tracker = _in_form("address_form", "Adresse ändern", "change_address", answer, "inform")
    d = CollectingDispatcher()
    assert ValidateAddressForm().validate_new_address(answer, d, tracker, domain) == {
        "new_address": None
    }
    assert d.messages == []
    events = [
        user_event("Wo bleibt mein Paket?", "order_status"),
        {"event": "active_loop", "name": "verify_form"},
        {"event": "bot", "text": "Wie lautet Ihre Bestellnummer?"},
        user_event("okay, here we go", "inform"),
    ]
    slots = {"requested_slot": "order_id", "language": "en", "register": "en"}
    tracker = make_tracker(slots, events, "verify_form")
    d = CollectingDispatcher()
    assert value_to_come(d, tracker, []) == [SlotSet("order_id", None)]
    assert [m["text"] for m in d.messages] == ["Great, go ahead!"]
    d = CollectingDispatcher()  # the validation cleared the slot: only the short line
    assert value_to_come(d, tracker, [SlotSet("order_id", None)]) == []
    assert len(d.messages) == 1
    d = CollectingDispatcher()  # a value was taken: nothing
    assert value_to_come(d, tracker, [SlotSet("order_id", "100234")]) == [] and not d.messages
    events[-1] = user_event("Wo ist die Nummer nochmal?", "faq")
    tracker = make_tracker({"requested_slot": "order_id"}, events, "verify_form")
    assert value_to_come(d, tracker, []) == [] and not d.messages


def test_a_lead_in_is_not_stored_with_the_complaint(domain):
    """Held-out run 5: "Dann legen Sie halt eine neue an: …" went into the record and the summary."""
    from actions.verification import said_complaint

    answer = "Na dann legen Sie halt eine neue an: die Sohle hat sich gelöst"
    tracker = _in_form("complaint_form", "Reklamation", "complaint", answer, "complaint")
    d = CollectingDispatcher()
    result = ValidateComplaintForm().validate_complaint_details(answer, d, tracker, domain)
    assert result == {"complaint_details": "die Sohle hat sich gelöst"}
    first = "Dann nehmen Sie es halt neu auf: der Reißverschluss ist kaputt"
    assert said_complaint(first) == "der Reißverschluss ist kaputt"


def test_a_protest_read_as_a_question_still_fills_the_description(domain):
    """Held-out run 7, d19: "Das habe ich doch geschrieben: …" read as faq got the FAQ answer and
    the same question; the slot mapping leaves faq out, so the extraction takes the message."""
    answer = "Das hab ich Ihnen doch geschrieben: die Lampe bleibt einfach dunkel."
    tracker = _in_form("complaint_form", "Reklamation bitte", "complaint", answer, "faq")
    tracker.slots["requested_slot"] = "complaint_details"
    form = ValidateComplaintForm()
    d = CollectingDispatcher()
    assert form.extract_complaint_details(d, tracker, domain) == {"complaint_details": answer}
    assert form.validate_complaint_details(answer, d, tracker, domain) == {
        "complaint_details": "die Lampe bleibt einfach dunkel."
    }
    question = _in_form("complaint_form", "Reklamation", "complaint", "Wo finde ich die?", "faq")
    question.slots["requested_slot"] = "complaint_details"
    assert form.extract_complaint_details(CollectingDispatcher(), question, domain) == {}


def test_a_defect_told_before_the_form_started_is_the_description(domain):
    told = "Meine Stirnlampe geht nach drei Tagen schon nicht mehr an, trotz frischer Akkus."
    events = [
        user_event(told, "faq"),
        {"event": "bot", "text": "..."},
        user_event("Dann möchte ich das reklamieren, Bestellung 100238", "complaint"),
    ]
    d = CollectingDispatcher()
    out = ValidateComplaintForm().extract_complaint_details(d, make_tracker(events=events), domain)
    assert out == {"complaint_details": told}


def test_a_return_reason_told_before_a_restarted_form_is_not_asked_again(domain):
    events = [
        user_event(
            "Der Rucksack aus 100238 ist mir zu klein, ich will ihn zurückgeben", "return_item"
        ),
        {"event": "bot", "text": "..."},
        user_event("Dann lassen Sie es halt", "stop"),
        {"event": "bot", "text": "..."},
        user_event("Doch: die Rücksendung für 100238, mit Geld zurück.", "return_item"),
    ]
    d = CollectingDispatcher()
    out = ValidateReturnForm().extract_return_reason(d, make_tracker(events=events), domain)
    assert out["return_reason"] == "zu klein" and out["return_mode"] == "refund"


def test_an_address_typed_again_replaces_the_one_left_from_a_confirmation(domain):
    text = "Also nochmal: Rosenheimer Straße 21, 83022 Rosenheim"
    tracker = make_tracker(
        {"new_address": "Rosenheimer Straße 21, 83022 R-o-s-e-n-h-e-i-m"},
        [user_event(text, "change_address")],
    )
    out = ValidateAddressForm().extract_new_address(CollectingDispatcher(), tracker, domain)
    assert out == {"new_address": "Rosenheimer Straße 21, 83022 Rosenheim"}


def test_a_return_started_again_with_its_reason_kept_takes_the_way_named(domain):
    text = "Doch, bitte die Rücksendung für 100238 anlegen, mit Geld zurück."
    tracker = make_tracker({"return_reason": "zu klein"}, [user_event(text, "return_item")])
    out = ValidateReturnForm().extract_return_reason(CollectingDispatcher(), tracker, domain)
    assert out == {"return_mode": "refund"}
