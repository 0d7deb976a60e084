"""Saturation of one Rasa worker against a bare `rasa init` bot, in one run: `make bench-saturation`.

Issue 26.2. Starts two stacks of the real project (actions, one Rasa worker, hub; throw-away
databases): "after" with the defaults and "before" with the issue's shortcuts off
(KD_LOCAL_ACTIONS empty, KD_LAZY_TED=0; `--variant KEY=VALUE` picks other settings, e.g. only
KD_LAZY_TED=0 to see what the lazy TED alone gives), and a bare `rasa init` bot
(bench/bare_rasa.py). Closed-loop senders send FAQ questions (the bare bot: its own starter
phrases), each sender its next message as soon as it has the answer. The targets take turns in
`--rounds` short slices, so a change of the machine's load (other work on the two cores) hits
all of them alike. Counted are answered turns only: a hub turn whose answer did not come back
(Rasa too slow: the hub keeps the message and retries later) is reported as unanswered.

The ratio to the bare bot is printed next to its target (>= 1.0x). `--profile DIR` records the
"after" worker with py-spy (from the Rasa dev lock) over the whole run and prints where its busy
samples went. `bench/hub.py` measures the same saturation once as its part 6.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import subprocess
import tempfile
import time
import uuid
from collections import Counter
from pathlib import Path
from typing import Any, Awaitable, Callable, Dict, List, Mapping, Sequence, Tuple

import aiohttp

from bench.bare_rasa import BareRasa
from bench.common import log, table, write_json
from bench.hub import BARE_TEXTS, FAQ, UNLIMITED, rss_mb, summary
from bench.long_conversation import py_spy
from bot.ops.client import Customer, HubError
from bot.ops.launcher import Stack, start_stack

OUT = Path(__file__).resolve().parent / "out"
TARGET = 1.0  # issue 26.2: at least the bare bot's throughput, one worker, same run
BEFORE = {"KD_LOCAL_ACTIONS": "", "KD_LAZY_TED": "0"}
# Where a Rasa sample's time went: every marker found in its stack counts (they can overlap).
MARKERS: Dict[str, Tuple[str, ...]] = {
    "NLU (parse_message)": ("parse_message (",),
    "  USE sentence encoder": ("use_featurizer.py",),
    "  linear classifier": ("linear_classifier.py",),
    "policies (predict_next_action)": ("predict_next_action (", "_predict_next_with_tracker ("),
    "  TED": ("ted_policy.py",),
    "  rule policy": ("rule_policy.py",),
    "  memoization": ("memoization.py",),
    "  escalation policy": ("escalation_policy.py",),
    "  tracker featurization": ("tracker_featurizers.py", "single_state_featurizer.py"),
    "custom actions (HTTP or in-process)": ("_run_action (",),
    "  action_faq in-process": ("local_actions.py",),
    "tracker store": ("tracker_store.py",),
    "responses to the channel": ("send_response (", "_send_bot_messages ("),
}

Turn = Callable[[int], Awaitable[bool]]  # sender index -> answered?


def shares(path: Path, markers: Mapping[str, Sequence[str]]) -> Dict[str, Any]:
    """Fraction of the busy samples (not idle in the event loop's select) passing each marker."""
    counts: Counter[str] = Counter()
    busy = 0
    for line in path.read_text(encoding="utf-8").splitlines():
        stack, _, n = line.rpartition(" ")
        if not n.isdigit() or "select (selectors.py" in stack.rsplit(";", 1)[-1]:
            continue
        busy += int(n)
        for name, needles in markers.items():
            if any(needle in stack for needle in needles):
                counts[name] += int(n)
    return {"busy_samples": busy, **{k: counts[k] / busy for k in markers}} if busy else {}


TICK = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far (all its threads)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICK


class Target:
    """One path under load; its turns, latencies and the CPU time of its processes (`pids`: the
    Rasa worker first) are collected over all rounds. CPU per turn does not depend on what else
    runs on the machine, the way answered turns per second do."""

    def __init__(self, label: str, turn: Turn, pids: Dict[str, int] | None = None) -> None:
        self.label, self.turn = label, turn
        self.pids = pids or {}
        self.cpu = {name: 0.0 for name in self.pids}
        self.ms: List[float] = []
        self.unanswered = 0
        self.seconds = 0.0

    async def slice(self, concurrency: int, seconds: float) -> None:
        deadline = time.perf_counter() + seconds

        async def sender(i: int) -> None:
            while time.perf_counter() < deadline:
                start = time.perf_counter()
                try:
                    answered = await self.turn(i)
                except (aiohttp.ClientError, asyncio.TimeoutError, HubError):
                    answered = False  # an error status or a dropped connection: not served
                if answered:
                    self.ms.append((time.perf_counter() - start) * 1000)
                else:
                    self.unanswered += 1

        before = {name: cpu_seconds(pid) for name, pid in self.pids.items()}
        start = time.perf_counter()
        await asyncio.gather(*(sender(i) for i in range(concurrency)))
        self.seconds += time.perf_counter() - start
        for name, pid in self.pids.items():
            self.cpu[name] += cpu_seconds(pid) - before[name]

    def result(self) -> Dict[str, Any]:
        turns = max(1, len(self.ms))
        cpu_ms = {name: 1000 * seconds / turns for name, seconds in self.cpu.items()}
        return {
            **summary(self.ms, self.seconds),
            "unanswered": self.unanswered,
            "cpu_ms_per_turn": cpu_ms,
            # one worker's event loop is one thread: on a core of its own it serves at most this
            "cpu_bound_msgs_per_s": 1000 / cpu_ms["rasa"] if cpu_ms.get("rasa") else None,
        }


def direct(s: aiohttp.ClientSession, url: str, texts: List[str], concurrency: int) -> Turn:
    """Turns straight to a worker's REST channel; each sender keeps one conversation."""
    run, sent = uuid.uuid4().hex[:8], [0] * concurrency

    async def turn(i: int) -> bool:
        text = texts[sent[i] % len(texts)]
        sent[i] += 1
        async with s.post(
            f"{url}/webhooks/rest/webhook",
            json={"sender": f"sat-{run}-{i}", "message": text},
            headers=_auth(url),
        ) as r:
            r.raise_for_status()
            return bool(await r.json())

    return turn


def _auth(url: str) -> Dict[str, str]:
    from bot.ops.launcher import rasa_token_for

    token = rasa_token_for(url)
    return {"Authorization": f"Bearer {token}"} if token else {}


async def through_hub(s: aiohttp.ClientSession, stack: Stack, concurrency: int) -> Turn:
    people = [await Customer(s, stack.hub_url).start() for _ in range(concurrency)]
    sent = [0] * concurrency

    async def turn(i: int) -> bool:
        answers = await people[i].say(FAQ[sent[i] % len(FAQ)])
        sent[i] += 1
        return any(a.get("sender") == "bot" for a in answers)

    return turn


async def measure(
    stacks: Dict[str, Stack], bare_url: str, bare_pid: int, args: argparse.Namespace
) -> Dict[str, Any]:
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0)) as s:
        targets: List[Target] = []
        for name, stack in stacks.items():
            pids = {n: stack.named[n].pid for n in ("rasa", "actions", "hub")}
            targets.append(
                Target(
                    f"{name}: worker directly",
                    direct(s, stack.rasa_url, FAQ, args.concurrency),
                    pids,
                )
            )
            targets.append(
                Target(f"{name}: via the hub", await through_hub(s, stack, args.concurrency), pids)
            )
        targets.append(
            Target("bare", direct(s, bare_url, BARE_TEXTS, args.concurrency), {"rasa": bare_pid})
        )
        log("warm-up ...")
        for target in targets:
            await Target("warm-up", target.turn).slice(4, 3)
        slice_seconds = args.seconds / args.rounds
        for n in range(args.rounds):
            log(f"round {n + 1}/{args.rounds}: {len(targets)} targets x {slice_seconds:.1f} s")
            for target in targets:
                await target.slice(args.concurrency, slice_seconds)
    return {target.label: target.result() for target in targets}


