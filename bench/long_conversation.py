"""Does a turn cost the same at message 120 as at message 1? `make bench-long` (issue 26.1 and 26.3).

For each tracker store (Rasa's own SQLTrackerStore with KD_TRACKER_CACHE=0, then the project's
cached store) a stack is started on throw-away databases, and one conversation of `--turns` FAQ
questions is sent one turn after the other through the hub, and a second one straight to Rasa's
REST channel, the two interleaved turn by turn so both see the same machine load. Printed: the
median of turns 1-10 and of the last ten, their growth (target <= x1.2), and hub minus direct
p50 over all turns (target <= +5 ms). `--profile DIR` records Rasa and the hub with py-spy
(raw collapsed stacks, one file per process and store) and prints where their time went.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import subprocess
import tempfile
import time
import uuid
from collections import Counter
from pathlib import Path
from typing import Any, Dict, List

import aiohttp

from bench.common import log, table, write_json
from bench.hub import FAQ, UNLIMITED, direct_turn
from bot.ops.client import Customer
from bot.ops.launcher import Stack, rasa_python, start_stack

OUT = Path(__file__).resolve().parent / "out"
STORES = {"Rasa SQLTrackerStore (before)": "0", "cached store (after)": "1000"}
# where a sample's time went: the first marker found in its stack, outermost call first
MARKERS = {
    "tracker store": ("tracker_store.py",),
    "NLU (parse_message)": ("parse_message (",),
    "policies (predict_next_action)": ("predict_next_action (", "_predict_next_with_tracker ("),
    "action server call": ("actions/action.py",),
    "hub database": ("aiosqlite", "sqlalchemy"),
}


def window(ms: List[float], first: int, last: int) -> float:
    return statistics.median(ms[first:last])


def growth(ms: List[float]) -> Dict[str, float]:
    early, late = window(ms, 0, 10), window(ms, len(ms) - 10, len(ms))
    return {"first_10_ms": early, "last_10_ms": late, "growth": late / early}


def py_spy(pid: int, path: Path) -> subprocess.Popen:
    spy = Path(rasa_python()).parent / "py-spy"
    return subprocess.Popen(
        [str(spy), "record", "--format", "raw", "--rate", "50", "-p", str(pid), "-o", str(path)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def shares(path: Path) -> Dict[str, float]:
    """Fraction of the samples whose stack passes through each marker (collapsed stacks: frames;count)."""
    counts: Counter[str] = Counter()
    total = 0
    for line in path.read_text(encoding="utf-8").splitlines():
        stack, _, n = line.rpartition(" ")
        if not n.isdigit():
            continue
        total += int(n)
        for name, needles in MARKERS.items():
            if any(needle in stack for needle in needles):
                counts[name] += int(n)
    return {name: counts[name] / total for name in MARKERS} if total else {}


async def conversation(stack: Stack, turns: int) -> Dict[str, Any]:
    hub_ms: List[float] = []
    direct_ms: List[float] = []
    answered = 0
    async with aiohttp.ClientSession() as s:
        for warm in range(3):  # warm both paths on another conversation
            await direct_turn(s, stack.rasa_url, f"warm-{uuid.uuid4().hex}", FAQ[warm])
        customer = await Customer(s, stack.hub_url).start()
        sender = f"long-{uuid.uuid4().hex}"
        for n in range(turns):
            text = FAQ[n % len(FAQ)]
            start = time.perf_counter()
            answers = await customer.say(text)
            hub_ms.append((time.perf_counter() - start) * 1000)
            answered += any(a.get("sender") == "bot" for a in answers)
            direct_ms.append(await direct_turn(s, stack.rasa_url, sender, text))
    return {
        "hub": {**growth(hub_ms), "p50_ms": statistics.median(hub_ms), "answered": answered},
        "direct": {**growth(direct_ms), "p50_ms": statistics.median(direct_ms)},
        "hub_minus_direct_p50_ms": statistics.median(hub_ms) - statistics.median(direct_ms),
        "hub_ms": hub_ms,
        "direct_ms": direct_ms,
    }


async def run(args: argparse.Namespace) -> Dict[str, Any]:
    results: Dict[str, Any] = {}
    for label, cache in STORES.items():
        if args.store != "both" and not label.startswith(
            "cached" if args.store == "after" else "Rasa"
        ):
            continue
        log(f"{label}: starting a stack ...")
        stack = start_stack(
            Path(tempfile.mkdtemp(prefix="kd-bench-long-")), KD_TRACKER_CACHE=cache, **UNLIMITED
        )
        spies: Dict[str, subprocess.Popen] = {}
        try:
            if args.profile:
                args.profile.mkdir(parents=True, exist_ok=True)
                for name in ("rasa", "hub"):
                    out = args.profile / f"{name}-cache{cache}.txt"
                    spies[name] = py_spy(stack.named[name].pid, out)
                await asyncio.sleep(1)
            log(f"{label}: {args.turns} turns through the hub and directly ...")
            results[label] = await conversation(stack, args.turns)
        finally:
            for spy in spies.values():
                spy.send_signal(2)  # py-spy writes its file on SIGINT
                spy.wait(60)
            stack.stop()
        if args.profile:
            results[label]["profile"] = {
                name: shares(args.profile / f"{name}-cache{cache}.txt") for name in spies
            }
    return results


def report(results: Dict[str, Any], turns: int) -> str:
    rows = []
    for label, r in results.items():
        for path in ("hub", "direct"):
            g = r[path]
            rows.append(
                (
                    f"{label}, {'through the hub' if path == 'hub' else 'Rasa REST directly'}",
                    g["first_10_ms"],
                    g["last_10_ms"],
                    f"x{g['growth']:.2f}",
                    g["p50_ms"],
                )
            )
    text = table(
        (
            "store, path",
            "median 1-10 ms",
            f"median {turns - 9}-{turns} ms",
            "growth (<= x1.2)",
            "p50 ms",
        ),
        rows,
    )
    lines = [text, ""]
    for label, r in results.items():
        lines.append(
            f"{label}: hub - direct p50 {r['hub_minus_direct_p50_ms']:+.1f} ms (target <= +5 ms), "
            f"bot answered {r['hub']['answered']}/{turns} hub turns"
        )
        for name, share in (r.get("profile") or {}).items():
            lines.append(
                f"  profile {name}: "
                + ", ".join(f"{k} {v * 100:.0f} %" for k, v in share.items() if v >= 0.005)
            )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--turns", type=int, default=120)
    parser.add_argument("--profile", type=Path, help="directory for py-spy's raw stacks")
    parser.add_argument(
        "--store",
        choices=("both", "before", "after"),
        default="both",
        help="only Rasa's store (before) or only the cached one (after): hub vs direct alone",
    )
    args = parser.parse_args()
    results = asyncio.run(run(args))
    write_json(OUT / "long_conversation.json", results)
    print(report(results, args.turns))


if __name__ == "__main__":
    main()
