"""A how-to question read as a complaint goes to the help pages; a report about an order does not."""

import pytest

from bot.dialogue.questions import (
    asks_a_question,
    availability_question,
    closing_thanks,
    general_question,
    in_context,
    product_question,
    question_clauses,
    shares_content,
    tried_without_luck,
)


@pytest.mark.parametrize(
    "text",
    [
        "Wie bekomme ich mein Zelt wieder wasserdicht? Das Außenzelt lässt Wasser durch",
        "darf man ne daunenjacke in die waschmaschine tun?",
        "Das Außenzelt lässt Wasser durch. Wie imprägniere ich es",
        "kann man eine Membranjacke im Trockner trocknen",
    ],
)
def test_how_to_questions_are_general(text):
    assert general_question(text)


@pytest.mark.parametrize(
    "text",
    [
        "Das Außenzelt lässt Wasser durch",  # a statement: a complaint
        "Mein Zelt ist mit einem Riss angekommen, was nun?",
        "Wie kann ich meine kaputte Jacke reklamieren?",
        "Das neue Zelt ist undicht, was kann ich tun?",
        "Was ist mit Bestellung 100234, das Zelt ist undicht?",
        "Ich habe die falsche Größe bekommen, was jetzt?",
        "/complaint",
    ],
)
def test_reports_about_an_order_or_a_fault_stay_complaints(text):
    assert not general_question(text)


def test_question_marks_and_question_words():
    assert asks_a_question("geht das?") and asks_a_question("Wie wasche ich das")
    assert not asks_a_question("Die Jacke ist nass") and not asks_a_question("")


def test_a_curated_answer_is_supported_by_a_content_word_in_common():
    payment = "Du kannst bei uns mit PayPal, Kreditkarte, Klarna-Rechnung und Vorkasse bezahlen."
    assert shares_content("hey, weißt du warum klarna meinen kauf auf rechnung ablehnt?", payment)
    assert not shares_content("kannst du mir sagen, ob ihr auch e-bikes verkauft?", payment)
    assert not shares_content("Verkauft ihr auch E-Bikes?", payment)
    assert shares_content("Was kosten Rücksendungen?", "Die Rücksendung ist kostenlos.")


@pytest.mark.parametrize(
    "text",
    [
        "Ist die Softshelljacke wasserdicht?",
        "Fällt die Regenhose eher klein aus?",
        "Bei wie viel Grad kann ich die Merino-Socken waschen?",
        "Aus welchem Material ist der Schlafsack?",
        "Habt ihr die Daunenjacke noch in L?",
        "welche größe soll ich bei den wanderschuhen nehmen?",
    ],
)
def test_product_questions_before_an_order(text):
    """Issue 22.6: fit, waterproofness, care, material, availability - no complaint, no order."""
    assert product_question(text)


@pytest.mark.parametrize(
    "text",
    [
        "Meine Jacke ist nicht wasserdicht, was nun?",
        "Wie bekomme ich mein Zelt wieder wasserdicht? Das Außenzelt lässt Wasser durch",
        "die bestellte jacke fällt zu klein aus, kann ich sie umtauschen?",
        "Die Naht am Rucksack ist gerissen",
        "Was kostet der Versand?",
    ],
)
def test_own_items_faults_and_other_questions_are_no_product_questions(text):
    assert not product_question(text)


@pytest.mark.parametrize(
    "text",
    [
        "Wann sind die Trailrunner in 43 wieder lieferbar?",
        "habt ihr die fleeceweste noch in xl?",
        "Gibt es den Rucksack auch in Rot?",
        "ist die regenhose gerade auf lager?",
    ],
)
def test_stock_and_availability_questions(text):
    """Issue 22.6: the bot cannot see stock - these get an honest answer, not a help-page guess."""
    assert availability_question(text)


@pytest.mark.parametrize(
    "text",
    [
        "Gibt es auch gebrauchte Artikel bei euch?",
        "Ist meine Bestellung 100234 schon verfügbar?",
        "Ist die Jacke aus meiner Bestellung wieder lieferbar?",
        "Kann ich online kaufen und im Laden abholen?",
        "Die Jacke ist wieder lieferbar.",
    ],
)
def test_other_questions_are_no_availability_questions(text):
    assert not availability_question(text)


