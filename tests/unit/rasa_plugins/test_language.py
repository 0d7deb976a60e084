from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.rasa_plugins.language import LanguageDetector


def test_the_component_sets_a_language_entity_only_when_the_message_shows_one():
    english = Message({TEXT: "Where is my order 100235?"})
    german = Message({TEXT: "Wo ist meine Bestellung?"})
    silent = Message({TEXT: "100235"})
    LanguageDetector().process([english, german, silent])
    assert english.get("language") == "en" and german.get("language") == "de"
    assert [(e["entity"], e["value"]) for e in english.get(ENTITIES)] == [("language", "en")]
    assert [(e["entity"], e["value"]) for e in german.get(ENTITIES)] == [("language", "de")]
    assert silent.get("language") is None and not silent.get(ENTITIES)  # the slot keeps its value
