"""Fault injection: customers keep asking while each process in turn is killed with SIGKILL.

The stack runs under the real supervisor (`python -m bot run`). Afterwards every
transcript, the hub database and every Rasa tracker are read back: every question answered, no
answer doubled, no customer turn twice in a tracker, nothing left pending or in flight.
"""

from __future__ import annotations

import asyncio
import os
import signal
import sqlite3
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, List

import aiohttp
import pytest

from bot.ops import ports
from bot.ops.launcher import ROOT, hub_python, settings_from, stack_env, wait_http
from tests.integration.exactly_once import assert_exactly_once, keep_asking

pytestmark = pytest.mark.stack
CUSTOMERS = 6


@dataclass
class Supervised:
    directory: Path
    env: Dict[str, str]
    proc: subprocess.Popen

    @property
    def settings(self):  # type: ignore[no-untyped-def]
        return settings_from(self.env)

    @property
    def hub_url(self) -> str:
        return f"http://127.0.0.1:{self.settings.port}"

    def start(self) -> None:
        log = open(self.directory / "supervisor.log", "ab")
        self.proc = subprocess.Popen(
            [hub_python(), "-m", "bot", "run"],
            cwd=str(ROOT),
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            process_group=0,
        )
        wait_http(f"{self.hub_url}/api/v1/health", 300, self.proc)

    def pid_of(self, name: str) -> int:
        port = {
            "hub": self.settings.port,
            "rasa": self.settings.rasa_port,
            "actions": self.settings.actions_port,
        }[name]
        (pid,) = ports.listeners(port)
        return pid


@pytest.fixture(scope="module")
def supervised():
    directory = Path(tempfile.mkdtemp(prefix="kd-faults-"))
    # KD_HEALTH_CACHE_SECONDS=0: "healthy again" is measured, not read from a probe before the kill
    env = stack_env(
        directory, KD_RETRY_INTERVAL="1", KD_RASA_TIMEOUT="10", KD_HEALTH_CACHE_SECONDS="0"
    )
    running = Supervised(directory, env, None)  # type: ignore[arg-type]
    running.start()
    yield running
    running.proc.terminate()
    running.proc.wait(60)


async def wait_healthy(
    url: str, token: str, not_pid: int | None = None, timeout: float = 300
) -> None:
    """Until the hub (a new one, if `not_pid`) reports all components up; the pid needs the token."""
    deadline = time.monotonic() + timeout
    headers = {"Authorization": f"Bearer {token}"}
    async with aiohttp.ClientSession(headers=headers) as session:
        while time.monotonic() < deadline:
            try:
                async with session.get(url, timeout=aiohttp.ClientTimeout(total=3)) as r:
                    if r.status == 200 and (await r.json()).get("pid") != not_pid:
                        return
            except (aiohttp.ClientError, asyncio.TimeoutError):
                pass
            await asyncio.sleep(0.5)
    raise AssertionError(f"{url} not healthy again after {timeout}s")


async def inject_faults(stack: Supervised) -> Dict[str, float]:
    """Kills each process in turn; returns the seconds until the stack was healthy again (README's table)."""
    health = f"{stack.hub_url}/api/v1/health"
    done: Dict[str, float] = {}
    for name in ("rasa", "actions", "hub"):
        await asyncio.sleep(2)
        pid = stack.pid_of(name)
        os.kill(pid, signal.SIGKILL)
        killed_at = time.monotonic()
        await wait_healthy(
            health, stack.settings.health_secret(), not_pid=pid if name == "hub" else None
        )
        done[name] = time.monotonic() - killed_at
    await asyncio.sleep(2)
    children = [stack.pid_of(name) for name in ("rasa", "actions", "hub")]
    stack.proc.kill()  # the supervisor itself
    stack.proc.wait(10)
    killed_at = time.monotonic()
    deadline = time.monotonic() + 30
    while any(Path(f"/proc/{pid}").exists() for pid in children) and time.monotonic() < deadline:
        await asyncio.sleep(0.2)
    assert not any(Path(f"/proc/{pid}").exists() for pid in children), (
        "children outlived the supervisor"
    )
    await asyncio.to_thread(stack.start)
    done["supervisor"] = time.monotonic() - killed_at
    await asyncio.sleep(3)  # some traffic through the restarted stack too
    return done


def sqlite_rows(stack: Supervised):  # type: ignore[no-untyped-def]
    path = stack.settings.database_url.split("///", 1)[1]

    def query(sql: str) -> List[tuple]:
        with sqlite3.connect(path) as db:
            return list(db.execute(sql))

    async def rows(sql: str) -> List[tuple]:
        return await asyncio.to_thread(query, sql)

    return rows


async def test_every_question_answered_once_while_each_process_is_killed(supervised):
    stack = supervised
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=30)) as session:
        faults_over = asyncio.Event()
        runs = [
            asyncio.create_task(keep_asking(session, stack.hub_url, faults_over))
            for _ in range(CUSTOMERS)
        ]
        killed = await inject_faults(stack)
        faults_over.set()
        results = await asyncio.gather(*runs)
        assert list(killed) == ["rasa", "actions", "hub", "supervisor"]
        print("recovery seconds:", {name: round(seconds, 1) for name, seconds in killed.items()})
        await assert_exactly_once(
            sqlite_rows(stack), session, f"http://127.0.0.1:{stack.settings.rasa_port}", results
        )
