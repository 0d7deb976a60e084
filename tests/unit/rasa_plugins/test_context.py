"""Short answers to a form's question are read as answers (bot/rasa_plugins/context.py)."""

from rasa.core.channels.channel import UserMessage
from rasa.shared.core.events import ActiveLoop, SlotSet
from rasa.shared.core.trackers import DialogueStateTracker

from bot.rasa_plugins import understanding
from bot.rasa_plugins.context import read_in_context


def parse(text, intent, confidence=0.6, entities=()):
    return {
        "text": text,
        "intent": {"name": intent, "confidence": confidence},
        "intent_ranking": [
            {"name": intent, "confidence": confidence},
            {"name": "inform", "confidence": 0.2},
        ],
        "entities": list(entities),
    }


def test_a_bare_number_asked_for_an_order_is_an_inform_with_the_number():
    out = read_in_context(parse("12345", "rate"), "verify_form", "order_id")
    assert out["intent"]["name"] == "inform"
    assert [r["name"] for r in out["intent_ranking"]] == ["inform", "rate"]
    assert out["entities"] == [
        {"entity": "order_id", "value": "12345", "start": 0, "end": 5, "extractor": "context"}
    ]
    assert out["context"]["read_as"] == "rate"


def test_a_name_asked_for_an_email_is_an_inform():
    out = read_in_context(parse("Anna Schmidt", "out_of_scope"), "return_form", "email")
    assert out["intent"]["name"] == "inform" and out["entities"] == []


def test_without_a_form_question_nothing_changes():
    original = parse("5", "rate")
    assert read_in_context(original, None, None) is original
    assert read_in_context(original, "return_form", "return_reason") is original


def test_stopping_or_asking_something_else_is_kept():
    for reading in ("deny", "faq", "request_human", "frustration"):
        assert (
            read_in_context(parse("nein lass mal", reading), "verify_form", "order_id")["intent"][
                "name"
            ]
            == reading
        )


def test_long_messages_are_not_short_answers():
    text = "das ist mir alles viel zu kompliziert hier"
    assert (
        read_in_context(parse(text, "out_of_scope"), "verify_form", "order_id")["intent"]["name"]
        == "out_of_scope"
    )


def test_an_order_number_already_found_is_not_doubled():
    found = {"entity": "order_id", "value": "100234", "start": 0, "end": 6}
    out = read_in_context(parse("100234", "inform", entities=[found]), "verify_form", "order_id")
    assert out["entities"] == [found]


async def test_the_parse_wrapper_reads_in_the_trackers_context(monkeypatch):
    async def original(self, message, tracker=None, only_output_properties=True):
        return parse(message.text, "rate")

    monkeypatch.setattr(understanding, "_original_parse", original)
    tracker = DialogueStateTracker.from_events(
        "c1", [ActiveLoop("verify_form"), SlotSet("requested_slot", "order_id")]
    )
    asked = await understanding._recording_parse(None, UserMessage("4711"), tracker)
    unasked = await understanding._recording_parse(
        None, UserMessage("4711"), DialogueStateTracker.from_events("c2", [])
    )
    assert asked["intent"]["name"] == "inform" and unasked["intent"]["name"] == "rate"


def test_a_bare_ready_is_the_answer_whatever_slot_is_asked():
    """ "So, bin so weit!!" inside a form: no empathy and menu for the exclamation marks
    (bot/dialogue/ready.py); the form asks for its value again."""
    for slot in ("order_id", "email", "new_address", "return_reason"):
        out = read_in_context(parse("So, bin so weit!!", "frustration", 0.9), "address_form", slot)
        assert out["intent"]["name"] == "inform" and out["entities"] == [], slot
    original = parse("So, bin so weit!!", "frustration", 0.9)
    assert read_in_context(original, None, None) is original
