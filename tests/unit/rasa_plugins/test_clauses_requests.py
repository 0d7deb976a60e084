"""Issue 22.5: the other requests of a message with two questions, read clause by clause."""

from bot.rasa_plugins.clauses import (
    drowned,
    is_question_clause,
    may_ask_on_its_own,
    other_requests,
    split_clauses,
)

FAQ_SHIPPING = ([("faq", 0.9), ("order_status", 0.1)], {"faq": [("faq/shipping_costs", 0.95)]})
STATUS = ([("order_status", 0.95), ("faq", 0.05)], {"faq": [("faq/delivery_time", 0.6)]})


def test_a_faq_question_next_to_the_status_question_is_listed():
    text = "Was kostet der Versand und wo ist meine Bestellung?"
    parts = split_clauses(text)
    assert parts == ["Was kostet der Versand", "wo ist meine Bestellung"]
    found = other_requests(text, "order_status", None, parts, [FAQ_SHIPPING, STATUS])
    assert found == [
        {"intent": "faq", "key": "faq/shipping_costs", "text": parts[0], "confidence": 0.9}
    ]


def test_the_request_the_message_is_read_as_is_not_listed_again():
    text = "Was kostet der Versand? Und was kostet der Versand nach Wien?"
    parts = split_clauses(text)
    assert other_requests(text, "faq", "faq/shipping_costs", parts, [FAQ_SHIPPING] * 2) == []


def test_a_reason_or_a_statement_is_no_second_request():
    """ "…, weil ich umziehe" reads as an address change, but asks nothing: not a second request."""
    text = "Ich möchte meine Bestellung stornieren, weil ich umgezogen bin"
    parts = split_clauses(text)
    moving = ([("change_address", 0.9)], {})
    cancel = ([("cancel_order", 0.95)], {})
    assert other_requests(text, "cancel_order", None, parts, [cancel, moving]) == []


def test_unsure_clauses_and_negated_ones_are_no_second_request():
    text = "Wo ist mein Paket? Und wie ist das mit dem Zoll?"
    parts = split_clauses(text)
    unsure = ([("faq", 0.6)], {"faq": [("faq/customs", 0.9)]})
    assert other_requests(text, "order_status", None, parts, [STATUS, unsure]) == []
    text = "Wo ist mein Paket? Ich will keine Rücksendung anmelden?"
    parts = split_clauses(text)
    ret = ([("return_item", 0.95)], {})
    assert other_requests(text, "order_status", None, parts, [STATUS, ret]) == []


def test_a_clause_that_only_asks_to_be_told_is_no_second_request():
    """ "kannst du mir sagen, wie ich mein Geld zurückbekomme?": the wrapper clause was read as the
    return policy and answered as a second question - an unrelated block."""
    policy = ([("faq", 0.9)], {"faq": [("faq/return_policy", 0.9)]})
    payment = ([("payment_issue", 0.95)], {})
    for wrapper in ("kannst du mir sagen", "Können Sie mir bitte kurz erklären", "weißt du"):
        text = f"{wrapper}, wie ich mit klarna mein geld zurückbekomme?"
        parts = split_clauses(text)
        assert other_requests(text, "payment_issue", None, parts, [policy, payment]) == [], wrapper
    text = "Kannst du mir sagen, was der Versand kostet, und wo ist mein Paket?"
    parts = split_clauses(text)
    found = other_requests(text, "order_status", None, parts, [STATUS, FAQ_SHIPPING, STATUS])
    assert [f["key"] for f in found] == ["faq/shipping_costs"]  # the real second question stays


def test_a_question_is_an_opening_question_word_or_a_question_mark():
    text = "Ich brauche die Rechnung für 100235? Und liefert ihr in die Schweiz"
    assert is_question_clause(text, "Ich brauche die Rechnung für 100235")
    assert not is_question_clause(text, "ich brauche noch etwas")
    assert is_question_clause(text, "liefert ihr in die Schweiz") is False
    assert is_question_clause("kann ich mit Klarna zahlen", "kann ich mit Klarna zahlen")


