"""English questions as German search words for the German help pages (held-out persona run 2)."""

from __future__ import annotations

import pytest

from bot.knowledge.english_query import german_query


@pytest.mark.parametrize(
    "text, words",
    [
        ("Is there a size chart for jackets?", "Größe Größentabelle Jacke"),
        ("M or L for the down jacket over a fleece?", "Größe Größentabelle Daunenjacke Jacke"),
        ("How do I stop getting your newsletter?", "Newsletter abbestellen abmelden"),
        ("How can I delete my customer account?", "Kundenkonto löschen"),
        ("Can I put the sleeping bag in the washing machine?", "Schlafsack waschen Pflege"),
        # a German product name copied into the English question is searched as it is
        ("does the Daunenjacke Nordlicht run small?", "Größe Größentabelle Daunenjacke Nordlicht"),
    ],
)
def test_the_shop_topics_of_an_english_question_become_german_search_words(text, words):
    assert german_query(text) == words


@pytest.mark.parametrize(
    "text",
    ["Do you match prices from other shops?", "What is the weather like?", "", "Hello there"],
)
def test_a_question_naming_no_shop_topic_has_no_search_words(text):
    assert german_query(text) == ""
