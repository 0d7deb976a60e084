"""A parse read as another intent, or with a reading dropped, keeps the classifier's shape."""

from __future__ import annotations

from typing import Any, Dict

from bot.dialogue.reading import next_reading, read_as


def _parse() -> Dict[str, Any]:
    return {
        "text": "ist die Reklamation angelegt?",
        "intent": {"name": "faq", "confidence": 0.6},
        "intent_ranking": [
            {"name": "faq", "confidence": 0.6},
            {"name": "complaint", "confidence": 0.3},
            {"name": "order_status", "confidence": 0.1},
        ],
        "context": {"english": False},
    }


def test_read_as_puts_the_reading_first_once() -> None:
    parse = _parse()
    out = read_as(parse, "order_status", read_as="faq", order_case=True)
    assert out["intent"] == {"name": "order_status", "confidence": 0.9}
    assert [r["name"] for r in out["intent_ranking"]] == ["order_status", "faq", "complaint"]
    assert out["intent_ranking"][0] is not out["intent"]  # a copy: changing one leaves the other
    assert out["context"] == {"english": False, "read_as": "faq", "order_case": True}
    assert parse == _parse()  # the classifier's parse untouched


def test_read_as_takes_a_confidence() -> None:
    assert read_as(_parse(), "stop", 0.95)["intent"]["confidence"] == 0.95


def test_next_reading_lets_the_next_one_lead() -> None:
    parse = _parse()
    out = next_reading(parse, "faq", read_as="faq/privacy")
    assert out["intent"] == {"name": "complaint", "confidence": 0.3}
    assert [r["name"] for r in out["intent_ranking"]] == ["complaint", "order_status"]
    assert out["context"] == {"english": False, "read_as": "faq/privacy"}
    assert parse == _parse()


def test_next_reading_without_another_reading_keeps_the_parse() -> None:
    parse = {"text": "x", "intent": {"name": "faq"}, "intent_ranking": [{"name": "faq"}]}
    assert next_reading(parse, "faq", read_as="faq") is parse
    assert next_reading({"text": "x"}, "faq") == {"text": "x"}