def test_a_fragment_without_a_word_of_its_own_is_no_request():
    """ "…, und wann wird sie dann geliefert?" splits at "dann": "wann wird sie" says nothing."""
    text = "Kann ich die Adresse noch ändern, und wann wird sie dann geliefert?"
    assert not may_ask_on_its_own(text, "wann wird sie")
    assert may_ask_on_its_own(text, "Kann ich die Adresse noch ändern")


def test_only_the_other_unsure_or_swallowed_questions_are_read_again():
    text = "Wo ist mein Paket, was kostet Express, und wo ist mein Paket?"
    parts = split_clauses(text)
    questions = ["Wo ist mein Paket, was kostet Express", "wo ist mein Paket"]
    readings = [
        [("order_status", 0.95)],  # the clause the message is read by
        [("faq", 0.5)],  # unsure
        [("order_status", 0.9)],  # read as the same request: maybe swallowed by the whole
    ]
    assert drowned(text, parts, readings, "order_status", questions) == [1, 2]
    sure = [[("order_status", 0.95)], [("faq", 0.9)], []]
    assert drowned(text, parts, sure, "order_status", questions) == [2]
    # one question only ("…, und wo ist es?" no new question): nothing is read alone
    assert drowned(text, parts, readings, "order_status", [text]) == []


def test_a_clause_that_only_goes_on_about_the_one_before_is_no_second_question():
    """ "Und die Rücksendung aus der Schweiz, kostet die etwas?" is one question (issue 22.5)."""
    from bot.rasa_plugins.clauses import may_ask_on_its_own

    text = "Und die Rücksendung aus der Schweiz, kostet die etwas?"
    assert not may_ask_on_its_own(text, "kostet die etwas")
    text = "Wo ist mein Paket? Gibt es Filialen?"
    assert may_ask_on_its_own(text, "Gibt es Filialen")
    text = "Wo ist mein Paket, und ist die Jacke wasserdicht?"
    assert may_ask_on_its_own(text, "ist die Jacke wasserdicht")


def test_a_question_that_restates_the_request_is_no_second_request():
    """ "…, kann ich die zurückgeben? bestellung 100238" read as a return: the clause asks for the
    return itself, not for the return policy; "Wie lange habe ich Zeit?" still is a second question."""
    policy = ([("faq", 0.9)], {"faq": [("faq/return_policy", 0.9)]})
    ret = ([("return_item", 0.9)], {})
    text = "die lampe war ein geschenk, kann ich die zurückgeben?"
    parts = split_clauses(text)
    assert other_requests(text, "return_item", None, parts, [ret, policy][-len(parts) :]) == []
    text = "Ich will die Jacke zurückschicken. Wie lange habe ich dafür Zeit?"
    parts = split_clauses(text)
    found = other_requests(text, "return_item", None, parts, [ret, policy])
    assert [f["key"] for f in found] == ["faq/return_policy"]


def test_a_request_refused_in_one_clause_is_not_asked_by_another_read_the_same_way():
    text = "Ich wollte nur sagen: NICHT stornieren. Bleibt die Bestellung jetzt bestehen?"
    parts = split_clauses(text)
    cancel = ([("cancel_order", 0.9)], {})
    found = other_requests(text, "order_status", None, parts, [STATUS, cancel, cancel])
    assert found == []
    text = "Wo ist mein Paket? Und können Sie die Bestellung stornieren?"
    parts = split_clauses(text)  # named and not refused: still a second request
    assert [
        r["intent"] for r in other_requests(text, "order_status", None, parts, [STATUS, cancel])
    ] == ["cancel_order"]


def test_the_other_half_of_an_either_or_question_asks_nothing_of_its_own():
    """Held-out persona run 4 (d26): "…, oder muss das vorher sein?" completes the payment question;
    it was read as a second question and answered with the return policy."""
    text = "kann ich mit klarna auch erst zahlen, wenn es da ist, oder muss das vorher sein?"
    assert not may_ask_on_its_own(text, "oder muss das vorher sein")
    other = "Ist die Jacke wasserdicht, oder kann ich sie umtauschen?"
    assert may_ask_on_its_own(other, "oder kann ich sie umtauschen")


