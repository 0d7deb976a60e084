"""FAQ keys as intent classes: fold `faq/<key>` probabilities to `faq` plus the selector's answer.

Trained as one merged class, `faq` covered eight unrelated topics and became the biggest,
broadest class: a transactional request mentioning a topic word ("ich will das
zurückschicken" shares words with the return policy) fell into it. With every key its own
class, each FAQ class is as narrow as a transactional one; the intent ranking then sums
the keys back into `faq` (so rules and the FallbackClassifier see the domain's intents),
and the best key is handed on in ResponseSelector's output format, which the FAQ action
and Rasa's processor (`full_retrieval_intent_name`) read.
"""

from __future__ import annotations

import zlib
from collections import defaultdict
from typing import Any, Dict, List, Mapping, Sequence, Tuple

SEPARATOR = "/"
ALL_RETRIEVAL_INTENTS = (
    "all_retrieval_intents"  # rasa.nlu.constants.RESPONSE_SELECTOR_RETRIEVAL_INTENTS
)


def base(label: str) -> str:
    return label.split(SEPARATOR, 1)[0]


def fold(
    classes: Sequence[str], probabilities: Sequence[float]
) -> Tuple[List[Tuple[str, float]], Dict[str, List[Tuple[str, float]]]]:
    """(intent ranking with keys summed into their retrieval intent, {retrieval intent: key ranking}).

    Both sorted best first; a key's confidence in the second is P(key | retrieval intent).
    """
    totals: Dict[str, float] = defaultdict(float)
    keys: Dict[str, List[Tuple[str, float]]] = defaultdict(list)
    for label, p in zip(classes, probabilities, strict=True):
        totals[base(label)] += float(p)
        if SEPARATOR in label:
            keys[base(label)].append((label, float(p)))
    ranking = sorted(totals.items(), key=lambda item: -item[1])
    conditional = {
        intent: sorted(
            ((k, p / totals[intent] if totals[intent] else 0.0) for k, p in pairs),
            key=lambda item: -item[1],
        )
        for intent, pairs in keys.items()
    }
    return ranking, conditional


def selector_output(
    keys: Mapping[str, List[Tuple[str, float]]], responses: Mapping[str, List[Dict[str, Any]]]
) -> Dict[str, Any]:
    """The `response_selector` message property, shaped as rasa.nlu.selectors.ResponseSelector writes it."""
    out: Dict[str, Any] = {ALL_RETRIEVAL_INTENTS: sorted(keys)}
    for intent, ranking in keys.items():
        best, confidence = ranking[0]
        out[intent] = {
            "response": {
                "responses": list(responses.get(f"utter_{best}", [])),
                "confidence": confidence,
                "intent_response_key": best,
                "utter_action": f"utter_{best}",
            },
            "ranking": [
                {"id": zlib.crc32(key.encode("utf-8")), "confidence": p, "intent_response_key": key}
                for key, p in ranking
            ],
        }
    return out
