"""Issue 22: an entity sentence next to a request, negation in scope and revocation, read by clause."""

from bot.rasa_plugins.clauses import (
    DENY,
    STOP,
    needs_clause_reading,
    negates_request,
    read_clauses,
    revokes,
    split_clauses,
)


def test_negation_cues_at_the_start_or_after_wanting_negate_the_request():
    for clause in [
        "nicht umtauschen",
        "Ich möchte keinen Umtausch",
        "ich will eigentlich nix zurückgeben",
        "i mog des ned zruckschicka",
        "ich wott nöd stornieren",
        "nee keine Reklamation",
        "bitte nicht stornieren",
        "auf keinen Fall stornieren",
    ]:
        assert negates_request(clause), clause


def test_a_negated_description_is_no_negated_request():
    for clause in [
        "das Paket ist noch nicht da",
        "die Hose passt nicht",
        "nur nicht angekommen",
        "keine Kreditkarte",  # what the customer lacks, not what they refuse
        "ich habe keine Rechnung bekommen",
    ]:
        assert not negates_request(clause), clause


def test_sondern_and_stattdessen_split_clauses():
    assert split_clauses("bitte nicht zurückschicken sondern umtauschen") == [
        "bitte nicht zurückschicken",
        "umtauschen",
    ]


def test_the_whole_read_as_the_negated_request_takes_the_other_clause():
    texts = ["ich möchte keinen Umtausch", "nur den Lieferstatus"]
    rankings = [[("return_item", 0.9)], [("return_item", 0.5), ("order_status", 0.4)]]
    assert read_clauses([("return_item", 0.95)], texts, rankings) == (1, [("order_status", 1.0)])


def test_other_clauses_are_read_without_the_negated_request():
    # the clause scores carry the whole message's sentence vector: "only X" still leans to the negated
    texts = ["nicht stornieren", "nur die Adresse ändern"]
    rankings = [[("cancel_order", 0.9)], [("cancel_order", 0.85), ("change_address", 0.15)]]
    assert read_clauses([("cancel_order", 0.95)], texts, rankings) == (1, [("change_address", 1.0)])


def test_idioms_negate_no_request():
    for clause in ["Kein Problem", "keine Ursache", "nicht schlecht", "nichts zu danken"]:
        assert not negates_request(clause), clause


def test_a_negated_request_with_nothing_instead_is_a_no():
    texts = ["nein", "ich will nichts zurückschicken"]
    rankings = [[("deny", 0.9)], [("return_item", 0.9)]]
    assert read_clauses([("return_item", 0.9)], texts, rankings) == DENY


def test_the_whole_reading_stays_when_the_negated_clause_reads_otherwise():
    texts = ["kein Grund zur Eile", "wo ist mein Paket"]
    rankings = [[("faq", 0.6)], [("order_status", 0.9)]]
    assert read_clauses([("order_status", 0.9)], texts, rankings) is None


def test_a_trailing_revocation_is_a_stop():
    assert revokes("ach nee, doch lieber nicht")
    assert (
        read_clauses([("cancel_order", 0.9)], ["storniere 100234", "doch nicht"], [[], []]) == STOP
    )
    assert (
        read_clauses([("cancel_order", 0.9)], ["ich will stornieren ach nein doch nicht"], [[]])
        == STOP
    )
    assert not revokes("das stimmt doch nicht")


def test_an_entity_sentence_does_not_drown_the_request():
    texts = ["meine Nummer ist bestellnummer", "wann kommt die Lieferung"]
    rankings = [[("inform", 0.9)], [("order_status", 0.8)]]
    assert read_clauses([("inform", 0.6)], texts, rankings) == (1, [("order_status", 0.8)])
    assert read_clauses([("faq", 0.3)], texts, rankings) == (1, [("order_status", 0.8)])
    assert read_clauses([("order_status", 0.9)], texts, rankings) is None


def test_which_messages_are_read_by_clause():
    assert needs_clause_reading("x", [("inform", 0.9)])
    assert needs_clause_reading("x", [("faq", 0.3)])
    assert needs_clause_reading("nicht stornieren, ändern", [("cancel_order", 0.99)])
    assert not needs_clause_reading("wo ist mein Paket", [("order_status", 0.9)])


