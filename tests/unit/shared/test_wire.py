"""The Rasa<->hub wire: what one side builds, the other reads back unchanged."""

import json

import pytest

from bot.shared import wire
from bot.shared.wire import MessageMetadata


def through_rasa(json_message: dict) -> dict:
    """Rasa delivers an action's `json_message` as the answer's `custom`, after a JSON round trip."""
    return json.loads(json.dumps({"recipient_id": "c1", "custom": json_message}))


def test_handoff_round_trip_carries_reason_label_priority_and_summary():
    answer = through_rasa(wire.handoff("frustration", wire.URGENT, {"topic": "Lieferstatus"}))
    kind, value = wire.custom_of(answer)
    assert kind == wire.HANDOFF
    assert value == {
        "reason": "frustration",
        "reason_label": "Kunde ist verärgert",
        "priority": "urgent",
        "summary": {"topic": "Lieferstatus"},
    }


def test_an_unknown_reason_is_its_own_label():
    assert wire.handoff("new_reason", wire.NORMAL, {})[wire.HANDOFF]["reason_label"] == "new_reason"


def test_rating_and_nlu_round_trip():
    assert wire.custom_of(through_rasa(wire.rating(4))) == (wire.RATING, 4)
    parse = {"intent": {"name": "order_status", "confidence": 0.9}, "mood": 0.1}
    assert wire.custom_of(json.loads(json.dumps(wire.nlu_answer(parse)))) == (wire.NLU, parse)


@pytest.mark.parametrize(
    "answer",
    [
        {"text": "Hallo"},
        {"text": "Hallo", "custom": None},
        {"custom": {"attachment": {"id": "a1"}}},
        {"custom": "nlu"},
    ],
)
def test_text_and_foreign_custom_payloads_are_not_wire_payloads(answer):
    assert wire.custom_of(answer) is None


def test_failed_actions_are_read_from_any_position():
    answers = [{"text": "x"}, json.loads(json.dumps(wire.turn_failed_answer(["action_shop"])))]
    assert wire.failed_actions(answers) == ["action_shop"]
    assert wire.failed_actions([{"text": "ok"}, wire.nlu_answer({})]) == []


def test_message_metadata_round_trip_keeps_every_field():
    sent = MessageMetadata(channel="telegram", client="ab12", welcomed=True)
    assert MessageMetadata.from_json(json.loads(json.dumps(sent.to_json()))) == sent
    assert MessageMetadata(channel="webchat").to_json() == {"channel": "webchat"}


@pytest.mark.parametrize("metadata", [None, "x", [], {}, {"welcomed": "yes"}, {"client": ""}])
def test_message_metadata_reads_whatever_rasa_hands_back(metadata):
    read = MessageMetadata.from_json(metadata)
    assert read.client is None and read.welcomed is False


def test_knowledge_round_trip_keeps_what_was_shown_and_the_verdict():
    hit = {"page_id": "p", "title": "T", "url": "https://x.de/p", "passage_id": "p#1", "score": 0.8}
    kind, value = wire.custom_of(through_rasa(wire.knowledge("m1", hit, False, helpful=False)))
    assert kind == wire.KNOWLEDGE
    assert value == {**hit, "question_id": "m1", "abstained": False, "helpful": False, "attempt": 1}
    _, nothing = wire.custom_of(through_rasa(wire.knowledge(None, None, True)))
    assert (
        nothing["abstained"] is True and nothing["page_id"] is None and nothing["helpful"] is None
    )


def test_contact_round_trip_names_the_request_and_the_address():
    sent = through_rasa(wire.contact(7, "eva@example.org"))
    assert wire.custom_of(sent) == (wire.CONTACT, {"ticket": 7, "contact": "eva@example.org"})


def test_note_round_trip_names_the_request_and_the_wish():
    sent = through_rasa(wire.note(7, "nur bis 17 Uhr anrufen"))
    assert wire.custom_of(sent) == (wire.NOTE, {"ticket": 7, "note": "nur bis 17 Uhr anrufen"})
