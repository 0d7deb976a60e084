"""The hub channel's idempotency rules, on trackers built from events."""

import pytest
from rasa.core.actions.action import RemoteAction
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, UserUtteranceReverted, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.exceptions import RasaException
from rasa.utils.endpoints import EndpointConfig

from bot.rasa_plugins.hub_channel import answered_turn, bot_message, failures


def tracker(*events):
    return DialogueStateTracker.from_events("c1", [ActionExecuted("action_listen"), *events])


def test_the_latest_answered_turn_is_replayed_with_its_answers():
    t = tracker(
        UserUttered("Versand?", message_id="m1"),
        ActionExecuted("action_faq"),
        BotUttered("4,95 €", {"buttons": [{"title": "Danke", "payload": "/thank"}]}),
        ActionExecuted("action_listen"),
    )
    assert answered_turn(t, "m1") == [
        {"text": "4,95 €", "buttons": [{"title": "Danke", "payload": "/thank"}]}
    ]


def test_an_older_turn_is_found_with_only_its_own_answers_and_an_unknown_one_is_not():
    t = tracker(
        UserUttered("a", message_id="m1"),
        BotUttered("A"),
        ActionExecuted("action_listen"),
        UserUttered("b", message_id="m2"),
        BotUttered("B"),
        ActionExecuted("action_listen"),
    )
    assert answered_turn(t, "m2") == [{"text": "B"}]
    assert answered_turn(t, "m1") == [{"text": "A"}]
    assert answered_turn(t, "m3") is None


def test_a_reverted_turn_is_not_replayed():
    t = tracker(
        UserUttered("Versand?", message_id="m1"),
        ActionExecuted("action_faq"),
        UserUtteranceReverted(),
        ActionExecuted("action_listen"),
    )
    assert answered_turn(t, "m1") is None
    assert [e.action_name for e in t.applied_events() if isinstance(e, ActionExecuted)] == [
        "action_listen"
    ]


def test_bot_message_drops_empty_fields():
    assert bot_message(BotUttered(None, {"custom": {"handoff": {}}, "buttons": None})) == {
        "custom": {"handoff": {}}
    }


async def test_failed_remote_actions_are_recorded_per_conversation_and_reraised():
    action = RemoteAction(
        "action_faq", EndpointConfig(url="http://127.0.0.1:9/webhook")
    )  # nothing listens there
    with failures("c1") as failed, failures("c2") as other:
        with pytest.raises(RasaException):
            await action.run(None, None, tracker(), Domain.empty())
    assert failed == ["action_faq"] and other == []
