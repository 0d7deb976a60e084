"""Follow-ups the order's facts do not answer (held-out persona run 2, d14/d18/d28)."""

import pytest

from bot.dialogue.beyond_facts import beyond_facts, quoted_question


@pytest.mark.parametrize(
    "text",
    [
        "Und wieso wurde die Bestellung storniert?",
        "bei der post heißt es, die sendungsnummer sei nicht gefunden",
        "Das Tracking zeigt nichts an, obwohl es morgen kommen soll",
        "Geht es noch, den Schlafsack gegen einen wärmeren zu tauschen?",
    ],
)
def test_a_reason_a_carrier_fault_or_a_swap_is_beyond_the_facts(text):
    assert beyond_facts(text)


@pytest.mark.parametrize(
    "text",
    ["Wo ist das Paket jetzt?", "und wann kommt es?", "Danke, dann warte ich.", "Tausch bitte."],
)
def test_the_status_asked_again_or_a_statement_is_not(text):
    assert not beyond_facts(text)


def test_the_question_named_back_is_the_one_about_the_reason():
    text = "Na gut. Warum ist die Bestellung eigentlich storniert worden? Ich habe nichts getan."
    assert quoted_question(text) == "Warum ist die Bestellung eigentlich storniert worden"
