"""The hub's own cost of a customer turn, without Rasa's: `make bench-hub-share` (issue 26.3).

The real hub app on SQLite in this process, a fake Rasa that answers at once (tests/fakes.py), and
`--turns` FAQ turns of one customer, one after the other, each with a `client_message_id` as the
widget sends it. Printed: wall time per turn (p50, p95) and this process's CPU time per turn (hub,
fake Rasa and the client together; the fake and the client are a small, fixed part). The full
stack's hub-vs-direct figure is in `make bench-long --store after`; this one moves only with the
hub's code, so it shows what a change to the turn path gives even on a loaded machine.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
import uuid
from pathlib import Path
from typing import Dict

from aiohttp.test_utils import TestClient, TestServer

from bench.common import table
from bench.hub import FAQ
from bot.hub.app import init_app
from bot.hub.settings import Settings
from tests.fakes import FakeRasa


async def measure(turns: int, warm_up: int = 20) -> Dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp:
        fake = FakeRasa(token="bench-token")
        rasa = TestServer(fake.app, host="127.0.0.1")
        await rasa.start_server()
        settings = Settings(
            database_url=f"sqlite:///{Path(tmp) / 'hub.db'}",
            rasa_url=str(rasa.make_url("")).rstrip("/"),
            rasa_token="bench-token",
            retry_interval=3600,
            rate_conversation=(1_000_000, 60.0),
            rate_client=(1_000_000, 60.0),
        )
        client = TestClient(TestServer(init_app(settings), host="127.0.0.1"))
        await client.start_server()
        try:
            body = {"channel": "webchat", "welcome": True}
            async with client.post("/api/v1/conversations", json=body) as resp:
                conv = await resp.json()
            headers = {"Authorization": f"Bearer {conv['token']}"}
            path = f"/api/v1/conversations/{conv['conversation_id']}/messages"
            ms = []
            cpu = 0.0
            for n in range(warm_up + turns):
                if n == warm_up:
                    cpu = time.process_time()
                message = {"text": FAQ[n % len(FAQ)], "client_message_id": uuid.uuid4().hex}
                started = time.perf_counter()
                async with client.post(path, json=message, headers=headers) as resp:
                    await resp.read()
                    if resp.status != 200:
                        raise RuntimeError(f"turn failed: HTTP {resp.status}")
                if n >= warm_up:
                    ms.append((time.perf_counter() - started) * 1000)
            cpu = time.process_time() - cpu
        finally:
            await client.close()
            await rasa.close()
    return {
        "p50_ms": statistics.median(ms),
        "p95_ms": sorted(ms)[int(0.95 * (len(ms) - 1))],
        "cpu_ms_per_turn": cpu * 1000 / turns,
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--turns", type=int, default=300)
    parser.add_argument("--runs", type=int, default=3, help="the median run is printed too")
    args = parser.parse_args()
    runs = [asyncio.run(measure(args.turns)) for _ in range(args.runs)]
    rows = [
        [f"run {i + 1}", r["p50_ms"], r["p95_ms"], r["cpu_ms_per_turn"]] for i, r in enumerate(runs)
    ]
    rows.append(
        ["median"]
        + [statistics.median(r[k] for r in runs) for k in ("p50_ms", "p95_ms", "cpu_ms_per_turn")]
    )
    print(f"hub turn against a fake Rasa that answers at once, {args.turns} turns per run")
    print(table(["", "p50 ms", "p95 ms", "CPU ms per turn"], rows))


if __name__ == "__main__":
    main()
