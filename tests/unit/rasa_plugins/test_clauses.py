"""Two-part messages are read by their substantive clause, but only when the whole reads as social."""

from bot.rasa_plugins.clauses import pick_clause, split_clauses, strip_preamble


def test_splits_on_punctuation_and_joining_words():
    assert split_clauses("danke und tschüss") == ["danke", "tschüss"]
    assert split_clauses("Hallo, wo ist meine Bestellung?") == ["Hallo", "wo ist meine Bestellung"]
    assert split_clauses("danke!!") == ["danke"]


def test_a_farewell_clause_beats_the_thanks():
    assert pick_clause("thank", [[("thank", 0.9)], [("goodbye", 0.8)]]) == 1


def test_a_question_after_a_greeting_wins():
    assert pick_clause("greet", [[("greet", 0.95)], [("order_status", 0.7), ("faq", 0.2)]]) == 1


def test_the_whole_reading_stays_when_it_is_not_social():
    assert pick_clause("order_status", [[("greet", 0.9)], [("cancel_order", 0.9)]]) is None


def test_weak_or_social_clauses_do_not_override():
    assert pick_clause("thank", [[("thank", 0.9)], [("complaint", 0.3)]]) is None
    assert pick_clause("greet", [[("greet", 0.9)], [("thank", 0.9)], [("affirm", 0.9)]]) is None
    assert pick_clause("greet", [[("greet", 0.9)]]) is None


def test_a_greeting_and_plea_in_front_of_a_request_are_dropped():
    assert (
        strip_preamble("hallo, kannst du mir helfen? meine jacke ist mit einem loch angekommen")
        == "meine jacke ist mit einem loch angekommen"
    )
    assert (
        strip_preamble("Guten Tag, ich hätte eine Frage: was kostet der Versand?")
        == "was kostet der Versand?"
    )
    assert (
        strip_preamble("hey, die lampe ist kaputt angekommen, kannst du helfen?")
        == "die lampe ist kaputt angekommen"
    )


def test_a_message_that_is_only_greeting_and_plea_keeps_its_words():
    for text in [
        "hallo, kannst du mir helfen?",
        "Guten Tag",
        "hallo hallo",
        "Hilfe",
        "hi, eine frage",
    ]:
        assert strip_preamble(text) == text


def test_words_that_only_start_like_a_greeting_stay():
    assert strip_preamble("hilfe bei der rücksendung") == "hilfe bei der rücksendung"
    assert strip_preamble("Hallonsen wo ist das") == "Hallonsen wo ist das"


def test_a_polite_idiom_before_a_question_is_no_part_of_it():
    assert (
        strip_preamble("Kein Problem, ich wollte nur wissen, was der Versand kostet")
        == "ich wollte nur wissen, was der Versand kostet"
    )
    assert strip_preamble("kein Problem") == "kein Problem"  # nothing else: kept
