import pytest

from bot.dialogue.form_refusal import read_form_refusal, refuses


def parse(text, intent="order_status", entities=()):
    return {"text": text, "intent": {"name": intent, "confidence": 0.8}, "entities": list(entities)}


@pytest.mark.parametrize(
    "text",
    [
        "moment, ich hab doch noch nichts bestellt",
        "Ich habe noch keine Bestellung, ich überlege nur.",
        "ich möchte den schlafsack erst noch kaufen",
        "Nein, ich will keine Rechnung haben!",
        "I mog koa Rücksendung, i hob nur gfragt",
        "I don't want a refund, I only asked about sizes",
        "I haven't ordered anything yet",
        "Stopp. Ich wollte nur was wissen.",
        "Ich hab noch nix gekauft, ich frag VORHER.",  # held-out run 8, e12 t5
        "Eine Frage vorab, bestellt habe ich noch nichts.",
        "ich will das vorher wissen, bevor ich bestelle",
    ],
)
def test_a_form_without_an_order_is_left(text):
    read = read_form_refusal(parse(text), "verify_form", None)
    assert read["intent"]["name"] == "stop"
    assert read["context"] == {"read_as": "order_status", "form_refused": True}


@pytest.mark.parametrize(
    "text",
    [
        "ich habe keine Bestellnummer",
        "Die Rechnung ist nie angekommen",
        "hab ich bestellt, aber nichts bekommen",
        "halt die Jacke mal gegen das Licht: ist das ein Loch?",  # "halt" is no stop here
        "Ich habe vorher schon gefragt, wo mein Paket ist",
    ],
)
def test_other_answers_keep_their_reading(text):
    assert not refuses(text)
    assert read_form_refusal(parse(text), "verify_form", None)["intent"]["name"] == "order_status"


def test_only_inside_a_form_without_an_order_number():
    text = "ich will keine Rechnung"
    assert read_form_refusal(parse(text), None, None)["intent"]["name"] == "order_status"
    assert (
        read_form_refusal(parse(text), "verify_form", "100234")["intent"]["name"] == "order_status"
    )
    named = parse("keine Rechnung, nur der Status von 100234", entities=[{"entity": "order_id"}])
    assert read_form_refusal(named, "verify_form", None)["intent"]["name"] == "order_status"
    person = parse(text, intent="request_human")
    assert read_form_refusal(person, "verify_form", None) is person


@pytest.mark.parametrize(
    "text, left",
    [
        ("Nein, mit dem Artikel ist gar nichts, ich will nur wissen, wann er kommt.", True),
        ("an der Jacke ist nichts kaputt", True),
        ("There is nothing wrong with the jacket, I asked about delivery", True),
        ("Mit dem Reißverschluss ist nichts mehr zu machen", False),  # that is the defect
        ("Der Reißverschluss ist kaputt", False),
    ],
)
def test_a_complaint_form_started_by_mistake_is_left_even_with_an_order(text, left):
    """Held-out run 8, e15: a delivery question got "Was stimmt mit dem Artikel nicht?" three times,
    also after "mit dem Artikel ist nichts!"."""
    read = read_form_refusal(parse(text, intent="complaint"), "complaint_form", "100234")
    assert (read["intent"]["name"] == "stop") is left
    other = read_form_refusal(parse(text, intent="complaint"), "return_form", "100234")
    assert other["intent"]["name"] == "complaint"
