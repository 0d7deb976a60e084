"""TED's prediction computed only when it could win (issue 26.2).

Rasa runs every policy for every prediction, two or more per turn, and then keeps one:
TED's TensorFlow graph and its featurisation took 24 % of a worker's busy time under FAQ load,
although on those turns a rule decides both predictions with confidence 1.0. Rasa's ensemble
(`DefaultPolicyPredictionEnsemble._pick_best_policy`) picks, among the predictions of one kind,
the highest (confidence, priority); "no user" predictions beat all others, end-to-end ones beat
the rest. TED's confidences are probabilities (at most 1.0), its priority is the lowest, and
without end-to-end training data it makes neither kind. So whenever another policy predicts with
confidence 1.0 at a higher priority, or makes a "no user" or end-to-end prediction, TED's cannot
be picked, and its events (none, without end-to-end data) are not used either.

`install` changes two things: TED's `predict_action_probabilities` returns a `DeferredPrediction`
that runs the real prediction on first use, and the ensemble drops a deferred prediction that
cannot win before it picks (replacing it by TED's abstention, all zeros). Otherwise the deferred
prediction is computed right there, with the same tracker and inputs. A TED trained on text
(end-to-end) is never deferred. The picked prediction is the same as without this; the unit
tests compare both on rule, story and TED-decided turns. Off with KD_LAZY_TED=0.
"""

from __future__ import annotations

from typing import Any, Callable, List

from rasa.core.policies.ensemble import DefaultPolicyPredictionEnsemble
from rasa.core.policies.policy import PolicyPrediction
from rasa.core.policies.ted_policy import TEDPolicy
from rasa.shared.core.domain import Domain
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import TEXT

ORIGINAL_PREDICT = TEDPolicy.predict_action_probabilities
ORIGINAL_COMBINE = DefaultPolicyPredictionEnsemble.combine_predictions
SURE = 1.0


class DeferredPrediction(PolicyPrediction):
    """A prediction computed on first access of anything but its name, priority and kind."""

    def __init__(
        self, compute: Callable[[], PolicyPrediction], name: str, priority: int, size: int
    ) -> None:
        # no super().__init__: every other attribute comes from the real prediction, on demand
        self.__dict__.update(
            _compute=compute,
            _size=size,
            policy_name=name,
            policy_priority=priority,
            is_no_user_prediction=False,
            is_end_to_end_prediction=False,
            events=[],  # TED's mandatory events: none (optional ones only for end-to-end)
        )

    @property
    def computed(self) -> bool:
        return "probabilities" in self.__dict__

    def __getattr__(self, name: str) -> Any:  # only for attributes not set yet
        if name.startswith("__") or self.computed:
            raise AttributeError(name)
        real = self.__dict__["_compute"]()
        self.__dict__.update(real.__dict__)
        return getattr(self, name)

    def abstained(self) -> PolicyPrediction:
        """TED's prediction when it predicts nothing: what it is replaced by when it cannot win."""
        return PolicyPrediction(
            [0.0] * self.__dict__["_size"], self.policy_name, self.policy_priority
        )


def predict_action_probabilities(
    self: TEDPolicy,
    tracker: DialogueStateTracker,
    domain: Domain,
    *args: Any,
    **kwargs: Any,
) -> PolicyPrediction:
    if self.model is None or TEXT in (getattr(self, "fake_features", None) or {}):
        return ORIGINAL_PREDICT(self, tracker, domain, *args, **kwargs)
    return DeferredPrediction(
        lambda: ORIGINAL_PREDICT(self, tracker, domain, *args, **kwargs),
        type(self).__name__,
        self.priority,
        domain.num_actions,
    )


def cannot_win(deferred: DeferredPrediction, others: List[PolicyPrediction]) -> bool:
    """True when `_pick_best_policy` would pick another prediction whatever TED's probabilities."""
    if any(p.is_no_user_prediction or p.is_end_to_end_prediction for p in others):
        return True  # those kinds outrank TED's (neither "no user" nor end-to-end) outright
    return any(
        p.max_confidence >= SURE and p.policy_priority > deferred.policy_priority for p in others
    )


def combine_predictions(
    self: DefaultPolicyPredictionEnsemble,
    predictions: List[PolicyPrediction],
    tracker: DialogueStateTracker,
    domain: Domain,
) -> PolicyPrediction:
    chosen = []
    for prediction in predictions:
        if isinstance(prediction, DeferredPrediction) and not prediction.computed:
            others = [p for p in predictions if not isinstance(p, DeferredPrediction)]
            if cannot_win(prediction, others):
                prediction = prediction.abstained()
        chosen.append(prediction)
    return ORIGINAL_COMBINE(self, chosen, tracker, domain)


def install(enabled: bool = True) -> bool:
    TEDPolicy.predict_action_probabilities = (  # type: ignore[method-assign]
        predict_action_probabilities if enabled else ORIGINAL_PREDICT
    )
    DefaultPolicyPredictionEnsemble.combine_predictions = (  # type: ignore[method-assign]
        combine_predictions if enabled else ORIGINAL_COMBINE
    )
    return enabled
