"""Money decisions the bot cannot make (held-out persona run 2, d03/d04/d24)."""

from __future__ import annotations

import pytest

from bot.dialogue.beyond_reach import beyond_reach


@pytest.mark.parametrize(
    "text, keys",
    [
        (
            "Kann ich die Lastschrift nicht einfach bei der Sparkasse zurückgeben lassen?",
            ["chargeback"],
        ),
        ("Ich würde der Lastschrift widersprechen – ist das ein Problem?", ["chargeback"]),
        ("Zahlen Sie mir die Überziehungszinsen?", ["fees"]),
        (
            "Und die Überziehungszinsen, die meine Bank mir jetzt berechnet – bekomme ich die zurück?",
            ["fees"],
        ),
        ("Wer trägt die Kosten für meinen Dispo?", ["fees"]),
        ("Wer übernimmt die Zinsen, die mir meine Bank jetzt berechnet?", ["fees"]),
        (
            "Rückbuchen lassen oder nicht, die Lastschrift? Und die Dispozinsen ersetzen Sie?",
            ["chargeback", "fees"],
        ),
        (
            "Das Kreditkartenkonto ist gekündigt, ich habe keinen Zugriff mehr darauf",
            ["refund_elsewhere"],
        ),
        ("Können Sie das Geld auf ein anderes Konto überweisen?", ["refund_elsewhere"]),
        (
            "I can't access that PayPal anymore, refund to another account please",
            ["refund_elsewhere"],
        ),
        ("Dann will ich einen Ersatz, und zwar per Express!", ["express_replacement"]),
        ("Send me a replacement by express, now.", ["express_replacement"]),
    ],
)
def test_decisions_the_bot_cannot_make_are_named(text, keys):
    assert beyond_reach(text) == keys


@pytest.mark.parametrize(
    "text",
    [
        "Wann ist mein Geld wieder da?",
        "Geht die Erstattung auf meine Karte?",
        "Ich habe keinen Zugriff mehr auf mein Kundenkonto",
        "Was kostet der Expressversand?",
        "Kann ich per SEPA-Lastschrift bezahlen?",
        "Gibt es bei Ihnen Ratenkauf mit Zinsen?",
        # the overdraft as the reason for hurry, no question about its costs (held-out run 4, d18)
        "Zweimal abgebucht!!! Das ist mein Dispo, ich will das Geld SOFORT zurück",
        "",
    ],
)
def test_questions_the_bot_answers_itself_are_not_named(text):
    assert beyond_reach(text) == []
