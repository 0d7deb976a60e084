from bot.dialogue.stated import described_task, stated_request
from tests.trackers import user_event


def inform(text="100236", ranking=None):
    event = user_event(text, "inform")
    event["parse_data"]["intent_ranking"] = ranking or [{"name": "inform", "confidence": 0.99}]
    return event


def test_a_runner_up_request_of_the_same_message():
    latest = inform("100236 zurück", [{"name": "return_item", "confidence": 0.3}])
    assert stated_request([latest], latest["parse_data"]) == "return_item"
    weak = inform("100236", [{"name": "return_item", "confidence": 0.1}])
    assert stated_request([weak], weak["parse_data"]) is None


def test_the_problem_described_in_words():
    assert described_task("Meine Bestellung 100242 sollte längst da sein!") == "order_status"
    assert described_task("Zweimal war der Bote angeblich da") == "order_status"
    polite = "Die Bestellnummer lautet 100236. Wann dürfen wir mit den Stiefeln rechnen, wann kommen sie?"
    assert described_task(polite) == "order_status"
    assert (
        described_task("Ich bitte um Auskunft, wann die Jacke bei mir eintrifft.") == "order_status"
    )
    assert described_task("Mir wurde doppelt abgebucht") == "payment_issue"
    assert described_task("Die Jacke ist nach einer Woche gerissen") == "complaint"
    assert described_task("Guten Tag") is None
    assert described_task("yo wo is 100240") == "order_status"
    assert described_task("Wo ist die Filiale in München?") is None
    # a case's number with the order and address: the state of that case (held-out run 4, d13)
    assert described_task("Vorgang rt-100243, 100243, clara.weber@gmx.de") == "order_status"


def test_an_earlier_request_behind_small_talk_and_numbers():
    events = [
        user_event("Ich möchte meine Rechnung", "invoice_request"),
        {"event": "bot", "text": "..."},
        user_event("danke", "thank"),
        inform("100236"),
        inform("100237"),
    ]
    assert stated_request(events, events[-1]["parse_data"]) == "invoice_request"


def test_the_recorded_task_when_no_message_states_one():
    events = [
        user_event("hallo", "greet"),
        {"event": "slot", "name": "task", "value": "cancel_order"},
        inform(),
    ]
    assert stated_request(events, events[-1]["parse_data"]) == "cancel_order"


def test_no_request_ever_stated():
    events = [user_event("hallo", "greet"), inform()]
    assert stated_request(events, events[-1]["parse_data"]) is None


def test_requests_before_a_hand_back_are_done():
    events = [user_event("wo ist mein paket", "order_status"), {"event": "resume"}, inform()]
    assert stated_request(events, events[-1]["parse_data"]) is None
