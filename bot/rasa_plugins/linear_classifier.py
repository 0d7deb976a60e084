"""Intent classifier: logistic regression on TF-IDF n-grams plus the USE sentence vector.

Measured on our data (same 80/20 split, see README) it generalises better than
DIET did: customers' typos and dialect are caught by character n-grams,
paraphrases by the multilingual sentence embedding, and a linear model on 1,300
examples does not overfit the way a neural classifier does.

The trained model is stored without pickle (loading a pickle runs whatever
code the file names, so a swapped model file would be code execution in
Rasa): numeric arrays as .npy files read with `allow_pickle=False`, and the
labels, vocabularies and parameters as JSON. Loading rebuilds the same
scikit-learn objects from them; a file holding a pickle is refused.
"""

from __future__ import annotations

import json
import logging
import re
from collections import Counter
from pathlib import Path
from typing import Any, Dict, List, Tuple

import numpy as np
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.shared.nlu.constants import INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData
from scipy.sparse import csr_matrix, hstack
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import FeatureUnion

from bot.dialogue.questions import question_clauses
from bot.dialogue.sentence_encoder import embed
from bot.dialogue.spelling import fold_spelling
from bot.rasa_plugins import calibration, clauses, retrieval
from bot.rasa_plugins.masker import MASKED_TEXT, mask_spans
from bot.rasa_plugins.normalizer import feature_text

log = logging.getLogger(__name__)
MODEL_FILE = (
    "linear_intent.json"  # labels, vocabularies, parameters; arrays in linear_intent.<name>.npy
)
LEGACY_PICKLE = "linear_intent.pkl"  # written before the pickle-free format; never opened
FORMAT = "kundendialog.linear_intent/2"  # /2: temperature and retrieval responses
JSON_TYPES = (str, int, float, bool, type(None), list, tuple)
OTHER_REQUESTS = "other_requests"  # parse data: further requests in the message (issue 22.5)
DECLINED_REQUESTS = (
    "declined_requests"  # parse data: requests the message refuses ("nicht stornieren")
)
CLAUSE_VERDICT_CONFIDENCE = (
    0.9  # a negated request read as deny, a revoked one as stop (clauses.py)
)
_LETTER = re.compile(r"[^\W\d_]")


class ModelFileError(Exception):
    """The stored intent model is not in the expected pickle-free format (tampered, or from an older version)."""


def _plain_params(estimator: Any) -> Dict[str, Any]:
    """The constructor parameters that JSON can hold (ours are all plain values; e.g. dtype keeps its default)."""
    return {
        key: value
        for key, value in estimator.get_params(deep=False).items()
        if isinstance(value, JSON_TYPES)
    }


def _save_array(directory: Path, name: str, array: np.ndarray) -> None:
    np.save(
        directory / f"linear_intent.{name}.npy",
        np.asarray(array, dtype=np.float64),
        allow_pickle=False,
    )


def _load_array(directory: Path, name: str) -> np.ndarray:
    try:
        array = np.load(directory / f"linear_intent.{name}.npy", allow_pickle=False)
    except ValueError as exc:  # e.g. "Object arrays cannot be loaded when allow_pickle=False"
        raise ModelFileError(f"linear_intent.{name}.npy refused: {exc}") from exc
    if not isinstance(array, np.ndarray) or array.dtype != np.float64:
        raise ModelFileError(f"linear_intent.{name}.npy: expected float64 numbers")
    return array


def save_model(
    directory: Path,
    vectorizer: FeatureUnion,
    model: LogisticRegression,
    temperature: float = 1.0,
    responses: Dict[str, Any] | None = None,
) -> None:
    """Vectorizers and classifier as JSON plus .npy arrays (see the module docstring)."""
    vectorizers = []
    for name, tfidf in vectorizer.transformer_list:
        vectorizers.append(
            {
                "name": name,
                "params": _plain_params(tfidf),
                "vocabulary": {term: int(index) for term, index in tfidf.vocabulary_.items()},
            }
        )
        _save_array(directory, f"{name}.idf", tfidf.idf_)
    _save_array(directory, "coef", model.coef_)
    _save_array(directory, "intercept", model.intercept_)
    meta = {
        "format": FORMAT,
        "vectorizers": vectorizers,
        "classifier": {
            "params": _plain_params(model),
            "classes": [str(c) for c in model.classes_],
            "n_features": int(model.coef_.shape[1]),
        },
        "temperature": float(temperature),
        "responses": responses or {},
    }
    (directory / MODEL_FILE).write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")


