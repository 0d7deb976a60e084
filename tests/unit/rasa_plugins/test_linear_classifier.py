import numpy as np
import pytest
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.constants import INTENT, TEXT
from rasa.shared.nlu.training_data.features import Features
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.rasa_plugins.linear_classifier import LinearIntentClassifier

EXAMPLES = {
    "order_status": [
        "wo ist mein paket",
        "wann kommt meine bestellung",
        "paket noch nicht da",
        "sendungsverfolgung bitte",
    ],
    "cancel_order": [
        "bestellung stornieren",
        "ich will stornieren",
        "storno bitte",
        "bestellung zurückziehen",
    ],
    "greet": ["hallo", "guten tag", "servus", "moin"],
}


def message(text, intent=None, vector=None):
    msg = Message({TEXT: text, **({INTENT: intent} if intent else {})})
    if vector is not None:
        msg.add_features(Features(np.array([vector]), "sentence", TEXT, "use"))
    return msg


def test_trains_persists_and_predicts(tmp_path):
    storage = LocalModelStorage(tmp_path)
    resource = Resource("linear")
    context = ExecutionContext(GraphSchema({}), "test")
    component = LinearIntentClassifier.create({}, storage, resource, context)
    data = TrainingData(
        [
            message(t, intent, [i, 1.0 - i])
            for i, (intent, texts) in enumerate(EXAMPLES.items())
            for t in texts
        ]
    )
    component.train(data)
    loaded = LinearIntentClassifier.load({}, storage, resource, context)
    probe = [
        message("wo bleibt mein paket", vector=[0, 1]),
        message("hallo zusammen", vector=[2, -1]),
    ]
    loaded.process(probe)
    assert probe[0].get(INTENT)["name"] == "order_status"
    assert probe[1].get(INTENT)["name"] == "greet"
    ranking = probe[0].get("intent_ranking")
    assert len(ranking) == 3 and abs(sum(r["confidence"] for r in ranking) - 1.0) < 1e-6


def test_gibberish_gets_low_confidence(tmp_path):
    storage, resource = LocalModelStorage(tmp_path), Resource("linear")
    component = LinearIntentClassifier.create(
        {}, storage, resource, ExecutionContext(GraphSchema({}), "test")
    )
    component.train(
        TrainingData([message(t, intent) for intent, texts in EXAMPLES.items() for t in texts])
    )
    known, gibberish = message("wo ist das paket"), message("xqzv blorp fnord")
    component.process([known, gibberish])
    assert known.get(INTENT)["confidence"] > 0.3
    assert gibberish.get(INTENT)["confidence"] <= 0.2


FAQ = {
    **EXAMPLES,
    "faq/shipping_costs": [
        "was kostet der versand",
        "versandkosten",
        "wie teuer ist das porto",
        "versand gratis?",
    ],
    "faq/return_policy": [
        "wie lange kann ich zurückgeben",
        "rückgaberecht",
        "rückgabefrist",
        "wie ist die frist",
    ],
    "thank": ["danke", "vielen dank", "danke schön", "merci"],
    "goodbye": ["tschüss", "auf wiedersehen", "ciao", "bis bald"],
}


def faq_message(text, label):
    intent, _, key = label.partition("/")
    data = {TEXT: text, INTENT: intent}
    if key:
        data["intent_response_key"] = label
    return Message(data)


def trained_with_faq(tmp_path):
    storage, resource = LocalModelStorage(tmp_path), Resource("linear")
    context = ExecutionContext(GraphSchema({}), "test")
    component = LinearIntentClassifier.create({}, storage, resource, context)
    component.train(
        TrainingData([faq_message(t, label) for label, texts in FAQ.items() for t in texts])
    )
    return LinearIntentClassifier.load({}, storage, resource, context)


def test_faq_keys_fold_into_faq_and_fill_the_response_selector(tmp_path):
    component = trained_with_faq(tmp_path)
    probe = message("was kostet bei euch der versand")
    component.process([probe])
    assert probe.get(INTENT)["name"] == "faq"
    names = [r["name"] for r in probe.get("intent_ranking")]
    assert "faq" in names and not any("/" in name for name in names)
    assert (
        probe.get("response_selector")["faq"]["response"]["intent_response_key"]
        == "faq/shipping_costs"
    )


def test_thanks_and_goodbye_in_one_message_is_a_goodbye(tmp_path):
    component = trained_with_faq(tmp_path)
    both, thanks = message("danke und tschüss"), message("danke schön")
    component.process([both, thanks])
    assert both.get(INTENT)["name"] == "goodbye"
    assert thanks.get(INTENT)["name"] == "thank"


def test_clause_reading_can_be_switched_off(tmp_path):
    component = trained_with_faq(tmp_path)
    component.config["split_clauses"] = False
    both = message("danke danke und tschüss")
    component.process([both])
    assert both.get(INTENT)["name"] == "thank"


def test_temperature_is_fitted_and_stored(tmp_path):
    component = trained_with_faq(tmp_path)
    assert component.temperature != 1.0 and 0.05 <= component.temperature <= 20


