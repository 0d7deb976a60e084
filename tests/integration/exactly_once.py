"""What the fault tests share: a retrying client, and the exactly-once checks on stored rows and trackers."""

from __future__ import annotations

import asyncio
import time
import uuid
from collections import Counter
from typing import Any, Awaitable, Callable, Dict, Iterable, List, Sequence, Tuple

import aiohttp

from bot.ops.client import Customer, HubError
from bot.ops.launcher import rasa_token_for

QUESTIONS = [
    "Was kostet der Versand?",
    "Wie lange dauert die Lieferung?",
    "Welche Zahlungsarten gibt es?",
    "Wie kann ich Sie erreichen?",
    "Wie lange habe ich Rückgaberecht?",
]
# Counted in the hub database: messages not yet through Rasa, and questions without a bot answer.
OPEN_SQL = "SELECT count(*) FROM messages WHERE sender = 'customer' AND delivery IN ('pending', 'in_flight')"
UNANSWERED_SQL = (
    "SELECT count(*) FROM messages c WHERE c.sender = 'customer' AND NOT EXISTS "
    "(SELECT 1 FROM messages b WHERE b.reply_to = c.id AND b.sender = 'bot')"
)
QUESTIONS_SQL = "SELECT conversation_id FROM messages WHERE sender = 'customer'"
ANSWERS_SQL = "SELECT reply_to, text FROM messages WHERE sender = 'bot' AND text IS NOT NULL"


async def ask_until_accepted(
    customer: Customer, question: str, fallback: str | None = None
) -> None:
    """A client that retries a failed POST with the same id (as the widget does), optionally at another hub."""
    message_id = uuid.uuid4().hex
    for _ in range(300):
        try:
            await customer.say(question, client_message_id=message_id)
            return
        except (aiohttp.ClientError, asyncio.TimeoutError, HubError):
            if fallback:
                customer.base = fallback  # the load balancer sends the retry to a hub that is up
            await asyncio.sleep(1)
    raise AssertionError(f"{question!r} was never accepted")


async def start_customer(
    session: aiohttp.ClientSession, base: str, fallback: str | None = None
) -> Customer:
    while True:
        try:
            return await Customer(session, base).start()
        except (aiohttp.ClientError, asyncio.TimeoutError, HubError):
            base = fallback or base
            await asyncio.sleep(1)


async def keep_asking(
    session: aiohttp.ClientSession,
    base: str,
    until: asyncio.Event,
    pause: float = 1.5,
    fallback: str | None = None,
) -> Tuple[Customer, int]:
    """Question after question until `until` is set (at least one round); returns how many were accepted."""
    customer = await start_customer(session, base, fallback)
    asked = 0
    while not until.is_set() or asked < len(QUESTIONS):
        await ask_until_accepted(customer, QUESTIONS[asked % len(QUESTIONS)], fallback)
        asked += 1
        await asyncio.sleep(pause)
    return customer, asked


Rows = Callable[[str], Awaitable[List[Tuple[Any, ...]]]]


async def everything_answered(rows: Rows, timeout: float = 240) -> None:
    """Until no question waits for Rasa and each has a bot answer (the retry loops catch up)."""
    deadline = time.monotonic() + timeout
    open_rows = unanswered = -1
    while time.monotonic() < deadline:
        open_rows, unanswered = (await rows(OPEN_SQL))[0][0], (await rows(UNANSWERED_SQL))[0][0]
        if open_rows == 0 and unanswered == 0:
            return
        await asyncio.sleep(1)
    raise AssertionError(
        f"after {timeout}s: {open_rows} messages not delivered, {unanswered} without an answer"
    )


async def assert_exactly_once(
    rows: Rows,
    session: aiohttp.ClientSession,
    rasa_url: str,
    results: Sequence[Tuple[Customer, int]],
) -> None:
    """Every accepted question stored once and answered, no answer twice, one tracker turn per question."""
    await everything_answered(rows)
    asked = {c.id: n for c, n in results}
    stored = questions_per_conversation(await rows(QUESTIONS_SQL))
    assert {conv: n for conv, n in stored.items() if conv in asked} == asked
    assert doubled(await rows(ANSWERS_SQL)) == []
    for customer, asked in results:
        turns = await tracker_turns(session, rasa_url, customer.id)
        assert len(turns) == len(set(turns)) == asked, turns


def doubled(answers: Iterable[Tuple[Any, ...]]) -> List[Tuple[Any, ...]]:
    """(reply_to, text) pairs stored more than once: an answer shown twice."""
    return [pair for pair, n in Counter(tuple(a) for a in answers).items() if n > 1]


def questions_per_conversation(rows: Iterable[Sequence[Any]]) -> Dict[str, int]:
    return dict(Counter(row[0] for row in rows))


async def tracker_turns(session: aiohttp.ClientSession, rasa_url: str, sender: str) -> List[str]:
    """Message ids of the user turns that count in Rasa's tracker (reverted ones removed)."""
    params = {"include_events": "APPLIED", "token": rasa_token_for(rasa_url)}
    async with session.get(f"{rasa_url}/conversations/{sender}/tracker", params=params) as r:
        events = (await r.json())["events"]
    return [e.get("message_id") for e in events if e["event"] == "user"]
