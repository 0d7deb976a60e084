"""A message that only points back at an earlier question finds it (bot/dialogue/back_reference.py,
held-out persona run 4, d23)."""

import pytest

from bot.dialogue.back_reference import earlier_question, pointer_topic

EARLIER = [
    "Guten Tag. Wie kann ich das Kundenkonto meines Mannes schließen?",
    "Erreichbar bin ich unter x@y.de. Muss ich die offene Rechnung noch bezahlen? Da steht Vorkasse.",
]


@pytest.mark.parametrize(
    "text, topic",
    [
        ("Und die Frage mit dem Bezahlen?", "Bezahlen"),
        ("was ist jetzt mit meiner Frage zum Konto?", "Konto"),
        ("and my question about the refund?", "refund"),
        ("Und meine Frage?", ""),
        ("Die Frage ist, ob ich das zurückschicken kann?", None),
        ("Frage: kann ich mit PayPal zahlen?", None),
        ("Noch eine Frage: wie lange dauert der Versand?", None),
        ("Ich habe eine Frage zur Rechnung, wann kommt die denn endlich bei mir an?", None),
    ],
)
def test_only_a_bare_pointer_names_a_topic(text, topic):
    assert pointer_topic(text) == topic


def test_the_question_pointed_at_is_the_latest_sharing_a_topic_word():
    said = earlier_question("Und die Frage mit dem Bezahlen?", EARLIER)
    assert said == "Muss ich die offene Rechnung noch bezahlen?"
    assert earlier_question("Was ist mit der Frage zum Konto?", EARLIER) == (
        "Wie kann ich das Kundenkonto meines Mannes schließen?"
    )
    assert earlier_question("Und meine Frage?", EARLIER) == said  # no topic: the latest question
    assert earlier_question("Und die Frage mit dem Umtausch?", EARLIER) is None
    assert earlier_question("Kann ich mit PayPal zahlen?", EARLIER) is None
