"""The order-number question with the feeling's line first (issue 22.7)."""

from rasa_sdk.executor import CollectingDispatcher

from actions.ask_order import ActionAskOrderId
from tests.trackers import make_tracker, user_event


async def test_grief_gets_condolence_before_the_number_is_asked(domain):
    text = "Meine Mutter ist gestorben, ich möchte ihre Bestellung stornieren."
    d = CollectingDispatcher()
    await ActionAskOrderId().run(d, make_tracker({}, [user_event(text, "cancel_order")]), domain)
    condolence, question = d.messages
    assert "Beileid" in condolence["text"]
    assert question["response"] == "utter_ask_order_id"


async def test_a_calm_request_gets_the_question_alone(domain):
    d = CollectingDispatcher()
    tracker = make_tracker({}, [user_event("Ich möchte stornieren.", "cancel_order")])
    await ActionAskOrderId().run(d, tracker, domain)
    assert [m.get("response") for m in d.messages] == ["utter_ask_order_id"]
