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
