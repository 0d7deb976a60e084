"""The persona harness's trace line: what a tester reads to find a turn's root."""

from bench.held_out.play import show, summarise


def test_summarise_reads_only_the_last_user_message() -> None:
    events = [
        {"event": "user", "parse_data": {"intent": {"name": "greet", "confidence": 0.9}}},
        {"event": "action", "name": "utter_greet"},
        {"event": "action", "name": "action_listen"},
        {"event": "user", "parse_data": {"intent": {"name": "order_status", "confidence": 0.875}}},
        {"event": "action", "name": "verify_form"},
        {"event": "slot", "name": "order_id"},
        {"event": "action", "name": "action_listen"},
    ]
    assert summarise(events) == "TRACE: intent order_status (0.88), actions verify_form"


def test_summarise_without_a_user_message() -> None:
    assert summarise([{"event": "action", "name": "action_session_start"}]) == (
        "TRACE: no user message"
    )


def test_show_lists_buttons_with_their_payloads() -> None:
    text = show({"text": "Soll ich?", "buttons": [{"title": "Ja", "payload": "/affirm"}]})
    assert text.splitlines() == ["BOT: Soll ich?", "  [button] Ja  ->  /affirm"]
