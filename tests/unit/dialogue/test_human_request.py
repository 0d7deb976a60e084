import pytest

from bot.dialogue.human_request import accepts_offer, asks_for_person
from tests.trackers import user_event


@pytest.mark.parametrize(
    "text",
    [
        "Dann will ich einen Menschen sprechen.",
        "Dann verbinden Sie mich mit jemandem.",
        "kannst du mich bitte mit nem echten menschen verbinden",
        "Bitte leiten Sie an einen Mitarbeiter weiter, die Rechnung ist falsch.",
        "Stellen Sie mich zu Ihrem Vorgesetzten durch",
        "Ich will einen Mitarbeiter!",
        "Können Sie mich nicht zurückrufen lassen?",
        "Ich hätte gern einen Rückruf",
        # "give me (to) a person", also in dialect (held-out persona run 2, d09)
        "So, jetzt langt's. Gebt's mi an an Kollegen.",
        "Geben Sie mir bitte einen Mitarbeiter",
        "Geben Sie mich an einen Menschen weiter, bitte",
        "gib mir halt jemanden vom Kundenservice",
    ],
)
def test_explicit_requests_for_a_person(text):
    assert asks_for_person(text)


@pytest.mark.parametrize(
    "text",
    [
        "Ich will keinen Menschen sprechen, nur wissen wo mein Paket ist",
        "Wer ist da überhaupt zuständig?",
        "ich habe schon mit einem mitarbeiter gesprochen",
        "Meine Frau hat mit jemandem gesprochen und soll jetzt schreiben",
        "Bitte nicht weiterleiten, ich kläre das hier",
        "Bitte nicht anrufen, ich schreibe lieber",
        "Ich habe gestern schon einen Rückruf bekommen",
        "Geben Sie mir keinen Menschen, ich will nur die Rechnung",
        "Geben Sie mir bitte einfach mein Geld zurück",
    ],
)
def test_no_request_for_a_person(text):
    assert not asks_for_person(text)


def offer_then(text, question="utter_order_delayed"):
    return [
        {"event": "bot", "text": "…", "metadata": {"utter_action": question}},
        user_event(text, "nlu_fallback"),
    ]


@pytest.mark.parametrize(
    "text, accepted",
    [
        ("ja", True),
        ("Ja gern", True),
        ("Ja, bitte eine Nachforschung starten.", True),
        ("ja bitte, verbinden Sie mich", True),
        ("Ich will, dass jemand bei DHL nachforscht. Sofort.", True),
        ("Was macht ein Mitarbeiter da anders?", False),
        ("ja ok, ich warte noch", False),
        ("ja, aber mein Paket fehlt trotzdem noch", False),
        ("nein danke", False),
        ("ok, danke trotzdem", False),
        ("Okay, passt schon, danke.", False),
        ("ok thanks anyway", False),
        ("Okay, danke.", False),  # acknowledges the answer and closes: no handoff
        ("ok thanks", False),
        ("alles klar, vielen Dank!", False),
        ("ja, danke", True),  # a yes word with the thanks is a yes
        ("ok bitte", True),
    ],
)
def test_a_yes_to_the_offer_of_a_person(text, accepted):
    assert accepts_offer(offer_then(text)) is accepted


def test_a_yes_to_another_question_is_no_request():
    assert not accepts_offer(offer_then("ja", "utter_anything_else"))


@pytest.mark.parametrize(
    "text",
    [
        "Nein, das ist falsch. Das muss sich ein Mensch ansehen.",
        "Ein Mitarbeiter soll sich das bitte anschauen",
        "Chan ich bitte mit öpperem rede?",
        "Cha ich mit oepperem vom Kundedienscht schwätze",
    ],
)
def test_a_person_to_look_at_it_and_swiss_someone_ask_for_a_person(text):
    assert asks_for_person(text)


@pytest.mark.parametrize(
    "text",
    ["Hat sich schon jemand das angesehen?", "ich will nicht mit öpperem rede"],
)
def test_a_question_whether_someone_looked_or_a_refusal_is_no_request(text):
    assert not asks_for_person(text)


@pytest.mark.parametrize(
    "text, asked",
    [
        ("I just told you. Pass my deletion request to a colleague.", True),
        ("can I speak to a real person please", True),
        ("please connect me with customer service", True),
        ("hand this over to your team", True),
        ("I don't want to talk to a human, just tell me", False),
        ("my colleague ordered it for me", False),
        ("did you pass it to a colleague already?", False),  # asks what happened
    ],
)
def test_english_requests_for_a_person(text, asked):
    assert asks_for_person(text) is asked


def answer_with_person_button(text):
    """A plain answer whose only button leads to a person, then the customer's message."""
    button = {"title": "Zum Kundenservice", "payload": "/request_human"}
    return [
        {
            "event": "bot",
            "text": "… oder ich gebe es an einen Kollegen weiter.",
            "data": {"buttons": [button]},
        },
        user_event(text, "stop"),
    ]


@pytest.mark.parametrize(
    "text, accepted",
    [
        ("Ja, reichen Sie das bitte weiter. Und melden Sie sich, wenn es erledigt ist.", True),
        ("ja gib das weiter", True),
        ("nein, das mache ich lieber selbst per Mail", False),
        ("Schade. Dann schreibe ich Ihren Kollegen selbst.", False),
    ],
)
def test_a_yes_to_an_answer_whose_only_button_is_a_person(text, accepted):
    assert accepts_offer(answer_with_person_button(text)) is accepted


@pytest.mark.parametrize(
    "text",
    [
        "Please get me a real person.",
        "Just put me through to someone, please",
        "I want a human.",
        "Ich sagte ja - bitte an Ihr Team weitergeben.",
    ],
)
def test_more_ways_to_ask_for_a_person(text):
    assert asks_for_person(text)


@pytest.mark.parametrize(
    "text",
    ["I don't want to get a person involved, just tell me the price", "Did your team get my mail?"],
)
def test_a_person_named_without_asking_for_one(text):
    assert not asks_for_person(text)


@pytest.mark.parametrize(
    "text",
    [
        # held-out run 7, d22: a person asked for by the language (own words)
        "I cannot read German. Could someone who speaks English write to me? erik@example.se",
        "Can somebody please e-mail me about this?",
        "Could a colleague who speaks English call me?",
    ],
)
def test_an_english_speaking_person_asked_for(text):
    assert asks_for_person(text)


@pytest.mark.parametrize(
    "text",
    [
        "I am an English speaker, where is my order?",
        "No need for someone who speaks English, I can use a translator.",
        "I do not speak German. How much is shipping?",
        # a question when, with the matter at the team already (tests/conversations/team_questions)
        "When will somebody get back to me?",
        "When can someone e-mail me?",
        # whether there is one: the English capabilities answer it (tests/replies/feelings_language)
        "Sorry, I do not speak German. Is there anyone here who speaks English?",
    ],
)
def test_speaking_english_alone_asks_for_nobody(text):
    assert not asks_for_person(text)


def test_a_refusal_of_the_person_in_dialect_is_no_acceptance():
    """Held-out run 8, e06: "Na, ka Kundenservice" (Viennese: no, no customer service) is a no."""
    for text in ["Naa, i mog ka Kundenservice. Sogn S' ma's afoch.", "Naa! Koa Mitarbeiter!"]:
        assert not accepts_offer(offer_then(text, "utter_knowledge_none")), text
        assert not asks_for_person(text), text
    assert accepts_offer(offer_then("Na klar, zum Kundenservice bitte", "utter_knowledge_none"))
