"""The spelling table the NLU and the knowledge base share (pure Python: no Rasa import)."""

import subprocess
import sys

from bot.dialogue.spelling import fold_spelling, normalize


def test_dialect_and_chat_words_become_standard_german():
    assert normalize("i hob mei packerl ned kriagt") == "ich habe mein paket nicht gekriegt"
    assert normalize("Gibts des aa in blau?") == "Gibt es das auch in blau?"


def test_folding_makes_umlaut_spellings_equal():
    assert fold_spelling("Rückgabe") == fold_spelling("rueckgabe") == "rueckgabe"
    assert fold_spelling("Straße") == "strasse"


def test_importing_it_does_not_import_rasa():
    """The knowledge base reads questions through this module inside the action server."""
    code = "import sys, bot.dialogue.spelling; sys.exit('rasa' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0
