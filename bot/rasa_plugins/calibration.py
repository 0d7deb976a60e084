"""Temperature scaling of the intent classifier's scores, fitted on held-out folds.

Logistic regression with a weak penalty (C=10) on ~1,500 examples is over-confident on
what it saw and erratic on what it did not, so a fixed FallbackClassifier threshold
meant different things for different messages. Dividing the scores by one temperature,
chosen to minimise the log-loss of predictions on examples the model was *not* trained
on, makes "confidence 0.4" mean roughly "right 4 times in 10" – the number the
threshold is about. One scalar, stored as JSON with the model (no pickle).
"""

from __future__ import annotations

from typing import Callable, Sequence

import numpy as np
from scipy.optimize import minimize_scalar
from scipy.special import log_softmax, softmax
from sklearn.model_selection import StratifiedKFold

BOUNDS = (0.05, 20.0)  # a temperature outside this range means the held-out scores are degenerate


def scaled_probabilities(scores: np.ndarray, temperature: float) -> np.ndarray:
    """Softmax of scores / temperature, row-wise (scores: samples × classes)."""
    return np.asarray(softmax(np.asarray(scores, dtype=np.float64) / temperature, axis=1))


def fit_temperature(scores: np.ndarray, gold: Sequence[int]) -> float:
    """The temperature minimising the negative log-likelihood of the gold classes."""
    scores = np.asarray(scores, dtype=np.float64)
    rows = np.arange(len(gold))

    def nll(log_t: float) -> float:
        return float(-log_softmax(scores / np.exp(log_t), axis=1)[rows, list(gold)].mean())

    result = minimize_scalar(nll, bounds=(np.log(BOUNDS[0]), np.log(BOUNDS[1])), method="bounded")
    return float(np.exp(result.x))


def held_out_scores(
    features: object,
    labels: Sequence[str],
    classes: Sequence[str],
    fit: Callable[[object, Sequence[str]], object],
    folds: int = 3,
    seed: int = 42,
) -> np.ndarray | None:
    """Decision scores of every example from a model trained without its fold (columns in `classes` order).

    None when a class has too few examples for `folds` stratified folds (tiny test data): then the
    caller keeps temperature 1, i.e. the raw model.
    """
    counts = np.unique(np.asarray(labels), return_counts=True)[1]
    folds = min(folds, int(counts.min()))
    if folds < 2:
        return None
    out = np.zeros((len(labels), len(classes)))
    column = {label: i for i, label in enumerate(classes)}
    splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed)
    y = np.asarray(labels)
    for train_idx, test_idx in splitter.split(np.zeros(len(y)), y):
        model = fit(features[train_idx], list(y[train_idx]))  # type: ignore[index]
        scores = model.decision_function(features[test_idx])  # type: ignore[attr-defined,index]
        if scores.ndim == 1:  # two classes: sklearn returns the score of the second only
            scores = np.stack([-scores / 2, scores / 2], axis=1)
        seen = [column[str(c)] for c in model.classes_]  # type: ignore[attr-defined]
        block = np.full(
            (len(test_idx), len(classes)), -1e3
        )  # a class missing from a fold: never predicted
        block[:, seen] = scores
        out[test_idx] = block
    return out
