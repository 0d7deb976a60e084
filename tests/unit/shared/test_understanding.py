"""Reading Rasa's parse data into the columns the hub stores, and masking learned examples."""

from bot.shared.understanding import Reading, masked_display, masked_example, read_parse, slim_parse

FALLBACK_PARSE = {
    "text": "blablub",
    "intent": {"name": "nlu_fallback", "confidence": 0.4},
    "intent_ranking": [
        {"name": "nlu_fallback", "confidence": 0.4},
        {"name": "order_status", "confidence": 0.2134567},
        {"name": "greet", "confidence": 0.1},
        {"name": "thank", "confidence": 0.05},
    ],
    "mood": {"score": 0.25, "signals": ["x"]},
}


def test_a_fallback_keeps_the_best_real_guess():
    reading = read_parse(FALLBACK_PARSE)
    assert reading == Reading("nlu_fallback", "order_status", 0.2135, 0.25)
    assert reading.fallback
    assert reading.columns() == {
        "intent": "nlu_fallback",
        "top_intent": "order_status",
        "confidence": 0.2135,
        "mood": 0.25,
    }


def test_faq_questions_are_read_with_their_retrieval_key():
    parse = {
        "intent": {
            "name": "faq",
            "confidence": 0.97,
            "full_retrieval_intent_name": "faq/shipping_costs",
        }
    }
    assert read_parse(parse) == Reading("faq/shipping_costs", "faq/shipping_costs", 0.97, None)


def test_anything_malformed_reads_as_unknown():
    for parse in (
        None,
        "x",
        {},
        {"intent": "order_status"},
        {"intent": {"confidence": True}},
        {"intent": {"name": "nlu_fallback"}, "intent_ranking": "nope"},
    ):
        reading = read_parse(parse)  # type: ignore[arg-type]
        assert reading.confidence is None and reading.top_intent in (None, "order_status")


def test_slim_parse_keeps_no_text_and_the_top_three():
    slim = slim_parse(FALLBACK_PARSE)
    assert (
        "text" not in slim and len(slim["intent_ranking"]) == 3 and slim["mood"] == {"score": 0.25}
    )
    assert read_parse(slim) == read_parse(FALLBACK_PARSE)


def test_personal_values_are_masked():
    text = "Bestellung KD-100234 und 123456, Mail a.b@web.de, Tel +49 170 1234567"
    assert masked_example(text) == (
        "Bestellung [100000](order_id) und [100000](order_id), Mail [kunde@example.com](email), "
        "Tel 0000000"
    )
    assert (
        masked_display(text)
        == "Bestellung [Bestellnummer] und [Bestellnummer], Mail [E-Mail], Tel [Telefon]"
    )
