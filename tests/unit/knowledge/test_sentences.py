"""Sentence selection: the answering sentences, verbatim, at most three."""

from bot.knowledge.analysis import analyze
from bot.knowledge.sentences import (
    MAX_SENTENCES,
    answers,
    passage_sentences,
    refers_back,
    select,
    split_sentences,
)


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


def test_a_pages_own_question_is_never_the_quote():
    lines = [
        "Sie haben etwas zurückgeschickt und fragen sich, wann das Geld wieder da ist?",
        "Wir erstatten den Betrag innerhalb von 5 Werktagen nach Eingang der Rücksendung.",
    ]
    # the question shares more words with the page's own question than with the answer
    quote = select(lines, analyze("wann ist das geld nach der rücksendung wieder da"), {})
    assert quote == lines[1]


def test_a_passage_of_questions_and_framing_only_has_no_quote():
    lines = [
        "Sie haben etwas zurückgeschickt und fragen sich, wann das Geld wieder da ist?",
        "Hier erklären wir, wie und wann wir erstatten.",
    ]
    assert select(lines, analyze("wann kommt mein geld zurück"), {}) == ""
    assert not answers(lines[1]) and not answers("Mehr dazu lesen Sie auf der Seite „Erstattung“.")
    assert answers("Hier in Berlin haben wir zwei Filialen.")  # "Hier" alone frames nothing


def test_without_shared_words_the_first_answering_sentence_is_quoted():
    lines = ["Sie fragen sich, was das soll?", "Das ist die Antwort, ausführlich und lang erklärt."]
    assert select(lines, analyze("Zebra"), {}) == lines[1]


def test_a_sentence_that_refers_back_brings_the_one_before():
    lines = [
        "Wenn es um eine Bestellung geht, halten Sie bitte Ihre Kundennummer bereit.",
        "Sie steht in der Bestellbestätigung und in Ihrem Kundenkonto.",
    ]
    quote = select(lines, analyze("Bestellbestätigung"), {})
    assert quote == " ".join(lines)


def test_which_sentences_refer_back():
    assert refers_back("Sie steht in der Bestellbestätigung.")
    assert refers_back("Das kostet nichts extra.")
    assert refers_back("Dort liegt es 7 Tage.")
    assert refers_back("Ist das schwierig, melden Sie sich bei uns.")
    assert not refers_back("Ist das Paket beschädigt, melden Sie sich bei uns.")
    assert not refers_back("Sie können jederzeit abbestellen.")
    assert not refers_back("Das Paket liegt 7 Werktage bereit.")  # the article, not a pronoun


def test_of_equally_good_sentences_the_first_under_the_heading_is_quoted():
    lines = [
        "Den Newsletter bestellen Sie über den Link „Abmelden“ in jeder Newsletter-E-Mail ab.",
        "Die Abmeldung wirkt sofort.",
        "In seltenen Fällen kommt danach noch ein Newsletter an.",
    ]
    quote = select(lines, analyze("newsletter"), {})
    assert quote.startswith(lines[0])
