"""English-writing customers (issue 22, pattern 12): the offline function-word heuristic."""

import pytest

from bot.shared.formality import detect_register
from bot.shared.language import detect_language, is_english, reads_no_german


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


@pytest.mark.parametrize(
    "text",
    [
        # lowercase chat German with English-looking "is", "im" and "will": the German function words outweigh them
        "moin, is eure jacke im winter wirklich warm genug? will damit nach norwegen",
        "is das im angebot oder nur online? will das bis freitag haben",
        "na, is euer rucksack im flugzeug als handgepäck ok?",
    ],
)
def test_relaxed_german_with_english_looking_words_is_german(text):
    assert detect_language(text) == "de"


@pytest.mark.parametrize(
    "text",
    [
        "im waiting for my order since monday",  # "im" typed for "I'm"
        "hello, im looking for a warm tent",
        "I am from Austria, do I pay customs?",
    ],
)
def test_english_with_im_or_am_stays_english(text):
    assert detect_language(text) == "en"


@pytest.mark.parametrize(
    "text",
    [
        "Sorry, I can't read German.",
        "i cant really understand german",
        "I do not speak any German, please answer in English",
        "No more German please",
        "I am tired of the German quotes",
    ],
)
def test_a_customer_who_reads_no_german_is_recognised(text):
    assert reads_no_german(text)


@pytest.mark.parametrize(
    "text",
    ["Is the German help page about customs?", "I live in Germany", "Ich spreche Deutsch", ""],
)
def test_other_mentions_of_german_are_no_refusal(text):
    assert not reads_no_german(text)
