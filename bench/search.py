"""Search latency over a large generated hub database, SQLite and PostgreSQL: `make bench-search`.

Generates 100,000 conversations with 1,000,000 messages (10 each: customer, bot and agent texts from
German phrase lists with names, order numbers, e-mail addresses and products), 20,000 notes and
15,000 requests, bulk-loaded into a database migrated to the current schema (SQLite: the rows go
through the search triggers as the hub's own writes do; PostgreSQL: COPY, then the GIN indexes are
built as the migration builds them). Then runs a fixed mix of searches - rare words (a name, an order
number, an e-mail address), medium and very common words, two words, short prefixes, with and
without filters - as a supervisor (everything visible) and as a plain agent of one team, each
search 3 times, through bot.hub.search (the API handler's work minus HTTP). Prints per database and
role p50/p95/max against the target p95 <= 200 ms, and writes bench/out/search.json.

    python -m bench.search [--conversations 100000] [--only sqlite|postgresql]
"""

from __future__ import annotations

import argparse
import asyncio
import random
import sqlite3
import statistics
import tempfile
import time
import uuid
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any, Dict, Iterator, List, Tuple

from bench.common import log, table, write_json
from bot.hub.search import index_sql
from bot.hub.search.fold import terms
from bot.hub.search.scope import Scope
from bot.hub.search.service import Search, SearchQuery
from bot.hub.store.db import make_engine, migrate, session_factory
from bot.hub.teams import load_teams
from bot.shared.company import company

OUT = Path(__file__).resolve().parent / "out" / "search.json"
TARGET_MS = 200.0
RUNS = 3
PER_CONVERSATION = 10
LAST_DAY = date(2026, 11, 30)
DAYS = 90
AGENTS = 10
CHANNELS = ["webchat"] * 70 + ["whatsapp"] * 15 + ["telegram"] * 10 + ["messenger"] * 5
FIRST = [
    "Anna",
    "Jürgen",
    "Özlem",
    "Birgit",
    "Ali",
    "Sven",
    "Maria",
    "Lukas",
    "Sophie",
    "Hans",
    "Elif",
    "Jörg",
]
LAST = [
    "Müller",
    "Schmidt",
    "Weiß",
    "Öztürk",
    "Becker",
    "Hoffmann",
    "Schäfer",
    "Krüger",
    "Groß",
    "Wagner",
]
PRODUCTS = [
    "Heizdecke",
    "Regenjacke",
    "Wanderschuhe",
    "Rucksack",
    "Thermoskanne",
    "Schlafsack",
    "Zelt",
    "Fleecejacke",
    "Handschuhe",
    "Mütze",
    "Trinkflasche",
    "Stirnlampe",
    "Isomatte",
    "Kaffeemühle",
]
CUSTOMER = [
    "Wo ist meine Bestellung {order}?",
    "Die {product} ist kaputt angekommen, der Reißverschluss klemmt",
    "Ich möchte die {product} zurückschicken, Bestellung {order}",
    "Bitte die Rechnung für {order} an {email} schicken",
    "Mein Paket wurde an die falsche Straße geliefert",
    "Kann ich mit PayPal zahlen?",
    "Doppelt abgebucht bei Bestellung {order}!!!",
    "Hallo, ich bin {name}, die Lieferung ist seit einer Woche überfällig",
    "Größe passt nicht, kann ich die {product} umtauschen?",
    "danke, das hat geholfen",
    "Adresse ändern bitte: Hauptstraße {house}",
    "Gibt es die {product} auch in Grün?",
]
BOT = [
    "Ihre Bestellung ist unterwegs und kommt voraussichtlich in zwei Tagen.",
    "Das tut mir leid. Ich verbinde Sie mit einer Kollegin aus dem Kundenservice.",
    "Rücksendungen sind innerhalb von 30 Tagen kostenlos möglich.",
    "Bitte nennen Sie mir Ihre Bestellnummer.",
    "Wir akzeptieren PayPal, Kreditkarte, Rechnung und Lastschrift.",
    "Gern geschehen! Kann ich sonst noch helfen?",
    "Ich habe Ihre Adresse für die Lieferung notiert.",
]
AGENT = [
    "Ich habe die Erstattung für {order} veranlasst.",
    "Der Ersatz für Ihre {product} ist heute rausgegangen.",
    "Ich habe mit dem Lager gesprochen, die Sendung wird neu verschickt.",
    "Die Gutschrift sehen Sie in drei bis fünf Werktagen auf Ihrem Konto.",
]
NOTES = [
    "Kunde {name} sehr verärgert, Kulanz angeboten",
    "Rückruf vereinbart, Lager prüft {order}",
    "Gutschrift statt Ersatz gewünscht ({product})",
    "Adresse geprüft: Hauptstraße {house} stimmt",
]
# The search mix: (label, query, filters). Rare, medium and common words, names, numbers, prefixes.
QUERIES: List[Tuple[str, str, Dict[str, Any]]] = [
    ("order number", "{order}", {}),
    ("order number", "{order2}", {}),
    ("e-mail", "{email}", {}),
    ("name", "{name}", {}),
    ("name, folded", "{folded}", {}),
    ("surname", "Öztürk", {}),
    ("product", "Thermoskanne", {}),
    ("product", "heizdecke kaputt", {}),
    ("medium word", "Reißverschluss", {}),
    ("medium word", "umtauschen", {}),
    ("common word", "Bestellung", {}),
    ("common word", "Paket", {}),
    ("common word", "Lieferung", {}),
    ("two common words", "bestellung rechnung", {}),
    ("prefix", "rücks", {}),
    ("prefix", "gut", {}),
    ("note", "Kulanz", {}),
    ("with channel", "Rechnung", {"channel": "whatsapp"}),
    ("with state", "Erstattung", {"state": "closed"}),
    ("last 7 days", "Bestellung", {"days": 7}),
    ("page 5", "Paypal", {"page": 5}),
    ("ticket number", "#{ticket}", {}),
]


