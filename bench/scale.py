"""How the stack grows past one machine: `make bench-scale` (issue 26.4).

Four figures, each printed as a table (nothing asserted; sizes are options, so a small run is quick):

1. **A full database.** For SQLite and PostgreSQL a stack is started, FAQ turns are timed through the
   hub and straight to Rasa (interleaved), the hub database is filled with `--conversations`
   conversations holding `--messages` messages and Rasa's tracker store with `--events` events (bulk
   inserts), and the same turns are timed again. Every statement a turn, a retried POST, the
   outage notice and the retry loop run is recorded and shown with its plan (index or full scan)
   and its time on the full database, so a hot query without an index shows.
2. **Memory per active conversation**: the RSS of the hub and of Rasa before and after
   `--active` conversations of `--active-turns` FAQ turns each.
3. **Two Rasa workers on PostgreSQL + Redis**, customers asking FAQ questions (a failed POST retried
   with the same id, as the widget does) while one worker is killed: questions asked, answered,
   doubled, tracker turns doubled, and whether the conversations that moved to the other worker kept
   their context (an order-status form started before the kill, the e-mail given after it).
4. **The same through two hubs** (customers spread over both, as a load balancer would): the
   killed worker is started again (its conversations move back), then it and one hub are killed.
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
from contextlib import asynccontextmanager, contextmanager
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, AsyncIterator, Dict, Iterator, List, Sequence, Tuple

import aiohttp
import asyncpg
from sqlalchemy import event, make_url

from bench.common import log, table, write_json
from bench.hub import FAQ, UNLIMITED, direct_turn, rss_mb
from bot.hub.rasa_client import RasaClient
from bot.hub.settings import Settings
from bot.hub.states import Delivery
from bot.hub.store.models import utcnow
from bot.ops.client import Customer, HubError
from bot.ops.database import hub_repository
from bot.ops.launcher import ALWAYS, Stack, rasa_status_url, start_stack
from tests.integration.exactly_once import (
    ANSWERS_SQL,
    QUESTIONS_SQL,
    doubled,
    everything_answered,
    questions_per_conversation,
    start_customer,
    tracker_turns,
)
from tests.services import postgres_server, redis_server

OUT = Path(__file__).resolve().parent / "out"
ORDER_QUESTION, ORDER_EMAIL = "Wo ist meine Bestellung 100234?", "anna.schmidt@web.de"
FAST_RETRIES = {"KD_RETRY_INTERVAL": "1", "KD_RASA_TIMEOUT": "10"}


def pct(values: Sequence[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))] if ordered else 0.0


# -- 1. a full database ------------------------------------------------------------------------


async def timed_turns(stack: Stack, turns: int) -> Dict[str, float]:
    """One new conversation through the hub and one straight to Rasa, interleaved turn by turn."""
    hub_ms: List[float] = []
    direct_ms: List[float] = []
    async with aiohttp.ClientSession() as s:
        customer = await Customer(s, stack.hub_url).start()
        sender = f"scale-{uuid.uuid4().hex}"
        for n in range(turns):
            text = FAQ[n % len(FAQ)]
            start = time.perf_counter()
            await customer.say(text)
            hub_ms.append((time.perf_counter() - start) * 1000)
            direct_ms.append(await direct_turn(s, stack.rasa_url, sender, text))
    return {
        "hub_p50": statistics.median(hub_ms),
        "hub_p95": pct(hub_ms, 0.95),
        "direct_p50": statistics.median(direct_ms),
        "direct_p95": pct(direct_ms, 0.95),
    }


def conversation_rows(n: int, now: datetime) -> List[Dict[str, Any]]:
    return [
        {
            "id": f"seed{i:08d}",
            "token_hash": "0" * 64,
            "channel": "webchat",
            "state": "bot" if i % 10 else "closed",
            "metadata": "{}",
            "created_at": now - timedelta(minutes=13 * i % 129_600),
        }
        for i in range(n)
    ]


def message_rows(conversations: int, messages: int, now: datetime) -> Iterator[Tuple[Any, ...]]:
    """(id, conversation_id, sender, text, buttons, delivery, client_message_id, reply_to, created_at):
    customer question and bot answer by turns, spread evenly over the conversations."""
    per = max(1, messages // conversations)
    for i in range(messages):
        conv, k = i // per % conversations, i % per
        customer = k % 2 == 0
        turn = f"seed{i - (0 if customer else 1):09d}"
        yield (
            f"seed{i:09d}",
            f"seed{conv:08d}",
            "customer" if customer else "bot",
            FAQ[k // 2 % len(FAQ)] if customer else "Der Versand kostet 4,95 €.",
            "[]",
            Delivery.DONE.value,
            uuid.uuid4().hex if customer else None,
            None if customer else turn,
            now - timedelta(seconds=(messages - i) * 7),
        )


EVENT = {"event": "bot", "text": "Der Versand kostet 4,95 €.", "data": {}, "metadata": {}}


def event_rows(conversations: int, events: int, start: float) -> Iterator[Tuple[Any, ...]]:
    """(sender_id, type_name, timestamp, intent_name, action_name, data) of Rasa's events table."""
    for i in range(events):
        stamp = start + i * 0.01
        yield (
            f"seed{i % conversations:08d}",
            "bot",
            stamp,
            None,
            None,
            json.dumps({**EVENT, "timestamp": stamp}),
        )


