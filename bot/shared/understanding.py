"""What the NLU made of one customer message, read the same way by both sides.

Rasa's parse data (returned with a hub turn by bot/rasa_plugins/understanding.py, or
by /model/parse while an agent has the conversation) becomes the columns the hub stores per
customer message; the reports and the learning loop ("Nicht verstanden") count on them.
Also the masking of personal values in learned training examples. Pure Python: imported
on both sides.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Dict, List, Mapping, Tuple

FALLBACK_INTENT = (
    "nlu_fallback"  # FallbackClassifier: below its threshold, or two intents too close
)
LOW_CONFIDENCE = 0.6  # understood, but barely: also listed under "Nicht verstanden"
RANKING_KEPT = 3  # ranking entries the hub channel hands back


@dataclass(frozen=True)
class Reading:
    intent: (
        str | None
    )  # what the bot acted on: "faq/shipping_costs", or nlu_fallback when it did not understand
    top_intent: (
        str | None
    )  # the classifier's best real intent (differs from `intent` when the fallback took over)
    confidence: float | None  # of top_intent
    mood: float | None

    @property
    def fallback(self) -> bool:
        return self.intent == FALLBACK_INTENT

    def columns(self) -> Dict[str, Any]:
        """The Message columns this reading fills."""
        return {
            "intent": self.intent,
            "top_intent": self.top_intent,
            "confidence": self.confidence,
            "mood": self.mood,
        }


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return round(float(value), 4)


def _name(intent: Any) -> str | None:
    if not isinstance(intent, Mapping):
        return None
    name = intent.get("full_retrieval_intent_name") or intent.get("name")
    return str(name)[:80] if name else None


def read_parse(parse: Mapping[str, Any] | None) -> Reading:
    """A Reading from Rasa's parse data (anything malformed reads as unknown, never raises)."""
    if not isinstance(parse, Mapping):
        return Reading(None, None, None, None)
    intent = parse.get("intent")
    name = _name(intent)
    top, confidence = (
        name,
        _number(intent.get("confidence")) if isinstance(intent, Mapping) else None,
    )
    if name == FALLBACK_INTENT:
        ranking = [
            r for r in parse.get("intent_ranking") or [] if _name(r) not in (None, FALLBACK_INTENT)
        ]
        top = _name(ranking[0]) if ranking else None
        confidence = _number(ranking[0].get("confidence")) if ranking else None
    mood = parse.get("mood")
    return Reading(
        name, top, confidence, _number(mood.get("score")) if isinstance(mood, Mapping) else None
    )


def slim_parse(parse: Mapping[str, Any]) -> Dict[str, Any]:
    """What the hub needs of a parse: intent, the top of the ranking, mood (never the text)."""
    ranking: List[Any] = list(parse.get("intent_ranking") or [])[:RANKING_KEPT]
    mood = parse.get("mood")
    return {
        "intent": parse.get("intent"),
        "intent_ranking": ranking,
        "mood": {"score": mood.get("score")} if isinstance(mood, Mapping) else None,
    }


# -- masking learned examples ------------------------------------------------------------------
# The same values the EntityMasker hides from the intent features (bot/rasa_plugins/masker.py).
EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")
ORDER_ID = re.compile(r"(?i)\b(?:KD-?\s?)?1\d{5}\b")
PHONE = re.compile(r"(?<!\w)\+?\d[\d /-]{6,}\d")
EXAMPLE_EMAIL = "kunde@example.com"
EXAMPLE_ORDER = "100000"


def mask_spans(text: str) -> List[Tuple[int, int, str]]:
    """(start, end, kind) of e-mail addresses, order numbers and phone numbers, not overlapping."""
    spans: List[Tuple[int, int, str]] = []
    for kind, pattern in (("email", EMAIL), ("order_id", ORDER_ID), ("phone", PHONE)):
        for match in pattern.finditer(text):
            if not any(s < match.end() and match.start() < e for s, e, _ in spans):
                spans.append((match.start(), match.end(), kind))
    return sorted(spans)


def masked_example(text: str) -> str:
    """A customer message as a Rasa training example: e-mails and order numbers become fixed sample
    values annotated as entities (the model still learns where they go), phone numbers a placeholder."""
    out = text
    for start, end, kind in reversed(mask_spans(text)):
        value = {
            "email": f"[{EXAMPLE_EMAIL}](email)",
            "order_id": f"[{EXAMPLE_ORDER}](order_id)",
            "phone": "0000000",
        }[kind]
        out = out[:start] + value + out[end:]
    return " ".join(out.split())


def masked_display(text: str) -> str:
    """The same values hidden for display in lists ("[E-Mail]", "[Bestellnummer]")."""
    out = text
    for start, end, kind in reversed(mask_spans(text)):
        out = (
            out[:start]
            + {"email": "[E-Mail]", "order_id": "[Bestellnummer]", "phone": "[Telefon]"}[kind]
            + out[end:]
        )
    return out