def stamp(moment: datetime) -> str:
    return moment.isoformat(sep=" ", timespec="microseconds")


def email_of(first: str, last: str, n: int) -> str:
    folded = "".join(terms(f"{first}.{last}")[:2])
    return f"{folded}{n}@example.de"


def rows(conversations: int, seed: int = 20261207) -> Iterator[Tuple[str, Any]]:
    """("conversation" | "message" | "note" | "ticket", row tuple) in insertion order."""
    rng = random.Random(seed)
    start = datetime.combine(LAST_DAY - timedelta(days=DAYS - 1), datetime.min.time())
    seq = note_id = ticket_id = 0
    for i in range(conversations):
        conv_id = uuid.UUID(int=rng.getrandbits(128)).hex
        created = start + timedelta(seconds=rng.uniform(0, DAYS * 86400))
        first, last = rng.choice(FIRST), rng.choice(LAST)
        name = f"{first} {last}"
        values = {
            "order": str(100000 + i),
            "product": rng.choice(PRODUCTS),
            "email": email_of(first, last, i),
            "name": name,
            "house": str(rng.randint(1, 200)),
        }
        handoff = rng.random() < 0.2
        agent = rng.randint(1, AGENTS) if handoff else None
        # as on a normal day: a few dozen waiting or with an agent right now, the rest finished
        roll = rng.random()
        state = "closed" if handoff else rng.choice(["closed", "bot"])
        if handoff and roll < 0.002:
            state = "queued"
        elif handoff and roll < 0.004:
            state = "agent"
        channel = rng.choice(CHANNELS)
        yield (
            "conversation",
            (
                conv_id,
                channel,
                state,
                agent if state == "agent" else None,
                name if channel != "webchat" else None,
                stamp(created),
                stamp(created),
            ),
        )
        t = created
        for k in range(PER_CONVERSATION):
            t += timedelta(seconds=rng.uniform(5, 90))
            seq += 1
            if handoff and k >= 7:
                sender, text = "agent", rng.choice(AGENT).format(**values)
            elif k % 2 == 0:
                sender, text = "customer", rng.choice(CUSTOMER).format(**values)
            else:
                sender, text = "bot", rng.choice(BOT)
            yield (
                "message",
                (
                    seq,
                    uuid.UUID(int=rng.getrandbits(128)).hex,
                    conv_id,
                    sender,
                    text,
                    agent if sender == "agent" else None,
                    stamp(t),
                ),
            )
        if handoff:
            team = "kundenservice"
            yield (
                "handoff",
                (
                    conv_id,
                    "queued" if state == "queued" else "done",
                    team,
                    stamp(t),
                    agent if state != "queued" else None,
                ),
            )
        if rng.random() < 0.2:
            note_id += 1
            yield "note", (note_id, conv_id, agent, rng.choice(NOTES).format(**values), stamp(t))
        if rng.random() < 0.15:
            ticket_id += 1
            yield (
                "ticket",
                (
                    ticket_id,
                    conv_id,
                    values["email"],
                    f"Rückruf: {rng.choice(PRODUCTS)}",
                    rng.choices(["done", "open", "waiting"], [95, 3, 2])[
                        0
                    ],  # a backlog of hundreds
                    stamp(t),
                ),
            )


