"""The resumed states computation returns exactly Rasa's states, call after call, as a conversation
grows, is reverted, restarted, re-featurised, or arrives as another copy of the same tracker."""

from __future__ import annotations

import random
from typing import Any, List

import pytest
from rasa.shared.core.constants import ACTION_LISTEN_NAME, RULE_ONLY_LOOPS, RULE_ONLY_SLOTS
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (
    ActionExecuted,
    ActionReverted,
    ActiveLoop,
    BotUttered,
    DefinePrevUserUtteredFeaturization,
    Event,
    Restarted,
    SessionStarted,
    SlotSet,
    UserUtteranceReverted,
    UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker

from bot.rasa_plugins import past_states
from bot.rasa_plugins.tracker_store import twin

DOMAIN = Domain.from_yaml(
    """
version: "3.1"
intents: [greet, faq, order]
entities: [order_id]
slots:
  order_id:
    type: text
    mappings: [{type: from_entity, entity: order_id}]
  verified:
    type: bool
    mappings: [{type: custom}]
forms:
  order_form:
    required_slots: [order_id]
responses:
  utter_ok: [{text: "ok"}]
actions: [action_faq]
"""
)
RULE_ONLY = {RULE_ONLY_SLOTS: ["verified"], RULE_ONLY_LOOPS: ["order_form"]}
ARGS = [
    (False, False, None),
    (True, False, None),
    (False, True, RULE_ONLY),
    (True, True, RULE_ONLY),
]


def random_event(rng: random.Random, n: int) -> List[Event]:
    kind = rng.random()
    if kind < 0.3:
        intent = rng.choice(["greet", "faq", "order"])
        entities = [{"entity": "order_id", "value": "100234"}] if intent == "order" else []
        return [
            UserUttered(f"text {n}", {"name": intent, "confidence": 0.9}, entities),
            DefinePrevUserUtteredFeaturization(rng.random() < 0.2),
        ]
    if kind < 0.6:
        return [
            ActionExecuted(
                rng.choice(["utter_ok", "action_faq"]), hide_rule_turn=rng.random() < 0.3
            ),
            BotUttered("ok"),
            ActionExecuted(ACTION_LISTEN_NAME),
        ]
    if kind < 0.7:
        return [SlotSet(rng.choice(["order_id", "verified"]), rng.choice([None, "1", True]))]
    if kind < 0.78:
        return [ActionExecuted("order_form"), ActiveLoop(rng.choice(["order_form", None]))]
    if kind < 0.86:
        return [UserUtteranceReverted()]
    if kind < 0.92:
        return [ActionReverted()]
    if kind < 0.96:
        return [SessionStarted(), ActionExecuted(ACTION_LISTEN_NAME)]
    return [Restarted(), ActionExecuted(ACTION_LISTEN_NAME)]


def original(tracker: DialogueStateTracker, args: Any) -> Any:
    return past_states.ORIGINAL(DOMAIN, tracker, *args)


def resumed(tracker: DialogueStateTracker, args: Any) -> Any:
    return past_states.states_for_tracker_history(DOMAIN, tracker, *args)


@pytest.fixture(autouse=True)
def fresh_runs():
    past_states._RUNS.clear()
    yield
    past_states._RUNS.clear()


@pytest.mark.parametrize("seed", range(6))
def test_every_call_returns_rasas_states(seed):
    rng = random.Random(seed)
    tracker = DialogueStateTracker("k1", DOMAIN.slots)
    tracker.update(ActionExecuted(ACTION_LISTEN_NAME))
    for n in range(120):
        for event in random_event(rng, n):
            tracker.update(event)
        if rng.random() < 0.3:
            tracker = twin(tracker)  # the next turn's tracker: another copy, the same events
        for args in ARGS:
            assert resumed(tracker, args) == original(tracker, args), (seed, n, args)


def test_a_caller_editing_the_states_changes_nothing_later():
    tracker = DialogueStateTracker("k1", DOMAIN.slots)
    for n in range(5):
        for event in random_event(random.Random(n), n):
            tracker.update(event)
        tracker.update(UserUttered(f"t{n}", {"name": "faq", "confidence": 1.0}))
        states = resumed(tracker, ARGS[0])
        for state in states:  # what the featurisers do to the last state, done to all of them
            state.get("user", {}).pop("text", None)
            state.clear()
        assert resumed(tracker, ARGS[0]) == original(tracker, ARGS[0])


def test_sub_states_are_shared_where_rasa_shares_them():
    tracker = DialogueStateTracker("k1", DOMAIN.slots)
    for event in [
        ActionExecuted(ACTION_LISTEN_NAME),
        UserUttered("a", {"name": "faq", "confidence": 1.0}),
        ActionExecuted("action_faq", hide_rule_turn=True),
        ActionExecuted(ACTION_LISTEN_NAME, hide_rule_turn=True),
        UserUttered("b", {"name": "greet", "confidence": 1.0}),
        ActionExecuted("utter_ok"),
    ]:
        tracker.update(event)
    for args in ARGS:
        ours, theirs = resumed(tracker, args), original(tracker, args)
        assert ours == theirs

        def shared(states: Any) -> List[bool]:
            subs = [sub for state in states for sub in state.values()]
            return [any(a is b for b in subs[:i]) for i, a in enumerate(subs)]

        assert shared(ours) == shared(theirs)


def test_the_domain_of_a_new_model_starts_over():
    tracker = DialogueStateTracker("k1", DOMAIN.slots)
    tracker.update(ActionExecuted(ACTION_LISTEN_NAME))
    tracker.update(UserUttered("a", {"name": "faq", "confidence": 1.0}))
    resumed(tracker, ARGS[0])
    other = Domain.from_yaml('version: "3.1"\nintents: [faq]\n')
    assert past_states.states_for_tracker_history(other, tracker) == past_states.ORIGINAL(
        other, tracker
    )
