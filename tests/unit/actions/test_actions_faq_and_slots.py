from rasa_sdk.executor import CollectingDispatcher

from actions.faq import ActionFallback, ActionFaq, ActionFrustration
from actions.slots import ValidateSlotMappings
from tests.trackers import make_tracker, user_event


def faq_event(key, text="frage", mood=0.0):
    return user_event(text, "faq", mood=mood, response_selector={
        "faq": {"response": {"intent_response_key": f"faq/{key}"}}})


async def test_faq_answers_from_company_file_in_sie_and_du(domain):
    sie, du = CollectingDispatcher(), CollectingDispatcher()
    await ActionFaq().run(sie, make_tracker({}, [faq_event("shipping_costs")]), domain)
    await ActionFaq().run(du, make_tracker({"register": "du"}, [faq_event("shipping_costs")]), domain)
    assert "4,95 €" in sie.messages[0]["text"] and "für dich" in du.messages[0]["text"]
    assert sie.messages[0]["text"] != du.messages[0]["text"]


async def test_faq_acknowledges_bad_mood_first(domain):
    d = CollectingDispatcher()
    await ActionFaq().run(d, make_tracker({"mood": 0.5}, [faq_event("return_policy")]), domain)
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


async def test_register_sticks_to_du(domain):
    action = ValidateSlotMappings()
    d = CollectingDispatcher()
    tracker = make_tracker({"register": "du"}, [user_event("wo ist das paket", "order_status", register=None)])
    assert await action.extract_register(d, tracker, domain) == {"register": "du"}
    tracker = make_tracker({"register": "du"}, [user_event("Können Sie mir helfen", "greet", register="sie")])
    assert await action.extract_register(d, tracker, domain) == {"register": "sie"}
    assert await action.extract_register(d, make_tracker({}, [user_event("hi", "greet")]), domain) == {"register": "sie"}


async def test_mood_and_topic_slots(domain):
    action = ValidateSlotMappings()
    d = CollectingDispatcher()
    tracker = make_tracker({}, [user_event("sauer!!!", "frustration", mood=0.9)])
    assert (await action.extract_mood(d, tracker, domain))["mood"] >= 0.9
    tracker = make_tracker({"topic": "order_status"}, [faq_event("warranty")])
    assert await action.extract_topic(d, tracker, domain) == {"topic": "faq/warranty"}
    tracker = make_tracker({"topic": "order_status"}, [user_event("danke", "thank")])
    assert await action.extract_topic(d, tracker, domain) == {"topic": "order_status"}


def test_every_response_has_du_and_sie(domain):
    for name, variants in domain["responses"].items():
        if name.startswith("utter_faq/"):
            continue
        conditions = [v.get("condition") for v in variants]
        assert any(c and c[0]["value"] == "du" for c in conditions), name
        assert any(not c for c in conditions), name
