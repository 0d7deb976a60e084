"""Button payloads in domain.yml survive Rasa's response interpolation intact and without an error log.

Rasa reads every `{...}` in a response as a slot placeholder, buttons included, so a JSON payload
must be written with doubled braces; a single-brace payload still works but logs an ERROR per turn.
"""

from __future__ import annotations

import json
from pathlib import Path

import yaml
from rasa.core.nlg import interpolator

DOMAIN = Path(__file__).resolve().parents[3] / "domain.yml"


def _payloads():
    for name, variants in yaml.safe_load(DOMAIN.read_text(encoding="utf-8"))["responses"].items():
        for variant in variants:
            for button in variant.get("buttons") or []:
                yield name, button["payload"]


def test_json_payloads_are_written_for_the_interpolator(monkeypatch):
    errors = []
    monkeypatch.setattr(
        interpolator.structlogger, "exception", lambda *a, **kw: errors.append((a, kw))
    )
    checked = 0
    for name, payload in _payloads():
        sent = interpolator.interpolate_text(payload, {"register": "sie"})
        if "{" in payload:
            checked += 1
            intent, _, entities = sent.partition("{")
            assert intent.startswith("/") and isinstance(json.loads("{" + entities), dict), (
                name,
                sent,
            )
    assert checked >= 5
    assert errors == []
