from bot.dialogue.faq_reading import as_faq


def test_a_parse_read_as_one_faq_answer_has_the_key_where_the_classifier_puts_it():
    parse = {
        "text": "x",
        "intent": {"name": "order_status", "confidence": 0.7},
        "intent_ranking": [{"name": "faq", "confidence": 0.2}, {"name": "order_status"}],
        "context": {"seen": 1},
    }
    read = as_faq(parse, "newsletter", 0.9, read_as="order_status")
    assert read["intent"] == {
        "name": "faq",
        "confidence": 0.9,
        "full_retrieval_intent_name": "faq/newsletter",
    }
    assert [r["name"] for r in read["intent_ranking"]] == ["faq", "order_status"]
    response = read["response_selector"]["faq"]["response"]
    assert response["intent_response_key"] == "faq/newsletter" and response["confidence"] == 0.9
    assert read["context"] == {"seen": 1, "read_as": "order_status"}
    assert parse["intent"]["name"] == "order_status"  # the original is not changed