def test_choices_for_the_question_before_ask_nothing_of_their_own():
    """Held-out run 8 (e09 t5): "…ab wann? Ab Lieferung oder ab Versand?" got the shipping costs as
    a second answer; the choices belong to the question before. A real second question stays one."""
    text = "Die Frist gilt ab wann? Ab Zustellung oder schon ab Versand?"
    assert not may_ask_on_its_own(text, "Ab Zustellung oder schon ab Versand")
    assert not may_ask_on_its_own(
        "Wie zahle ich? Mit Karte oder per Rechnung?", "Mit Karte oder per Rechnung"
    )
    text = "Wann kommt es an? Und wie schnell ist Express?"
    assert may_ask_on_its_own(text, "wie schnell ist Express")


def test_whether_one_pays_for_the_thing_before_is_part_of_that_question():
    """Held-out run 8 (e04 t2): "ist das Paket beim Zoll? muss ich da etwas zahlen?" got the payment
    methods as a second answer; the paying is about the customs. A question naming what it is about
    ("kann ich da mit PayPal zahlen", "gibt es da Rabatt") still asks on its own."""
    text = "Hängt mein Paket beim Zoll fest? Muss ich dafür noch was bezahlen?"
    assert not may_ask_on_its_own(text, "Muss ich dafür noch was bezahlen")
    assert not may_ask_on_its_own(
        "Liefert ihr nach Bern? Kostet das dann extra?", "Kostet das dann extra"
    )
    assert may_ask_on_its_own("Ich kaufe drei Zelte. Gibt es da Rabatt?", "Gibt es da Rabatt")
    assert may_ask_on_its_own(
        "Wo ist es? Kann ich da mit PayPal zahlen?", "Kann ich da mit PayPal zahlen"
    )


def test_a_request_word_of_a_description_split_at_dann_is_no_second_request():
    """Held-out run 4, d23: "… und sie wird dann automatisch storniert?" was split at "dann", and
    "automatisch storniert" was listed as a wish to cancel."""
    text = "Zahlen muss ich also nichts, und die Bestellung wird dann automatisch storniert?"
    parts = split_clauses(text)
    assert parts[-1] == "automatisch storniert"
    pay = ([("payment_issue", 0.9)], {})
    cancel = ([("cancel_order", 0.9)], {})
    readings = [pay] * (len(parts) - 1) + [cancel]
    assert other_requests(text, "payment_issue", None, parts, readings) == []
    wish = "Zahlen muss ich also nichts, und können Sie die Bestellung bitte gleich stornieren?"
    parts = split_clauses(wish)
    readings = [pay] * (len(parts) - 1) + [cancel]
    assert [r["intent"] for r in other_requests(wish, "payment_issue", None, parts, readings)] == [
        "cancel_order"
    ]


def test_a_message_read_by_its_choices_has_the_question_before_answered():
    """Held-out run 8 (e09 t5): "Die Frist läuft ab wann? Ab Versand oder erst ab Zustellung?" read
    by its choices clause: the question before is the one answered, not listed as a second one."""
    text = "die frist fuer die rechnung laeuft ab wann? ab dem versand oder erst ab der zustellung?"
    parts = split_clauses(text)
    pay = ([("payment_issue", 0.62)], {"faq": [("faq/checkout_payment", 0.65)]})
    choices = ([("faq", 0.77)], {"faq": [("faq/return_policy", 0.59)]})
    questions = [(q, q) for q in ("die frist fuer die rechnung laeuft ab wann", parts[1])]
    assert other_requests(text, "faq", "faq/return_policy", parts, [pay, choices], questions) == []
    text = "wo ist mein paket? und wie lange dauert express?"
    parts = split_clauses(text)
    status = ([("order_status", 0.9)], {})
    unsure = ([("payment_issue", 0.62)], {})
    questions = [(q, q) for q in ("wo ist mein paket", "und wie lange dauert express")]
    found = other_requests(text, "order_status", None, parts, [status, unsure], questions)
    assert [f["text"] for f in found] == ["und wie lange dauert express"]
