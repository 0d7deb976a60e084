"""Dialect, colloquial and umlaut-less spellings reach the features as standard German; the text itself stays."""

import pytest
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.dialogue.spelling import fold_spelling, normalize
from bot.rasa_plugins.masker import MASKED_TEXT
from bot.rasa_plugins.normalizer import DialectNormalizer


@pytest.mark.parametrize(
    ("said", "standard"),
    [
        ("i hob mei packerl ned kriagt", "ich habe mein paket nicht gekriegt"),  # Bavarian
        ("wo isch mini bestellig", "wo ist meine bestellung"),  # Swiss
        ("gibts a rechnung", "gibt es ein rechnung"),
        ("hab bstellt und bzahlt", "habe bestellt und bezahlt"),  # be-/ge- without the e
        ("is scho gschickt", "ist schon geschickt"),
        ("d'lieferig kimmt ned", "die lieferung kommt nicht"),
        ("wie geht's", "wie geht es"),
    ],
)
def test_dialect_to_standard(said, standard):
    assert normalize(said) == standard


@pytest.mark.parametrize(
    "standard",
    [
        "Ich möchte meine Bestellung stornieren",
        "grün und blau, bzw. groß",
        "Glaub mir, das ist ein Brief",
        "Straße der Einheit 4",
    ],
)
def test_standard_german_is_left_alone(standard):
    assert normalize(standard) == standard


def test_capitalised_words_stay_capitalised():
    assert normalize("Packerl") == "Paket"


def test_umlauts_and_sharp_s_fold_to_one_spelling():
    assert (
        fold_spelling("Rückgabe Straße")
        == fold_spelling("rueckgabe strasse")
        == "rueckgabe strasse"
    )


def test_component_rewrites_the_feature_text_not_the_message_text():
    message = Message({TEXT: "wo is mei packl", MASKED_TEXT: "wo is mei packl"})
    DialectNormalizer().process([message])
    assert message.get(MASKED_TEXT) == "wo ist mein paket"
    assert message.get(TEXT) == "wo is mei packl"


def test_component_drops_a_greeting_in_front_of_a_request_from_the_feature_text():
    message = Message({TEXT: "Servus, kannst du mir helfen? mei jackn is kaputt"})
    DialectNormalizer().process([message])
    assert message.get(MASKED_TEXT) == "mein jacke ist kaputt"
    greeting = Message({TEXT: "hallo, kannst du mir helfen?"})
    DialectNormalizer().process([greeting])
    assert greeting.get(MASKED_TEXT) == "hallo, kannst du mir helfen?"