def load_model(directory: Path) -> Tuple[FeatureUnion, LogisticRegression, Dict[str, Any]]:
    """The fitted objects rebuilt from `save_model`'s files; ModelFileError for anything else."""
    try:
        meta = json.loads((directory / MODEL_FILE).read_text(encoding="utf-8"))
        if meta.get("format") != FORMAT:
            raise ModelFileError(f"{MODEL_FILE}: unknown format {meta.get('format')!r}")
        parts = []
        for spec in meta["vectorizers"]:
            params = {k: tuple(v) if isinstance(v, list) else v for k, v in spec["params"].items()}
            tfidf = TfidfVectorizer(**params)
            tfidf.vocabulary_ = {
                str(term): int(index) for term, index in spec["vocabulary"].items()
            }
            tfidf.idf_ = _load_array(
                directory, f"{spec['name']}.idf"
            )  # checks the length against the vocabulary
            parts.append((str(spec["name"]), tfidf))
        classifier = meta["classifier"]
        model = LogisticRegression(**classifier["params"])
        model.classes_ = np.array([str(c) for c in classifier["classes"]])
        model.coef_, model.intercept_ = (
            _load_array(directory, "coef"),
            _load_array(directory, "intercept"),
        )
        model.n_features_in_ = int(classifier["n_features"])
        temperature = float(meta["temperature"])
        if not 0 < temperature < float("inf"):
            raise ValueError(f"temperature {temperature}")
        extras = {"temperature": temperature, "responses": dict(meta["responses"])}
    except (
        KeyError,
        TypeError,
        ValueError,
        AttributeError,
    ) as exc:  # json.JSONDecodeError is a ValueError
        raise ModelFileError(f"{MODEL_FILE}: {exc!r}") from exc
    rows = 1 if len(model.classes_) == 2 else len(model.classes_)
    if model.coef_.shape != (rows, model.n_features_in_) or model.intercept_.shape != (rows,):
        raise ModelFileError(
            f"{MODEL_FILE}: array shapes do not match {len(model.classes_)} classes"
        )
    return FeatureUnion(parts), model, extras


def _text(message: Message, drop_values: bool = False) -> str:
    """What the n-grams see: masked, normalised (normalizer.py) and with one spelling of umlauts and ß.

    With `drop_values`, an order number or e-mail address next to other words is left out rather
    than replaced by its placeholder: the placeholder "bestellnummer" is also a word customers
    type ("wo finde ich die bestellnummer") and the whole of most `inform` examples, so it pulled
    "bestellstatus KD-112093" or "where is my order 150882" towards inform and the order-number
    FAQ. A message that is nothing but such a value keeps the placeholder."""
    if drop_values:
        raw = str(message.get(TEXT) or "")
        spans = mask_spans(raw)
        for start, end, _ in reversed(spans):
            raw = raw[:start] + " " + raw[end:]
        if spans and _LETTER.search(raw):
            return fold_spelling(" ".join(feature_text(raw).split()))
    return fold_spelling(str(message.get(MASKED_TEXT) or message.get(TEXT) or ""))


