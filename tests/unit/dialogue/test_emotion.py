"""Feelings beyond frustration (issue 22, pattern 7): which one a message shows."""

import pytest

from bot.dialogue.emotion import emotion_of


@pytest.mark.parametrize(
    "text, name",
    [
        ("Die Merino-Socken sind der Hammer, vielen Dank 😊", "joy"),
        ("Wollte nur sagen: die Jacke ist super, bin total zufrieden!", "joy"),
        ("Mein Vater ist verstorben, ich möchte seine Bestellung stornieren", "grief"),
        ("Meine Mutter ist letzten Monat gestorben. Wie kündige ich ihr Kundenkonto?", "grief"),
        # English and Swiss, Austrian, Bavarian forms (persona run 5, d23/d26)
        ("Our father passed away in May and we want to send back his boots", "grief"),
        ("I lost my wife in October, can the order be cancelled?", "grief"),
        ("my grandpa died on sunday, he had ordered a tent", "grief"),
        # a death told without "gestorben" (held-out run 7, d28)
        ("Unser Sohn ist im Sommer tödlich verunglückt, sein Zelt kam noch.", "grief"),
        ("Mein Onkel ist bei einem Unfall ums Leben gekommen.", "grief"),
        ("Meine Schwester lebt nicht mehr, ihr Paket ist trotzdem gekommen.", "grief"),
        ("My late mother ordered this jacket", "grief"),
        ("Min Vater isch letscht Wuche gstorbe", "grief"),
        ("Mei Oma is vastorbn, des Packerl braucht koana mehr", "grief"),
        ("da Opa is gstorbn", "grief"),
        # a thing that "died" or was "lost" is no death
        ("My headlamp died after two nights", "neutral"),
        ("I lost my order confirmation, where is 100234?", "neutral"),
        ("I lost my son's parcel slip, can you resend it?", "neutral"),
        ("I passed on the parcel to my neighbour", "neutral"),
        ("Ich mache mir Sorgen, ob das Geschenk rechtzeitig ankommt", "worry"),
        ("Das ist das dritte Mal, dass die Lieferung nicht klappt. Ich bin stinksauer!", "anger"),
        ("Der Bote war wieder nicht da. Unfassbar!!", "anger"),
        ("Die Jacke hat einen Riss, das ist ärgerlich", "frustration"),
        ("Was kostet der Versand?", "neutral"),
        ("Das Zelt ist mit einem Riss angekommen", "neutral"),  # a fact, not a feeling
    ],
)
def test_the_feeling_of_a_message(text, name):
    assert emotion_of(text).name == name


@pytest.mark.parametrize(
    "text",
    [
        "Ich habe eine Mail mit einem Link bekommen, ich soll mein Passwort eingeben. Ist das Betrug?",
        "Ist diese SMS von euch echt? Da steht ein Link, ich soll meine TAN bestätigen",
        "Mir kommt die E-Mail verdächtig vor, angeblich von Waldmann",
    ],
)
def test_worry_about_a_suspicious_message_is_marked_phishing(text):
    emotion = emotion_of(text)
    assert emotion.name == "worry" and emotion.phishing


@pytest.mark.parametrize(
    "text",
    [
        "nicht schlecht, die Jacke",  # negated complaint word: calm (the mood score's negation)
        "kein Problem, danke",
        "keine Sorge, alles gut",  # negated worry is no worry
    ],
)
def test_negation_keeps_calm_messages_calm(text):
    assert emotion_of(text).name in ("neutral", "joy")
    assert not emotion_of(text).negative


@pytest.mark.parametrize(
    "text",
    [
        "die jacke ist nicht toll",  # negated praise
        "Tolle Jacke, aber leider kaputt angekommen",  # praise next to a problem
        "super, schon wieder nicht geliefert",
    ],
)
def test_praise_next_to_a_problem_or_negated_is_no_joy(text):
    assert emotion_of(text).name != "joy"


