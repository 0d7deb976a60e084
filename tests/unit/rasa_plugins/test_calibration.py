"""Temperature scaling: fitted on held-out scores, it undoes over-confidence and keeps probabilities valid."""

import numpy as np
from sklearn.linear_model import LogisticRegression

from bot.rasa_plugins.calibration import fit_temperature, held_out_scores, scaled_probabilities


def noisy_scores(scale, n=600, classes=4, accuracy=0.7, seed=0):
    """Scores whose argmax is right `accuracy` of the time, sharpened by `scale`."""
    rng = np.random.default_rng(seed)
    gold = rng.integers(0, classes, n)
    predicted = np.where(rng.random(n) < accuracy, gold, (gold + 1) % classes)
    scores = rng.normal(0, 0.1, (n, classes))
    scores[np.arange(n), predicted] += 1.0
    return scores * scale, gold


def test_over_confident_scores_get_a_temperature_above_one():
    scores, gold = noisy_scores(scale=20)
    assert fit_temperature(scores, list(gold)) > 5


def test_under_confident_scores_get_a_temperature_below_one():
    scores, gold = noisy_scores(scale=0.2, accuracy=0.95)
    assert fit_temperature(scores, list(gold)) < 1


def test_calibrated_top_confidence_matches_accuracy():
    scores, gold = noisy_scores(scale=20)
    probabilities = scaled_probabilities(scores, fit_temperature(scores, list(gold)))
    assert np.allclose(probabilities.sum(axis=1), 1.0)
    assert abs(probabilities.max(axis=1).mean() - 0.7) < 0.05


def test_held_out_scores_cover_every_example_in_class_order():
    rng = np.random.default_rng(1)
    features = rng.normal(size=(30, 3))
    labels = ["b", "a", "c"] * 10
    scores = held_out_scores(
        features, labels, ["a", "b", "c"], lambda x, y: LogisticRegression().fit(x, y)
    )
    assert scores is not None and scores.shape == (30, 3)
    assert not np.any(np.all(scores == 0, axis=1))


def test_too_few_examples_for_folds_means_no_calibration():
    features = np.eye(3)
    assert (
        held_out_scores(
            features, ["a", "b", "b"], ["a", "b"], lambda x, y: LogisticRegression().fit(x, y)
        )
        is None
    )
