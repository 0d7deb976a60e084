import pytest

from bot.dialogue.bereaved_answer import read_bereaved_answer


def parse(text, intent="stop"):
    return {
        "text": text,
        "intent": {"name": intent, "confidence": 0.7},
        "intent_ranking": [{"name": intent, "confidence": 0.7}],
        "entities": [],
    }


@pytest.mark.parametrize(
    "text, intent",
    [
        ("Sie ist gestorben. Steht doch schon oben.", "stop"),
        ("Mein Mann lebt nicht mehr, deshalb.", "stop"),
        ("Todesfall in der Familie, bitte einfach zurück und das Geld erstatten.", "faq"),
    ],
)
def test_a_death_at_the_why_question_is_the_answer(text, intent):
    read = read_bereaved_answer(parse(text, intent), "return_form", "return_reason")
    assert read["intent"]["name"] == "inform"
    assert read["intent_ranking"][0]["name"] == "inform"
    assert read["context"]["read_as"] == intent


@pytest.mark.parametrize(
    "message, loop, slot",
    [
        (parse("Stopp, ich will doch nichts zurückschicken."), "return_form", "return_reason"),
        (parse("Er ist verstorben."), "return_form", "email"),  # not the why-question
        (parse("Er ist verstorben."), None, None),
        (
            parse(
                "Mein Bruder ist verstorben, ich möchte mit einem Menschen sprechen.",
                "request_human",
            ),
            "return_form",
            "return_reason",
        ),
        (
            parse("Meine Mutter ist gestorben. Muss ich die Rechnung beilegen?", "faq"),
            "return_form",
            "return_reason",
        ),  # a question keeps its FAQ answer
    ],
)
def test_other_messages_keep_their_reading(message, loop, slot):
    assert read_bereaved_answer(message, loop, slot) == message
