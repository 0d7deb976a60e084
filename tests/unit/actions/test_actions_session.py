from rasa_sdk.events import ActionExecuted, SessionStarted, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.session import ActionSessionStart
from tests.trackers import make_tracker


async def test_a_new_session_forgets_the_verified_order_but_keeps_the_register(domain):
    slots = {"register": "du", "verified_order": "100234", "email": "anna.schmidt@web.de", "order_id": "100234",
             "order_status": "unterwegs", "session_started_metadata": {"client": "c1"}}
    events = await ActionSessionStart().run(CollectingDispatcher(), make_tracker(slots), domain)
    assert events[0] == SessionStarted() and events[-1] == ActionExecuted("action_listen")
    kept = {e["name"]: e["value"] for e in events if e["event"] == "slot"}
    assert kept == {"register": "du", "session_started_metadata": {"client": "c1"}}
    assert SlotSet("verified_order", "100234") not in events


def test_the_domain_does_not_carry_slots_into_a_new_session(domain):
    assert domain["session_config"]["carry_over_slots_to_new_session"] is False
    assert "action_session_start" in domain["actions"]
