"""The intent model is stored without pickle: it round-trips exactly, and a pickle in its files is never loaded."""

import pickle
from pathlib import Path

import numpy as np
import pytest
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.constants import INTENT, TEXT
from rasa.shared.nlu.training_data.features import Features
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.rasa_plugins.linear_classifier import LEGACY_PICKLE, LinearIntentClassifier, ModelFileError

EXAMPLES = {
    "order_status": [
        "wo ist mein paket",
        "wann kommt meine bestellung",
        "paket noch nicht da",
        "sendungsverfolgung",
    ],
    "cancel_order": [
        "bestellung stornieren",
        "ich will stornieren",
        "storno bitte",
        "bestellung zurückziehen",
    ],
    "greet": ["hallo", "guten tag", "servus", "moin"],
    "thank": ["danke", "vielen dank", "merci", "danke schön"],
}
PROBES = [
    "wo bleibt mein paket",
    "hallo zusammen",
    "stornieren bitte",
    "xqzv blorp",
    "dankeschön für alles",
    "",
]


class Marker:
    """A pickle payload: unpickling it would create `path` (i.e. run code)."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def __reduce__(self):  # type: ignore[no-untyped-def]
        return (Path.touch, (self.path,))


def message(text, intent=None, vector=None):
    msg = Message({TEXT: text, **({INTENT: intent} if intent else {})})
    if vector is not None:
        msg.add_features(Features(np.array([vector]), "sentence", TEXT, "use"))
    return msg


def vector(text):
    return [len(text) / 10, text.count("a") / 3, 1.0]


@pytest.fixture()
def trained(tmp_path):
    (tmp_path / "storage").mkdir()
    storage, resource = LocalModelStorage(tmp_path / "storage"), Resource("linear")
    context = ExecutionContext(GraphSchema({}), "test")
    component = LinearIntentClassifier.create({}, storage, resource, context)
    component.train(
        TrainingData(
            [message(t, intent, vector(t)) for intent, texts in EXAMPLES.items() for t in texts]
        )
    )
    return component, storage, resource, context


def predictions(component):
    probes = [message(t, vector=vector(t)) for t in PROBES]
    component.process(probes)
    return [(p.get(INTENT), p.get("intent_ranking")) for p in probes]


def model_dir(storage, resource) -> Path:
    with storage.read_from(resource) as directory:
        return Path(directory)


def test_round_trip_gives_identical_predictions(trained):
    component, storage, resource, context = trained
    loaded = LinearIntentClassifier.load({}, storage, resource, context)
    assert predictions(loaded) == predictions(component)
    assert predictions(loaded)[0][0]["name"] == "order_status"


def test_files_are_json_and_plain_arrays(trained):
    _, storage, resource, _ = trained
    files = sorted(p.name for p in model_dir(storage, resource).iterdir())
    assert "linear_intent.json" in files and LEGACY_PICKLE not in files
    assert all(name.endswith((".json", ".npy")) for name in files), files
    for name in files:
        if name.endswith(".npy"):  # loads without pickle, as numbers
            assert (
                np.load(model_dir(storage, resource) / name, allow_pickle=False).dtype == np.float64
            )


def test_an_array_file_holding_a_pickle_is_refused(trained, tmp_path):
    _, storage, resource, context = trained
    marker = tmp_path / "code-ran"
    np.save(
        model_dir(storage, resource) / "linear_intent.coef.npy",
        np.array([Marker(marker)], dtype=object),
        allow_pickle=True,
    )
    with pytest.raises(ModelFileError, match="refused"):
        LinearIntentClassifier.load({}, storage, resource, context)
    assert not marker.exists()


def test_a_legacy_pickle_model_is_not_unpickled(trained, tmp_path):
    _, storage, resource, context = trained
    directory = model_dir(storage, resource)
    for path in directory.iterdir():
        path.unlink()
    marker = tmp_path / "code-ran"
    (directory / LEGACY_PICKLE).write_bytes(pickle.dumps(Marker(marker)))
    with pytest.raises(ModelFileError, match="train again"):
        LinearIntentClassifier.load({}, storage, resource, context)
    assert not marker.exists()


def test_a_tampered_vocabulary_is_refused(trained):
    _, storage, resource, context = trained
    meta_file = model_dir(storage, resource) / "linear_intent.json"
    meta_file.write_text(
        meta_file.read_text(encoding="utf-8").replace(
            '"vocabulary": {', '"vocabulary": {"zzz": 0, ', 1
        ),
        encoding="utf-8",
    )
    with pytest.raises(ModelFileError):
        LinearIntentClassifier.load({}, storage, resource, context)
