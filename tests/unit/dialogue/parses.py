"""The parse dict Rasa hands the dialogue readers, built once for their unit tests."""

from typing import Any, Dict


def parse(text: str, intent: str, confidence: float = 0.8, **extra: Any) -> Dict[str, Any]:
    """A parse whose ranking holds only the read intent (what a confident classifier gives)."""
    return {
        "text": text,
        "intent": {"name": intent, "confidence": confidence},
        "intent_ranking": [{"name": intent, "confidence": confidence}],
        **extra,
    }
