"""A parse read otherwise than the classifier read it, in the classifier's own shape.

The readers of bot/dialogue that know better from the words or the conversation (a question about a
case on file, a phishing cue, a relative without access, …) either put their reading first in the
ranking or drop a reading the message does not bear so the next one leads. Both keep why in the
parse's `context` (usually `read_as`: what the classifier said), so logs and actions can tell.
An FAQ answer, which also needs the response selector's shape, is bot/dialogue/faq_reading.py.
"""

from __future__ import annotations

from typing import Any, Dict

CONFIDENCE = 0.9


def read_as(
    parse: Dict[str, Any], intent: str, confidence: float = CONFIDENCE, **context: Any
) -> Dict[str, Any]:
    """`parse` read as `intent` (first in the ranking, its other place dropped); `context` is added
    to its context."""
    out = dict(parse)
    out["intent"] = {"name": intent, "confidence": confidence}
    ranking = [r for r in parse.get("intent_ranking") or [] if r.get("name") != intent]
    out["intent_ranking"] = [dict(out["intent"]), *ranking]
    out["context"] = {**(parse.get("context") or {}), **context}
    return out


def next_reading(parse: Dict[str, Any], dropped: str, **context: Any) -> Dict[str, Any]:
    """`parse` without the reading `dropped`: the next one of the ranking leads; `context` is added
    to its context. With no other reading in the ranking the parse unchanged."""
    ranking = [r for r in parse.get("intent_ranking") or [] if r.get("name") != dropped]
    if not ranking:
        return parse
    out = dict(parse)
    out["intent"] = dict(ranking[0])
    out["intent_ranking"] = ranking
    out["context"] = {**(parse.get("context") or {}), **context}
    return out
