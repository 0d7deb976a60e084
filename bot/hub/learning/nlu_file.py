"""Reviewed examples as Rasa NLU training data: data/nlu/learned.yml.

The file is written whole from the reviews each time (the reviews are the source), atomically.
Examples that already exist in the other training files are left out (`rasa data validate`
refuses an example repeated under another intent), as are repeats within the file; the newest
review of a text wins. Order numbers and e-mails were masked when the example was reviewed.
"""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path
from typing import Dict, Iterable, List, Set, Tuple

import yaml

from bot.shared.understanding import FALLBACK_INTENT

HEADER = (
    '# Written by `python -m bot export-nlu` (or the console\'s "Nicht verstanden" page)\n'
    "# from the customer messages agents reviewed there. Edit the reviews, not this file: it is rewritten.\n"
)
_ANNOTATION = re.compile(r"\[([^\]]*)\]\([^)]*\)|\[([^\]]*)\]\{[^}]*\}")


def plain(example: str) -> str:
    """An example without entity annotations, compared case- and space-insensitively."""
    return " ".join(
        _ANNOTATION.sub(lambda m: m.group(1) or m.group(2) or "", example).lower().split()
    )


def domain_choices(domain: Path) -> List[str]:
    """The intents a reviewer may assign: the domain's, with `faq` spelled out as its retrieval keys."""
    data = yaml.safe_load(domain.read_text(encoding="utf-8")) or {}
    names = [next(iter(i)) if isinstance(i, dict) else str(i) for i in data.get("intents") or []]
    faq = sorted(
        k.split("/", 1)[1] for k in (data.get("responses") or {}) if k.startswith("utter_faq/")
    )
    return [n for n in names if n not in ("faq", FALLBACK_INTENT)] + [f"faq/{k}" for k in faq]


def existing_examples(nlu_dir: Path, skip: Path) -> Set[str]:
    known: Set[str] = set()
    for path in sorted(nlu_dir.glob("*.yml")):
        if path.resolve() == skip.resolve():
            continue
        for block in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("nlu") or []:
            for line in str(block.get("examples") or "").splitlines():
                line = line.strip()
                if line.startswith("- "):
                    known.add(plain(line[2:]))
    return known


def select_examples(
    reviews: Iterable[Tuple[str, str]], known: Set[str]
) -> Tuple[Dict[str, List[str]], int]:
    """(intent, example) pairs, newest first -> examples per intent, and how many were left out."""
    chosen: Dict[str, List[str]] = {}
    seen: Set[str] = set()
    skipped = 0
    for intent, example in reviews:
        key = plain(example)
        if not key or key in seen or key in known:
            skipped += 1
            continue
        seen.add(key)
        chosen.setdefault(intent, []).append(example)
    return {intent: sorted(chosen[intent]) for intent in sorted(chosen)}, skipped


def render(examples: Dict[str, List[str]]) -> str:
    lines = [HEADER, 'version: "3.1"', "nlu:" if examples else "nlu: []"]
    for intent, texts in examples.items():
        lines.append(f"- intent: {intent}")
        lines.append("  examples: |")
        lines += [f"    - {' '.join(text.split())}" for text in texts]
    return "\n".join(lines) + "\n"


def write_atomically(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".learned-", suffix=".yml", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