MESSAGE_COLUMNS = (
    "id",
    "conversation_id",
    "sender",
    "text",
    "buttons",
    "delivery",
    "client_message_id",
    "reply_to",
    "created_at",
)
EVENT_COLUMNS = ("sender_id", "type_name", "timestamp", "intent_name", "action_name", "data")


def chunks(rows: Iterator[Tuple[Any, ...]], size: int = 50_000) -> Iterator[List[Tuple[Any, ...]]]:
    batch: List[Tuple[Any, ...]] = []
    for row in rows:
        batch.append(row)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def seed_sqlite(hub_db: str, tracker_db: str, args: argparse.Namespace) -> None:
    now = utcnow()
    with sqlite3.connect(hub_db, timeout=60) as db:
        convs = conversation_rows(args.conversations, now)
        db.executemany(
            "INSERT INTO conversations (id, token_hash, channel, state, metadata, created_at, "
            "updated_at) VALUES (:id, :token_hash, :channel, :state, :metadata, :created_at, "
            ":created_at)",
            [{**c, "created_at": c["created_at"].isoformat(" ")} for c in convs],
        )
        insert = (
            f"INSERT INTO messages ({', '.join(MESSAGE_COLUMNS)}) "
            f"VALUES ({', '.join('?' * len(MESSAGE_COLUMNS))})"
        )
        for batch in chunks(message_rows(args.conversations, args.messages, now)):
            db.executemany(insert, [(*r[:-1], r[-1].isoformat(" ")) for r in batch])
    with sqlite3.connect(tracker_db, timeout=60) as db:
        insert = (
            f"INSERT INTO events ({', '.join(EVENT_COLUMNS)}) "
            f"VALUES ({', '.join('?' * len(EVENT_COLUMNS))})"
        )
        for batch in chunks(event_rows(args.conversations, args.events, time.time() - 86_400)):
            db.executemany(insert, batch)
    # no ANALYZE: the hub never runs it, so the plans are those a real database gets


def pg_dsn(url: str, database: str | None = None) -> str:
    parsed = make_url(url)
    if database:
        parsed = parsed.set(database=database)
    return parsed.set(drivername="postgresql").render_as_string(hide_password=False)


