"""Held-out persona run 2, problems 5 and 6: a question ABOUT a cancellation or a refused one is no
cancel request, one request said twice is not two, and a question the NLU cannot read is listed."""

from bot.rasa_plugins.clauses import (
    DENY,
    declined_requests,
    describes_request,
    is_question_clause,
    may_ask_on_its_own,
    negates_request,
    other_requests,
    read_clauses,
    split_clauses,
)

CANCEL = ([("cancel_order", 0.99)], {})
PAYMENT = ([("payment_issue", 0.95)], {})
WORRY = ([("frustration", 0.85)], {})


def test_an_english_refusal_negates_the_request():
    assert negates_request("but ich don't want to cancel anything")
    assert negates_request("ich do NOT want to return it")
    assert negates_request("please don't cancel it")
    assert not negates_request("why can't ich cancel it")
    assert not negates_request("ich want to cancel my order")


def test_the_requests_a_message_refuses_are_listed_unless_another_clause_asks_for_them():
    assert declined_requests(split_clauses("NICHT stornieren. Bleibt die Bestellung?")) == [
        "cancel_order"
    ]
    assert declined_requests(["but ich don't want to cancel anything"]) == ["cancel_order"]
    # "nicht zurückschicken, sondern umtauschen": the exchange is a return too, nothing refused
    assert declined_requests(["nicht zurückschicken", "sondern umtauschen"]) == []
    assert declined_requests(["wo ist mein paket"]) == []


def test_a_message_that_only_refuses_a_request_is_a_no_whatever_the_whole_reads_as():
    texts = ["wissen sie was", "ich bringe den im laden zurück", "also doch nicht stornieren"]
    rankings = [[("faq", 0.97)], [("faq", 0.4), ("return_item", 0.3)], [("cancel_order", 0.99)]]
    assert read_clauses([("faq", 0.97)], texts, rankings) == DENY


def test_a_refusal_next_to_a_report_or_a_question_keeps_that_reading():
    texts = ["die jacke hat ein loch", "ich will nicht stornieren"]
    rankings = [[("complaint", 0.99)], [("cancel_order", 0.99)]]
    assert read_clauses([("complaint", 0.6), ("cancel_order", 0.4)], texts, rankings) == (
        0,
        [("complaint", 1.0)],
    )
    texts = ["nicht stornieren", "bleibt die bestellung bestehen"]
    rankings = [[("cancel_order", 0.99)], [("order_status", 0.9)]]
    assert read_clauses([("order_status", 0.9)], texts, rankings) is None


def test_a_dependent_clause_or_a_passive_request_word_is_no_request_of_its_own():
    """ "Muss ich fürchten, dass die Bestellung storniert wird?" asked no cancellation (d01)."""
    text = "Was soll ich tun? Muss ich befürchten, dass meine Bestellung storniert wird?"
    parts = split_clauses(text)
    assert parts[-1] == "dass meine Bestellung storniert wird"
    assert not may_ask_on_its_own(text, parts[-1])
    assert describes_request("ist die bestellung schon storniert worden")
    assert not describes_request("bitte die bestellung stornieren")
    found = other_requests(text, "payment_issue", None, parts, [PAYMENT, WORRY, CANCEL])
    assert "cancel_order" not in [f["intent"] for f in found]
    text = "Wird meine Bestellung storniert, wenn ich zu spät zahle? Und wo ist das Paket?"
    parts = split_clauses(text)
    status = ([("order_status", 0.95)], {})
    found = other_requests(text, "order_status", None, parts, [CANCEL, CANCEL, status])
    assert found == []


def test_a_statement_with_the_verb_first_after_dann_asks_nothing():
    """ "… leuchtet nur 5 min dann is sie aus will die zurückschicken" is one complaint (d02)."""
    text = "die lampe leuchtet nur kurz dann ist sie aus und ich will die zurückschicken"
    assert not is_question_clause(text, "ist sie aus")
    assert is_question_clause(text + "?", "ist sie aus")
    assert is_question_clause("wo ist mein paket, kann ich zahlen", "kann ich zahlen")


def test_a_return_next_to_a_complaint_is_the_same_case():
    text = "Die Lampe ist kaputt. Kann ich die zurückschicken?"
    parts = split_clauses(text)
    ret = ([("return_item", 0.95)], {})
    complaint = ([("complaint", 0.95)], {})
    assert other_requests(text, "complaint", None, parts, [complaint, ret]) == []


