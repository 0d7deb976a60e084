"""Build the blank German spaCy pipeline SpacyNLP loads (no download needed).

A blank `de` pipeline plus a lookup lemmatizer whose tables come from the
spacy-lookups-data wheel, saved to disk once so Rasa can `spacy.load` it.
"""

from __future__ import annotations

import sys
from pathlib import Path

DEFAULT_PATH = Path("var/spacy/de_kundendialog")


def build(path: Path = DEFAULT_PATH) -> Path:
    import spacy

    nlp = spacy.blank("de")
    nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
    nlp.initialize()
    path.parent.mkdir(parents=True, exist_ok=True)
    nlp.to_disk(path)
    return path


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_PATH
    print(f"spaCy pipeline written to {build(target)}")
