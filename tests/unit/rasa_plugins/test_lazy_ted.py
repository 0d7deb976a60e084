"""TED computed only when it could win: the ensemble picks exactly what it picked before."""

import pytest
from rasa.core.policies.ensemble import DefaultPolicyPredictionEnsemble
from rasa.core.policies.policy import PolicyPrediction
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import TEXT

from bot.rasa_plugins import lazy_ted

DOMAIN = Domain.from_dict({"intents": ["greet"], "actions": ["action_a", "action_b"]})
N = DOMAIN.num_actions
A, B = DOMAIN.index_for_action("action_a"), DOMAIN.index_for_action("action_b")


def probs(index=None, value=1.0):
    p = [0.0] * N
    if index is not None:
        p[index] = value
    return p


def tracker():
    events = [ActionExecuted("action_listen"), UserUttered("hi", {"name": "greet"})]
    return DialogueStateTracker.from_events("lazy", events)


class Ted:
    """Stands in for a trained TEDPolicy; `real` is what its prediction would be."""

    def __init__(self, real, e2e=False):
        self.model, self.priority, self.calls = object(), 1, 0
        self.fake_features = {TEXT: []} if e2e else {"intent": []}
        self.real = real

    def predict(self):
        self.calls += 1
        return self.real


@pytest.fixture()
def ted(monkeypatch):
    def make(real, e2e=False):
        fake = Ted(real, e2e)
        monkeypatch.setattr(lazy_ted, "ORIGINAL_PREDICT", lambda self, *a, **k: self.predict())
        return fake

    return make


def both(predictions, deferred_ted):
    """The ensemble's pick with TED deferred, and Rasa's own pick with TED computed."""
    ensemble = DefaultPolicyPredictionEnsemble()
    eager = lazy_ted.ORIGINAL_COMBINE(
        ensemble, predictions + [deferred_ted.real], tracker(), DOMAIN
    )
    lazy = lazy_ted.combine_predictions(
        ensemble,
        predictions + [lazy_ted.predict_action_probabilities(deferred_ted, tracker(), DOMAIN)],
        tracker(),
        DOMAIN,
    )
    return eager, lazy


def same(a, b):
    return (a.probabilities, a.policy_name, a.policy_priority, a.events) == (
        b.probabilities,
        b.policy_name,
        b.policy_priority,
        b.events,
    )


def test_a_rule_at_full_confidence_decides_and_ted_is_never_computed(ted):
    fake = ted(PolicyPrediction(probs(B, 0.99), "TEDPolicy", 1))
    rule = PolicyPrediction(probs(A), "RulePolicy", 6)
    eager, lazy = both([rule], fake)
    assert same(eager, lazy) and lazy.policy_name == "RulePolicy"
    assert fake.calls == 0


def test_a_rule_that_only_falls_back_lets_ted_decide(ted):
    fake = ted(PolicyPrediction(probs(B, 0.8), "TEDPolicy", 1))
    fallback = PolicyPrediction(probs(A, 0.3), "RulePolicy", 6)
    eager, lazy = both([fallback], fake)
    assert same(eager, lazy) and lazy.policy_name == "TEDPolicy"
    assert fake.calls == 1


def test_a_tie_at_full_confidence_goes_to_the_higher_priority_without_ted(ted):
    fake = ted(PolicyPrediction(probs(B, 1.0), "TEDPolicy", 1))
    memo = PolicyPrediction(probs(A), "MemoizationPolicy", 3)
    eager, lazy = both([memo], fake)
    assert same(eager, lazy) and lazy.policy_name == "MemoizationPolicy" and fake.calls == 0


def test_a_policy_below_ted_in_priority_does_not_decide(ted):
    fake = ted(PolicyPrediction(probs(B, 1.0), "TEDPolicy", 1))
    low = PolicyPrediction(probs(A), "LowPolicy", 0)
    eager, lazy = both([low], fake)
    assert same(eager, lazy) and lazy.policy_name == "TEDPolicy" and fake.calls == 1


def test_a_no_user_prediction_outranks_ted_without_computing_it(ted):
    fake = ted(PolicyPrediction(probs(B, 0.9), "TEDPolicy", 1))
    loop = PolicyPrediction(probs(A, 0.5), "RulePolicy", 6, is_no_user_prediction=True)
    eager, lazy = both([loop], fake)
    assert same(eager, lazy) and lazy.policy_name == "RulePolicy" and fake.calls == 0


def test_an_end_to_end_ted_is_computed_at_once(ted):
    fake = ted(PolicyPrediction(probs(B, 0.9), "TEDPolicy", 1), e2e=True)
    made = lazy_ted.predict_action_probabilities(fake, tracker(), DOMAIN)
    assert not isinstance(made, lazy_ted.DeferredPrediction) and fake.calls == 1


def test_install_and_uninstall():
    from rasa.core.policies.ted_policy import TEDPolicy

    try:
        lazy_ted.install(True)
        assert TEDPolicy.predict_action_probabilities is lazy_ted.predict_action_probabilities
    finally:
        lazy_ted.install(False)
    assert TEDPolicy.predict_action_probabilities is lazy_ted.ORIGINAL_PREDICT
    assert DefaultPolicyPredictionEnsemble.combine_predictions is lazy_ted.ORIGINAL_COMBINE
