"""A help-page passage about another kind of product than the question names is not quoted."""

import pytest

from bot.dialogue.product_kinds import kind_of, meets, named_kinds, other_product


@pytest.mark.parametrize(
    "word, kind",
    [
        ("Regenhose", "hose"),
        ("Daunenjacken", "daunenjacke"),
        ("Softshelljacke", "shelljacke"),
        ("Regenjacke", "shelljacke"),
        ("Jacken", "jacke"),
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
        # a softshell is no down jacket (held-out run 7, d29)
        (
            "darf so ne softshell in die waschmaschine?",
            "Daunenjacken waschen und pflegen",
            "Die meisten Daunenjacken können in die Waschmaschine.",
            "Softshell",
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


def test_a_plain_kind_meets_its_sorts_but_sorts_not_each_other():
    assert meets("jacke", "daunenjacke") and meets("shelljacke", "jacke")
    assert not meets("shelljacke", "daunenjacke")


def test_a_section_about_another_product_on_the_asked_products_page_is_named():
    """Held-out run 7, d22: the sleeping-bag buying page's mat section for a sleeping-bag question."""
    question = "Can the Schlafsack go in the washing machine?"
    title = "Schlafsack kaufen – Komfort-, Limit- und Extremtemperatur"
    quote = "Ein warmer Schlafsack nützt wenig. Die Isolation der Isomatte wird mit dem R-Wert angegeben."
    assert other_product(question, title, quote, "Isomatte nicht vergessen") == "Schlafsack"
    assert other_product(question, title, quote, "Daune oder Kunstfaser?") is None
    assert other_product(question, title, quote, title) is None


@pytest.mark.parametrize(
    "question, title",
    [
        ("Ist die Softshelljacke wasserdicht?", "Membranjacken und Gore-Tex pflegen"),
        ("Welche Größe brauche ich bei der Softshell?", "Größentabelle Jacken und Oberteile"),
        ("Darf die Jacke in den Trockner?", "Daunenjacken waschen und pflegen"),
    ],
)
def test_a_sort_of_jacket_meets_its_own_page_and_the_plain_jackets(question, title):
    assert other_product(question, title, "...") is None
