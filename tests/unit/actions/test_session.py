from rasa_sdk.events import ActionExecuted, SessionStarted, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.session import ActionSessionStart
from tests.trackers import make_tracker


async def test_a_new_session_forgets_the_verified_order_but_keeps_the_register(domain):
    slots = {
        "register": "du",
        "verified_order": "100234",
        "email": "anna.schmidt@web.de",
        "order_id": "100234",
        "order_status": "unterwegs",
        "session_started_metadata": {"client": "c1"},
    }
    events = await ActionSessionStart().run(CollectingDispatcher(), make_tracker(slots), domain)
    assert events[0] == SessionStarted() and events[-1] == ActionExecuted("action_listen")
    kept = {e["name"]: e["value"] for e in events if e["event"] == "slot"}
    assert kept == {
        "register": "du",
        "session_started_metadata": {"client": "c1"},
        "welcomed": False,
    }
    assert SlotSet("verified_order", "100234") not in events


def test_the_domain_does_not_carry_slots_into_a_new_session(domain):
    assert domain["session_config"]["carry_over_slots_to_new_session"] is False
    assert "action_session_start" in domain["actions"]


async def test_a_session_that_answers_the_widget_welcome_is_marked_welcomed(domain):
    slots = {"session_started_metadata": {"channel": "webchat", "welcomed": True}}
    events = await ActionSessionStart().run(CollectingDispatcher(), make_tracker(slots), domain)
    assert SlotSet("welcomed", True) in events
    for metadata in ({"channel": "webchat"}, None, {"welcomed": "yes"}):
        events = await ActionSessionStart().run(
            CollectingDispatcher(), make_tracker({"session_started_metadata": metadata}), domain
        )
        assert SlotSet("welcomed", False) in events, metadata


def test_the_short_greeting_after_the_welcome_is_chosen_by_exclusive_conditions(domain):
    """One utter_greet variant per (welcomed, register) pair: Rasa picks randomly among matching ones
    (a German customer: the slot `language` is "de"; English: tests/unit/rasa_plugins/test_domain_english.py)."""
    variants = domain["responses"]["utter_greet"]
    for welcomed_value in (True, False):
        for register in ("du", "sie"):
            slots = {"welcomed": welcomed_value, "register": register, "language": "de"}
            matching = [
                v
                for v in variants
                if v.get("condition")
                and all(slots.get(c["name"]) == c["value"] for c in v["condition"])
            ]
            assert len(matching) <= 1, slots
            chosen = (
                matching[0] if matching else next(v for v in variants if not v.get("condition"))
            )
            assert ("Ich bin Wanda" in chosen["text"]) is not welcomed_value, slots
            assert ("dir" in chosen["text"]) is (register == "du"), slots
            assert [b["title"] for b in chosen["buttons"]] == [
                "Wo ist mein Paket?",
                "Rücksendung",
                "Problem mit Artikel",
            ]
