"""The held-out persona runs' harness: a private stack and a one-message-at-a-time customer.

A persona agent writes each next message only after reading the reply, so the stack must outlive
every single command. `up` starts it (nobody online, always open, no rate limits) and waits until
`down`; `new` starts a web chat (reseeding the demo shop unless --noseed); `say` sends one message
and prints the replies, their buttons and every shop record or handoff that appeared meanwhile.
Slots (--slot N) keep several conversations apart. Usage:

    python -m bench.held_out.play up DIR        (in the background; DIR/stack.json when ready)
    python -m bench.held_out.play new DIR [--slot N] [--noseed]
    python -m bench.held_out.play say DIR [--slot N] TEXT   (or --payload /intent TEXT for a button)
    python -m bench.held_out.play down DIR
"""

from __future__ import annotations

import argparse
import asyncio
import json
import time
from pathlib import Path
from typing import Any, Dict, List

import aiohttp

from bench.hub import UNLIMITED
from bot.ops.client import Customer
from bot.ops.launcher import seed_shop, start_stack
from tests.integration import corpus


def up(directory: Path) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "stop").unlink(missing_ok=True)
    stack = start_stack(directory, KD_RATE_URGENT="100000/3600", **UNLIMITED)
    try:
        corpus.nobody_online(stack.env)
        info = {
            "hub_url": stack.hub_url,
            "shop_url": stack.env["KD_SHOP_DATABASE_URL"],
            "shop_db": str(directory / "shop.db"),
            "hub_db": str(directory / "hub.db"),
            "rasa_url": stack.rasa_url,
            "rasa_token": stack.rasa_token,
        }
        (directory / "stack.json").write_text(json.dumps(info), encoding="utf-8")
        print("ready", flush=True)
        while not (directory / "stop").exists():
            time.sleep(1)
    finally:
        stack.stop()
        (directory / "stack.json").unlink(missing_ok=True)
        print("stopped", flush=True)


def stack_info(directory: Path) -> Dict[str, str]:
    path = directory / "stack.json"
    if not path.exists():
        raise SystemExit(f"no running stack in {directory}: run `up` first and wait for 'ready'")
    data: Dict[str, str] = json.loads(path.read_text(encoding="utf-8"))
    return data


def slot_file(directory: Path, slot: int) -> Path:
    return directory / f"slot-{slot}.json"


async def new(directory: Path, slot: int, reseed: bool) -> None:
    info = stack_info(directory)
    if reseed:
        seed_shop(info["shop_url"])
    async with aiohttp.ClientSession() as session:
        customer = await Customer(session, info["hub_url"]).start()
    slot_file(directory, slot).write_text(
        json.dumps({"id": customer.id, "token": customer.token}), encoding="utf-8"
    )
    print(f"conversation {customer.id} (slot {slot}{', shop reseeded' if reseed else ''})")


def show(message: Dict[str, Any]) -> str:
    lines = [f"BOT: {message.get('text') or ''}"]
    for button in message.get("buttons") or []:
        lines.append(f"  [button] {button.get('title')}  ->  {button.get('payload')}")
    return "\n".join(lines)


def summarise(events: List[Dict[str, Any]]) -> str:
    """The intent Rasa read and the actions it ran for the last message (for finding roots)."""
    starts = [i for i, e in enumerate(events) if e.get("event") == "user"]
    if not starts:
        return "TRACE: no user message"
    user = events[starts[-1]]
    actions = [
        str(e["name"])
        for e in events[starts[-1] :]
        if e.get("event") == "action" and e.get("name") not in ("action_listen", None)
    ]
    intent = (user.get("parse_data") or {}).get("intent") or {}
    return (
        f"TRACE: intent {intent.get('name')} ({float(intent.get('confidence') or 0):.2f}),"
        f" actions {','.join(actions)}"
    )


async def last_turn(session: aiohttp.ClientSession, info: Dict[str, str], sender: str) -> str:
    url = f"{info['rasa_url']}/conversations/{sender}/tracker"
    async with session.get(url, params={"token": info["rasa_token"]}) as r:
        if r.status != 200:
            return f"TRACE: tracker HTTP {r.status}"
        return summarise((await r.json()).get("events") or [])


async def say(directory: Path, slot: int, text: str, payload: str | None) -> None:
    info = stack_info(directory)
    state = json.loads(slot_file(directory, slot).read_text(encoding="utf-8"))
    audit = corpus.Audit(info["shop_db"], info["hub_db"])
    before = audit.snapshot(state["id"])
    async with aiohttp.ClientSession() as session:
        customer = Customer(session, info["hub_url"])
        customer.id, customer.token = state["id"], state["token"]
        replies = await customer.say(text, payload)
        trace = await last_turn(session, info, state["id"])
    for message in replies:
        print(show(message))
    print(trace)
    for record in audit.new_records(before, audit.snapshot(state["id"])):
        print(f"RECORD: {record.kind} order={record.order} {record.reference}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=["up", "new", "say", "down"])
    parser.add_argument("directory", type=Path)
    parser.add_argument("text", nargs="?", default="")
    parser.add_argument("--slot", type=int, default=0)
    parser.add_argument("--noseed", action="store_true")
    parser.add_argument("--payload", default=None)
    args = parser.parse_args()
    if args.command == "up":
        up(args.directory)
    elif args.command == "new":
        asyncio.run(new(args.directory, args.slot, not args.noseed))
    elif args.command == "say":
        if not args.text:
            parser.error("say needs the customer's TEXT")
        asyncio.run(say(args.directory, args.slot, args.text, args.payload))
    else:
        (args.directory / "stop").touch()


if __name__ == "__main__":
    main()
