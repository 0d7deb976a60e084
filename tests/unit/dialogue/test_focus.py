"""A follow-up on the same topic gets the part of the answer it asks about (bot/dialogue/focus.py)."""

from bot.dialogue.focus import content_stems, focus, sentences, shaped_follow_up

POLICY = (
    "You can return items within 30 days of receiving them. Returns are free: we send you a "
    "prepaid return label. Your refund is issued within 5 working days after we receive the parcel."
)
CONTACT = "Sie erreichen uns telefonisch unter 030 123. Unser Team antwortet auch auf Englisch."


def test_the_new_word_of_the_follow_up_picks_its_sentence():
    assert focus(POLICY, "And is that free of charge?", "How long can I send things back?") == (
        "Returns are free: we send you a prepaid return label."
    )


def test_words_the_previous_question_had_count_less_than_new_ones():
    """ "telefonisch" led to the block before; "Englisch" is what the follow-up adds."""
    picked = focus(
        CONTACT, "Spricht man am Telefon auch Englisch?", "Wie erreiche ich euch telefonisch?"
    )
    assert picked == "Unser Team antwortet auch auf Englisch."


def test_no_part_when_nothing_or_everything_matches():
    assert focus(POLICY, "What about gift wrapping?") is None
    assert focus("Only one sentence here.", "one sentence?") is None
    assert (
        focus(POLICY, "return free refund", "") is None
    )  # every sentence: the block is the answer


def test_sentences_keep_abbreviations_together_and_function_words_carry_nothing():
    assert sentences("Sie hat sechs Ziffern, z. B. 100234. Sie steht in der Mail.") == [
        "Sie hat sechs Ziffern, z. B. 100234.",
        "Sie steht in der Mail.",
    ]
    assert content_stems("Is it the one with the label?") == {"label"}


def test_free_in_the_customers_words_finds_what_the_answer_calls_kostenlos():
    """ "ab wann ist der Versand gratis?" right after the shipping costs: the part about free shipping."""
    answer = (
        "Der Standardversand kostet 4,95 €, ab 50 € Bestellwert ist er kostenlos. "
        "Wir liefern nach Deutschland, Österreich und die Schweiz."
    )
    assert focus(answer, "und ab wann ist der versand gratis?", "und express?") == (
        "Der Standardversand kostet 4,95 €, ab 50 € Bestellwert ist er kostenlos."
    )


def test_a_bare_follow_up_takes_the_sentence_of_its_shape_from_the_previous_answer():
    privacy = "Wir nutzen Ihre Daten nur für die Bestellung. Den Chat speichern wir 90 Tage. Fragen an service@x.de."
    assert shaped_follow_up(privacy, "und wie lange?") == "Den Chat speichern wir 90 Tage."
    assert shaped_follow_up(POLICY, "how long?").startswith("You can return items within 30 days")
    assert shaped_follow_up(privacy, "und was kostet das?") is None  # no price in that answer
    # a question with a topic of its own is not a bare follow-up
    assert shaped_follow_up(privacy, "und wie lange dauert der Versand?") is None


def test_a_bare_question_for_the_number_finds_it_in_the_contact_answer():
    from bot.dialogue.focus import fact_home

    assert fact_home("Und unter welcher Nummer?") == "contact"
    assert fact_home("and which number?") == "contact"
    contact = "Sie erreichen uns telefonisch unter 030 123 456 70 (Mo–Fr 8–18 Uhr)."
    assert shaped_follow_up(contact, "Und unter welcher Nummer?") == contact
    assert shaped_follow_up("Unser Kundenservice ist Mo–Fr 8–18 Uhr da.", "welche Nummer?") is None


def test_a_number_question_with_a_topic_of_its_own_has_no_home():
    from bot.dialogue.focus import fact_home

    assert fact_home("Welche Nummer hat meine Rücksendung?") is None
    assert fact_home("Und wie lange?") is None


def test_customer_words_for_instalments_and_paying_find_the_answer_s_words():
    """Held-out run 6, problems 6 and 8: "Monatsraten" for "Ratenzahlung", "owe/pay" for "paid"."""
    answer = (
        "Ratenzahlung bieten wir nicht an. Später zahlen geht mit Klarna-Rechnung. "
        "Sie haben dann 30 Tage Zeit."
    )
    assert focus(answer, "Und eine Finanzierung in Monatsraten?", "Kann ich später zahlen?") == (
        "Ratenzahlung bieten wir nicht an."
    )
    english = (
        "You can return it within 30 days. The refund runs through Klarna. "
        "If you have not paid yet, you only pay the rest."
    )
    assert focus(english, "Would I still owe Klarna then?", "Can I return it with Klarna?") == (
        "If you have not paid yet, you only pay the rest."
    )
