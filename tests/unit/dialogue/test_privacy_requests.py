"""Newsletter, account deletion and data requests read from the words (held-out persona run 2)."""

from __future__ import annotations

import pytest

from bot.dialogue.privacy_requests import (
    more_topics,
    privacy_topics,
    read_bare_data,
    read_privacy_request,
)


@pytest.mark.parametrize(
    "text, topics",
    [
        ("Wie werde ich Ihren Newsletter wieder los?", ["newsletter"]),
        ("Ich will keine Werbung mehr von euch, bitte austragen.", ["newsletter"]),
        ("Und die Werbung?", ["newsletter"]),
        ("Please stop the marketing emails, how do I unsubscribe?", ["newsletter"]),
        ("Kann mein Kundenkonto gelöscht werden?", ["account_deletion"]),
        ("How can I close my account with you?", ["account_deletion"]),
        ("Löschen Sie bitte alles, was Sie an Daten über mich haben.", ["data_erasure"]),
        ("Recht auf Vergessenwerden: bitte meinen Chatverlauf entfernen", ["data_erasure"]),
        ("Could you remove everything you hold about me?", ["data_erasure"]),
        ("Was genau speichert ihr eigentlich über mich?", ["privacy"]),
        # held-out persona run 4 (d21): a GDPR access request in English got a German page quote
        ("Under GDPR please send me a copy of all personal data you hold about me.", ["privacy"]),
        ("This is a data access request for my account.", ["privacy"]),
        ("please erase all personal data you hold about me", ["data_erasure"]),
        # two requests in one message: both, the data question first
        (
            "Welche Daten haben Sie von mir? Und bitte keine Werbung mehr.",
            ["privacy", "newsletter"],
        ),
        # the account named for deletion is the account answer, not also the data one
        ("Konto und alle meine Daten bitte löschen", ["account_deletion"]),
    ],
)
def test_data_requests_are_named_from_the_words(text, topics):
    assert privacy_topics(text) == topics


@pytest.mark.parametrize(
    "text",
    [
        "Wo ist mein Paket 100234?",
        "Ich habe mein Passwort vergessen",
        "Gilt der Newsletter-Gutschein auch für reduzierte Ware?",
        "Die Jacke sah in der Werbung ganz anders aus",
        "Bitte auf mein Bankkonto erstatten, das PayPal-Konto ist gelöscht",
        "Bitte stornieren Sie die Bestellung",
        # an "Auskunft" about the order, data the return needs (full corpus, elderly_formal)
        "Ich wäre Ihnen dankbar für eine Auskunft, wann die Schuhe bei mir eintreffen.",
        "Welche Daten brauchen Sie für die Rücksendung?",
    ],
)
def test_other_messages_are_no_data_request(text):
    assert privacy_topics(text) == []


def test_a_bare_delete_it_after_a_data_answer_asks_for_the_erasure():
    assert privacy_topics("Und das können Sie nicht gleich selbst löschen?") == []
    assert privacy_topics("Und das können Sie nicht gleich selbst löschen?", True) == [
        "data_erasure"
    ]


def parse(text, intent, confidence=0.8):
    return {
        "text": text,
        "intent": {"name": intent, "confidence": confidence},
        "intent_ranking": [{"name": intent, "confidence": confidence}],
        "entities": [],
    }


def test_a_newsletter_request_read_as_an_order_status_becomes_its_faq_answer():
    """d13: "Ich bekomme jede Woche einen Newsletter" was read as order_status (the order-number form)."""
    read = read_privacy_request(
        parse("Ständig kommt euer Newsletter, ich will das nicht", "order_status")
    )
    assert read["intent"]["name"] == "faq"
    assert read["intent"]["full_retrieval_intent_name"] == "faq/newsletter"
    key = read["response_selector"]["faq"]["response"]["intent_response_key"]
    assert key == "faq/newsletter" and read["context"]["read_as"] == "order_status"


def test_the_other_requests_of_the_message_are_kept_for_the_answer():
    read = read_privacy_request(
        parse("Was speichern Sie über mich? Und keine Werbung mehr!", "faq")
    )
    assert read["intent"]["full_retrieval_intent_name"] == "faq/privacy"
    assert more_topics(read) == ["newsletter"]


