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

from kundendialog.rasa_ext.masker import MASKED_TEXT

log = logging.getLogger(__name__)
MODEL_FILE = "linear_intent.json"  # labels, vocabularies, parameters; arrays in linear_intent.<name>.npy
LEGACY_PICKLE = "linear_intent.pkl"  # written before the pickle-free format; never opened
FORMAT = "kundendialog.linear_intent/1"
JSON_TYPES = (str, int, float, bool, type(None), list, tuple)


class ModelFileError(Exception):
    """The stored intent model is not in the expected pickle-free format (tampered, or from an older version)."""


def _plain_params(estimator: Any) -> Dict[str, Any]:
    """The constructor parameters that JSON can hold (ours are all plain values; e.g. dtype keeps its default)."""
    return {key: value for key, value in estimator.get_params(deep=False).items() if isinstance(value, JSON_TYPES)}


def _save_array(directory: Path, name: str, array: np.ndarray) -> None:
    np.save(directory / f"linear_intent.{name}.npy", np.asarray(array, dtype=np.float64), allow_pickle=False)


def _load_array(directory: Path, name: str) -> np.ndarray:
    try:
        array = np.load(directory / f"linear_intent.{name}.npy", allow_pickle=False)
    except ValueError as exc:  # e.g. "Object arrays cannot be loaded when allow_pickle=False"
        raise ModelFileError(f"linear_intent.{name}.npy refused: {exc}") from exc
    if not isinstance(array, np.ndarray) or array.dtype != np.float64:
        raise ModelFileError(f"linear_intent.{name}.npy: expected float64 numbers")
    return array


def save_model(directory: Path, vectorizer: FeatureUnion, model: LogisticRegression) -> None:
    """Vectorizers and classifier as JSON plus .npy arrays (see the module docstring)."""
    vectorizers = []
    for name, tfidf in vectorizer.transformer_list:
        vectorizers.append({"name": name, "params": _plain_params(tfidf),
                            "vocabulary": {term: int(index) for term, index in tfidf.vocabulary_.items()}})
        _save_array(directory, f"{name}.idf", tfidf.idf_)
    _save_array(directory, "coef", model.coef_)
    _save_array(directory, "intercept", model.intercept_)
    meta = {"format": FORMAT, "vectorizers": vectorizers,
            "classifier": {"params": _plain_params(model), "classes": [str(c) for c in model.classes_],
                           "n_features": int(model.coef_.shape[1])}}
    (directory / MODEL_FILE).write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")


def load_model(directory: Path) -> Tuple[FeatureUnion, LogisticRegression]:
    """The fitted objects rebuilt from `save_model`'s files; ModelFileError for anything else."""
    try:
        meta = json.loads((directory / MODEL_FILE).read_text(encoding="utf-8"))
        if meta.get("format") != FORMAT:
            raise ModelFileError(f"{MODEL_FILE}: unknown format {meta.get('format')!r}")
        parts = []
        for spec in meta["vectorizers"]:
            params = {k: tuple(v) if isinstance(v, list) else v for k, v in spec["params"].items()}
            tfidf = TfidfVectorizer(**params)
            tfidf.vocabulary_ = {str(term): int(index) for term, index in spec["vocabulary"].items()}
            tfidf.idf_ = _load_array(directory, f"{spec['name']}.idf")  # checks the length against the vocabulary
            parts.append((str(spec["name"]), tfidf))
        classifier = meta["classifier"]
        model = LogisticRegression(**classifier["params"])
        model.classes_ = np.array([str(c) for c in classifier["classes"]])
        model.coef_, model.intercept_ = _load_array(directory, "coef"), _load_array(directory, "intercept")
        model.n_features_in_ = int(classifier["n_features"])
    except (KeyError, TypeError, ValueError, AttributeError) as exc:  # json.JSONDecodeError is a ValueError
        raise ModelFileError(f"{MODEL_FILE}: {exc!r}") from exc
    rows = 1 if len(model.classes_) == 2 else len(model.classes_)
    if model.coef_.shape != (rows, model.n_features_in_) or model.intercept_.shape != (rows,):
        raise ModelFileError(f"{MODEL_FILE}: array shapes do not match {len(model.classes_)} classes")
    return FeatureUnion(parts), model


