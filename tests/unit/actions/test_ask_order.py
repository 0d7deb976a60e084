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


async def test_after_grief_or_anger_the_e_mail_is_asked_without_danke(domain):
    from actions.ask_order import ActionAskEmail

    for text in (
        "Mein Mann ist verstorben. Ich möchte seine Bestellung 100241 stornieren.",
        "Das ist echt eine Frechheit!!! 100242 ist immer noch nicht da.",
    ):
        d = CollectingDispatcher()
        tracker = make_tracker({"order_id": "100241"}, [user_event(text, "cancel_order")])
        await ActionAskEmail().run(d, tracker, domain)
        # validate_order_id said the feeling's line this turn: only the gentle question here
        assert [m.get("response") for m in d.messages] == ["utter_ask_email_gently"]
    gently = next(
        r for r in domain["responses"]["utter_ask_email_gently"] if not r.get("condition")
    )
    assert not gently["text"].startswith("Danke") and "Sie" not in gently["text"].split(":")[1]


async def test_a_calm_request_gets_the_usual_e_mail_question(domain):
    from actions.ask_order import ActionAskEmail

    d = CollectingDispatcher()
    tracker = make_tracker({"order_id": "100234"}, [user_event("Wo ist 100234?", "order_status")])
    await ActionAskEmail().run(d, tracker, domain)
    assert [m.get("response") for m in d.messages] == ["utter_ask_email"]


async def test_the_e_mail_asked_first_brings_the_feeling_line_itself(domain):
    from actions.ask_order import ActionAskEmail

    text = "Meine Mutter ist gestorben und ich finde ihre Bestellnummer nicht."
    d = CollectingDispatcher()
    await ActionAskEmail().run(d, make_tracker({}, [user_event(text, "order_status")]), domain)
    condolence, question = d.messages
    assert "Beileid" in condolence["text"]
    assert question["response"] == "utter_ask_email_gently"


async def test_annoyance_gets_the_acknowledgement_and_the_gentle_e_mail_question(domain):
    """Persona run 2 (d14): "wo bleibt mein paket 😤" was answered with "Danke! Zur Sicherheit"."""
    from actions.ask_order import ActionAskEmail

    text = "hey wo bleibt mein paket 😤 100234 sollte morgen kommen"
    d = CollectingDispatcher()
    tracker = make_tracker({"order_id": "100234"}, [user_event(text, "order_status")])
    await ActionAskEmail().run(d, tracker, domain)
    assert [m.get("response") for m in d.messages] == [
        "utter_empathy_waiting",
        "utter_ask_email_gently",
    ]