INSERT = {
    "conversation": "INSERT INTO conversations (id, token_hash, channel, state, metadata, assigned_agent_id, "
    "display_name, created_at, updated_at) VALUES (?, 'h', ?, ?, '{}', ?, ?, ?, ?)",
    "message": "INSERT INTO messages (seq, id, conversation_id, sender, text, agent_id, created_at, buttons, "
    "delivery) VALUES (?, ?, ?, ?, ?, ?, ?, '[]', 'done')",
    "handoff": "INSERT INTO handoffs (conversation_id, reason, priority, summary, state, team, queued_at, "
    "claimed_by) VALUES (?, 'customer_request', 'normal', '{}', ?, ?, ?, ?)",
    "note": "INSERT INTO notes (id, conversation_id, agent_id, text, created_at) VALUES (?, ?, ?, ?, ?)",
    "ticket": "INSERT INTO tickets (id, conversation_id, contact, note, status, created_at, summary) "
    "VALUES (?, ?, ?, ?, ?, ?, '{}')",
}
ORDER = ["conversation", "message", "handoff", "note", "ticket"]


def agents(now: str) -> List[Tuple[Any, ...]]:
    return [(i, f"agent{i}@shop.de", f"Agent {i}", now) for i in range(1, AGENTS + 2)]


AGENTS_SQL = (
    "INSERT INTO agents (id, email, name, password_hash, role, status, capacity, active, created_at, "
    "totp_enabled) VALUES (?, ?, ?, 'x', 'agent', 'offline', 3, {true}, ?, {false})"
)


def load_sqlite(path: Path, conversations: int) -> Dict[str, int]:
    db = sqlite3.connect(path)
    db.execute("PRAGMA synchronous=OFF")
    db.executemany(AGENTS_SQL.format(true=1, false=0), agents(stamp(datetime(2026, 1, 1))))
    batch: Dict[str, List[Tuple[Any, ...]]] = {k: [] for k in ORDER}
    counts = {k: 0 for k in ORDER}

    def flush() -> None:
        for kind in ORDER:
            db.executemany(INSERT[kind], batch[kind])
            counts[kind] += len(batch[kind])
            batch[kind].clear()
        db.commit()

    for kind, row in rows(conversations):
        batch[kind].append(row)
        if len(batch["message"]) >= 50_000:
            flush()
            log(f"sqlite: {counts['message']:,} messages")
    flush()
    db.execute("ANALYZE")
    db.commit()
    db.close()
    return counts