def test_an_order_number_next_to_words_is_left_out_of_the_ngrams():
    from bot.rasa_plugins.linear_classifier import _text
    from bot.rasa_plugins.masker import MASKED_TEXT

    status = Message(
        {TEXT: "Bestellstatus KD-112093 bitte", MASKED_TEXT: "Bestellstatus bestellnummer bitte"}
    )
    assert _text(status, drop_values=True) == "bestellstatus bitte"
    assert _text(status) == "bestellstatus bestellnummer bitte"
    bare = Message({TEXT: "KD-112093", MASKED_TEXT: "bestellnummer"})
    assert _text(bare, drop_values=True) == "bestellnummer"
    mail = Message(
        {
            TEXT: "hallo, kannst du mir helfen? anna@example.com, wo is mei packl",
            MASKED_TEXT: "unused",
        }
    )
    assert _text(mail, drop_values=True) == "wo ist mein paket"


def test_sqrt_balanced_weights_small_classes_less_than_balanced(tmp_path):
    component = LinearIntentClassifier.create(
        {"class_weight": "sqrt_balanced"},
        LocalModelStorage(tmp_path),
        Resource("linear"),
        ExecutionContext(GraphSchema({}), "test"),
    )
    weights = component._weights(["a"] * 8 + ["b"] * 2)
    assert weights == {"a": pytest.approx((10 / 16) ** 0.5), "b": pytest.approx((10 / 4) ** 0.5)}
    assert (
        LinearIntentClassifier.create(
            {},
            LocalModelStorage(tmp_path),
            Resource("linear"),
            ExecutionContext(GraphSchema({}), "test"),
        )._weights(["a", "b"])
        == "balanced"
    )


def test_a_message_that_negates_a_request_reads_each_clause_with_its_own_vector(
    tmp_path, monkeypatch
):
    from bot.rasa_plugins import linear_classifier

    storage, resource = LocalModelStorage(tmp_path), Resource("linear")
    context = ExecutionContext(GraphSchema({}), "test")
    component = LinearIntentClassifier.create({}, storage, resource, context)
    vectors = {"order_status": [0.0, 1.0], "cancel_order": [1.0, 0.0], "greet": [2.0, -1.0]}
    component.train(
        TrainingData([message(t, i, vectors[i]) for i, texts in EXAMPLES.items() for t in texts])
    )
    embedded = []

    def embed(texts):
        embedded.extend(texts)
        return np.array(
            [vectors["cancel_order" if "storn" in t else "order_status"] for t in texts]
        )

    monkeypatch.setattr(linear_classifier, "embed", embed)
    # the whole message's vector leans to the cancellation the customer negates
    probe = message("bitte nicht stornieren, wo ist mein paket", vector=vectors["cancel_order"])
    component.process([probe])
    assert embedded[:2] == ["bitte nicht stornieren", "wo ist mein paket"]
    assert probe.get(INTENT)["name"] == "order_status"


def test_a_second_question_the_whole_message_drowns_is_read_with_its_own_vector(
    tmp_path, monkeypatch
):
    """Issue 22.5: "wo ist mein paket, und kann ich noch stornieren?" - the whole message's vector
    leans to the status, so the second clause is not read surely; read again with its own vector
    it is a cancellation. Only such a clause costs an encoder call."""
    from bot.rasa_plugins import clauses, linear_classifier

    storage, resource = LocalModelStorage(tmp_path), Resource("linear")
    context = ExecutionContext(GraphSchema({}), "test")
    component = LinearIntentClassifier.create({}, storage, resource, context)
    vectors = {"order_status": [0.0, 1.0], "cancel_order": [1.0, 0.0], "greet": [2.0, -1.0]}
    component.train(
        TrainingData([message(t, i, vectors[i]) for i, texts in EXAMPLES.items() for t in texts])
    )
    embedded = []

    def embed(texts):
        embedded.extend(texts)
        return np.array([vectors["cancel_order" if "storn" in t else "greet"] for t in texts])

    monkeypatch.setattr(linear_classifier, "embed", embed)
    monkeypatch.setattr(clauses, "OTHER_REQUEST_CONFIDENCE", 0.6)
    probe = message("wo ist mein paket, und kann ich noch stornieren?", vector=[0.0, 1.0])
    component.process([probe])
    assert probe.get(INTENT)["name"] == "order_status"
    assert embedded == ["kann ich noch stornieren"]
    assert [r["intent"] for r in probe.get("other_requests")] == ["cancel_order"]
    embedded.clear()
    component.process([message("wo ist mein paket, hallo", vector=[0.0, 1.0])])
    component.process([message("kann ich bestellen und im laden abholen?", vector=[0.0, 1.0])])
    assert embedded == []  # one question (or none besides): no encoder call


def test_the_requests_a_message_refuses_are_in_the_parse(tmp_path):
    """Held-out persona run 2, d16: "NICHT stornieren" lists the refused cancellation for the
    actions ("bleibt bestehen"); a message without a refusal lists nothing."""
    storage, resource = LocalModelStorage(tmp_path), Resource("linear")
    context = ExecutionContext(GraphSchema({}), "test")
    component = LinearIntentClassifier.create({}, storage, resource, context)
    component.train(TrainingData([message(t, i) for i, texts in EXAMPLES.items() for t in texts]))
    refused, plain = (
        message("bitte nicht stornieren, wo ist mein paket"),
        message("wo ist mein paket"),
    )
    component.process([refused, plain])
    assert refused.get("declined_requests") == ["cancel_order"]
    assert plain.get("declined_requests") is None
    worried = message("ich habe angst, dass meine bestellung storniert wird")
    component.process([worried])
    assert worried.get(INTENT)["name"] != "cancel_order"  # a worry about it, no request
