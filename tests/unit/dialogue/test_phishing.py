"""The phishing safety text needs a real phishing cue (bot/dialogue/phishing.py, persona run problem 4)."""

import pytest

from bot.dialogue.phishing import (
    SUSPICIOUS,
    asks_money_back,
    entered_kind,
    has_cue,
    read_entered_data,
    read_money_back,
    read_phishing,
    says_blocked,
)


@pytest.mark.parametrize(
    "text",
    [
        "Da kam eine SMS mit einem Link, ich soll meine Lieferung bezahlen. Sind Sie das?",
        "Ist die Mail mit dem Gutschein echt oder ist das Betrug?",
        "Jemand will per Telefon meine TAN wissen",
        "mir ist eine verdächtige nachricht gekommen",
        "ich hab auf den link geklickt, was jetzt",
        "Soll ich mein Passwort ändern?",
        "Is this e-mail really from you? It wants my password",
    ],
)
def test_a_phishing_question_has_a_cue(text):
    assert has_cue(text)


@pytest.mark.parametrize(
    "text",
    [
        "Ja, passt so. Und das Geld landet dann auf der Karte meines Mannes, richtig?",
        "brauche ich dafür ein Konto oder muss ich mich anmelden?",
        "Kann ich den Link zum Rücksendeportal auch am Handy öffnen?",
        "Wo finde ich den Link zur Sendungsverfolgung?",
    ],
)
def test_a_question_without_a_cue_is_no_phishing_question(text):
    assert not has_cue(text)


def parse(text: str) -> dict:
    return {
        "text": text,
        "intent": {"name": SUSPICIOUS, "confidence": 0.6},
        "intent_ranking": [
            {"name": SUSPICIOUS, "confidence": 0.6},
            {"name": "faq", "confidence": 0.3},
        ],
    }


def test_without_a_cue_the_next_reading_is_taken():
    read = read_phishing(parse("muss ich mich vorher irgendwo anmelden?"), advised=False)
    assert read["intent"]["name"] == "faq"
    assert [r["name"] for r in read["intent_ranking"]] == ["faq"]
    assert read["context"]["read_as"] == SUSPICIOUS


def test_a_cue_or_the_advice_just_given_keeps_the_reading():
    cued = parse("Die SMS will meine Kontodaten, ist das Betrug?")
    assert read_phishing(cued, advised=False) is cued
    follow_up = parse("reicht es, wenn ich das Fenster einfach zumache?")
    assert read_phishing(follow_up, advised=True) is follow_up
    other = {**parse("wo ist mein Paket"), "intent": {"name": "order_status", "confidence": 0.9}}
    assert read_phishing(other, advised=False) is other


@pytest.mark.parametrize(
    "text, kind",
    [
        ("Ich hab da leider schon meine Kreditkartendaten eingegeben", "card"),
        ("hab die kartennummer und die cvc eingetippt", "card"),
        ("soll ich die karte bei der bank sperren lassen?", "card"),
        ("meine IBAN hab ich da angegeben", "bank"),
        ("Zugang fürs Online-Banking eingegeben", "bank"),
        ("ich habe mein paypal passwort eingegeben", "password"),
        ("ICH HABE DATEN EINGEGEBEN, was jetzt", "data"),
        ("ich hab nur draufgeklickt, nichts eingegeben", None),
        ("geklickt, aber ohne etwas einzugeben", None),
        ("Kann man die Bestellung noch sperren?", None),
        ("ich habe meine neue Adresse angegeben", None),
    ],
)
def test_what_was_typed_in(text, kind):
    assert entered_kind(text) == kind


def parse_of(text, intent, key=None):
    return {
        "text": text,
        "intent": {"name": intent, "confidence": 0.8, "full_retrieval_intent_name": key},
        "intent_ranking": [{"name": intent, "confidence": 0.8}],
    }


def test_card_data_typed_in_is_the_phishing_question_not_the_privacy_text():
    parse = parse_of("DATEN EINGEGEBEN. kartennummer und cvc. was jetzt", "faq", "faq/privacy")
    assert read_entered_data(parse, phished=True)["intent"]["name"] == SUSPICIOUS
    fresh = parse_of("Ich habe meine Kartendaten in den Link aus der SMS eingegeben", "faq")
    assert read_entered_data(fresh, phished=False)["intent"]["name"] == SUSPICIOUS


def test_card_data_without_a_fraud_context_keeps_its_reading():
    """A failed checkout ("Kartendaten eingegeben, Zahlung geht nicht") is no phishing question."""
    parse = parse_of(
        "Ich habe meine Kartendaten eingegeben, aber die Zahlung geht nicht", "payment"
    )
    assert read_entered_data(parse, phished=False) is parse
    human = parse_of("Kartendaten eingegeben, bitte ein Mensch", "request_human")
    assert read_entered_data(human, phished=True) is human