async def seed_postgres(hub_url: str, tracker_db: str | None, args: argparse.Namespace) -> None:
    """Bulk COPY; `tracker_db`: the tracker store's database when it is not the hub's (KD_RASA_TRACKER_DB)."""
    now = utcnow()
    conn = await asyncpg.connect(pg_dsn(hub_url))
    try:
        convs = conversation_rows(args.conversations, now)
        await conn.copy_records_to_table(
            "conversations",
            records=[
                (
                    c["id"],
                    c["token_hash"],
                    c["channel"],
                    c["state"],
                    c["metadata"],
                    c["created_at"],
                    c["created_at"],
                )
                for c in convs
            ],
            columns=[
                "id",
                "token_hash",
                "channel",
                "state",
                "metadata",
                "created_at",
                "updated_at",
            ],
        )
        for batch in chunks(message_rows(args.conversations, args.messages, now)):
            await conn.copy_records_to_table(
                "messages", records=batch, columns=list(MESSAGE_COLUMNS)
            )
        await conn.execute("ANALYZE")
    finally:
        await conn.close()
    conn = await asyncpg.connect(pg_dsn(hub_url, tracker_db))
    try:
        for batch in chunks(event_rows(args.conversations, args.events, time.time() - 86_400)):
            await conn.copy_records_to_table("events", records=batch, columns=list(EVENT_COLUMNS))
        await conn.execute("ANALYZE")
    finally:
        await conn.close()


Recorded = List[Tuple[str, str, Any]]  # (what ran it, SQL, parameters)


