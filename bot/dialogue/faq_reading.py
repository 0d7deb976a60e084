"""A parse read as one company.yml FAQ answer, in the shape the classifier gives it.

Readers that know better than the classifier from the words (an English core question, a data
request) set intent `faq` with the key where bot/rasa_plugins/retrieval.py puts it, so action_faq
and the rules answer it as any FAQ answer, also inside a form.
"""

from __future__ import annotations

from typing import Any, Dict


def as_faq(parse: Dict[str, Any], key: str, confidence: float, **context: Any) -> Dict[str, Any]:
    """`parse` read as the company.yml `faq` answer `key`; `context` is added to its context."""
    label = f"faq/{key}"
    out = dict(parse)
    out["intent"] = {"name": "faq", "confidence": confidence, "full_retrieval_intent_name": label}
    ranking = [r for r in parse.get("intent_ranking") or [] if r.get("name") != "faq"]
    out["intent_ranking"] = [dict(out["intent"]), *ranking]
    selector = dict(parse.get("response_selector") or {})
    selector["faq"] = {
        "response": {
            "responses": [],
            "confidence": confidence,
            "intent_response_key": label,
            "utter_action": f"utter_{label}",
        },
        "ranking": [{"confidence": confidence, "intent_response_key": label}],
    }
    out["response_selector"] = selector
    out["context"] = {**(parse.get("context") or {}), **context}
    return out
