"""FAQ keys as classes: their probabilities fold into `faq`, the best key becomes the selector's answer."""

import pytest

from bot.rasa_plugins.retrieval import fold, selector_output

CLASSES = ["faq/delivery_time", "faq/shipping_costs", "order_status", "return_item"]


def test_keys_are_summed_into_their_retrieval_intent():
    ranking, keys = fold(CLASSES, [0.2, 0.25, 0.35, 0.2])
    assert ranking[0] == (
        "faq",
        pytest.approx(0.45),
    )  # neither key alone beats order_status; together they do
    assert [name for name, _ in ranking] == ["faq", "order_status", "return_item"]
    assert keys["faq"][0] == ("faq/shipping_costs", pytest.approx(0.25 / 0.45))
    assert sum(p for _, p in keys["faq"]) == pytest.approx(1.0)


def test_without_retrieval_labels_nothing_changes():
    ranking, keys = fold(["greet", "thank"], [0.3, 0.7])
    assert ranking == [("thank", 0.7), ("greet", 0.3)] and keys == {}


def test_selector_output_has_the_response_selector_shape():
    _, keys = fold(CLASSES, [0.1, 0.6, 0.2, 0.1])
    out = selector_output(keys, {"utter_faq/shipping_costs": [{"text": "4,95 €"}]})
    assert out["all_retrieval_intents"] == ["faq"]
    response = out["faq"]["response"]
    assert response["intent_response_key"] == "faq/shipping_costs"
    assert response["utter_action"] == "utter_faq/shipping_costs"
    assert response["responses"] == [{"text": "4,95 €"}]
    assert [r["intent_response_key"] for r in out["faq"]["ranking"]] == [
        "faq/shipping_costs",
        "faq/delivery_time",
    ]
