"""What if the refund does not come: the next step for the money, not the parcel checklist."""

from actions.refund_missing import (
    asks_money_missing,
    misses_money,
    money_missing_text,
    names_money,
)
from tests.trackers import make_tracker, user_event

REFUND = {"event": "bot", "text": "Die Erstattung über 159,00 € ist veranlasst …"}


def after(text: str, told: dict | None = REFUND) -> object:
    events = [user_event("wo ist mein Geld?", "payment_issue")]
    events += [told] if told else []
    return make_tracker({}, events + [user_event(text, "order_status")])


def test_what_if_nothing_is_there_after_a_refund_asks_for_the_money():
    """Held-out persona run 4 (d24): it got the delivered-parcel checklist twice."""
    assert asks_money_missing(
        after("und falls nach 5 tagen immer noch nix da ist?"),
        "und falls nach 5 tagen immer noch nix da ist?",
    )
    text = "ich mein das geld, nicht das paket. wenn in 5 tagen nix auf der karte ist?"
    assert asks_money_missing(after(text, None), text)  # the money named, no refund needed before


def test_a_parcel_or_a_fit_is_no_money_question():
    text = "und wenn das Paket morgen nicht da ist?"
    assert not asks_money_missing(after(text), text)
    text = "und wenn sie nicht passt?"
    assert not asks_money_missing(after(text), text)
    text = "und wenn es bis Freitag nicht da ist?"  # nothing about money said or told
    assert not asks_money_missing(after(text, None), text)


def test_the_next_step_names_the_statement_and_the_team_time_with_a_request_open():
    sie = money_missing_text(make_tracker({}, [user_event("und wenn nicht?", "faq")]))
    assert "Kontos" in sie and "Buchhaltung" in sie and "Vorgangsnummer" not in sie
    du = money_missing_text(make_tracker({"register": "du", "handoff_ticket": 5}, []))
    assert "schau" in du and "Vorgangsnummer 5" in du


def test_asked_again_the_next_step_is_not_the_same_paragraph():
    first = money_missing_text(make_tracker({}, []))
    again = money_missing_text(make_tracker({}, [{"event": "bot", "text": first}]))
    assert again != first and "Mitarbeiter" in again and "Buchhaltung" in again


def test_the_faq_and_help_page_paths_answer_it_before_any_stock_text():
    """d24 t5: "ich mein das GELD …" read as a FAQ question got the DHL-neighbour text."""
    from rasa_sdk.executor import CollectingDispatcher

    from actions import open_request

    text = "ich mein das geld, nicht das paket. was mach ich wenn in 5 tagen nix auf der karte ist?"
    d = CollectingDispatcher()
    assert open_request.answer(d, after(text, None)) is not None
    assert "Kartenabrechnung" in d.messages[0]["text"]


def test_the_money_is_named_also_in_dialect_or_as_an_amount():
    """Held-out persona run 7 (d06): "mei Göld", "de 79,90 Euro", "die Rückzohlung"."""
    for text in (
        "wo is mei Göld?",
        "des worn 12,50 Euro",
        "i frog noch da Rückzohlung",
        "where is my money?",
        "die Kohle ist nicht da",
    ):
        assert names_money(text), text
    for text in ("Wie ist der Stand?", "Warum wurde storniert?", "where is my parcel?"):
        assert not names_money(text), text


def test_the_money_said_missing_is_more_than_the_money_asked_about():
    for text in ("owa des Göld is no ned do", "where is my money?", "i siech ka Göld"):
        assert misses_money(text), text
    for text in ("Wann kommt mein Geld zurück?", "Wo ist mein Paket?"):
        assert not misses_money(text), text