def test_a_follow_up_without_a_product_is_searched_with_the_product_named_before():
    earlier = ["Wie pflege ich meine Softshelljacke?", "ok danke"]
    assert in_context("Und darf die in den Trockner?", earlier) == (
        "Und darf die in den Trockner? Softshelljacke"
    )
    # the latest product named wins; a question naming its own product keeps its words
    assert in_context("wie warm ist der?", ["Zelt?", "und der Schlafsack?"]).endswith("Schlafsack")
    assert in_context("Ist der Rucksack wasserdicht?", earlier) == "Ist der Rucksack wasserdicht?"
    assert in_context("Wie lange dauert der Versand?", ["Hallo"]) == "Wie lange dauert der Versand?"


@pytest.mark.parametrize(
    "text, tried",
    [
        ("nachbarn hab ich schon gefragt, nix", True),
        ("Habe ich bereits versucht, hat nicht geholfen.", True),
        ("bringt nichts", True),
        ("That did not help me", True),
        ("didn't help, sorry", True),
        ("Ich habe schon bestellt, wann kommt es?", False),
        ("Can you help me with my order?", False),
        ("ich hab schon bezahlt", False),
    ],
)
def test_the_customer_reports_that_a_suggestion_did_not_help(text, tried):
    assert tried_without_luck(text) is tried


def test_the_questions_of_a_message_split_before_a_new_question_not_at_every_comma():
    assert question_clauses(
        "Welche Größe brauche ich bei 1,78 m, und darf man die Jacke in die Waschmaschine tun?"
    ) == ["Welche Größe brauche ich bei 1,78 m", "darf man die Jacke in die Waschmaschine tun"]
    assert question_clauses("Ist das Zelt dicht? Und muss ich es imprägnieren?") == [
        "Ist das Zelt dicht",
        "muss ich es imprägnieren",
    ]
    assert question_clauses("Die Jacke ist toll, und die Farbe auch.") == []


def test_the_customers_verb_shares_content_with_the_answers_noun():
    """ "wie geht das Zurückschicken aus der Schweiz?" and the return policy ("Die Rücksendung …")
    are about the same thing (issue 22.5, 22.10)."""
    assert shares_content(
        "Und wenn ich etwas zurückschicken will, wie geht das?", "Die Rücksendung ist kostenlos."
    )
    assert shares_content("ab wann ist der Versand gratis?", "ab 50 € ist er kostenlos")
    assert not shares_content("Verkauft ihr auch E-Bikes?", "Die Rücksendung ist kostenlos.")


@pytest.mark.parametrize(
    "text, closing",
    [
        ("ok dann nehm ich die grüne, danke", True),
        ("Vielen Dank, dann bestelle ich gleich.", True),
        ("Danke, aber die Jacke ist kaputt", False),
        ("danke, wo ist mein paket?", False),
        ("danke, ich hab noch eine frage", False),
    ],
)
def test_a_closing_thank_you_asks_and_raises_nothing(text, closing):
    assert closing_thanks(text) is closing


def test_a_statement_before_a_colon_or_full_stop_is_no_part_of_the_next_question():
    """ "Zwei Fragen zu 100236: Ist die Rechnung da, und …" asks two questions (persona run 2, d18)."""
    assert question_clauses(
        "Zwei Fragen zu 100236: Ist die Rechnung schon da, und kann ich das Zelt noch tauschen?"
    ) == ["Ist die Rechnung schon da", "kann ich das Zelt noch tauschen"]
    assert question_clauses(
        "Wir fahren nach Norwegen. Reicht da der Schlafsack für minus 5 Grad?"
    ) == ["Reicht da der Schlafsack für minus 5 Grad"]


def test_a_worry_about_a_cancellation_is_read_as_such():
    from bot.dialogue.questions import fears_cancellation

    assert fears_cancellation("Muss ich jetzt Angst haben, dass meine Bestellung storniert wird?")
    assert fears_cancellation("Wird die Bestellung etwa storniert?")
    assert not fears_cancellation("Bitte stornieren Sie meine Bestellung.")
    assert not fears_cancellation("Die Bestellung wurde storniert, wann kommt mein Geld?")


