import pytest

from bot.dialogue.order_number_given import has_order_number, read_given_number


def parse(text, key, ranking, confidence=0.9, entities=()):
    return {
        "text": text,
        "intent": {"name": "faq", "confidence": confidence},
        "entities": list(entities),
        "response_selector": {
            "faq": {
                "response": {"intent_response_key": f"faq/{key}", "confidence": ranking[0][1]},
                "ranking": [
                    {"intent_response_key": f"faq/{k}", "confidence": c} for k, c in ranking
                ],
            }
        },
    }


def key_of(read):
    return read["response_selector"]["faq"]["response"]["intent_response_key"]


@pytest.mark.parametrize(
    "text",
    [
        "Meine Nummer ist 100238, wie lange habe ich Zeit zum Zahlen?",
        "hab doch die nr. KD-100231 genannt",
    ],
)
def test_a_given_number_is_never_asked_where_it_is(text):
    read = read_given_number(
        parse(
            text,
            "no_order_number",
            [("no_order_number", 0.6), ("order_number_help", 0.3), ("invoice_due", 0.1)],
        )
    )
    assert key_of(read) == "faq/invoice_due"
    assert read["context"]["order_number_given"] is True
    # as sure as the runner-up: 0.9 x 0.1, an unsure reading the help pages compete with
    assert read["intent"]["confidence"] == pytest.approx((0.9 * 0.1) ** 0.5)


def test_without_a_number_the_reading_stays():
    before = parse(
        "ich finde die Nummer nicht",
        "no_order_number",
        [("no_order_number", 0.9), ("contact", 0.1)],
    )
    assert read_given_number(before) is before


def test_other_answers_and_intents_stay():
    other = parse("Bestellung 100238: wann zahle ich?", "invoice_due", [("invoice_due", 0.9)])
    assert read_given_number(other) is other
    status = {**other, "intent": {"name": "order_status", "confidence": 0.99}}
    assert read_given_number(status) is status


def test_a_number_found_by_the_entity_extractor_counts():
    assert has_order_number(
        {"text": "die da", "entities": [{"entity": "order_id", "value": "100234"}]}
    )
    assert not has_order_number({"text": "Telefon 0171 2345678", "entities": []})
