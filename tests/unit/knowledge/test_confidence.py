"""The calibrated confidence: a probability, rising with the evidence, a default without a fit."""

from bot.knowledge import confidence
from bot.knowledge.confidence import DEFAULT, FEATURES, Calibration


def features(**values: float) -> dict:
    base = {name: 0.0 for name in FEATURES}
    base.update(values)
    return base


def test_shipped_calibration_loads_and_is_a_probability():
    calibration = confidence.load()
    assert 0.0 <= calibration.alpha <= 1.0 and 0.0 < calibration.threshold < 1.0
    for value in (
        calibration.confidence(features()),
        calibration.confidence(features(cosine=1, coverage=1)),
    ):
        assert 0.0 <= value <= 1.0


def test_more_evidence_means_more_confidence():
    calibration = confidence.load()
    weak = calibration.confidence(
        features(cosine=0.2, coverage=0.1, fused=0.2, margin=0.0, unknown=0.8)
    )
    strong = calibration.confidence(
        features(cosine=0.7, coverage=0.9, fused=0.9, margin=0.2, unknown=0.0)
    )
    assert strong > weak


def test_missing_or_broken_file_falls_back_to_the_default(tmp_path):
    assert confidence.load(tmp_path / "none.json") == DEFAULT
    (tmp_path / "bad.json").write_text('{"alpha": "x"}', encoding="utf-8")
    assert confidence.load(tmp_path / "bad.json") == DEFAULT


def test_save_and_load(tmp_path):
    fitted = Calibration(alpha=0.4, weights={"cosine": 2.0}, bias=-1.0, threshold=0.6)
    fitted.save(tmp_path / "c.json")
    assert confidence.load(tmp_path / "c.json") == fitted