def test_a_cancellation_by_itself_is_asked_about_not_asked_for():
    """Held-out persona run 4, d25: a question whether an unpaid order is cancelled on its own."""
    from bot.dialogue.questions import fears_cancellation

    assert fears_cancellation("Does it get cancelled automatically when the transfer is late?")
    assert fears_cancellation("Will the order be cancelled if I haven't paid by Monday?")
    assert fears_cancellation("Wird sie automatisch storniert, falls das Geld später kommt?")
    assert fears_cancellation("Wird meine Bestellung storniert, wenn ich erst Freitag überweise?")
    assert not fears_cancellation("Please cancel my order if it hasn't shipped yet.")
    assert not fears_cancellation("Wird die Bestellung storniert, wenn ich auf Ja tippe?")


def test_the_other_half_of_an_either_or_question_is_no_second_question():
    """ "…, oder muss das vorher sein?" completes the question before it (held-out persona run 4,
    d26); "…, oder kann ich sie umtauschen?" still asks something of its own."""
    assert question_clauses(
        "kann ich mit klarna auch erst nach der lieferung zahlen, oder muss ich das vorher machen?"
    ) == [
        "kann ich mit klarna auch erst nach der lieferung zahlen, oder muss ich das vorher machen"
    ]
    assert question_clauses("Ist die Jacke wasserdicht, oder kann ich sie umtauschen?") == [
        "Ist die Jacke wasserdicht",
        "kann ich sie umtauschen",
    ]


def test_a_greeting_before_the_first_question_is_no_part_of_it():
    """Held-out run 4, d09: "Guten Tag, wie viele Tage …, und darf ich …?" lost its first question
    to the greeting (the part did not open with a question word)."""
    assert question_clauses(
        "Moin, bis wann kann ich etwas zurückgeben, und darf ich in der Filiale tauschen?"
    ) == ["bis wann kann ich etwas zurückgeben", "darf ich in der Filiale tauschen"]
    # a longer statement before the comma stays part of the question it leads into
    assert question_clauses("Die Jacke gefällt mir richtig gut, ist sie wasserdicht?") == [
        "Die Jacke gefällt mir richtig gut, ist sie wasserdicht"
    ]


def test_a_fit_question_after_und_is_a_question_of_its_own():
    """Held-out run 4, d27: "Wie pflege ich die …, und fallen die klein aus?" was one question."""
    assert question_clauses(
        "Womit imprägniere ich die Schuhe, und fallen sie eher schmal aus?"
    ) == [
        "Womit imprägniere ich die Schuhe",
        "fallen sie eher schmal aus",
    ]
    assert question_clauses("Ist der Rucksack wasserdicht und passt ein Laptop hinein?") == [
        "Ist der Rucksack wasserdicht",
        "passt ein Laptop hinein",
    ]


@pytest.mark.parametrize(
    "text",
    [
        "alles klar, nehm ich die in S. haben Sie die noch da?",
        "die fleeceweste in XL, gibts die noch?",
    ],
)
def test_still_there_about_an_item_is_a_stock_question(text):
    """Held-out persona run 6 (d02): "habt ihr die noch da?" was read as "is the bot still there"."""
    assert availability_question(text)


@pytest.mark.parametrize(
    "text", ["bist du noch da?", "Sind Sie noch da?", "haben Sie mich vergessen?"]
)
def test_asking_whether_the_bot_is_there_is_no_stock_question(text):
    assert not availability_question(text)


@pytest.mark.parametrize(
    "text",
    [
        "Die Hose in 32 war zu weit. Kann ich dieselbe in 30 bei euch bestellen?",
        "Ich würde die Regenjacke gern noch einmal bestellen, diesmal in Größe S. Geht das?",
        "kann ich die schuhe in 43 nachbestellen?",
    ],
)
def test_ordering_an_item_in_a_size_is_a_stock_question(text):
    """Held-out run 7 (d14): "dieselbe in M bestellen?" got sizing advice and down-jacket washing."""
    assert availability_question(text)


@pytest.mark.parametrize(
    "text", ["Kann ich in 30 Tagen noch bestellen?", "Bis 14 Uhr bestellen, geht das noch raus?"]
)
def test_a_time_before_ordering_is_no_size(text):
    assert not availability_question(text)


def test_exasperation_is_no_question_clause():
    """held-out run 8, e05: "Wie oft denn noch." was noted for the team as a question."""
    assert question_clauses("Geld zurück. Wie oft denn noch.") == []
    assert question_clauses("Wie oft denn noch? Wann kommt das Geld?") == ["Wann kommt das Geld"]