@asynccontextmanager
async def recorded_statements(url: str) -> AsyncIterator[Tuple[Any, Recorded]]:
    """The hub's repository on `url`, recording every SELECT/UPDATE/DELETE it sends (the
    statements of the code as it is, not copies of them)."""
    calls: Recorded = []
    label = {"now": ""}

    def record(_conn: Any, _cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
        if statement.lstrip().split(" ", 1)[0].upper() in ("SELECT", "UPDATE", "DELETE"):
            calls.append((label["now"], statement, parameters))

    async with hub_repository(Settings(database_url=url)) as repo:
        engines = [repo.sessions.kw["bind"].sync_engine]
        sqlite = repo._sqlite_workers()
        if sqlite is not None:
            engines.append(sqlite.engine)
        for engine in engines:
            event.listen(engine, "before_cursor_execute", record)
        yield (repo, label), calls


async def hot_statements(url: str) -> Recorded:
    """Runs what a turn, a retried POST, the outage notice and the retry loop run, on a seeded
    conversation, and returns the statements sent."""
    async with recorded_statements(url) as ((repo, label), calls):
        conv_id = "seed00000042"

        def fields(_conv: Any, _waiting: bool) -> Dict[str, Any]:
            return {"delivery": Delivery.DONE}

        label["now"] = "token check (first turn on this hub)"
        await repo.conversation(conv_id)
        label["now"] = "turn, first transaction"
        _, _, msg, _ = await repo.turn_start(
            conv_id, uuid.uuid4().hex, "Hallo", None, fields, reply_wanted=lambda c, m: True
        )
        label["now"] = "turn, storing the answers"
        assert msg is not None
        await repo.add_messages(conv_id, [("bot", "Hallo!", {"reply_to": msg.id})], msg.seq)
        label["now"] = "retried POST (same client_message_id)"
        await repo.turn_start(conv_id, msg.client_message_id, "Hallo", None, fields)
        label["now"] = "outage notice already sent?"
        await repo.system_reply(conv_id, msg.id)
        label["now"] = "retry loop (every KD_RETRY_INTERVAL)"
        await repo.claimable(utcnow())
        label["now"] = "transcript"
        await repo.transcript(conv_id)
    return calls


TRACKER_VERSION = (
    "SELECT id, timestamp FROM events WHERE sender_id = {p} ORDER BY id DESC LIMIT 1",
    "tracker version check (bot/rasa_plugins/tracker_store.py, every load and save)",
)


def sqlite_plans(hub_db: str, tracker_db: str, calls: Recorded) -> List[List[Any]]:
    rows: List[List[Any]] = []
    with sqlite3.connect(hub_db) as db:
        for what, sql, params in unique(calls):
            rows.append([what, *sqlite_plan(db, sql, params)])
    with sqlite3.connect(tracker_db) as db:
        sql = TRACKER_VERSION[0].format(p="?")
        rows.append([TRACKER_VERSION[1], *sqlite_plan(db, sql, ("seed00000042",))])
    return rows


def sqlite_plan(db: sqlite3.Connection, sql: str, params: Any) -> Tuple[str, str, float]:
    plan = "; ".join(r[-1] for r in db.execute(f"EXPLAIN QUERY PLAN {sql}", params))
    best = min(timed(lambda: db.execute(sql, params).fetchall()) for _ in range(3))
    if sql.lstrip().upper().startswith(("UPDATE", "DELETE")):
        db.rollback()
    return short(sql), plan, best


async def postgres_plans(url: str, tracker_db: str | None, calls: Recorded) -> List[List[Any]]:
    rows: List[List[Any]] = []
    conn = await asyncpg.connect(pg_dsn(url))
    try:
        for what, sql, params in unique(calls):
            rows.append([what, *await postgres_plan(conn, sql, tuple(params or ()))])
    finally:
        await conn.close()
    conn = await asyncpg.connect(pg_dsn(url, tracker_db))
    try:
        sql = TRACKER_VERSION[0].format(p="$1")
        rows.append([TRACKER_VERSION[1], *await postgres_plan(conn, sql, ("seed00000042",))])
    finally:
        await conn.close()
    return rows


async def postgres_plan(conn: Any, sql: str, params: Tuple[Any, ...]) -> Tuple[str, str, float]:
    """The plan's scans and the execution time; EXPLAIN ANALYZE runs the statement, so in a
    transaction that is rolled back."""
    transaction = conn.transaction()
    await transaction.start()
    try:
        lines = [r[0] for r in await conn.fetch(f"EXPLAIN (ANALYZE, COSTS OFF) {sql}", *params)]
    finally:
        await transaction.rollback()
    plan = "; ".join(line.strip() for line in lines if "Scan" in line)
    ms = next(float(x.split(":")[1].split()[0]) for x in lines if "Execution Time" in x)
    return short(sql), plan, ms


def unique(calls: Recorded) -> Recorded:
    seen: set[Tuple[str, str]] = set()
    out: Recorded = []
    for what, sql, params in calls:
        if (what, sql) not in seen:
            seen.add((what, sql))
            out.append((what, sql, params))
    return out


def short(sql: str) -> str:
    words = " ".join(sql.split())
    head, _, where = words.partition(" WHERE ")
    table_part = head.split(" FROM ")[-1].split(" SET ")[0].replace("UPDATE ", "")
    return f"{table_part.split()[0]} WHERE {where[:70]}" if where else table_part[:60]


def timed(work: Any) -> float:
    start = time.perf_counter()
    work()
    return (time.perf_counter() - start) * 1000


@contextmanager
def database(backend: str) -> Iterator[str | None]:
    if backend == "postgresql":
        with postgres_server() as url:
            yield url
    else:
        yield None


async def full_database(backend: str, args: argparse.Namespace) -> Dict[str, Any]:
    with database(backend) as url:
        directory = Path(tempfile.mkdtemp(prefix=f"kd-scale-{backend}-"))
        log(f"{backend}: starting a stack ...")
        stack = start_stack(directory, database_url=url, **UNLIMITED)
        try:
            await timed_turns(stack, 3)  # warm-up
            log(f"{backend}: {args.turns} turns on an empty database ...")
            empty = await timed_turns(stack, args.turns)
            log(
                f"{backend}: seeding {args.conversations} conversations, {args.messages} "
                f"messages, {args.events} tracker events ..."
            )
            started = time.perf_counter()
            if url is None:
                seed_sqlite(str(directory / "hub.db"), str(directory / "tracker.db"), args)
            else:
                await seed_postgres(url, None, args)
            seed_seconds = time.perf_counter() - started
            hub_url = stack.env["KD_DATABASE_URL"]
            calls = await hot_statements(hub_url)
            plans = (
                sqlite_plans(str(directory / "hub.db"), str(directory / "tracker.db"), calls)
                if url is None
                else await postgres_plans(url, None, calls)
            )
            log(f"{backend}: {args.turns} turns on the full database ...")
            await timed_turns(stack, 3)
            full = await timed_turns(stack, args.turns)
            memory = await memory_per_conversation(stack, args) if url is None else None
        finally:
            stack.stop()
    return {
        "empty": empty,
        "full": full,
        "seed_seconds": seed_seconds,
        "plans": plans,
        "memory": memory,
    }


# -- 2. memory per active conversation ------------------------------------------------------------


async def memory_per_conversation(stack: Stack, args: argparse.Namespace) -> Dict[str, float]:
    pids = {"hub": stack.named["hub"].pid, "rasa": stack.named["rasa"].pid}
    before = {name: rss_mb(pid) for name, pid in pids.items()}
    log(f"memory: {args.active} conversations x {args.active_turns} turns ...")
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0)) as s:
        people = [await Customer(s, stack.hub_url).start() for _ in range(args.active)]
        semaphore = asyncio.Semaphore(8)

        async def talk(c: Customer) -> None:
            async with semaphore:
                for n in range(args.active_turns):
                    await c.say(FAQ[n % len(FAQ)])

        await asyncio.gather(*(talk(c) for c in people))
    await asyncio.sleep(1)
    after = {name: rss_mb(pid) for name, pid in pids.items()}
    return {
        **{f"{name}_kb": (after[name] - before[name]) * 1024 / args.active for name in pids},
        **{f"{name}_before_mb": before[name] for name in pids},
        **{f"{name}_after_mb": after[name] for name in pids},
        "conversations": args.active,
        "turns": args.active_turns,
    }


