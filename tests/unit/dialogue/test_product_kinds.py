"""A help-page passage about another kind of product than the question names is not quoted."""

import pytest

from bot.dialogue.product_kinds import kind_of, named_kinds, other_product


@pytest.mark.parametrize(
    "word, kind",
    [
        ("Regenhose", "hose"),
        ("Daunenjacken", "jacke"),
        ("Handschuhe", "handschuh"),
        ("Wanderschuhe", "schuh"),
        ("Schlafsäcke", "schlafsack"),
        ("Außenzelt", "zelt"),
        ("Isomatte", "isomatte"),
        ("Daunen", None),
        ("Funktionskleidung", None),
    ],
)
def test_a_compound_is_the_kind_of_its_last_part(word, kind):
    assert kind_of(word) == kind


def test_named_kinds_keep_the_first_word_as_written():
    assert named_kinds("Ist die Regenhose Sturm dicht? Und die Hose in L?") == {"hose": "Regenhose"}


@pytest.mark.parametrize(
    "question, title, quote, named",
    [
        (
            "Ist die Regenhose Sturm wasserdicht?",
            "Zelt neu imprägnieren",
            "Perlt Regen nicht mehr ab, ist die Ausrüstung verbraucht.",
            "Regenhose",
        ),
        (
            "darf der schlafsack in die waschmaschine",
            "Daunenjacken waschen",
            "Die meisten Daunenjacken können in die Waschmaschine.",
            "Schlafsack",
        ),
    ],
)
def test_a_passage_about_another_product_is_named(question, title, quote, named):
    assert other_product(question, title, quote) == named


@pytest.mark.parametrize(
    "question, title, quote",
    [
        # the same kind, also as another compound
        ("Darf die Daunenjacke in den Trockner?", "Daunenjacken waschen und pflegen", "..."),
        ("Fallen die Wanderschuhe klein aus?", "Größentabelle Schuhe", "Nachmittags anprobieren."),
        # a general page, also when its quote names another product as an example
        ("Ist die Regenhose wasserdicht?", "Wassersäule", "Ab 1.500 mm gilt Gewebe als dicht."),
        ("Kann ich die Jacke zurückgeben?", "Rückgabe", "Schuhe bitte nur drinnen anprobieren."),
        # a question that names no product
        ("Wie wasche ich das am besten?", "Daunenjacken waschen und pflegen", "..."),
        # the page's quote names the asked kind beside the title's
        ("Wie pflege ich meine Hose?", "Membranjacken pflegen", "Jacken und Hosen mit Membran ..."),
    ],
)
def test_the_same_product_or_none_named_is_no_mismatch(question, title, quote):
    assert other_product(question, title, quote) is None
