"""Sentence selection: the answering sentences, verbatim, at most three."""

from bot.knowledge.analysis import analyze
from bot.knowledge.sentences import MAX_SENTENCES, passage_sentences, select, split_sentences


def test_sentences_do_not_end_at_abbreviations_or_ordinals():
    assert split_sentences(
        "Bis zum 14. Tag geht das z. B. per Post. Danach nicht mehr! Gut so."
    ) == [
        "Bis zum 14. Tag geht das z. B. per Post.",
        "Danach nicht mehr!",
        "Gut so.",
    ]


def test_the_answering_sentence_is_chosen_and_quoted_unchanged():
    lines = [
        "Unsere Jacken sind langlebig und werden fair hergestellt.",
        "Daunenjacken dürfen in die Waschmaschine, bei 30 Grad im Schonwaschgang.",
        "Verwenden Sie keinen Weichspüler.",
        "Unsere Filialen beraten Sie gerne.",
    ]
    question = analyze("darf die daunenjacke in die waschmaschine?")
    quote = select(passage_sentences(lines), question, {})
    assert quote.startswith("Daunenjacken dürfen in die Waschmaschine")
    assert "Filialen" not in quote
    assert quote in " ".join(lines)


def test_never_more_than_three_sentences():
    lines = [f"Satz {i} über Versand und Kosten und Lieferzeit." for i in range(8)]
    quote = select(passage_sentences(lines), analyze("Versand Kosten Lieferzeit"), {})
    assert 1 <= quote.count(".") <= MAX_SENTENCES


def test_without_shared_words_the_passage_opening_is_quoted():
    lines = [
        "Das ist die Antwort auf die Frage, ausführlich und in ganzer Länge erklärt.",
        "Noch ein Satz.",
    ]
    assert select(lines, analyze("Zebra"), {}) == lines[0]