def test_a_denied_defect_negates_the_complaint():
    """ "nicht kaputt, nur nicht angekommen": the defect is in scope of the negation (issue 22)."""
    for clause in ["nicht kaputt", "Das Paket ist nicht beschädigt", "die jacke is ned kaputt"]:
        assert negates_request(clause), clause
    for clause in ["die Lampe funktioniert nicht", "sie ist kaputt", "Kein Problem"]:
        assert not negates_request(clause), clause


def test_a_denied_defect_drops_the_complaint_for_the_other_clause():
    texts = ["Das Paket ist nicht kaputt", "es ist nur nie angekommen"]
    rankings = [[("complaint", 0.9)], [("complaint", 0.6), ("order_status", 0.4)]]
    assert read_clauses([("complaint", 0.93)], texts, rankings) == (1, [("order_status", 1.0)])


def test_an_unsure_whole_yields_to_a_surer_clause_next_to_a_negated_one():
    texts = ["nicht kaputt", "nur nicht angekommen"]
    rankings = [[("complaint", 0.5)], [("order_status", 0.8), ("complaint", 0.2)]]
    assert read_clauses([("faq", 0.55)], texts, rankings) == (1, [("order_status", 1.0)])
    assert read_clauses([("faq", 0.9)], texts, rankings) is None  # a sure whole stays


def test_a_denied_defect_drops_only_the_complaint():
    """The denied clause may read as the request the customer means: that reading stays."""
    texts = ["nicht kaputt", "nur nicht angekommen"]
    rankings = [[("order_status", 0.63), ("complaint", 0.36)], [("order_status", 0.95)]]
    assert read_clauses([("order_status", 0.99)], texts, rankings) is None


def test_a_negation_before_the_request_word_negates_it_also_further_away():
    assert negates_request("Bitte die Bestellung 100237 nicht stornieren")
    assert negates_request("ich will noch nichts zurückschicken")
    # a participle describes, a question of ability asks about the request
    assert not negates_request("die Bestellung ist nicht storniert worden")
    assert not negates_request("warum kann ich nicht stornieren")


def test_not_cancel_but_change_the_address_reads_the_address_change():
    texts = split_clauses(
        "Bitte die Bestellung 100237 nicht stornieren! Ich möchte nur, dass sie an meine neue "
        "Adresse geht."
    )
    rankings = [
        [("cancel_order", 0.9)],
        [("cancel_order", 0.5), ("order_status", 0.3), ("change_address", 0.2)],
        [("cancel_order", 0.4), ("change_address", 0.6)],
    ]
    index, ranking = read_clauses([("cancel_order", 0.8)], texts, rankings)
    assert index == 2 and ranking[0][0] == "change_address"


def test_a_revocation_in_the_middle_takes_back_what_came_before():
    texts = split_clauses("storniere mal 100236... ne warte, lass doch, ich brauch das zelt ja")
    assert texts[1:3] == ["ne warte", "lass doch"] and revokes("ne warte")
    rankings = [[("cancel_order", 0.9)], [], [], [("cancel_order", 0.7)]]
    assert read_clauses([("cancel_order", 0.9)], texts, rankings) == STOP
    texts = split_clauses(
        "Ach, vergessen Sie es. Ich habe die Anleitung gefunden, die Lampe geht doch."
    )
    rankings = [[("greet", 0.6)], [], [("complaint", 0.7)], [("complaint", 0.8)]]
    assert read_clauses([("complaint", 0.8)], texts, rankings) == STOP


def test_a_request_after_the_revocation_is_the_reading():
    texts = ["storniere 100236", "ach nein doch nicht", "wo ist meine Bestellung 100237"]
    rankings = [[("cancel_order", 0.9)], [], [("cancel_order", 0.3), ("order_status", 0.7)]]
    index, ranking = read_clauses([("cancel_order", 0.9)], texts, rankings)
    assert index == 2 and ranking[0][0] == "order_status"


