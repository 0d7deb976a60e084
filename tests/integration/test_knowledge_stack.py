"""A help page added while the stack runs is answered at once, without retraining or a restart
(the knowledge base notices the changed pages folder: KD_KNOWLEDGE_DIR of the test stack)."""

from __future__ import annotations

import asyncio
from pathlib import Path

import aiohttp
import pytest

from bot.ops.client import Customer

pytestmark = pytest.mark.stack

PAGE = """---
title: Schneeschuhe leihen
url: https://www.waldmann-outdoor.de/hilfe/schneeschuhe-leihen
topic: service
---

# Schneeschuhe leihen

## Schneeschuhe für ein Wochenende mieten

Von Dezember bis März können Sie in unserer Filiale München Schneeschuhe mieten.
Ein Paar Schneeschuhe mit Stöcken kostet 15 Euro am Tag oder 35 Euro für ein Wochenende.
"""
QUESTION = "Kann ich bei euch Schneeschuhe für ein Wochenende mieten?"


async def ask(hub_url: str, text: str) -> str:
    async with aiohttp.ClientSession() as s:
        c = await Customer(s, hub_url).start()
        return "\n".join(m.get("text") or "" for m in await c.say(text))


async def test_a_page_added_while_running_is_answered_without_retraining(stack):
    pages = Path(stack.env["KD_KNOWLEDGE_DIR"])
    before = await ask(stack.hub_url, QUESTION)
    assert "Schneeschuhe leihen" not in before, before
    (pages / "schneeschuhe-leihen.md").write_text(PAGE, encoding="utf-8")
    try:
        answer = ""
        for _ in range(10):  # the folder is checked every KD_KNOWLEDGE_RELOAD_SECONDS (2 s)
            await asyncio.sleep(2)
            answer = await ask(stack.hub_url, QUESTION)
            if "Schneeschuhe leihen" in answer:
                break
        assert (
            "Mehr dazu: Schneeschuhe leihen – https://www.waldmann-outdoor.de/hilfe/schneeschuhe-leihen"
            in answer
        ), answer
        assert "35 Euro für ein Wochenende" in answer and "Hat Ihnen das geholfen?" in answer, (
            answer
        )
    finally:
        (pages / "schneeschuhe-leihen.md").unlink()
