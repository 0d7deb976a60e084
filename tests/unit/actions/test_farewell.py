"""Goodbye: a bot-only conversation that solved something is asked once for a rating, skippably."""

from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.farewell import ActionGoodbye
from actions.handoff import ActionRate
from tests.trackers import make_tracker, user_event

HELPED = [
    user_event("Was kostet der Versand?", "faq/shipping_costs"),
    {"event": "bot", "text": "Der Versand kostet 4,95 €."},
    user_event("danke, tschüss", "goodbye"),
]


async def goodbye(slots, events, domain):
    d = CollectingDispatcher()
    result = await ActionGoodbye().run(d, make_tracker(slots, events), domain)
    return [m.get("response") for m in d.messages], result


async def test_a_bot_only_conversation_is_asked_once_with_a_way_to_skip(domain):
    said, result = await goodbye({"register": "sie"}, HELPED, domain)
    assert said == ["utter_goodbye_ask_rating"] and result == [SlotSet("rating_asked", True)]
    response = domain["responses"]["utter_goodbye_ask_rating"]
    for variant in response:
        payloads = [b["payload"] for b in variant["buttons"]]
        assert payloads[-1] == "/goodbye" and len(payloads) == 6  # 1-5 and "Überspringen"
    said, _ = await goodbye(
        {"register": "sie", "rating_asked": True},
        HELPED + [user_event("tschüss", "goodbye")],
        domain,
    )
    assert said == ["utter_goodbye"]  # never twice


async def test_no_rating_question_after_a_human_a_rating_or_only_hello(domain):
    human = HELPED[:2] + [{"event": "action", "name": "action_handoff"}] + HELPED[2:]
    assert (await goodbye({}, human, domain))[0] == [
        "utter_goodbye"
    ]  # asked at the welcome back instead
    assert (await goodbye({"rating": "5"}, HELPED, domain))[0] == ["utter_goodbye"]
    hello_bye = [user_event("Hallo", "greet"), user_event("tschüss", "goodbye")]
    assert (await goodbye({}, hello_bye, domain))[0] == ["utter_goodbye"]


async def test_a_rating_given_at_the_goodbye_is_thanked_without_another_question(domain):
    d = CollectingDispatcher()
    asked = {
        "event": "bot",
        "text": "Gern geschehen – …",
        "metadata": {"utter_action": "utter_goodbye_ask_rating"},
    }
    events = HELPED + [
        asked,
        user_event("/rate", "rate", entities=[{"entity": "rating", "value": "4"}]),
    ]
    await ActionRate().run(d, make_tracker({"rating": "4", "rating_asked": True}, events), domain)
    assert {"rating": 4} in [m.get("custom") for m in d.messages]
    assert d.messages[-1]["response"] == "utter_rating_thanks_bye"
    for variant in domain["responses"]["utter_rating_thanks_bye"]:
        assert "sonst noch" not in variant["text"]


async def test_thanks_that_say_it_was_all_end_the_chat(domain):
    from actions.answers import ActionThank
    from actions.farewell import closes

    assert closes("Danke schön, das war alles.") and closes("nö, das wär's")
    assert not closes("Danke!") and not closes("war das alles?")
    events = HELPED[:2] + [user_event("Danke, das war alles.", "thank")]
    d = CollectingDispatcher()
    await ActionThank().run(d, make_tracker({"register": "sie"}, events), domain)
    assert [m.get("response") for m in d.messages] == ["utter_goodbye_ask_rating"]


async def test_what_if_it_does_not_come_true_read_as_goodbye_gets_the_next_step(domain):
    """ "und falls dann trotzdem noch welche kommen, was mach ich dann?" asks; it does not leave."""
    events = [
        user_event("wie meld ich mich vom newsletter ab?", "faq"),
        {"event": "bot", "text": "…", "metadata": {"utter_action": "utter_faq"}},
        user_event("und falls dann trotzdem noch welche kommen, was mach ich dann?", "goodbye"),
    ]
    d = CollectingDispatcher()
    await ActionGoodbye().run(d, make_tracker({"register": "du"}, events), domain)
    assert len(d.messages) == 1 and "melde dich" in d.messages[0]["text"]
    assert "utter_goodbye_ask_rating" not in [m.get("response") for m in d.messages]


async def test_a_goodbye_that_gives_up_is_no_cheerful_you_are_welcome(domain):
    """Held-out persona run 6 (d17/d19): "Vergessen Sie es … schönen Tag noch" and "Forget it …
    Bye." got "Gern geschehen" or an exchange quote; the bot is sorry, then says goodbye."""
    events = HELPED[:2] + [user_event("Ach, lassen wir das. Einen schönen Tag noch.", "goodbye")]
    d = CollectingDispatcher()
    await ActionGoodbye().run(d, make_tracker({"register": "sie"}, events), domain)
    assert d.messages[0]["text"].startswith("Schade, dass ich Ihnen")
    assert [m.get("response") for m in d.messages[1:]] == ["utter_goodbye"]
    d = CollectingDispatcher()
    events = HELPED[:2] + [user_event("never mind, I'll sort it out myself. bye", "goodbye")]
    await ActionGoodbye().run(d, make_tracker({"language": "en"}, events), domain)
    assert d.messages[0]["text"].startswith("A pity")
    d = CollectingDispatcher()
    events = HELPED[:2] + [user_event("Das hilft mir leider nicht weiter. Tschüss.", "goodbye")]
    await ActionGoodbye().run(d, make_tracker({"register": "sie"}, events), domain)
    assert d.messages[0]["text"].startswith("Schade")


async def test_thanks_with_disappointment_get_a_sorry_goodbye(domain):
    """held-out run 8, e16: "Danke trotzdem" to "Hat Ihnen das geholfen?" got "Schön, dass es
    geklappt hat!"; it gets a sorry goodbye, no rating question."""
    from actions.answers import ActionThank

    events = [
        user_event("Wie lange habe ich für die Klarna-Rechnung Zeit?", "faq"),
        {"event": "bot", "text": "…", "metadata": {"utter_action": "utter_knowledge_answer"}},
        user_event("Ok, dann frage ich Klarna selbst. Danke trotzdem.", "thank"),
    ]
    d = CollectingDispatcher()
    await ActionThank().run(d, make_tracker({"register": "sie"}, events), domain)
    assert d.messages[0]["text"].startswith("Schade, dass ich Ihnen")
    assert [m.get("response") for m in d.messages[1:]] == ["utter_goodbye"]