def test_grief_and_worry_count_as_calm_for_escalation():
    from bot.dialogue.escalation import mood_of
    from tests.trackers import user_event

    phishing = "Ich soll über einen Link mein Passwort eingeben. Ist das Betrug?"
    assert mood_of(user_event(phishing, "account_help", mood=0.8)) == 0.0
    assert mood_of(user_event("Mein Vater ist gestorben", "cancel_order", mood=0.6)) == 0.0
    assert mood_of(user_event("Ich bin stinksauer!", "frustration", mood=0.6)) == 0.6


@pytest.mark.parametrize(
    "text",
    [
        "ich sag dir, die wollsocken sind echt mega, die besten die ich je hatte 😍",
        "Die neue Regenjacke ist richtig gut, danke euch!",
        "der schlafsack ist einfach genial ❤️",
    ],
)
def test_praise_in_everyday_words_and_heart_emojis_is_joy(text):
    """Issue 22.7: praise is thanked, never answered as a defect."""
    assert emotion_of(text).name == "joy"


@pytest.mark.parametrize(
    "text",
    [
        "Ich habe 98 cm Brustumfang. Welche Größe empfehlen Sie mir bei der Fleecejacke?",
        "Was ist das beste Zelt für zwei Personen?",
        "Welcher Schlafsack ist der beste für den Winter?",
    ],
)
def test_asking_for_advice_is_no_praise(text):
    """A question about what is best or what to recommend asks; it praises nothing."""
    assert emotion_of(text).name == "neutral"


def test_saying_one_is_sauer_and_angry_faces_are_anger():
    """Persona run 2 (d19): "ich bin so sauer echt" after "!!!" was read as neutral."""
    assert emotion_of("falsche größe geliefert!!! ich bin so sauer echt").name == "anger"
    assert emotion_of("wo bleibt mein paket 😡").name == "anger"
    assert emotion_of("Die Gurken im Glas sind sauer geworden").name != "anger"


@pytest.mark.parametrize(
    "text",
    [
        "ey wo bleibt meine lieferung 😤 nummer 100234",
        "Echt jetzt? Die Bestellung 100234 ist nicht da.",
        "schon wieder kein paket, 100234",
        "das nervt langsam, wo ist 100234",
        "Wie lange denn noch? Bestellung 100242",
    ],
)
def test_annoyance_a_polarity_score_misses_is_frustration(text):
    """Persona run 2 (d14): a huffing face or "echt jetzt?" is no calm message, and no anger either."""
    assert emotion_of(text).name == "frustration"


def test_a_huffing_face_with_exclamation_marks_stays_anger():
    assert emotion_of("Wo ist mein Paket 100234?! 😤").name == "anger"


def test_english_feelings_come_from_cues_not_the_german_lexicon():
    # held-out persona run 4, d19: "problem", "not" and the "down" of a down jacket are negative
    # German words; a calm English complaint was read as anger ("I understand your anger")
    for text in [
        "Hi, there is a problem with the down jacket from order 100235, I'd like to complain.",
        "I'm not angry at all. Nothing is wrong, I only want to send it back.",
    ]:
        assert emotion_of(text).name == "neutral", text
    assert emotion_of("This is unacceptable, the parcel is two weeks late!").name == "anger"
    assert emotion_of("Seriously? Still nothing from you.").name == "frustration"


@pytest.mark.parametrize(
    "text",
    [
        "Klasse, vielen Dank! Und darf ich den Schlafsack dort auch mal ausprobieren?",
        "Danke! Die Schuhe waren übrigens prima, nur etwas eng. Bekomme ich die eine Nummer größer bei euch",
        "Top Beratung. Kann ich auch per Rechnung zahlen",
    ],
)
def test_praise_beside_a_question_is_no_joy(text):
    """Held-out persona run 6 (d09/d17): a question next to praise got only "Danke für Ihre netten
    Worte"; the question is what needs the answer."""
    assert emotion_of(text).name != "joy"


def test_an_exclamation_with_a_question_word_stays_praise():
    assert emotion_of("Wie toll, die Jacke ist super!").name == "joy"
