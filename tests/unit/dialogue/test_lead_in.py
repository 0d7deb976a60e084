"""What the customer asks to record is stored without the words that ask for it (bot/dialogue/lead_in.py)."""

import pytest

from bot.dialogue.lead_in import lead_in, without_lead_in


@pytest.mark.parametrize(
    "text, stored",
    [
        ("Na gut, dann legen Sie eben eine neue an: die Kapuze reißt ein", "die Kapuze reißt ein"),
        ("Nehmt des halt auf. Der Griff ist abgebrochen.", "Der Griff ist abgebrochen."),
        ("Schreiben Sie bitte: Ersatz statt Geld", "Ersatz statt Geld"),
        ("Dann mach halt eine neue – der Deckel ist gesprungen", "der Deckel ist gesprungen"),
        ("Servus! Die Schnalle ist lose.", "Die Schnalle ist lose."),
        ("Fine, open a new complaint then: the strap snapped", "the strap snapped"),
        ("Please note: the zip is stuck", "the zip is stuck"),
        ("Grund: passt nicht", "passt nicht"),
    ],
)
def test_the_lead_in_is_dropped(text, stored):
    assert without_lead_in(text) == stored


@pytest.mark.parametrize(
    "text",
    [
        "Die Naht ist offen. Bitte schnell.",
        "Das Zelt ist undicht: Wasser kommt rein",  # the first clause names the defect
        "Seit gestern: die Lampe flackert",
        "zu klein. Bitte aufnehmen",
        "Hauptstraße 5: bitte dorthin",
        "Schreiben Sie: ok",  # nothing would be left
        "Naht offen",
        "Sorry, the delivery note was missing. The box is torn",  # no instruction to note
        "",
    ],
)
def test_a_text_without_a_lead_in_stays(text):
    assert without_lead_in(text) == text.strip()


def test_a_clause_naming_a_defect_or_number_is_no_lead_in():
    assert lead_in("legen Sie an")
    assert not lead_in("Reißverschluss kaputt, legen Sie das an")
    assert not lead_in("legen Sie es für 100236 an")