def _text(message: Message) -> str:
    return str(message.get(MASKED_TEXT) or message.get(TEXT) or "").lower()


def _dense(message: Message) -> np.ndarray | None:
    _, sentence = message.get_dense_features(TEXT)
    return None if sentence is None else np.asarray(sentence.features).reshape(-1)


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=True)
class LinearIntentClassifier(IntentClassifier, GraphComponent):
    @staticmethod
    def get_default_config() -> Dict[str, Any]:
        return {"C": 10.0, "dense_weight": 2.0, "ranking_length": 10, "max_iter": 3000, "unknown_words_factor": 0.2}

    def __init__(self, config: Dict[str, Any], model_storage: ModelStorage, resource: Resource) -> None:
        self.config = {**self.get_default_config(), **config}
        self._storage, self._resource = model_storage, resource
        self.vectorizer: FeatureUnion | None = None
        self.model: LogisticRegression | None = None

    @classmethod
    def create(cls, config: Dict[str, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> LinearIntentClassifier:
        return cls(config, model_storage, resource)

    def _matrix(self, messages: List[Message], fit: bool = False) -> csr_matrix:
        texts = [_text(m) for m in messages]
        assert self.vectorizer is not None
        sparse = self.vectorizer.fit_transform(texts) if fit else self.vectorizer.transform(texts)
        dense = [_dense(m) for m in messages]
        vectors = [d for d in dense if d is not None]
        if len(vectors) != len(dense):
            return csr_matrix(sparse)
        return csr_matrix(hstack([sparse, csr_matrix(np.vstack(vectors) * self.config["dense_weight"])]))

    def train(self, training_data: TrainingData) -> Resource:
        examples = [m for m in training_data.intent_examples if m.get(TEXT) and m.get(INTENT)]
        self.vectorizer = FeatureUnion([
            ("words", TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True)),
            ("chars", TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True)),
        ])
        self.model = LogisticRegression(C=self.config["C"], max_iter=self.config["max_iter"])
        self.model.fit(self._matrix(examples, fit=True), [m.get(INTENT) for m in examples])
        with self._storage.write_to(self._resource) as directory:
            save_model(directory, self.vectorizer, self.model)
        return self._resource

    @classmethod
    def load(cls, config: Dict[str, Any], model_storage: ModelStorage, resource: Resource,
             execution_context: ExecutionContext, **kwargs: Any) -> LinearIntentClassifier:
        component = cls(config, model_storage, resource)
        try:
            with model_storage.read_from(resource) as directory:
                if (directory / MODEL_FILE).exists():
                    component.vectorizer, component.model = load_model(directory)
                elif (directory / LEGACY_PICKLE).exists():
                    raise ModelFileError("the intent model was stored with pickle by an older version and is not "
                                         "loaded: train again (`make train`)")
                else:
                    log.warning("no trained intent model found in the model archive")
        except ValueError:  # read_from: this resource is not in the model archive
            log.warning("no trained intent model found in the model archive")
        return component

    def process(self, messages: List[Message]) -> List[Message]:
        todo = [m for m in messages if m.get(TEXT)]
        if self.model is None or not todo:
            return messages
        probabilities = self.model.predict_proba(self._matrix(todo))
        for message, row in zip(todo, probabilities):
            row = row * self._familiarity(_text(message))
            pairs = sorted(zip(self.model.classes_, row), key=lambda pair: -float(pair[1]))
            ranking = [{"name": str(name), "confidence": float(p)} for name, p in pairs]
            message.set(INTENT, ranking[0], add_to_output=True)
            message.set("intent_ranking", ranking[: self.config["ranking_length"]], add_to_output=True)
        return messages

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
        return self.config["unknown_words_factor"]

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data
