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
    ],
)
def test_synonyms_meet_on_one_term(customer, page):
    assert set(analyze(customer)) <= set(analyze(page))


def test_other_words_are_untouched():
    assert analyze("Zelt") == ["zelt"]