async def load_postgresql(url: str, conversations: int) -> Tuple[Dict[str, int], float]:
    import asyncpg

    conn = await asyncpg.connect(url)
    for statement in index_sql.postgresql_drop_indexes():
        await conn.execute(statement)
    await conn.executemany(
        AGENTS_SQL.format(true="true", false="false").replace("?", "${}").format(1, 2, 3, 4),
        [
            (i, e, n, datetime.fromisoformat(t))
            for i, e, n, t in agents(stamp(datetime(2026, 1, 1)))
        ],
    )
    columns = {
        "conversation": (
            "conversations",
            [
                "id",
                "token_hash",
                "channel",
                "state",
                "metadata",
                "assigned_agent_id",
                "display_name",
                "created_at",
                "updated_at",
            ],
        ),
        "message": (
            "messages",
            [
                "seq",
                "id",
                "conversation_id",
                "sender",
                "text",
                "agent_id",
                "created_at",
                "buttons",
                "delivery",
            ],
        ),
        "handoff": (
            "handoffs",
            [
                "conversation_id",
                "reason",
                "priority",
                "summary",
                "state",
                "team",
                "queued_at",
                "claimed_by",
            ],
        ),
        "note": ("notes", ["id", "conversation_id", "agent_id", "text", "created_at"]),
        "ticket": (
            "tickets",
            ["id", "conversation_id", "contact", "note", "status", "created_at", "summary"],
        ),
    }

    def shaped(kind: str, row: Tuple[Any, ...]) -> Tuple[Any, ...]:
        r = [
            datetime.fromisoformat(v)
            if isinstance(v, str) and v[:2] == "20" and v[4:5] == "-"
            else v
            for v in row
        ]
        if kind == "conversation":
            return (r[0], "h", r[1], r[2], "{}", r[3], r[4], r[5], r[6])
        if kind == "message":
            return (*r, "[]", "done")
        if kind == "handoff":
            return (r[0], "customer_request", "normal", "{}", r[1], r[2], r[3], r[4])
        if kind == "ticket":
            return (*r, "{}")
        return tuple(r)

    batch: Dict[str, List[Tuple[Any, ...]]] = {k: [] for k in ORDER}
    counts = {k: 0 for k in ORDER}

    async def flush() -> None:
        for kind in ORDER:
            table_name, cols = columns[kind]
            await conn.copy_records_to_table(table_name, records=batch[kind], columns=cols)
            counts[kind] += len(batch[kind])
            batch[kind].clear()

    for kind, row in rows(conversations):
        batch[kind].append(shaped(kind, row))
        if len(batch["message"]) >= 50_000:
            await flush()
            log(f"postgresql: {counts['message']:,} messages")
    await flush()
    await conn.execute(
        "SELECT setval(pg_get_serial_sequence('messages', 'seq'), (SELECT max(seq) FROM messages))"
    )
    began = time.perf_counter()
    for statement in index_sql.postgresql_indexes():
        await conn.execute(statement)
    built = time.perf_counter() - began
    await conn.execute("ANALYZE")
    await conn.close()
    return counts, built


def mix(conversations: int) -> List[Tuple[str, str, Dict[str, Any]]]:
    """The query mix with names and numbers that exist in the generated data."""
    rng = random.Random(7)
    i, j = rng.randrange(conversations), rng.randrange(conversations)
    first, last = FIRST[1], LAST[3]
    values = {
        "order": str(100000 + i),
        "order2": str(100000 + j),
        "email": "",
        "name": f"{first} {last}",
        "folded": "jurgen ozturk",
        "ticket": "42",
    }
    # a request's contact address, as generated (one of the first 2,000 conversations)
    generated = [r for k, r in rows(min(conversations, 2000)) if k == "ticket"]
    values["email"] = generated[0][2] if generated else "anna.muller0@example.de"
    return [(label, q.format(**values), f) for label, q, f in QUERIES]


async def measure(url: str, conversations: int) -> List[Dict[str, Any]]:
    engine = make_engine(url)
    teams = load_teams(company())
    search = Search(session_factory(engine), teams)
    scopes = {
        "supervisor": Scope(AGENTS + 1, True, None),
        "agent": Scope(1, False, None),
    }
    out: List[Dict[str, Any]] = []
    try:
        for role, scope in scopes.items():
            for label, q, filters in mix(conversations):
                f = dict(filters)
                start = end = None
                if "days" in f:
                    end = datetime.combine(LAST_DAY + timedelta(days=1), datetime.min.time())
                    start = end - timedelta(days=f.pop("days"))
                number = int(q[1:]) if q.startswith("#") else None
                query = SearchQuery(
                    terms=tuple(terms(q)), start=start, end=end, ticket_number=number, **f
                )
                await search.search(query, scope)  # warm-up
                times = []
                found = 0
                for _ in range(RUNS):
                    began = time.perf_counter()
                    result = await search.search(query, scope)
                    times.append((time.perf_counter() - began) * 1000)
                    found = len(result["results"])
                out.append(
                    {
                        "role": role,
                        "label": label,
                        "query": q,
                        "filters": filters,
                        "ms": times,
                        "hits": found,
                    }
                )
    finally:
        await engine.dispose()
    return out