async def run(args: argparse.Namespace) -> Dict[str, Any]:
    variant = dict(item.split("=", 1) for item in args.variant) if args.variant else BEFORE
    settings = {"after": {}, "before": variant}
    stacks: Dict[str, Stack] = {}
    spy: subprocess.Popen | None = None
    results: Dict[str, Any] = {"settings": {**vars(args), "profile": str(args.profile)}}
    results["settings"]["stacks"] = settings
    try:
        for name, extra in settings.items():
            log(f"starting the '{name}' stack (one Rasa worker) {extra or ''} ...")
            directory = Path(tempfile.mkdtemp(prefix=f"kd-bench-sat-{name}-"))
            stacks[name] = start_stack(directory, **UNLIMITED, **extra)
        log("starting the bare `rasa init` bot ...")
        with BareRasa() as bare:
            if args.profile:
                args.profile.mkdir(parents=True, exist_ok=True)
                spy = py_spy(stacks["after"].named["rasa"].pid, args.profile / "rasa.txt")
            try:
                results["paths"] = await measure(stacks, bare.url, bare.pid, args)
            finally:
                if spy is not None:
                    spy.send_signal(2)  # py-spy writes its file on SIGINT
                    spy.wait(60)
            results["rss_mb"] = {
                **{
                    f"{n} {p}": rss_mb(proc.pid)
                    for n, st in stacks.items()
                    for p, proc in st.named.items()
                },
                "bare rasa init": rss_mb(bare.pid),
            }
    finally:
        for stack in stacks.values():
            stack.stop()
    if spy is not None:
        results["profile"] = shares(args.profile / "rasa.txt", MARKERS)
    return results