# -- 3./4. workers and hubs killed under load -------------------------------------------------------


async def ask(customer: Customer, text: str, hubs: List[str]) -> Tuple[float, List[Any]]:
    """Until accepted, retried with the same id at the next hub (a load balancer's retry)."""
    message_id = uuid.uuid4().hex
    start = time.perf_counter()
    for attempt in range(300):
        try:
            answers = await customer.say(text, client_message_id=message_id)
            return (time.perf_counter() - start) * 1000, answers
        except (aiohttp.ClientError, asyncio.TimeoutError, HubError):
            customer.base = hubs[(hubs.index(customer.base) + 1) % len(hubs)]
            await asyncio.sleep(1 if attempt else 0.2)
    raise RuntimeError(f"{text!r} was never accepted")


async def customer_load(
    s: aiohttp.ClientSession, hubs: List[str], index: int, over: asyncio.Event
) -> Tuple[Customer, int, List[float]]:
    customer = await start_customer(s, hubs[index % len(hubs)], hubs[0])
    asked, ms = 0, []
    while not over.is_set():
        took, _ = await ask(customer, FAQ[asked % len(FAQ)], hubs)
        ms.append(took)
        asked += 1
        await asyncio.sleep(random.uniform(0.3, 0.7))
    return customer, asked, ms


async def context_probes(
    s: aiohttp.ClientSession, hubs: List[str], owner: str, rasa: RasaClient, n: int
) -> List[Customer]:
    """Customers whose conversations belong to `owner`, each asked for the e-mail of an order."""
    probes: List[Customer] = []
    while len(probes) < n:
        c = await Customer(s, hubs[len(probes) % len(hubs)]).start()
        if rasa.worker(c.id) == owner:
            await ask(c, ORDER_QUESTION, hubs)
            probes.append(c)
    return probes


