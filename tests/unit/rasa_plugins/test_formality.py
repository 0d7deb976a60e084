import pytest

from bot.rasa_plugins.formality import detect_register


@pytest.mark.parametrize(
    "text, expected",
    [
        ("kannst du mir helfen", "du"),
        ("Hast du meine Bestellung gesehen?", "du"),
        ("bist du ein Bot?", "du"),  # addressing the bot with du
        ("Können Sie mir bitte helfen?", "sie"),
        ("Ich danke Ihnen", "sie"),
        ("wo ist mein paket", None),
        ("", None),
    ],
)
def test_detect_register(text, expected):
    assert detect_register(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "habt ihr das auf lager",
        "Gibt es bei euch auch Gutscheine?",
        "Könnt ihr mir die Rechnung schicken?",
        "wie lange braucht eure Lieferung",
        "Schickt ihr auch in die Schweiz?",
    ],
)
def test_ihr_and_euch_address_the_shop_not_the_bot(text):
    assert detect_register(text) is None


@pytest.mark.parametrize(
    "text",
    [
        "können sie mir helfen",
        "koennen sie bitte nachschauen",
        "wann können sie liefern?",
        "Haben sie meine Bestellung bekommen?",
        "würden sie mir die rechnung schicken",
    ],
)
def test_formal_sie_written_in_lower_case(text):
    assert detect_register(text) == "sie"


def test_the_component_adds_a_register_entity_only_when_the_message_shows_one():
    from rasa.shared.nlu.constants import ENTITIES, TEXT
    from rasa.shared.nlu.training_data.message import Message

    from bot.rasa_plugins.formality import RegisterDetector

    order = {
        "entity": "order_id",
        "value": "100234",
        "start": 0,
        "end": 6,
        "extractor": "RegexEntityExtractor",
    }
    shown, silent = Message({TEXT: "kannst du 100234 prüfen"}), Message({TEXT: "100234"})
    shown.set(ENTITIES, [order])
    RegisterDetector().process([shown, silent])
    assert shown.get("register") == "du" and silent.get("register") is None
    assert shown.get(ENTITIES)[0] == order  # entities found before are kept
    assert [(e["entity"], e["value"]) for e in shown.get(ENTITIES)[1:]] == [("register", "du")]
    assert not silent.get(ENTITIES)


def test_an_english_message_sets_the_register_slot_to_sie():
    """English has no du; the slot must not stay du (the du and English variants would compete)."""
    from rasa.shared.nlu.constants import ENTITIES, TEXT
    from rasa.shared.nlu.training_data.message import Message

    from bot.rasa_plugins.formality import RegisterDetector

    english = Message({TEXT: "Sorry, where is my order?"})
    RegisterDetector().process([english])
    assert english.get("register") is None  # the message itself shows no du/Sie
    assert [(e["entity"], e["value"]) for e in english.get(ENTITIES)] == [("register", "sie")]
