"""English-writing customers (issue 22, pattern 12): the offline function-word heuristic."""

import pytest

from bot.shared.formality import detect_register
from bot.shared.language import detect_language, is_english


@pytest.mark.parametrize(
    "text",
    [
        "Sorry, I don't speak German. Is there someone who speaks English?",
        "Where is my order 100235?",
        "How can I return an item?",
        "hi, can you help me with my order",
        "talk to a human",
    ],
)
def test_english_messages(text):
    assert detect_language(text) == "en" and is_english(text)


@pytest.mark.parametrize(
    "text",
    [
        "sorry, wo ist mein Paket?",  # one English word in a German message
        "Was kostet der Versand?",
        "Die Jacke ist top, danke",
        "ich brauche help bei meiner Bestellung",
        "des is a frechheit",  # Bavarian "is", "a", "i" are no English
        "i hob a foische adress angebn",
        "bisch no do?",
    ],
)
def test_german_messages_with_an_english_word_stay_german(text):
    assert detect_language(text) == "de"


@pytest.mark.parametrize("text", ["100235", "jonas.becker@gmx.de", "ok", ""])
def test_messages_that_show_no_language(text):
    assert detect_language(text) is None


def test_english_has_no_du_or_sie():
    assert detect_register("hi, where is my order? thanks :)") is None
