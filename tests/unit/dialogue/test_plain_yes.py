"""What keeps a message at a confirmation from being a yes (bot/dialogue/plain_yes.py)."""

from bot.dialogue.plain_yes import CONDITION, CORRECTION, QUESTION, reservation


def test_a_corrected_part_is_no_yes_even_with_please_change_it():
    """Held-out run 8, e17/e08/e27: German, dialect and English swaps of a number."""
    shown = "Gerberstraße 72, 04105 Leipzig"
    for text in [
        "Verzeihung, Zahlendreher: die Hausnummer ist 27, nicht 72. Ändern Sie es bitte so.",
        "Hausnummer is 27, ned 72, passt sonst",
        "sorry, the number is 27 not 72, change it like that please",
        "Ich schrieb 27! Nicht 72!",
    ]:
        assert reservation(text, shown) == CORRECTION, text
    assert reservation("Ja, die Postleitzahl ist 04107", shown) == CORRECTION


def test_a_condition_or_a_question_before_the_yes_is_no_yes():
    """Held-out run 8, e23: "Will the replacement be size 42? … If yes, create it." """
    assert reservation("Is the label free? If so, go ahead and create it.") == CONDITION
    assert reservation("Wenn ja, dann bitte so anlegen.") == CONDITION
    assert reservation("Ja, wenn das nichts kostet. Kostet das was?") == CONDITION
    assert reservation("Kommt der Ersatz bis Freitag? Dann anlegen.") == QUESTION


def test_a_plain_yes_stays_one():
    for text in [
        "Ja, bitte so ändern.",
        "jo passt",
        "Yes, create it",
        "Ja, bitte so anlegen. Wohin geht das Geld?",
        "Ja, bitte so anlegen. Wohin geht das Geld, wenn ich mit PayPal bezahlt habe?",  # the question after the yes is answered after
        "Ja, falsch bestellt, bitte stornieren",  # a reason, no correction of what is shown
    ]:
        assert reservation(text) is None, text
    assert (
        reservation(
            "Ja, genau so: Gerberstraße 72, 04105 Leipzig", "Gerberstraße 72, 04105 Leipzig"
        )
        is None
    )
