"""Report queries over a large generated hub database (SQLite): `make bench-reports`.

Generates 100,000 conversations with 1,000,000 messages (10 each) over 90 days into a temporary
SQLite database migrated to the current schema - channels, handoffs (queued, taken, abandoned,
callbacks, tickets), agent replies, hand-backs, ratings, intents with fallbacks, the bot's topic tags
on handed-over conversations - then times every report section for the last 7, 30 and all 90 days,
with and without a channel filter, with a tag filter ("Zahlung", ~3 % of the conversations), and the
"Nicht verstanden" candidates (newest 500, grouped). Each figure is the median of 3 runs after one
warm-up. Then streams both CSV exports of the last 7 days (rows per second). Prints tables and
writes bench/out/reports.json.

    python -m bench.reports [--conversations 100000] [--keep PATH]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import sqlite3
import statistics
import tempfile
import time
import uuid
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any, Dict, List, Tuple

from bench.common import log, table, write_json
from bot.hub.learning.service import Learning
from bot.hub.reports.export import conversation_rows, message_rows
from bot.hub.reports.period import Period
from bot.hub.reports.service import SECTIONS, Reports
from bot.hub.settings import ROOT
from bot.hub.store.db import make_engine, migrate, session_factory
from bot.shared.company import company

OUT = Path(__file__).resolve().parent / "out" / "reports.json"
LAST_DAY = date(2026, 11, 30)
DAYS = 90
PER_CONVERSATION = 10
CHANNELS = [("webchat", 70), ("whatsapp", 15), ("telegram", 10), ("messenger", 5)]
INTENTS = [
    "order_status",
    "faq/shipping_costs",
    "faq/delivery_time",
    "return_item",
    "cancel_order",
    "complaint",
    "payment_issue",
    "invoice_request",
    "account_help",
    "greet",
    "thank",
    "goodbye",
    "change_address",
    "faq/payment_methods",
    "faq/return_policy",
]
REASONS = [
    "customer_request",
    "frustration",
    "repeated_fallback",
    "human_only_topic",
    "declined_answers",
    "bot_cannot_act",
]
TOPICS = ["Lieferstatus", "Rücksendung", "Zahlung", "Rechnung", "Reklamation", "unklar"]
TAGS = [
    t for t in TOPICS if t != "unklar"
]  # the bot tags a handoff's conversation by topic; id = index + 1
TAG = "Zahlung"
AGENTS = 10
PHRASES = [
    "Wo ist mein Paket",
    "wo bleibt meine bestellung",
    "Ich will das zurückschicken",
    "Rechnung bitte als PDF",
    "Was kostet der Versand nach Österreich",
    "das ist kaputt angekommen",
    "Heizdecke flackert",
    "hallo",
    "Kann ich mit Paypal zahlen",
    "Glump is no ned do",
    "Adresse ändern bitte",
    "Danke!",
    "bin sauer!!!",
    "Passwort vergessen",
    "wann habt ihr offen",
    "asdf",
    "Ich möchte stornieren",
    "doppelt abgebucht",
]


def stamp(moment: datetime) -> str:
    """SQLAlchemy's SQLite storage format for DateTime."""
    return moment.isoformat(sep=" ", timespec="microseconds")


