"""The conversation corpus (tests/conversations, issue 22) on a fresh stack: the report, no assertions.

Prints the share of turns and of conversations that pass, the audit (unconfirmed records,
duplicate cases, "Worum geht es?" after a request), failing turns grouped by cause and every
failing turn with the bot's reply. The same run as tests/integration/test_conversation_corpus.py,
which asserts the targets; this one is for measuring while the dialogue changes.
Writes bench/out/conversations.txt and .json. Usage: python -m bench.conversations [WORD ...]
(only conversations whose file or name contains one of the words).
"""

from __future__ import annotations

import asyncio
import dataclasses
import sys
import tempfile
from pathlib import Path

from bench.common import log, write_json
from bench.hub import OUT, UNLIMITED
from bot.ops.launcher import start_stack
from tests.integration import corpus


def main() -> None:
    words = sys.argv[1:]
    conversations = [
        c
        for c in corpus.load()
        if not words or any(w in c["source"] or w in c["name"] for w in words)
    ]
    log(f"starting a stack for {len(conversations)} conversations ...")
    stack = start_stack(
        Path(tempfile.mkdtemp(prefix="kd-bench-corpus-")), KD_RATE_URGENT="100000/3600", **UNLIMITED
    )
    try:
        corpus.nobody_online(stack.env)
        results = asyncio.run(
            corpus.run_corpus(stack.env, stack.hub_url, stack.rasa_url, conversations)
        )
    finally:
        stack.stop()
    text = corpus.report(results)
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "conversations.txt").write_text(text + "\n", encoding="utf-8")
    write_json(
        OUT / "conversations.json",
        {
            "summary": corpus.summary(results),
            "conversations": [dataclasses.asdict(r) for r in results],
        },
    )
    print(text)


if __name__ == "__main__":
    main()