def test_the_request_word_names_what_is_dropped_whatever_the_clause_reads_as():
    texts = ["Ich will keine Reklamation", "nur wissen wie der Stand ist"]
    rankings = [[("account_help", 0.6)], [("complaint", 0.55), ("order_status", 0.45)]]
    index, ranking = read_clauses([("complaint", 0.69)], texts, rankings)
    assert index == 1 and ranking[0][0] == "order_status"


def test_the_clause_left_next_to_a_negated_request_wins_even_when_weaker():
    texts = ["keine Reklamation", "nur wissen wie der Stand ist"]
    rankings = [[("complaint", 0.9)], [("complaint", 0.6), ("order_status", 0.2), ("faq", 0.2)]]
    index, ranking = read_clauses([("complaint", 0.9)], texts, rankings)
    assert index == 1 and ranking[0] == ("order_status", 0.5)
    rankings[1] = [("complaint", 0.6), ("order_status", 0.1), ("faq", 0.1), ("greet", 0.2)]
    assert read_clauses([("complaint", 0.9)], texts, rankings) == DENY  # nothing clear left


def test_a_request_the_other_clause_names_is_not_dropped():
    texts = ["bitte nicht zurückschicken", "umtauschen"]
    rankings = [[("return_item", 0.9)], [("return_item", 0.8)]]
    assert read_clauses([("return_item", 0.9)], texts, rankings) is None  # the exchange is a return
    texts = ["kein Umtausch bitte", "ich will mein Geld zurück"]
    rankings = [[("return_item", 0.9)], [("payment_issue", 0.6), ("return_item", 0.4)]]
    assert read_clauses([("payment_issue", 0.6)], texts, rankings) is None


def test_no_new_case_keeps_the_topic_the_old_case_is_meant():
    # actions/cases.py reports the case on file for "keine neue Reklamation, nur den Stand"
    assert not negates_request("Ich will keine neue Reklamation")
    assert not negates_request("nicht noch eine Rücksendung")
    assert negates_request("ich will keine Reklamation")


def test_a_sure_whole_reading_loses_the_share_of_the_negated_request():
    from bot.rasa_plugins.clauses import WHOLE

    texts = ["i mog des ned zruckschicka", "i wui nur wissen was der versand kostet"]
    rankings = [[("return_item", 0.9)], [("faq", 0.8)]]
    whole = [("faq", 0.8), ("return_item", 0.15), ("order_status", 0.05)]
    index, ranking = read_clauses(whole, texts, rankings)
    assert index == WHOLE and [n for n, _ in ranking] == ["faq", "order_status"]
    assert abs(ranking[0][1] - 0.8 / 0.85) < 1e-9


def test_denying_the_act_of_a_scam_next_to_another_request_reads_as_that_request():
    """Held-out run 4, d15: "Ich habe keinen Link angeklickt. Bitte tragen Sie mich aus dem
    Newsletter aus." was read as the phishing topic again (whole 0.95); the denied act drops it."""
    text = "Ich habe keinen Link angeklickt. Bitte tragen Sie mich aus dem Newsletter aus."
    parts = split_clauses(text)
    whole = [("suspicious_message", 0.95), ("faq", 0.05)]
    assert needs_clause_reading(text, whole)
    rankings = [
        [("suspicious_message", 0.9), ("deny", 0.1)],
        [("faq", 0.6), ("suspicious_message", 0.4)],
    ]
    index, ranking = read_clauses(whole, parts, rankings)  # type: ignore[misc]
    assert index == 1 and ranking[0][0] == "faq"


def test_a_denied_scam_act_next_to_more_talk_of_the_scam_stays_the_scam():
    """ "nichts eingegeben, nur den Link geöffnet - ist das schlimm?" is still about the scam."""
    text = "Ich habe nichts eingegeben, nur den Link aufgemacht. Ist das gefährlich?"
    whole = [("suspicious_message", 0.95), ("faq", 0.05)]
    assert not needs_clause_reading(text, whole)
    parts = split_clauses(text)
    rankings = [[("suspicious_message", 0.9)], [("suspicious_message", 0.9)], [("faq", 0.6)]]
    assert read_clauses(whole, parts, rankings) is None