def test_right_after_the_advice_a_click_read_as_something_else_is_the_follow_up():
    parse = parse_of("hab schon draufgeklickt, aber nichts eingetippt", "order_status")
    assert read_phishing(parse, advised=True)["intent"]["name"] == SUSPICIOUS
    assert read_phishing(parse, advised=False) is parse
    human = parse_of("draufgeklickt - bitte einen Mitarbeiter", "request_human")
    assert read_phishing(human, advised=True) is human


@pytest.mark.parametrize(
    "text",
    [
        "Ich habe keinen Link angeklickt. Ich will bloß keine Werbemails mehr bekommen.",
        "Passwort hab ich nicht verraten. Aber wo bleibt eigentlich meine Bestellung 100231?",
    ],
)
def test_right_after_the_advice_a_new_topic_wins(text):
    read = read_phishing(parse(text), advised=True)
    assert read["intent"]["name"] == "faq"
    assert read["context"]["read_as"] == SUSPICIOUS
    other = parse_of(text, "order_status")
    assert read_phishing(other, advised=True) is other  # not pulled back to the safety text


@pytest.mark.parametrize(
    "text",
    [
        "Die SMS sagt, mein Paket hängt beim Zoll und ich soll per Link zahlen. Echt jetzt?",
        "hab den link geöffnet, aber nichts eingegeben. reicht das?",
    ],
)
def test_a_follow_up_about_the_link_keeps_the_safety_reading(text):
    cued = parse(text)
    assert read_phishing(cued, advised=True) is cued


@pytest.mark.parametrize(
    "text, done",
    [
        ("die karte ist schon gesperrt, hab ich doch gesagt", True),
        ("Hab die Kreditkarte gestern sperren lassen.", True),
        ("My card is already blocked, should I forward the text?", True),
        ("karte is gsperrt", True),
        ("Die Karte ist noch nicht gesperrt", False),
        ("Ist die Karte jetzt gesperrt?", False),
        ("Muss ich die Karte sperren lassen?", False),
        ("sonst wird Ihre Karte gesperrt, stand in der SMS", False),
        ("I haven't blocked the card yet", False),
    ],
)
def test_a_block_already_done_is_read_from_the_message(text, done):
    assert says_blocked(text) is done


@pytest.mark.parametrize(
    "text",
    [
        "So eine SMS wollte 1,50 € Gebühr, das hab ich bezahlt und nun fehlen 300 € auf dem Konto!",
        "Ich habe über den Link in der Mail die Nachgebühr gezahlt",
        "Nach der komischen Mail wurden mir 89 Euro abgebucht",
        "I paid the fee on that page from the text and now my money is gone",
    ],
)
def test_money_gone_or_paid_through_the_link_is_card_data_given(text):
    """Held-out persona run 6 (d10): "did it, and now 400 € are gone" got "please do not click";
    money already taken needs the card block (116 116) at once."""
    assert entered_kind(text) == "card"


@pytest.mark.parametrize(
    "text",
    [
        "Ich habe nichts bezahlt, die SMS habe ich nur bekommen",
        "Wo ist mein Geld für die Rücksendung?",
        "Ich habe die Rechnung per PayPal bezahlt",
    ],
)
def test_no_money_taken_is_no_card_data(text):
    assert entered_kind(text) is None


def test_after_the_advice_an_order_question_beside_a_fraud_word_is_the_order():
    """Held-out persona run 6 (d10): "is my order … really delivered, or was that fraud too?" got the
    card-block text a second time; one side of the "oder" is the order."""
    text = "Und mein Paket 100235 – kam das wirklich an oder war das auch ein Fake?"
    read = read_phishing(parse(text), advised=True)
    assert read["intent"]["name"] == "faq" and read["context"]["read_as"] == SUSPICIOUS


@pytest.mark.parametrize(
    "text, asks",
    [
        ("und die 2,50 die ich da eingegeben hab, bekomm ich die von euch wieder?", True),
        ("zahlt ihr das oder meine bank??", True),
        ("nein, nicht zurückschicken. ich hab auf der seite 3 € bezahlt, erstattet ihr das?", True),
        ("Will you refund the 2 euros I paid on that page?", True),
        ("Wann bekomme ich das Geld für meine Rücksendung zurück?", False),
        ("ok, karte ist gesperrt", False),
    ],
)
def test_who_pays_back_the_fraud_money_is_read(text, asks):
    assert asks_money_back(text) is asks


def test_after_the_advice_the_fraud_money_question_is_the_phishing_question():
    """Held-out run 8, e04 t5: "bekomm ich die 2,99 von euch wieder?" got the return policy."""
    text = "ok danke. und die 1,20 von der fake seite, krieg ich die von euch zurück?"
    read = read_money_back(parse_of(text, "faq"), phished=True)
    assert read["intent"]["name"] == SUSPICIOUS
    assert read_money_back(parse_of(text, "faq"), phished=False)["intent"]["name"] == "faq"