def summary(database: str, measured: List[Dict[str, Any]]) -> List[List[Any]]:
    table_rows = []
    for role in ("supervisor", "agent"):
        times = sorted(t for m in measured if m["role"] == role for t in m["ms"])
        if not times:
            continue
        p95 = times[min(len(times) - 1, int(round(0.95 * len(times))) - 1)]
        table_rows.append(
            [
                database,
                role,
                len(times),
                statistics.median(times),
                p95,
                times[-1],
                TARGET_MS,
                "yes" if p95 <= TARGET_MS else "NO",
            ]
        )
    return table_rows


async def main_async(args: argparse.Namespace) -> None:
    results: Dict[str, Any] = {"conversations": args.conversations}
    table_rows: List[List[Any]] = []
    slowest: List[List[Any]] = []
    if args.only in (None, "sqlite"):
        with tempfile.TemporaryDirectory(prefix="kd-bench-search-") as tmp:
            path = Path(tmp) / "hub.db"
            engine = make_engine(f"sqlite:///{path}")
            await migrate(engine)
            await engine.dispose()
            log(
                f"sqlite: loading {args.conversations:,} conversations (through the search triggers)"
            )
            began = time.perf_counter()
            counts = load_sqlite(path, args.conversations)
            loaded = time.perf_counter() - began
            log(f"sqlite: loaded in {loaded:.0f} s; searching")
            measured = await measure(f"sqlite:///{path}", args.conversations)
            results["sqlite"] = {
                "counts": counts,
                "load_seconds": loaded,
                "queries": measured,
                "size_mb": path.stat().st_size / 1e6,
            }
            table_rows += summary("SQLite", measured)
            slowest += [
                ["SQLite", m["role"], m["label"], m["query"], max(m["ms"]), m["hits"]]
                for m in measured
            ]
    if args.only in (None, "postgresql"):
        from tests.services import postgres_server

        with postgres_server() as url:
            engine = make_engine(url)
            await migrate(engine)
            await engine.dispose()
            log(
                f"postgresql: loading {args.conversations:,} conversations (COPY, then the GIN indexes)"
            )
            began = time.perf_counter()
            counts, built = await load_postgresql(url, args.conversations)
            loaded = time.perf_counter() - began
            log(f"postgresql: loaded in {loaded:.0f} s (indexes {built:.0f} s); searching")
            measured = await measure(url, args.conversations)
            results["postgresql"] = {
                "counts": counts,
                "load_seconds": loaded,
                "index_seconds": built,
                "queries": measured,
            }
            table_rows += summary("PostgreSQL", measured)
            slowest += [
                ["PostgreSQL", m["role"], m["label"], m["query"], max(m["ms"]), m["hits"]]
                for m in measured
            ]
    print(
        f"\nSearch over {args.conversations:,} conversations / {args.conversations * PER_CONVERSATION:,} messages "
        f"({len(QUERIES)} searches x {RUNS} runs per role)\n"
    )
    print(
        table(
            ["database", "role", "runs", "p50 ms", "p95 ms", "max ms", "target p95 ms", "met"],
            table_rows,
        )
    )
    slowest.sort(key=lambda r: -r[4])
    print("\nSlowest searches\n")
    print(
        table(
            ["database", "role", "kind of search", "query", "max ms", "hits on page"], slowest[:10]
        )
    )
    write_json(OUT, results)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--conversations", type=int, default=100_000)
    parser.add_argument("--only", choices=["sqlite", "postgresql"])
    asyncio.run(main_async(parser.parse_args()))


if __name__ == "__main__":
    main()
