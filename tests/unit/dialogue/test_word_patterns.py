"""The shared word pieces: what a taken-back request is, and that both readers still read it so."""

from __future__ import annotations

import re

import pytest

from bot.dialogue.case_kind import narrows_cancellation
from bot.dialogue.pending import CONFIRM_ADDRESS
from bot.dialogue.word_patterns import TAKEN_BACK
from bot.dialogue.yes_no import withdraws

_TAKEN = re.compile(rf"(?i){TAKEN_BACK}")


@pytest.mark.parametrize(
    "text",
    ["Vergiss es", "vergessen Sie das bitte", "doch nicht", "ach, doch lieber nicht", "forget it"],
)
def test_taken_back_words(text: str) -> None:
    assert _TAKEN.search(text)
    assert withdraws(text, CONFIRM_ADDRESS)  # a change taken back
    assert not narrows_cancellation(f"nur die Flasche, {text}")  # no partial cancellation


@pytest.mark.parametrize("text", ["doch, bitte", "vergiss nicht die Flasche", "nicht vergessen"])
def test_no_taken_back_words(text: str) -> None:
    assert not _TAKEN.search(text)