async def killed_under_load(
    stack: Stack, hubs: List[str], kill: List[str], args: argparse.Namespace, pg: str
) -> Dict[str, Any]:
    rasa = RasaClient(stack.env["KD_RASA_URL"].split(","))
    victim = rasa.base_urls[1]
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=30)) as s:
        probes = await context_probes(s, hubs, victim, rasa, args.probes)
        over = asyncio.Event()
        runs = [asyncio.create_task(customer_load(s, hubs, i, over)) for i in range(args.customers)]
        await asyncio.sleep(args.kill_after)
        started = time.perf_counter()
        for name in kill:
            log(f"  killing {name}")
            stack.kill(name)
        for c in probes:  # the order form goes on, on the worker that took the conversation over
            await ask(c, ORDER_EMAIL, hubs)
        await asyncio.sleep(max(0.0, args.load_seconds - (time.perf_counter() - started)))
        over.set()
        results = await asyncio.gather(*runs)
        rows = postgres_rows(pg)
        try:
            await everything_answered(rows, timeout=120)
            settled = True
        except AssertionError:
            settled = False
        kept = 0
        for c in probes:  # the answer may have come later, by the retry loop, through the websocket
            c.base = stack.hub_url
            texts = [m["text"] or "" for m in await c.transcript()]
            after = texts[texts.index(ORDER_EMAIL) + 1 :] if ORDER_EMAIL in texts else []
            kept += any("100234" in t and "DHL" in t for t in after)
        asked = {c.id: n for c, n, _ in results}
        stored = questions_per_conversation(await rows(QUESTIONS_SQL))
        tracker_doubles = 0
        for customer, _asked, _ in results:
            turns = await tracker_turns(s, stack.rasa_url, customer.id)
            tracker_doubles += len(turns) - len(set(turns))
    ms = [m for _, _, times in results for m in times]
    return {
        "killed": kill,
        "asked": sum(asked.values()),
        "stored_as_asked": sum(1 for cid, n in asked.items() if stored.get(cid) == n),
        "customers": len(asked),
        "doubled_answers": len(doubled(await rows(ANSWERS_SQL))),
        "doubled_tracker_turns": tracker_doubles,
        "all_answered": settled,
        "context_kept": kept,
        "probes": len(probes),
        "p50_ms": statistics.median(ms) if ms else 0.0,
        "p95_ms": pct(ms, 0.95),
        "max_ms": max(ms) if ms else 0.0,
    }


def postgres_rows(pg: str) -> Any:
    async def rows(sql: str) -> List[Tuple[Any, ...]]:
        conn = await asyncpg.connect(pg_dsn(pg))
        try:
            return [tuple(r) for r in await conn.fetch(sql)]
        finally:
            await conn.close()

    return rows


async def scale_out(args: argparse.Namespace) -> Dict[str, Any]:
    results: Dict[str, Any] = {}
    with postgres_server() as pg, redis_server() as redis:
        directory = Path(tempfile.mkdtemp(prefix="kd-scale-out-"))
        log("scale-out: PostgreSQL + Redis, two Rasa workers ...")
        stack = start_stack(
            directory, database_url=pg, redis_url=redis, workers=2, **UNLIMITED, **FAST_RETRIES
        )
        try:
            log("3. one hub, two workers, rasa-2 killed under load ...")
            results["workers"] = await killed_under_load(
                stack, [stack.hub_url], ["rasa-2"], args, pg
            )
            log("4. rasa-2 started again; two hubs, rasa-2 and hub-b killed under load ...")
            worker_2 = stack.env["KD_RASA_URL"].split(",")[1]
            await asyncio.to_thread(
                stack.restart, "rasa-2", rasa_status_url(worker_2, stack.rasa_token)
            )
            hub_b = await asyncio.to_thread(stack.start_hub, "hub-b", ALWAYS, **FAST_RETRIES)
            results["hubs"] = await killed_under_load(
                stack, [hub_b, stack.hub_url], ["rasa-2", "hub-b"], args, pg
            )
        finally:
            stack.stop()
    return results


# -- report ---------------------------------------------------------------------------------------