def report(results: Dict[str, Any]) -> str:
    paths = results["paths"]
    bare, bare_cpu = paths["bare"]["msgs_per_s"], paths["bare"]["cpu_bound_msgs_per_s"]
    rows = []
    for label, r in paths.items():
        ratio, cpu_ratio = r["msgs_per_s"] / bare, r["cpu_bound_msgs_per_s"] / bare_cpu
        verdict = "" if label == "bare" else (" – met" if ratio >= TARGET else " – not met")
        cpu = r["cpu_ms_per_turn"]
        rows.append(
            (
                "bare `rasa init` bot, REST" if label == "bare" else label,
                r["msgs_per_s"],
                r["p50_ms"],
                r["p95_ms"],
                r["unanswered"],
                f"{ratio:.2f}x{verdict}",
                cpu["rasa"],
                cpu.get("actions"),
                cpu.get("hub") if "hub" in label else None,
                f"{r['cpu_bound_msgs_per_s']:.1f} ({cpu_ratio:.2f}x)",
            )
        )
    stacks = results["settings"]["stacks"]
    lines = [
        f"before = {stacks['before']}; {results['settings']['rounds']} rounds, "
        f"{results['settings']['concurrency']} closed-loop senders",
        table(
            (
                "saturation, FAQ turns",
                "answered/s",
                "p50 ms",
                "p95 ms",
                "unanswered",
                f"x bare (>= {TARGET:.1f}x)",
                "CPU ms/turn: Rasa",
                "actions",
                "hub",
                "Rasa-CPU-bound msg/s",
            ),
            rows,
        ),
        "CPU ms/turn of the action server and the hub count while their stack is measured (idle "
        "polling included); Rasa-CPU-bound msg/s = 1000 / Rasa's CPU ms per turn.",
    ]
    share = results.get("profile") or {}
    if share:
        lines.append(
            f"profile of the 'after' worker ({share.get('busy_samples', 0)} busy samples):"
        )
        lines += [f"  {k:38} {v * 100:5.1f} %" for k, v in share.items() if k != "busy_samples"]
    lines.append("RSS: " + ", ".join(f"{k} {v:.0f} MB" for k, v in results["rss_mb"].items()))
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--concurrency", type=int, default=20, help="closed-loop senders")
    parser.add_argument("--seconds", type=float, default=40.0, help="per target, over all rounds")
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--profile", type=Path, help="directory for py-spy's raw stacks")
    parser.add_argument(
        "--variant",
        action="append",
        default=[],
        metavar="KD_X=VALUE",
        help="settings of the 'before' stack (default: KD_LOCAL_ACTIONS= KD_LAZY_TED=0)",
    )
    args = parser.parse_args()
    results = asyncio.run(run(args))
    write_json(OUT / "saturation.json", results)
    print(report(results))


if __name__ == "__main__":
    main()
