"""Knowledge test cases from the console: a customer's question and the page that answers it.

A supervisor attaches the right help page to a content gap ("Nicht verstanden" → Hilfeseiten); the
question then becomes a test case in a YAML file (KD_KNOWLEDGE_CASES_FILE, under bench/data/knowledge/
by default) in the format of the written question set (bench/data/knowledge/questions.yml: id, q,
pages, split by the same rule), so `make bench-knowledge` can read both. The file is the store: a
question already in it is no longer a gap. Order numbers, e-mails and phone numbers are
masked before the question is written. Rewritten whole and atomically, under a lock, per hub process.
"""

from __future__ import annotations

import asyncio
import hashlib
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Dict, List

import yaml

from bot.hub.learning.nlu_file import write_atomically

HEADER = (
    '# Knowledge-base test cases attached in the console ("Nicht verstanden" -> Hilfeseiten).\n'
    "# Format of questions.yml: q (what the customer asked, personal data masked), pages (the page\n"
    "# ids that answer it), split (questions.yml's split_rule); kind: abstained or unhelpful.\n"
    "# Written by the hub (bot/hub/learning/cases.py); edit by hand if a case is wrong.\n"
)


def split_of(question: str) -> str:
    """dev or test by questions.yml's split_rule (fixed by the text)."""
    number = int(hashlib.sha1(question.encode("utf-8")).hexdigest()[:8], 16)
    return "dev" if number % 10 < 4 else "test"


_LOCK = asyncio.Lock()


def read_cases(path: Path) -> List[Dict[str, Any]]:
    if not path.exists():
        return []
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    cases = data.get("questions") if isinstance(data, dict) else None
    return [c for c in cases or [] if isinstance(c, dict)]


def attached_messages(path: Path) -> set[str]:
    """The customer messages whose question is already a test case."""
    return {str(c["message_id"]) for c in read_cases(path) if c.get("message_id")}


async def add_case(
    path: Path, message_id: str, question: str, page_id: str, kind: str
) -> Dict[str, Any]:
    """Append one case (a question attached again replaces its earlier page)."""
    case = {
        "id": f"c-{message_id}",
        "q": question,
        "pages": [page_id],
        "split": split_of(question),
        "kind": kind,  # what made it a gap: abstained or unhelpful
        "message_id": message_id,
        "added": datetime.now(timezone.utc).date().isoformat(),
        "source": "console",
    }
    async with _LOCK:
        cases = [c for c in read_cases(path) if c.get("message_id") != message_id] + [case]
        body = yaml.safe_dump({"questions": cases}, allow_unicode=True, sort_keys=False, width=100)
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomically(path, HEADER + body)
    return case