@pytest.mark.parametrize("intent", ["request_human", "stop", "suspicious_message"])
def test_a_person_a_stop_or_a_phishing_mail_keep_their_reading(intent):
    text = "Verbinden Sie mich mit jemandem, ich will mein Konto löschen"
    assert read_privacy_request(parse(text, intent))["intent"]["name"] == intent


def test_a_message_without_a_data_request_is_left_as_it_is():
    original = parse("Wo bleibt mein Paket?", "order_status")
    assert read_privacy_request(original) is original


def privacy_parse(text):
    return {
        "text": text,
        "intent": {"name": "faq", "full_retrieval_intent_name": "faq/privacy"},
        "intent_ranking": [{"name": "faq"}, {"name": "product_question"}],
    }


def test_the_word_daten_alone_is_no_privacy_question():
    """Persona run 3 (d07, d13): "DATEN EINGEGEBEN" and a product's "technische Daten" got the DSGVO text."""
    for text in (
        "ICH HABE DATEN EINGEGEBEN, was jetzt",
        "Habt ihr die technischen Daten des Zelts?",
    ):
        parse = read_bare_data(privacy_parse(text))
        assert parse["intent"] == {"name": "product_question"}
        assert parse["context"]["read_as"] == "faq/privacy"


def test_a_real_privacy_question_keeps_its_answer():
    for text in ("Was macht ihr mit meinen Daten?", "Werden meine Zahlungsdaten gespeichert?"):
        parse = privacy_parse(text)
        assert read_bare_data(parse) is parse


@pytest.mark.parametrize(
    "text",
    [
        # held-out run 7 (d18): the shop is to delete, the how-to was quoted three times
        "Nein, ich will, dass SIE das Konto löschen, bitte leiten Sie das weiter.",
        "Eine Kollegin soll mein Kundenkonto löschen, ich komme nicht mehr ins Konto.",
        "Kannst du mein Konto für mich löschen? Hab keinen Zugang mehr.",
        "I can't log in anymore, please have your team delete my account.",
    ],
)
def test_a_deletion_the_shop_is_to_do_is_the_erasure_answer(text):
    assert privacy_topics(text) == ["data_erasure"]


def test_a_polite_imperative_or_a_how_to_keeps_the_account_answer():
    assert privacy_topics("Wie lösche ich mein Kundenkonto?") == ["account_deletion"]
    assert privacy_topics("Bitte löschen Sie mein Konto.") == ["account_deletion"]
    assert privacy_topics("Ich möchte, dass Sie mir das Geld erstatten.") == []


@pytest.mark.parametrize(
    "text, topics",
    [
        ("hi, bitte löscht mein kundenkonto und alle meine daten", ["data_erasure"]),
        ("könnt ihr mein konto für mich zumachen und löschen?", ["data_erasure"]),
        ("Ich komm nicht mehr rein, Passwort vergessen. Konto löschen bitte", ["data_erasure"]),
        ("Wie löscht man das Konto?", ["account_deletion"]),  # the how-to
        ("Wie kann ich mein Konto löschen?", ["account_deletion"]),
    ],
)
def test_the_shop_asked_as_ihr_or_a_locked_out_customer_gets_the_erasure(text, topics):
    """Held-out run 8, e20: "bitte löscht mein Konto … Könnt IHR das bitte löschen?" got the
    self-service text twice; the shop is asked to do it."""
    assert privacy_topics(text) == topics


@pytest.mark.parametrize(
    "text",
    [
        "Ich stelle hiermit einen Auskunftsantrag. Leiten Sie ihn bitte an Ihr Team weiter.",
        "Auskunftsersuchen nach DSGVO - bitte weitergeben, keine Mailadresse.",
        "Please forward my data access request to your team.",
    ],
)
def test_a_data_access_request_to_be_passed_on_asks_for_a_person(text):
    """Held-out run 8, e19: "Auskunftsantrag … weiterleiten" started the address form twice."""
    read = read_privacy_request(
        {"text": text, "intent": {"name": "change_address", "confidence": 0.85}}
    )
    assert read["intent"]["name"] == "request_human"
    assert read["context"]["privacy_topics"][0] == "privacy"


def test_a_data_access_question_alone_keeps_the_privacy_answer():
    text = "Welche Daten haben Sie über mich gespeichert? Auskunftsantrag nach DSGVO."
    read = read_privacy_request({"text": text, "intent": {"name": "faq", "confidence": 0.9}})
    assert read["intent"]["full_retrieval_intent_name"] == "faq/privacy"
