import pytest

from kundendialog.rasa_ext.register import detect_register


@pytest.mark.parametrize("text, expected", [
    ("kannst du mir helfen", "du"),
    ("Hast du meine Bestellung gesehen?", "du"),
    ("habt ihr das auf lager", "du"),
    ("Können Sie mir bitte helfen?", "sie"),
    ("Ich danke Ihnen", "sie"),
    ("wo ist mein paket", None),
    ("", None),
])
def test_detect_register(text, expected):
    assert detect_register(text) == expected


def test_the_component_adds_a_register_entity_only_when_the_message_shows_one():
    from rasa.shared.nlu.constants import ENTITIES, TEXT
    from rasa.shared.nlu.training_data.message import Message

    from kundendialog.rasa_ext.register import RegisterDetector

    order = {"entity": "order_id", "value": "100234", "start": 0, "end": 6, "extractor": "RegexEntityExtractor"}
    shown, silent = Message({TEXT: "kannst du 100234 prüfen"}), Message({TEXT: "100234"})
    shown.set(ENTITIES, [order])
    RegisterDetector().process([shown, silent])
    assert shown.get("register") == "du" and silent.get("register") is None
    assert shown.get(ENTITIES)[0] == order  # entities found before are kept
    assert [(e["entity"], e["value"]) for e in shown.get(ENTITIES)[1:]] == [("register", "du")]
    assert not silent.get(ENTITIES)