def generate(path: Path, conversations: int, seed: int = 20261130) -> Dict[str, int]:
    rng = random.Random(seed)
    db = sqlite3.connect(path)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=OFF")
    start = datetime.combine(LAST_DAY - timedelta(days=DAYS - 1), datetime.min.time()) - timedelta(
        hours=1
    )
    db.executemany(
        "INSERT INTO agents (id, email, name, password_hash, role, status, capacity, active, created_at, "
        "totp_enabled) VALUES (?, ?, ?, 'x', 'agent', 'offline', 3, 1, ?, 0)",
        [(i, f"agent{i}@shop.de", f"Agent {i}", stamp(start)) for i in range(1, AGENTS + 1)],
    )
    db.executemany(
        "INSERT INTO tags (id, name, color, created_at) VALUES (?, ?, NULL, ?)",
        [(i, name, stamp(start)) for i, name in enumerate(TAGS, 1)],
    )
    channels = [c for c, weight in CHANNELS for _ in range(weight)]
    conv_rows: List[Tuple[Any, ...]] = []
    msg_rows: List[Tuple[Any, ...]] = []
    handoff_rows: List[Tuple[Any, ...]] = []
    tag_rows: List[Tuple[Any, ...]] = []
    counts = {"conversations": 0, "messages": 0, "handoffs": 0}
    seq = 0

    def flush() -> None:
        db.executemany(
            "INSERT INTO conversations (id, token_hash, channel, state, metadata, rating, created_at, "
            "updated_at, last_message_at, last_customer_at, closed_at) "
            "VALUES (?, 'h', ?, ?, '{}', ?, ?, ?, ?, ?, ?)",
            conv_rows,
        )
        db.executemany(
            "INSERT INTO messages (seq, id, conversation_id, sender, text, buttons, payload, agent_id, "
            "delivery, intent, top_intent, confidence, mood, created_at) "
            "VALUES (?, ?, ?, ?, ?, '[]', ?, ?, 'done', ?, ?, ?, ?, ?)",
            msg_rows,
        )
        db.executemany(
            "INSERT INTO handoffs (conversation_id, reason, priority, summary, state, queued_at, claimed_at, "
            "claimed_by, finished_at, outcome) VALUES (?, ?, 'normal', ?, ?, ?, ?, ?, ?, ?)",
            handoff_rows,
        )
        db.executemany(
            "INSERT INTO conversation_tags (conversation_id, tag_id, agent_id, created_at) "
            "VALUES (?, ?, NULL, ?)",
            tag_rows,
        )
        db.commit()
        conv_rows.clear()
        msg_rows.clear()
        handoff_rows.clear()
        tag_rows.clear()

    for _ in range(conversations):
        conv_id = uuid.UUID(int=rng.getrandbits(128)).hex
        created = start + timedelta(seconds=rng.uniform(0, DAYS * 86400))
        t = created
        messages: List[Tuple[str, str | None, int | None]] = []  # sender, intent, agent
        handoff = rng.random() < 0.2
        if handoff:
            turns = 3
            for _ in range(turns):
                messages += [("customer", None, None), ("bot", None, None)]
            messages.append(("system", None, None))
        else:
            for _ in range(PER_CONVERSATION // 2):
                messages += [("customer", None, None), ("bot", None, None)]
        claimed = handoff and rng.random() < 0.75
        agent = rng.randint(1, AGENTS) if claimed else None
        while len(messages) < PER_CONVERSATION:
            messages.append(("agent", None, agent) if claimed else ("customer", None, None))
        state, rating, closed_at, last_customer = "bot", None, None, None
        for sender, _, agent_id in messages:
            t += timedelta(seconds=rng.uniform(5, 90))
            if sender == "customer":
                last_customer = stamp(t)
            seq += 1
            intent = top = confidence = mood = payload = None
            if sender == "customer":
                if rng.random() < 0.1:
                    payload = "/affirm"
                    intent, top, confidence = "affirm", "affirm", 1.0
                elif rng.random() < 0.08:
                    intent, top, confidence = (
                        "nlu_fallback",
                        rng.choice(INTENTS),
                        round(rng.uniform(0.1, 0.4), 3),
                    )
                else:
                    intent = rng.choice(INTENTS)
                    top, confidence = intent, round(rng.uniform(0.4, 1.0), 3)
                mood = round(rng.random(), 3)
            msg_rows.append(
                (
                    seq,
                    uuid.UUID(int=rng.getrandbits(128)).hex,
                    conv_id,
                    sender,
                    f"{rng.choice(PHRASES)} {rng.randint(100000, 199999)}"
                    if sender == "customer"
                    else "Antwort",
                    payload,
                    agent_id if sender == "agent" else None,
                    intent,
                    top,
                    confidence,
                    mood,
                    stamp(t),
                )
            )
        if handoff:
            queued = created + timedelta(seconds=200)
            topic = rng.choice(TOPICS)
            summary = json.dumps({"topic": topic})
            if topic in TAGS:
                tag_rows.append((conv_id, TAGS.index(topic) + 1, stamp(queued)))
            roll = rng.random()
            if claimed:
                claim = queued + timedelta(seconds=rng.expovariate(1 / 180))
                finished = claim + timedelta(seconds=rng.uniform(120, 1500))
                outcome = "bot" if rng.random() < 0.6 else "closed"
                state = "bot" if outcome == "bot" else "closed"
                closed_at = stamp(finished) if outcome == "closed" else None
                handoff_rows.append(
                    (
                        conv_id,
                        rng.choice(REASONS),
                        summary,
                        "done",
                        stamp(queued),
                        stamp(claim),
                        agent,
                        stamp(finished),
                        outcome,
                    )
                )
            elif roll < 0.4:
                handoff_rows.append(
                    (
                        conv_id,
                        rng.choice(REASONS),
                        summary,
                        "ticket",
                        stamp(queued),
                        None,
                        None,
                        stamp(queued),
                        None,
                    )
                )
            elif roll < 0.7:
                handoff_rows.append(
                    (
                        conv_id,
                        rng.choice(REASONS),
                        summary,
                        "left",
                        stamp(queued),
                        None,
                        None,
                        None,
                        None,
                    )
                )
            else:
                handoff_rows.append(
                    (
                        conv_id,
                        rng.choice(REASONS),
                        summary,
                        "done",
                        stamp(queued),
                        None,
                        None,
                        stamp(queued + timedelta(seconds=400)),
                        "closed",
                    )
                )
                state, closed_at = "closed", stamp(queued + timedelta(seconds=400))
            counts["handoffs"] += 1
        if rng.random() < 0.3:
            rating = rng.choices([1, 2, 3, 4, 5], [1, 1, 2, 4, 5])[0]
        conv_rows.append(
            (
                conv_id,
                rng.choice(channels),
                state,
                rating,
                stamp(created),
                stamp(t),
                stamp(t),
                last_customer,
                closed_at,
            )
        )
        counts["conversations"] += 1
        counts["messages"] += len(messages)
        if len(msg_rows) >= 100_000:
            flush()
    flush()
    db.execute("ANALYZE")
    db.commit()
    db.close()
    return counts


async def timed(fn: Any, runs: int = 3) -> float:
    await fn()  # warm-up: the page cache, SQLAlchemy's statement cache
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        await fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


async def measure(url: str) -> Tuple[List[Dict[str, Any]], List[Dict[str, Any]]]:
    engine = make_engine(url)
    reports = Reports(session_factory(engine), company())
    tz = company().tz
    periods = [
        ("7 days", Period(LAST_DAY - timedelta(days=6), 7, tz)),
        ("30 days", Period(LAST_DAY - timedelta(days=29), 30, tz)),
        ("90 days (all)", Period(LAST_DAY - timedelta(days=DAYS - 1), DAYS, tz)),
    ]
    results: List[Dict[str, Any]] = []
    exports: List[Dict[str, Any]] = []
    try:
        for label, period in periods:
            for channel in (None, "whatsapp"):
                for name in SECTIONS:
                    seconds = await timed(
                        lambda n=name, p=period, c=channel: reports.section(n, p, c)
                    )
                    results.append(
                        {
                            "query": name,
                            "period": label,
                            "channel": channel or "all",
                            "seconds": seconds,
                        }
                    )
                    log(f"{name} {label} {channel or 'all'}: {seconds * 1000:.0f} ms")
            tag = TAGS.index(TAG) + 1
            for name in SECTIONS:
                seconds = await timed(
                    lambda n=name, p=period, t=tag: reports.section(n, p, None, None, t)
                )
                results.append(
                    {"query": name, "period": label, "channel": f"tag {TAG}", "seconds": seconds}
                )
                log(f"{name} {label} tag {TAG}: {seconds * 1000:.0f} ms")
        learning = Learning(
            reports.sessions, ROOT / "domain.yml", Path(tempfile.mkdtemp()) / "learned.yml"
        )
        for label, period in periods[1:]:
            seconds = await timed(lambda p=period: learning.candidates(p))
            results.append(
                {
                    "query": "learning candidates (500, grouped)",
                    "period": label,
                    "channel": "all",
                    "seconds": seconds,
                }
            )
            log(f"learning candidates {label}: {seconds * 1000:.0f} ms")
        for name, rows in (
            ("CSV conversations", conversation_rows),
            ("CSV messages", message_rows),
        ):

            async def export(rows: Any = rows, period: Period = periods[0][1]) -> int:
                n = 0
                async for _ in rows(reports.sessions, period, None):
                    n += 1
                return n

            t0 = time.perf_counter()
            count = await export()
            seconds = time.perf_counter() - t0
            exports.append(
                {"export": name, "period": periods[0][0], "rows": count, "seconds": seconds}
            )
            log(f"{name}: {count} rows in {seconds * 1000:.0f} ms")
    finally:
        await engine.dispose()
    return results, exports


async def main_async(args: argparse.Namespace) -> None:
    directory = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="kd-bench-reports-"))
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / "hub.db"
    url = f"sqlite:///{path}"
    if not path.exists():
        engine = make_engine(url)
        await migrate(engine)
        await engine.dispose()
        log(f"generating {args.conversations} conversations into {path}")
        t0 = time.perf_counter()
        counts = generate(path, args.conversations)
        log(f"generated {counts} in {time.perf_counter() - t0:.0f} s")
    results, exports = await measure(url)
    rows = [
        [r["query"], r["period"], r["channel"], f"{r['seconds'] * 1000:.0f} ms"] for r in results
    ]
    print(table(["query", "period", "filter", "median of 3"], rows))
    slowest = max(results, key=lambda r: r["seconds"])
    print(
        f"\nslowest: {slowest['query']} ({slowest['period']}, {slowest['channel']}): "
        f"{slowest['seconds'] * 1000:.0f} ms; target < 1 s: {'met' if slowest['seconds'] < 1 else 'NOT met'}\n"
    )
    print(
        table(
            ["CSV export (streamed)", "period", "rows", "seconds", "rows/s"],
            [
                [
                    e["export"],
                    e["period"],
                    e["rows"],
                    f"{e['seconds']:.1f}",
                    f"{e['rows'] / e['seconds']:,.0f}",
                ]
                for e in exports
            ],
        )
    )
    write_json(
        OUT,
        {
            "conversations": args.conversations,
            "messages": args.conversations * PER_CONVERSATION,
            "results": results,
            "exports": exports,
        },
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--conversations", type=int, default=100_000)
    parser.add_argument(
        "--keep", help="directory for the generated database (reused when it exists)"
    )
    asyncio.run(main_async(parser.parse_args()))


if __name__ == "__main__":
    main()
