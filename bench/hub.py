"""Hub speed benchmark: `make bench-hub`.

Starts the real stack (actions, Rasa, hub) on throw-away databases and, in one
run, measures side by side:
  1. the same conversations through the hub API and straight to Rasa's REST channel
     (p50/p95/p99, messages/s, ratio hub/direct);
  2. 200 concurrent customers at 20 messages/s through the hub, each with a websocket;
  3. RSS cost of 1,000 idle customer websockets on the hub;
  4. agent reply -> customer websocket delivery latency;
  5. queue position updates reaching 200 waiting customers;
plus the RSS of every process. Prints a table and writes bench/out/hub.json.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any, Awaitable, Callable, Dict, List

import aiohttp

from bench.bare_rasa import BareRasa
from bot.hub.accounts.agents import create_agent
from bot.hub.settings import Settings
from bot.ops.client import AgentClient, Customer
from bot.ops.database import hub_repository
from bot.ops.launcher import Stack, start_stack

# One load generator on one address: the per-client limits would (rightly) stop it.
UNLIMITED = {
    "KD_RATE_CLIENT": "1000000/60",
    "KD_RATE_CONVERSATION": "100000/60",
    "KD_WS_PER_CLIENT": "100000",
}
SCRIPT = ["Hallo", "Was kostet der Versand?", "Wie lange dauert die Lieferung?", "Danke, tschüss"]
OUT = Path(__file__).resolve().parent / "out"


def pct(values: List[float], q: float) -> float:
    ordered = sorted(values)
    return (
        ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]
        if ordered
        else float("nan")
    )


def summary(ms: List[float], seconds: float) -> Dict[str, float]:
    return {
        "n": len(ms),
        "p50_ms": pct(ms, 0.5),
        "p95_ms": pct(ms, 0.95),
        "p99_ms": pct(ms, 0.99),
        "msgs_per_s": len(ms) / seconds if seconds else 0.0,
    }


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


async def hub_turn(c: Customer, text: str) -> float:
    start = time.perf_counter()
    await c.say(text)
    return (time.perf_counter() - start) * 1000


async def direct_turn(s: aiohttp.ClientSession, rasa: str, sender: str, text: str) -> float:
    from bot.ops.launcher import rasa_token_for  # the REST channel needs the stack's Rasa token

    token = rasa_token_for(rasa)
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    start = time.perf_counter()
    async with s.post(
        f"{rasa}/webhooks/rest/webhook", json={"sender": sender, "message": text}, headers=headers
    ) as r:
        r.raise_for_status()
        await r.read()
    return (time.perf_counter() - start) * 1000


async def side_by_side(stack: Stack, customers: int) -> Dict[str, Any]:
    """Interleave hub and direct turns so both see the same machine load."""
    hub_ms: List[float] = []
    direct_ms: List[float] = []
    async with aiohttp.ClientSession() as s:
        for _ in range(customers):
            c = await Customer(s, stack.hub_url).start()
            sender = f"direct-{uuid.uuid4().hex}"
            for text in SCRIPT:
                hub_ms.append(await hub_turn(c, text))
                direct_ms.append(await direct_turn(s, stack.rasa_url, sender, text))
    hub, direct = summary(hub_ms, sum(hub_ms) / 1000), summary(direct_ms, sum(direct_ms) / 1000)
    return {
        "hub": hub,
        "direct": direct,
        "ratio_p50": hub["p50_ms"] / direct["p50_ms"],
        "ratio_p95": hub["p95_ms"] / direct["p95_ms"],
    }


async def load(stack: Stack, customers: int, rate: float, seconds: float) -> Dict[str, Any]:
    """`customers` open conversations with websockets; messages at a fixed total rate."""
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0)) as s:
        people = [await Customer(s, stack.hub_url).start() for _ in range(customers)]
        sockets = [await s.ws_connect(await c.ws_url()) for c in people]
        latencies: List[float] = []
        tasks = []
        start = time.perf_counter()
        total = int(rate * seconds)
        for i in range(total):
            target = start + i / rate
            await asyncio.sleep(max(0.0, target - time.perf_counter()))
            tasks.append(
                asyncio.create_task(hub_turn(people[i % customers], SCRIPT[(i // customers) % 3]))
            )
        latencies = list(await asyncio.gather(*tasks))
        elapsed = time.perf_counter() - start
        for ws in sockets:
            await ws.close()
    return {"customers": customers, "target_rate": rate, **summary(latencies, elapsed)}


async def closed_loop(
    turn: Callable[[int, int], Awaitable[float]], concurrency: int, seconds: float
) -> Dict[str, Any]:
    """`concurrency` senders, each sending its next message as soon as it has the answer: the
    saturation throughput (messages answered per second) and the latency at that load."""
    latencies: List[float] = []
    deadline = time.perf_counter() + seconds

    async def sender(i: int) -> None:
        n = 0
        while time.perf_counter() < deadline:
            latencies.append(await turn(i, n))
            n += 1

    start = time.perf_counter()
    await asyncio.gather(*(sender(i) for i in range(concurrency)))
    return {"concurrency": concurrency, **summary(latencies, time.perf_counter() - start)}


async def saturate_hub(stack: Stack, concurrency: int, seconds: float) -> Dict[str, Any]:
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0)) as s:
        people = [await Customer(s, stack.hub_url).start() for _ in range(concurrency)]
        return await closed_loop(
            lambda i, n: hub_turn(people[i], FAQ[n % len(FAQ)]), concurrency, seconds
        )


async def saturate_rest(
    rasa_url: str, texts: List[str], concurrency: int, seconds: float
) -> Dict[str, Any]:
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0)) as s:
        run = uuid.uuid4().hex[:8]
        return await closed_loop(
            lambda i, n: direct_turn(s, rasa_url, f"sat-{run}-{i}", texts[n % len(texts)]),
            concurrency,
            seconds,
        )


async def idle_websockets(stack: Stack, count: int) -> Dict[str, Any]:
    hub_pid = stack.procs[2].pid
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0)) as s:
        people = [await Customer(s, stack.hub_url).start() for _ in range(count)]
        await asyncio.sleep(1)
        before = rss_mb(hub_pid)
        sockets = [await s.ws_connect(await c.ws_url()) for c in people]
        await asyncio.sleep(2)
        after = rss_mb(hub_pid)
        for ws in sockets:
            await ws.close()
    return {
        "connections": count,
        "rss_before_mb": before,
        "rss_after_mb": after,
        "cost_mb": after - before,
    }


async def agent_delivery(
    stack: Stack, agent: AgentClient, s: aiohttp.ClientSession, n: int
) -> Dict[str, Any]:
    c = await Customer(s, stack.hub_url).start()
    await c.say("Ich möchte mit einem Menschen sprechen")
    await agent.post(f"/conversations/{c.id}/claim")
    ms: List[float] = []
    async with s.ws_connect(await c.ws_url()) as ws:
        for i in range(n):
            text = f"Antwort {i}"
            start = time.perf_counter()
            sending = asyncio.create_task(
                agent.post(f"/conversations/{c.id}/messages", {"text": text})
            )
            while True:  # delivery = POST sent -> frame on the customer's websocket
                frame = await ws.receive_json(timeout=10)
                if frame.get("type") == "message" and frame["message"]["text"] == text:
                    break
            ms.append((time.perf_counter() - start) * 1000)
            await sending
    await agent.post(f"/conversations/{c.id}/close", {"resolution": "bench"})
    return summary(ms, sum(ms) / 1000)


async def queue_fanout(
    stack: Stack, agent: AgentClient, s: aiohttp.ClientSession, waiting: int
) -> Dict[str, Any]:
    people = [await Customer(s, stack.hub_url).start() for _ in range(waiting + 1)]
    for batch in range(0, len(people), 20):
        await asyncio.gather(*(c.say("Mitarbeiter bitte") for c in people[batch : batch + 20]))
    sockets = [await s.ws_connect(await c.ws_url()) for c in people[1:]]
    first = people[0]

    async def first_update(ws: aiohttp.ClientWebSocketResponse) -> float:
        while True:
            frame = await ws.receive_json(timeout=30)
            if frame.get("type") == "state" and frame.get("queue"):
                return time.perf_counter()

    watchers = [asyncio.create_task(first_update(ws)) for ws in sockets]
    await asyncio.sleep(0.5)
    start = time.perf_counter()
    await agent.post(f"/conversations/{first.id}/claim")
    arrivals = [(t - start) * 1000 for t in await asyncio.gather(*watchers)]
    for ws in sockets:
        await ws.close()
    return {"waiting": waiting, "all_updated_ms": max(arrivals), "p50_ms": pct(arrivals, 0.5)}


BARE_TEXTS = ["hello", "I am great", "goodbye", "are you a bot?"]
FAQ = [
    "Was kostet der Versand?",
    "Wie lange dauert die Lieferung?",
    "Welche Zahlungsarten gibt es?",
    "Wie kann ich Sie erreichen?",
    "Wie lange habe ich Rückgaberecht?",
]


async def exactly_once(stack: Stack, customers: int) -> Dict[str, Any]:
    """Issue 9's load: concurrent customers, five FAQ questions each (one answer per question expected),
    every transcript read back once the retry loop is idle."""
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0)) as s:
        people = [await Customer(s, stack.hub_url).start() for _ in range(customers)]

        async def ask_all(c: Customer) -> None:
            for question in FAQ:
                await c.say(question)

        start = time.perf_counter()
        await asyncio.gather(*(ask_all(c) for c in people))
        elapsed = time.perf_counter() - start
        await asyncio.sleep(5)  # two retry intervals: anything doubled late would show up now
        transcripts = [await c.transcript() for c in people]
    bot = [sum(1 for m in t if m["sender"] == "bot") for t in transcripts]
    return {
        "customers": customers,
        "questions": customers * len(FAQ),
        "seconds": elapsed,
        "answers": sum(bot),
        "doubled": sum(max(0, n - len(FAQ)) for n in bot),
        "unanswered": sum(max(0, len(FAQ) - n) for n in bot),
    }


async def run(args: argparse.Namespace) -> Dict[str, Any]:
    directory = Path(tempfile.mkdtemp(prefix="kd-bench-"))
    log(f"starting stack in {directory} ...")
    stack = start_stack(directory, **UNLIMITED)
    try:
        results: Dict[str, Any] = {}
        log("warm-up ...")
        await side_by_side(stack, 2)
        log("1. hub vs direct ...")
        results["side_by_side"] = await side_by_side(stack, args.customers)
        log("2. load ...")
        results["load"] = await load(stack, args.concurrent, args.rate, args.seconds)
        log("2b. exactly once under load ...")
        results["exactly_once"] = await exactly_once(stack, 20)
        log("3. idle websockets ...")
        results["idle_ws"] = await idle_websockets(stack, args.idle)
        email = f"bench-{uuid.uuid4().hex[:6]}@shop.de"
        async with hub_repository(Settings(database_url=stack.env["KD_DATABASE_URL"])) as repo:
            await create_agent(repo, email, "Bench", "geheim123", capacity=1000)
        async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0)) as s:
            agent = await AgentClient(s, stack.hub_url).login(email, "geheim123")
            log("4. agent -> customer delivery ...")
            results["agent_delivery"] = await agent_delivery(stack, agent, s, 50)
            log("5. queue fan-out ...")
            results["queue_fanout"] = await queue_fanout(stack, agent, s, args.waiting)
        log("6. saturation, full stack with one Rasa worker, and that worker directly ...")
        sat = results["saturation"] = {"seconds": args.sat_seconds}
        sat["hub_1"] = await saturate_hub(stack, args.sat_concurrency, args.sat_seconds)
        sat["direct_1"] = await saturate_rest(
            stack.rasa_url, FAQ, args.sat_concurrency, args.sat_seconds
        )
        results["rss_mb"] = {name: rss_mb(proc.pid) for name, proc in stack.named.items()}
    finally:
        stack.stop()
    log("7. saturation, full stack with two Rasa workers ...")
    stack = start_stack(Path(tempfile.mkdtemp(prefix="kd-bench2-")), workers=2, **UNLIMITED)
    try:
        await saturate_hub(stack, 4, 5)  # warm-up of the second worker
        sat["hub_2"] = await saturate_hub(stack, args.sat_concurrency, args.sat_seconds)
        results["rss_mb_2_workers"] = {name: rss_mb(proc.pid) for name, proc in stack.named.items()}
    finally:
        stack.stop()
    log("8. saturation, a bare `rasa init` bot (trained once into var/bench/rasa-init) ...")
    with BareRasa() as bare:
        await saturate_rest(bare.url, BARE_TEXTS, 4, 3)  # warm-up
        sat["bare"] = await saturate_rest(
            bare.url, BARE_TEXTS, args.sat_concurrency, args.sat_seconds
        )
        results["rss_mb"]["bare rasa init"] = rss_mb(bare.pid)
    return results


def table(r: Dict[str, Any]) -> str:
    sb, ld, ws, ad, qf = (
        r["side_by_side"],
        r["load"],
        r["idle_ws"],
        r["agent_delivery"],
        r["queue_fanout"],
    )
    eo = r["exactly_once"]
    rows = [
        (
            "hub API, sequential",
            f"{sb['hub']['p50_ms']:.1f}",
            f"{sb['hub']['p95_ms']:.1f}",
            f"{sb['hub']['p99_ms']:.1f}",
            f"{sb['hub']['n']}",
            "",
        ),
        (
            "Rasa REST direct, same turns",
            f"{sb['direct']['p50_ms']:.1f}",
            f"{sb['direct']['p95_ms']:.1f}",
            f"{sb['direct']['p99_ms']:.1f}",
            f"{sb['direct']['n']}",
            "",
        ),
        (
            "ratio hub/direct (target p50 <= 1.10)",
            f"{sb['ratio_p50']:.2f}",
            f"{sb['ratio_p95']:.2f}",
            "",
            "",
            "",
        ),
        (
            f"{ld['customers']} customers @ {ld['target_rate']:.0f} msg/s (target p95 <= 250)",
            f"{ld['p50_ms']:.1f}",
            f"{ld['p95_ms']:.1f}",
            f"{ld['p99_ms']:.1f}",
            f"{ld['n']}",
            f"{ld['msgs_per_s']:.1f} msg/s",
        ),
        (
            f"{eo['customers']} customers x 5 FAQ at once: doubled / unanswered (target 0 / 0)",
            "",
            "",
            "",
            f"{eo['questions']}",
            f"{eo['doubled']} / {eo['unanswered']} in {eo['seconds']:.1f} s",
        ),
        (
            "agent reply -> customer ws (target p95 <= 50)",
            f"{ad['p50_ms']:.1f}",
            f"{ad['p95_ms']:.1f}",
            f"{ad['p99_ms']:.1f}",
            f"{ad['n']}",
            "",
        ),
        (
            f"queue update -> {qf['waiting']} waiting customers (target <= 1000)",
            f"{qf['p50_ms']:.1f}",
            f"{qf['all_updated_ms']:.1f} (all)",
            "",
            f"{qf['waiting']}",
            "",
        ),
        (
            f"{ws['connections']} idle websockets, hub RSS (target <= 100 MB)",
            "",
            "",
            "",
            "",
            f"+{ws['cost_mb']:.1f} MB ({ws['rss_before_mb']:.0f} -> {ws['rss_after_mb']:.0f})",
        ),
    ]
    header = ("measurement", "p50 ms", "p95 ms", "p99 ms", "n", "other")
    widths = [max(len(str(row[i])) for row in rows + [header]) for i in range(6)]
    lines = [
        " | ".join(str(c).ljust(w) for c, w in zip(header, widths)),
        "-+-".join("-" * w for w in widths),
    ]
    lines += [" | ".join(str(c).ljust(w) for c, w in zip(row, widths)) for row in rows]
    sat = r["saturation"]
    bare = sat["bare"]["msgs_per_s"]
    lines.append("")
    lines.append(
        f"saturation, {sat['hub_1']['concurrency']} closed-loop senders x {sat['seconds']:.0f} s, FAQ turns "
        "(target, issue 26.2: one Rasa worker >= 1.0x the bare `rasa init` bot; bench/saturation.py "
        "alone: `make bench-saturation`):"
    )
    for key, label in (
        ("hub_1", "full stack via hub, 1 Rasa worker"),
        ("direct_1", "that Rasa worker directly"),
        ("hub_2", "full stack via hub, 2 Rasa workers"),
        ("bare", "bare `rasa init` bot, REST"),
    ):
        row = sat[key]
        ratio = row["msgs_per_s"] / bare
        verdict = {"hub_1": " - met" if ratio >= 1.0 else " - not met"}.get(key, "")
        lines.append(
            f"  {label:38} {row['msgs_per_s']:6.1f} msg/s  p50 {row['p50_ms']:6.1f} ms  "
            f"p95 {row['p95_ms']:6.1f} ms  ({ratio:.2f} x bare{verdict})"
        )
    lines.append("RSS after run: " + ", ".join(f"{k} {v:.0f} MB" for k, v in r["rss_mb"].items()))
    lines.append(
        "RSS, 2 workers: " + ", ".join(f"{k} {v:.0f} MB" for k, v in r["rss_mb_2_workers"].items())
    )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--customers", type=int, default=25, help="conversations in the side-by-side run"
    )
    parser.add_argument("--concurrent", type=int, default=200)
    parser.add_argument("--rate", type=float, default=20.0)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--idle", type=int, default=1000)
    parser.add_argument("--waiting", type=int, default=200)
    parser.add_argument(
        "--sat-concurrency", type=int, default=20, help="closed-loop senders for saturation"
    )
    parser.add_argument("--sat-seconds", type=float, default=20.0)
    args = parser.parse_args()
    results = asyncio.run(run(args))
    OUT.mkdir(exist_ok=True)
    (OUT / "hub.json").write_text(json.dumps(results, indent=2))
    print(table(results))


if __name__ == "__main__":
    main()