def report(r: Dict[str, Any]) -> str:
    out: List[str] = []
    stored = r.get("stored", {})
    if stored:
        size = r["sizes"]
        out.append(
            f"1. Turn latency, empty vs {size['conversations']:,} conversations / "
            f"{size['messages']:,} messages (hub) / {size['events']:,} events (Rasa), "
            f"{size['turns']} FAQ turns each"
        )
        rows = []
        for backend, b in stored.items():
            for path in ("hub", "direct"):
                e, f = b["empty"], b["full"]
                rows.append(
                    [
                        f"{backend}, {'through the hub' if path == 'hub' else 'Rasa directly'}",
                        e[f"{path}_p50"],
                        f[f"{path}_p50"],
                        f[f"{path}_p50"] / e[f"{path}_p50"],
                        e[f"{path}_p95"],
                        f[f"{path}_p95"],
                    ]
                )
        out.append(
            table(
                ["database, path", "p50 empty", "p50 full", "x", "p95 empty", "p95 full"],
                [[row[0], *(round(v, 1) for v in row[1:])] for row in rows],
            )
        )
        for backend, b in stored.items():
            out.append("")
            out.append(
                f"Hot statements on the full {backend} database (seeded in {b['seed_seconds']:.0f} s):"
            )
            out.append(
                table(
                    ["run by", "statement", "plan", "ms"],
                    [[w, s, p[:110], round(ms, 2)] for w, s, p, ms in b["plans"]],
                )
            )
        memory = next((b["memory"] for b in stored.values() if b.get("memory")), None)
        if memory:
            out.append("")
            out.append(
                f"2. Memory per active conversation ({memory['conversations']} conversations x "
                f"{memory['turns']} FAQ turns, RSS):"
            )
            out.append(
                table(
                    ["process", "before MB", "after MB", "per conversation KB"],
                    [
                        [
                            name,
                            round(memory[f"{name}_before_mb"]),
                            round(memory[f"{name}_after_mb"]),
                            round(memory[f"{name}_kb"]),
                        ]
                        for name in ("hub", "rasa")
                    ],
                )
            )
    scale = r.get("scale_out", {})
    if scale:
        out.append("")
        out.append(
            "3./4. Killed under load (PostgreSQL + Redis, 2 Rasa workers; targets: 0 lost, 0 doubled, context kept):"
        )
        rows = []
        for key, label in (("workers", "1 hub, 2 workers"), ("hubs", "2 hubs, 2 workers")):
            x = scale.get(key)
            if not x:
                continue
            rows.append(
                [
                    f"{label}; killed {', '.join(x['killed'])}",
                    x["asked"],
                    f"{x['stored_as_asked']}/{x['customers']}",
                    "yes" if x["all_answered"] else "NO",
                    x["doubled_answers"],
                    x["doubled_tracker_turns"],
                    f"{x['context_kept']}/{x['probes']}",
                    round(x["p50_ms"]),
                    round(x["p95_ms"]),
                    round(x["max_ms"]),
                ]
            )
        out.append(
            table(
                [
                    "setup",
                    "asked",
                    "stored once",
                    "all answered",
                    "doubled answers",
                    "doubled tracker turns",
                    "context kept",
                    "p50 ms",
                    "p95 ms",
                    "max ms",
                ],
                rows,
            )
        )
    return "\n".join(out)


async def run(args: argparse.Namespace) -> Dict[str, Any]:
    results: Dict[str, Any] = {
        "sizes": {k: getattr(args, k) for k in ("conversations", "messages", "events", "turns")}
    }
    if "stored" in args.parts:
        results["stored"] = {b: await full_database(b, args) for b in args.backends}
    if "scale-out" in args.parts:
        results["scale_out"] = await scale_out(args)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--conversations", type=int, default=10_000)
    parser.add_argument("--messages", type=int, default=1_000_000)
    parser.add_argument(
        "--events", type=int, default=1_000_000, help="rows in Rasa's tracker store"
    )
    parser.add_argument(
        "--turns", type=int, default=30, help="timed turns per path and database size"
    )
    parser.add_argument(
        "--active", type=int, default=100, help="conversations for the memory figure"
    )
    parser.add_argument("--active-turns", type=int, default=4)
    parser.add_argument("--customers", type=int, default=6, help="customers asking while killing")
    parser.add_argument("--probes", type=int, default=3, help="order forms that move with the kill")
    parser.add_argument("--kill-after", type=float, default=5.0)
    parser.add_argument("--load-seconds", type=float, default=20.0, help="load after the kill")
    parser.add_argument(
        "--backends", nargs="+", default=["sqlite", "postgresql"], choices=["sqlite", "postgresql"]
    )
    parser.add_argument(
        "--parts", nargs="+", default=["stored", "scale-out"], choices=["stored", "scale-out"]
    )
    parser.add_argument("--out", type=Path, default=OUT / "scale.json")
    args = parser.parse_args()
    results = asyncio.run(run(args))
    write_json(args.out, results)
    print(report(results))


if __name__ == "__main__":
    main()
