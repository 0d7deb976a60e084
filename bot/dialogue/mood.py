"""Frustration score in [0, 1] for one message, and its trend over a conversation.

Lexicon polarity drives the score; chat signals ("!!!", CAPS, intensifiers,
negated praise) push it up. Kept free of Rasa imports so the actions, the
policy and the hub can all reuse it.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import Iterable, List, Sequence

from bot.dialogue.lexicon import polarity_lexicon

WORD = re.compile(r"[A-Za-zÄÖÜäöüß]+")
NEGATIONS = {
    "nicht",
    "nich",
    "net",
    "ned",
    "kein",
    "keine",
    "keinen",
    "keiner",
    "nie",
    "niemals",
    "nix",
    "nichts",
}
# Negators that turn a negative word right after them into a calm one ("kein Problem",
# "nicht schlecht", "nichts Schlimmes"). Not "nie"/"niemals": "nie so eine Frechheit erlebt".
CALMING_NEGATIONS = {
    "nicht",
    "nich",
    "net",
    "ned",
    "kein",
    "keine",
    "keinen",
    "keiner",
    "keinerlei",
    "nichts",
    "nix",
}
INTENSIFIERS = {
    "sehr",
    "total",
    "echt",
    "extrem",
    "absolut",
    "völlig",
    "voellig",
    "komplett",
    "mega",
    "so",
    "richtig",
    "wirklich",
    "äußerst",
    "aeusserst",
    "dermaßen",
    "derart",
    "voll",
    "einfach",
}
# Phrases that mean frustration although no single word is negative.
PHRASES = {
    "nie wieder": 0.5,
    "zum letzten mal": 0.4,
    "schon wieder": 0.3,
    "immer noch": 0.3,
    "reicht mir": 0.5,
    "reicht jetzt": 0.5,
    "keine lust": 0.4,
    "zum kotzen": 0.8,
    "seit wochen": 0.3,
    "seit tagen": 0.2,
    "wie oft noch": 0.5,
    "nicht zu fassen": 0.5,
    "geld zurück": 0.2,
    "was soll das": 0.5,
    "ich warte": 0.2,
    "echt jetzt": 0.5,
    "ernsthaft": 0.3,
}

# conversation_mood: share of earlier anger kept by an annoyed (>= ANNOYED) or calm (0) message.
HISTORY_WEIGHT = 0.5
HISTORY_WEIGHT_CALM = 0.15
ANNOYED = 0.3


@dataclass
class Mood:
    score: float
    signals: List[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {"score": round(self.score, 3), "signals": self.signals}


def score_text(text: str) -> Mood:
    """Frustration of a single message (0 calm, 1 furious)."""
    lexicon = polarity_lexicon()
    words = WORD.findall(text or "")
    lowered = [w.lower() for w in words]
    signals: List[str] = []
    negative = 0.0
    positive = 0.0
    # Negators that negate a complaint word ("kein Problem") are used up: they do not
    # also negate praise further on ("kein Problem, danke").
    used = {
        j
        for j, w in enumerate(lowered)
        if w in CALMING_NEGATIONS and any(lexicon.get(n, 0) < 0 for n in lowered[j + 1 : j + 3])
    }
    for i, word in enumerate(lowered):
        polarity = lexicon.get(word)
        if polarity is None or i in used:
            continue  # "nichts Schlimmes": the negator's own polarity goes with the negated word
        window = [
            w
            for j, w in enumerate(lowered[max(0, i - 3) : i], start=max(0, i - 3))
            if j not in used
        ]
        weight = 1.5 if any(w in INTENSIFIERS for w in window) else 1.0
        if any(w in NEGATIONS for w in window) and polarity > 0:
            polarity = -0.8 * polarity
            signals.append(f"negated:{word}")
        elif polarity < 0 and any(j in used for j in range(max(0, i - 2), i)):
            signals.append(f"negated:{word}")
            continue  # a negated complaint word is no complaint
        elif weight > 1 and polarity < 0:
            signals.append(f"intensified:{word}")
        if polarity < 0:
            negative += -polarity * weight
        else:
            positive += polarity * weight
    low_text = " ".join(lowered)
    for phrase, value in PHRASES.items():
        if phrase in low_text:
            negative += value
            signals.append(f"phrase:{phrase}")
    raw = 1.0 - math.exp(-max(0.0, negative - 0.5 * positive) * 0.9)
    exclam = (text or "").count("!")
    if exclam >= 2:
        raw += 0.1 if exclam == 2 else 0.2
        signals.append(f"exclamations:{exclam}")
    if "??" in (text or ""):
        raw += 0.05
        signals.append("question_marks")
    caps = [w for w in words if len(w) >= 3 and w.isupper()]
    if caps and (len(caps) >= 2 or len(caps) / max(1, len(words)) > 0.5):
        raw += 0.2
        signals.append("caps")
    return Mood(score=max(0.0, min(1.0, raw)), signals=signals)


def conversation_mood(scores: Sequence[float], intents: Iterable[str | None]) -> float:
    """Frustration of the conversation now: the latest message, raised by history.

    Repeated complaints and earlier anger make the same words weigh more. How much the
    earlier anger counts depends on the latest message: a still annoyed follow-up keeps
    half of it, a calm one ("Die Nummer ist 100234") only a little, so the bot does not keep
    treating a customer who has calmed down as angry.
    """
    if not scores:
        return 0.0
    latest = scores[-1]
    earlier = list(scores[:-1])[-4:]
    history = max(earlier) if earlier else 0.0
    repeats = sum(1 for i in intents if i in ("complaint", "frustration"))
    boost = 0.1 * max(0, repeats - 1)
    weight = HISTORY_WEIGHT_CALM + (HISTORY_WEIGHT - HISTORY_WEIGHT_CALM) * min(
        1.0, latest / ANNOYED
    )
    return max(0.0, min(1.0, max(latest, (1 - weight) * latest + weight * history) + boost))
