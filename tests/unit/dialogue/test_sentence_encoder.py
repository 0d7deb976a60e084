"""The shared sentence encoder: unit vectors, one loader, similar sentences closer."""

import numpy as np

from bot.dialogue.sentence_encoder import DIMENSIONS, embed, encoder


def test_unit_vectors_and_empty_input():
    vectors = embed(["Wo ist mein Paket?", "Kann ich auf Rechnung zahlen?"])
    assert vectors.shape == (2, DIMENSIONS) and vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-3)
    assert embed([]).shape == (0, DIMENSIONS)


def test_one_encoder_per_process():
    assert encoder() is encoder()


def test_paraphrases_are_closer_than_other_topics():
    paket, sendung, zahlung = embed(
        ["Wo ist mein Paket?", "Wann kommt meine Sendung an?", "Kann ich mit PayPal zahlen?"]
    )
    assert paket @ sendung > paket @ zahlung
