"""Conversation tests (tests/stories/*.yml) through `rasa test`, failing on any wrong prediction.

Rasa starts as the server does (bot/rasa_plugins/serve.py), so the stories also check that
computing TED only when it could win changes no prediction."""

from __future__ import annotations

import subprocess

import pytest

from bot.hub.settings import ROOT
from bot.ops.launcher import rasa_python

pytestmark = pytest.mark.stack


def test_conversation_stories_pass(stack, tmp_path):
    out = tmp_path / "results"
    proc = subprocess.run(
        [
            rasa_python(),
            "-m",
            "bot.rasa_plugins.serve",  # Rasa as served: with the lazy TED (lazy_ted.py)
            "test",
            "core",
            "--stories",
            str(ROOT / "tests" / "stories"),
            "--model",
            str(ROOT / "models"),
            "--endpoints",
            str(stack.directory / "endpoints.yml"),
            "--fail-on-prediction-errors",
            "--out",
            str(out),
        ],
        cwd=str(ROOT),
        env=stack.env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    failed = out / "failed_test_stories.yml"
    report = failed.read_text() if failed.exists() else ""
    assert proc.returncode == 0, (
        f"rasa test failed:\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}\n{report}"
    )
    assert "story" not in report.replace("# None of the test stories failed - all good!", "")
