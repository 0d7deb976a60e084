"""A question whether the order is cancelled by itself (bot/dialogue/cancel_worry.py, run 4, d25)."""

from __future__ import annotations

from typing import Any, Dict

from bot.dialogue.cancel_worry import read_cancel_worry


def parse(text: str, intent: str) -> Dict[str, Any]:
    return {
        "text": text,
        "intent": {"name": intent, "confidence": 0.4},
        "intent_ranking": [{"name": intent, "confidence": 0.4}],
    }


def test_with_an_order_on_the_table_it_is_a_payment_question() -> None:
    asked = "Does my order get cancelled automatically when the transfer comes late?"
    for intent in ("nlu_fallback", "cancel_order", "faq"):
        read = read_cancel_worry(parse(asked, intent), "100241")
        assert read["intent"]["name"] == "payment_issue"
        assert read["context"]["read_as"] == intent


def test_requests_and_questions_without_an_order_stay_as_read() -> None:
    wish = parse("Bitte stornieren Sie meine Bestellung, wenn es geht.", "cancel_order")
    assert read_cancel_worry(wish, "100241")["intent"]["name"] == "cancel_order"
    asked = parse("Wird sie automatisch storniert, wenn ich nicht zahle?", "nlu_fallback")
    assert read_cancel_worry(asked, None)["intent"]["name"] == "nlu_fallback"
    human = parse(
        "Will it be cancelled automatically if I don't pay? I want a person.", "request_human"
    )
    assert read_cancel_worry(human, "100241")["intent"]["name"] == "request_human"


def test_the_cancellation_asked_about_is_no_second_request() -> None:
    """Asked at the cancel question, the clause "wird sie storniert" was listed as a second request
    ("Zu Ihrer zweiten Bitte (Stornierung): eins nach dem anderen")."""
    asked = parse("Moment, wird sie nicht automatisch storniert, wenn kein Geld kommt?", "faq")
    asked["other_requests"] = [
        {"intent": "cancel_order", "text": "wird sie nicht automatisch storniert"},
        {"intent": "order_status", "text": "wo ist das paket"},
    ]
    read = read_cancel_worry(asked, "100241")
    assert [r["intent"] for r in read["other_requests"]] == ["order_status"]
