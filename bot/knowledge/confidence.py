"""How sure the knowledge base is that a passage answers: one calibrated number from 0 to 1.

Features of a ranked passage: its cosine to the question, its share and its page's share of the
question's weighted terms (BM25 side), its fused score, its lead over the best passage of another
page, and the share of the question's weight in words no page uses at all ("E-Bikes" in a shop
without them). A logistic
function of them is fitted on the question set's dev split (`make bench-knowledge`, which
writes calibration.json); its output is the probability that the passage's page answers the
question, so one threshold (KD_KNOWLEDGE_THRESHOLD, default the fitted one) decides whether the
bot answers or says honestly that it found nothing.
"""

from __future__ import annotations

import json
import math
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Dict, Sequence

FILE = Path(__file__).with_name("calibration.json")
FEATURES = ("cosine", "coverage", "page_coverage", "fused", "margin", "unknown")


@dataclass(frozen=True)
class Calibration:
    alpha: float  # weight of the encoder in the fused ranking score (1 - alpha: BM25)
    weights: Dict[str, float]  # logistic weights per feature
    bias: float
    threshold: float  # answer from this confidence on

    def confidence(self, features: Dict[str, float]) -> float:
        z = self.bias + sum(self.weights.get(name, 0.0) * features[name] for name in FEATURES)
        return 1.0 / (1.0 + math.exp(-max(-40.0, min(40.0, z))))

    def save(self, path: Path = FILE) -> None:
        path.write_text(json.dumps(asdict(self), indent=2) + "\n", encoding="utf-8")


DEFAULT = Calibration(
    alpha=0.5,
    weights={"cosine": 6.0, "coverage": 5.0, "fused": 2.0, "margin": 4.0, "unknown": -4.0},
    bias=-7.0,
    threshold=0.5,
)


def load(path: Path = FILE) -> Calibration:
    """The fitted calibration, or a hand-set default before the first fit."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return Calibration(
            alpha=float(data["alpha"]),
            weights={k: float(v) for k, v in data["weights"].items()},
            bias=float(data["bias"]),
            threshold=float(data["threshold"]),
        )
    except (OSError, ValueError, KeyError, TypeError):
        return DEFAULT


def vector(features: Dict[str, float]) -> Sequence[float]:
    return [features[name] for name in FEATURES]