def test_a_question_no_clause_of_which_is_read_surely_is_listed_as_unknown():
    text = "Was kostet das? Und kommt das Paket dann trotzdem noch vor Freitag?"
    parts = split_clauses(text)
    assert parts == ["Was kostet das", "kommt das Paket", "trotzdem noch vor Freitag"]
    costs = ([("faq", 0.99)], {"faq": [("faq/shipping_costs", 0.99)]})
    unsure = ([("order_status", 0.6)], {})
    fragment = ([("goodbye", 0.3)], {})
    questions = [
        ("was kostet das", "Was kostet das"),
        (
            "und kommt das paket dann trotzdem noch vor freitag",
            "Und kommt das Paket dann trotzdem noch vor Freitag",
        ),
    ]
    found = other_requests(
        text, "faq", "faq/shipping_costs", parts, [costs, unsure, fragment], questions
    )
    assert found == [
        {
            "intent": "unknown",
            "key": None,
            "text": "Und kommt das Paket dann trotzdem noch vor Freitag",
            "confidence": 0.0,
        }
    ]
    # both questions answered by the one reading (the same answer): nothing listed
    same = [costs, ([("faq", 0.9)], {"faq": [("faq/shipping_costs", 0.9)]}), fragment]
    assert other_requests(text, "faq", "faq/shipping_costs", parts, same, questions) == []
    # no clause reads as the message's request: the first unread question is taken as the one it
    # is read by, the other is listed
    assert other_requests(
        text, "complaint", None, parts, [unsure, unsure, fragment], questions
    ) == [found[0]]


def test_a_request_named_only_as_what_happens_is_no_request_unless_wished():
    from bot.rasa_plugins.clauses import only_described, without

    assert only_described("Ich fürchte, dass die Bestellung storniert wird, ist das so?") == {
        "cancel_order"
    }
    assert only_described("Wird meine Bestellung storniert, wenn ich später zahle?") == {
        "cancel_order"
    }
    assert only_described("Ich möchte, dass die Bestellung storniert wird.") == set()
    assert only_described("Bitte stornieren Sie die Bestellung.") == set()
    assert without(
        [("cancel_order", 0.8), ("payment_issue", 0.1), ("faq", 0.1)], {"cancel_order"}
    ) == [
        ("payment_issue", 0.5),
        ("faq", 0.5),
    ]


def test_an_english_question_next_to_a_refusal_keeps_the_question():
    texts = ["ich don't want to cancel anything", "just tell me whether ich pay customs"]
    rankings = [[("cancel_order", 0.99)], [("faq", 0.9)]]
    assert read_clauses([("cancel_order", 0.8), ("faq", 0.2)], texts, rankings) == (
        1,
        [("faq", 1.0)],
    )


def test_read_whole_as_the_refused_request_a_weaker_contrast_still_wins():
    """ "Ich will keine Reklamation, das Paket ist einfach nie angekommen": the contrast read at 0.4
    is what the customer wants, not a bare no."""
    texts = ["ich will keine reklamation", "das paket ist einfach nie angekommen"]
    rankings = [[("complaint", 0.99)], [("order_status", 0.4), ("complaint", 0.3), ("faq", 0.3)]]
    chosen = read_clauses([("complaint", 0.9), ("order_status", 0.1)], texts, rankings)
    assert chosen is not None and chosen != DENY and chosen[0] == 1


def test_a_wish_that_something_not_happen_refuses_the_request_of_its_dass_clause():
    """Held-out persona run 3, d01: "Ich möchte nicht, dass die Bestellung storniert wird." """
    assert declined_requests(
        split_clauses("Was soll ich tun? Ich möchte nicht, dass die Bestellung storniert wird.")
    ) == ["cancel_order"]
    assert declined_requests(split_clauses("Ich will aber nicht, dass ihr das storniert")) == [
        "cancel_order"
    ]
    assert declined_requests(
        split_clauses("Ich möchte auf keinen Fall, dass sie storniert wird")
    ) == ["cancel_order"]
    assert declined_requests(split_clauses("Ich möchte, dass die Bestellung storniert wird")) == []