def _dense(message: Message) -> np.ndarray | None:
    _, sentence = message.get_dense_features(TEXT)
    return None if sentence is None else np.asarray(sentence.features).reshape(-1)


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=True)
class LinearIntentClassifier(IntentClassifier, GraphComponent):
    """Also the FAQ answer selector: trained on `faq/<key>` labels (see retrieval.py), so no
    ResponseSelector is needed; confidences are temperature-scaled (calibration.py) and
    two-part messages are read by their substantive clause (clauses.py)."""

    @staticmethod
    def get_default_config() -> Dict[str, Any]:
        # C, dense_weight and class_weight chosen by 5-fold CV on data/nlu and on xSID de.valid (README).
        return {
            "C": 30.0,
            "dense_weight": 1.5,
            "class_weight": "balanced",
            "ranking_length": 10,
            "max_iter": 3000,
            "unknown_words_factor": 0.2,
            "calibration_folds": 3,
            "split_clauses": True,
            "word_ngrams": [1, 2],
            "char_ngrams": [2, 5],
            "drop_entity_values": False,
        }

    def __init__(
        self, config: Dict[str, Any], model_storage: ModelStorage, resource: Resource
    ) -> None:
        self.config = {**self.get_default_config(), **config}
        self._storage, self._resource = model_storage, resource
        self.vectorizer: FeatureUnion | None = None
        self.model: LogisticRegression | None = None
        self.temperature = 1.0
        self._class_weight: str | Dict[str, float] | None = self.config["class_weight"]
        self.responses: Dict[
            str, Any
        ] = {}  # utter_faq/<key> -> response texts, for the selector output

    @classmethod
    def create(
        cls,
        config: Dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> LinearIntentClassifier:
        return cls(config, model_storage, resource)

    def _matrix(
        self, messages: List[Message], fit: bool = False, texts: List[str] | None = None
    ) -> csr_matrix:
        texts = texts if texts is not None else [self._text(m) for m in messages]
        assert self.vectorizer is not None
        sparse = self.vectorizer.fit_transform(texts) if fit else self.vectorizer.transform(texts)
        dense = [_dense(m) for m in messages]
        vectors = [d for d in dense if d is not None]
        if len(vectors) != len(dense):
            return csr_matrix(sparse)
        return csr_matrix(
            hstack([sparse, csr_matrix(np.vstack(vectors) * self.config["dense_weight"])])
        )

    def _text(self, message: Message) -> str:
        return _text(message, bool(self.config["drop_entity_values"]))

    def _weights(self, labels: List[str]) -> str | Dict[str, float] | None:
        """sklearn's class_weight; "sqrt_balanced" is the square root of "balanced": small classes
        (the newer FAQ keys have 13-20 examples) count more, but not so much that they attract
        every short message nobody wrote an example like."""
        setting = self.config["class_weight"]
        if setting != "sqrt_balanced":
            return setting  # type: ignore[no-any-return]
        counts = Counter(labels)
        return {
            label: float(np.sqrt(len(labels) / (len(counts) * n))) for label, n in counts.items()
        }

    def _new_model(self) -> LogisticRegression:
        return LogisticRegression(
            C=self.config["C"], max_iter=self.config["max_iter"], class_weight=self._class_weight
        )

    def train(self, training_data: TrainingData) -> Resource:
        examples = [m for m in training_data.intent_examples if m.get(TEXT) and m.get(INTENT)]
        labels = [m.get_full_intent() for m in examples]  # faq/<key>: one class per FAQ topic
        self.vectorizer = FeatureUnion(
            [
                (
                    "words",
                    TfidfVectorizer(
                        ngram_range=tuple(self.config["word_ngrams"]), sublinear_tf=True
                    ),
                ),
                (
                    "chars",
                    TfidfVectorizer(
                        analyzer="char_wb",
                        ngram_range=tuple(self.config["char_ngrams"]),
                        sublinear_tf=True,
                    ),
                ),
            ]
        )
        features = self._matrix(examples, fit=True)
        self._class_weight = self._weights(labels)
        self.model = self._new_model().fit(features, labels)
        classes = [str(c) for c in self.model.classes_]
        held_out = calibration.held_out_scores(
            features,
            labels,
            classes,
            lambda x, y: self._new_model().fit(x, y),
            folds=self.config["calibration_folds"],
        )
        if held_out is not None:
            self.temperature = calibration.fit_temperature(
                held_out, [classes.index(label) for label in labels]
            )
        log.info("intent classifier: %d classes, temperature %.2f", len(classes), self.temperature)
        self.responses = {
            key: value
            for key, value in (training_data.responses or {}).items()
            if any(key == f"utter_{label}" for label in classes if retrieval.SEPARATOR in label)
        }
        with self._storage.write_to(self._resource) as directory:
            save_model(directory, self.vectorizer, self.model, self.temperature, self.responses)
        return self._resource

    @classmethod
    def load(
        cls,
        config: Dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> LinearIntentClassifier:
        component = cls(config, model_storage, resource)
        try:
            with model_storage.read_from(resource) as directory:
                if (directory / MODEL_FILE).exists():
                    component.vectorizer, component.model, extras = load_model(directory)
                    component.temperature, component.responses = (
                        extras["temperature"],
                        extras["responses"],
                    )
                elif (directory / LEGACY_PICKLE).exists():
                    raise ModelFileError(
                        "the intent model was stored with pickle by an older version and is not "
                        "loaded: train again (`make train`)"
                    )
                else:
                    log.warning("no trained intent model found in the model archive")
        except ValueError:  # read_from: this resource is not in the model archive
            log.warning("no trained intent model found in the model archive")
        return component

    def probabilities(self, messages: List[Message], texts: List[str] | None = None) -> np.ndarray:
        """Calibrated class probabilities (columns in `model.classes_` order)."""
        assert self.model is not None
        scores = self.model.decision_function(self._matrix(messages, texts=texts))
        if scores.ndim == 1:
            scores = np.stack([-scores / 2, scores / 2], axis=1)
        return calibration.scaled_probabilities(scores, self.temperature)

    def _rank(self, row: np.ndarray, text: str) -> Tuple[List[Tuple[str, float]], Dict[str, Any]]:
        assert self.model is not None
        row = row * self._familiarity(text)
        return retrieval.fold([str(c) for c in self.model.classes_], [float(p) for p in row])

    def process(self, messages: List[Message]) -> List[Message]:
        todo = [m for m in messages if m.get(TEXT)]
        if self.model is None or not todo:
            return messages
        for message, row in zip(todo, self.probabilities(todo), strict=True):
            ranking, keys = self._rank(row, self._text(message))
            if self.config["split_clauses"] and clauses.needs_clause_reading(
                self._text(message), ranking
            ):
                ranking, keys = self._read_by_clause(message, ranking, keys)
            described = clauses.only_described(self._text(message))
            if self.config["split_clauses"] and ranking[0][0] in described:
                # "Ich habe Angst, dass meine Bestellung storniert wird": asks about it, wants none
                ranking = clauses.without(ranking, described) or ranking
            message.set(
                INTENT, {"name": ranking[0][0], "confidence": ranking[0][1]}, add_to_output=True
            )
            message.set(
                "intent_ranking",
                [
                    {"name": name, "confidence": p}
                    for name, p in ranking[: self.config["ranking_length"]]
                ],
                add_to_output=True,
            )
            if keys:
                message.set(
                    "response_selector",
                    retrieval.selector_output(keys, self.responses),
                    add_to_output=True,
                )
            others = self._other_requests(message, ranking, keys)
            if others:  # "Was kostet der Versand und wo ist mein Paket?": the actions answer both
                message.set(OTHER_REQUESTS, others, add_to_output=True)
            declined = self._declined(message)
            if declined:  # "NICHT stornieren": the actions say the order stays as it is
                message.set(DECLINED_REQUESTS, declined, add_to_output=True)
        return messages

    def _other_requests(
        self, message: Message, ranking: List[Tuple[str, float]], keys: Dict[str, Any]
    ) -> List[Dict[str, Any]]:
        """Requests in other clauses than the one the message is read as (clauses.other_requests;
        one more classifier call for messages with several clauses, none for the rest).

        Each clause is read with its own words and the whole message's sentence vector, which leans
        to the request the message is read as: "was kostet der Expressversand" next to "wo ist meine
        Bestellung" fell below the bar and the second question was lost. The other clauses that
        are a question of their own (questions.question_clauses: not "online bestellen und in der
        Filiale abholen", one question) and are not read surely (clauses.drowned) are read again
        with their own sentence vectors: one encoder call, for such messages only."""
        if not self.config["split_clauses"] or not ranking:
            return []
        text = self._text(message)
        parts = [fold_spelling(part) for part in clauses.split_clauses(text)]
        if len(parts) < 2:
            return []
        rows = self.probabilities([message] * len(parts), texts=parts)
        readings = [self._rank(row, part) for row, part in zip(rows, parts, strict=True)]
        faq_keys = keys.get("faq") or []
        chosen_key = str(faq_keys[0][0]) if faq_keys else None
        read = question_clauses(text)
        questions = [fold_spelling(q) for q in read]
        # quoted back as the customer wrote them (the features' text is masked and respelled)
        typed = question_clauses(str(message.get(TEXT) or ""))
        written = typed if len(typed) == len(read) else read
        unsure = clauses.drowned(text, parts, [r for r, _ in readings], ranking[0][0], questions)
        if unsure and _dense(message) is not None:
            own = self._own_readings([parts[i] for i in unsure])
            for i, reading in zip(unsure, own, strict=True):
                readings[i] = reading
        return clauses.other_requests(
            text,
            ranking[0][0],
            chosen_key,
            parts,
            readings,
            list(zip(questions, written, strict=True)),
        )

    def _declined(self, message: Message) -> List[str]:
        """The requests the message refuses (clauses.declined_requests), read from its clauses."""
        if not self.config["split_clauses"]:
            return []
        text = self._text(message)
        return clauses.declined_requests([fold_spelling(p) for p in clauses.split_clauses(text)])

    def _read_by_clause(
        self, message: Message, ranking: List[Tuple[str, float]], keys: Dict[str, Any]
    ) -> Tuple[List[Tuple[str, float]], Dict[str, Any]]:
        """Each clause scored with its own words and the whole message's sentence vector (USE runs once per
        message); the message takes the reading clauses.read_clauses picks: a clause's, a negated
        request's `deny`, a revocation's `stop`, or the whole's."""
        parts = [fold_spelling(part) for part in clauses.split_clauses(self._text(message))]
        if not parts:
            return ranking, keys
        own = clauses.takes_something_back(parts) or ranking[0][0] in clauses.ENTITY_ONLY
        if len(parts) > 1 and own and _dense(message) is not None:
            readings = self._own_readings(parts)
        else:
            rows = self.probabilities([message] * len(parts), texts=parts)
            readings = [self._rank(row, part) for row, part in zip(rows, parts, strict=True)]
        chosen = clauses.read_clauses(ranking, parts, [r for r, _ in readings])
        if chosen is None:
            return ranking, keys
        if isinstance(chosen, str):  # the request was negated or revoked
            rest = [(n, p * (1 - CLAUSE_VERDICT_CONFIDENCE)) for n, p in ranking if n != chosen]
            return [(chosen, CLAUSE_VERDICT_CONFIDENCE), *rest], {}
        index, taken = chosen
        return taken, keys if index == clauses.WHOLE else readings[index][1]

    def _own_readings(
        self, parts: List[str]
    ) -> List[Tuple[List[Tuple[str, float]], Dict[str, Any]]]:
        """Each clause scored with its own words and its own sentence vector. A message that negates
        or takes back a request is read by what is left, and the whole message's vector still leans
        to the very request that was negated ("keine Reklamation, nur wissen, wie der Stand ist"
        read as a cancellation once the complaint is dropped); a message read as its order number
        or e-mail has its questions drowned by that vector ("zwei Dinge zu 100236: ist die Zahlung
        durch, und …? meine Mail ist …" was read as a bare `inform`). One more encoder call, for
        such messages only."""
        assert self.model is not None and self.vectorizer is not None
        sparse = self.vectorizer.transform(parts)
        dense = csr_matrix(embed(parts) * self.config["dense_weight"])
        scores = self.model.decision_function(csr_matrix(hstack([sparse, dense])))
        if scores.ndim == 1:
            scores = np.stack([-scores / 2, scores / 2], axis=1)
        rows = calibration.scaled_probabilities(scores, self.temperature)
        return [self._rank(row, part) for row, part in zip(rows, parts, strict=True)]

    def _familiarity(self, text: str) -> float:
        """A linear model is confident even on gibberish; when not one word of the
        message was ever seen in training, scale confidence down so the
        FallbackClassifier asks back instead of guessing."""
        assert self.vectorizer is not None
        words = self.vectorizer.transformer_list[0][1]
        tokens = words.build_analyzer()(text)
        unigrams = [t for t in tokens if " " not in t]
        if not unigrams or any(t in words.vocabulary_ for t in unigrams):
            return 1.0
        return float(self.config["unknown_words_factor"])

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data
