"""Fault injection: customers keep asking while each process in turn is killed with SIGKILL.

The stack runs under the real supervisor (`python -m kundendialog.ops run`). Afterwards every
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
import uuid
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, List, Tuple

import aiohttp
import pytest

from kundendialog.ops import ports
from kundendialog.ops.client import Customer, HubError
from kundendialog.ops.launcher import ROOT, hub_python, settings_from, stack_env, wait_http

pytestmark = pytest.mark.stack
QUESTIONS = ["Was kostet der Versand?", "Wie lange dauert die Lieferung?", "Welche Zahlungsarten gibt es?",
             "Wie kann ich Sie erreichen?", "Wie lange habe ich Rückgaberecht?"]
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
        self.proc = subprocess.Popen([hub_python(), "-m", "kundendialog.ops", "run"], cwd=str(ROOT), env=self.env,
                                     stdout=log, stderr=subprocess.STDOUT, process_group=0)
        wait_http(f"{self.hub_url}/api/v1/health", 300, self.proc)

    def pid_of(self, name: str) -> int:
        port = {"hub": self.settings.port, "rasa": self.settings.rasa_port, "actions": self.settings.actions_port}[name]
        (pid,) = ports.listeners(port)
        return pid


@pytest.fixture(scope="module")
def supervised():
    directory = Path(tempfile.mkdtemp(prefix="kd-faults-"))
    env = stack_env(directory, KD_RETRY_INTERVAL="1", KD_RASA_TIMEOUT="10")
    running = Supervised(directory, env, None)  # type: ignore[arg-type]
    running.start()
    yield running
    running.proc.terminate()
    running.proc.wait(60)


async def ask_until_accepted(customer: Customer, question: str) -> None:
    """A client that retries a failed POST with the same id, as the widget does."""
    message_id = uuid.uuid4().hex
    for _ in range(300):
        try:
            await customer.say(question, client_message_id=message_id)
            return
        except (aiohttp.ClientError, asyncio.TimeoutError, HubError):
            await asyncio.sleep(1)
    raise AssertionError(f"{question!r} was never accepted")


async def customer_session(session: aiohttp.ClientSession, base: str, pause: float,
                           faults_over: asyncio.Event) -> Tuple[Customer, int]:
    """Asks question after question until the faults are over; returns how many were accepted."""
    customer = None
    while customer is None:
        try:
            customer = await Customer(session, base).start()
        except (aiohttp.ClientError, HubError):
            await asyncio.sleep(1)
    asked = 0
    while not faults_over.is_set() or asked < len(QUESTIONS):
        await ask_until_accepted(customer, QUESTIONS[asked % len(QUESTIONS)])
        asked += 1
        await asyncio.sleep(pause)
    return customer, asked


async def wait_healthy(url: str, not_pid: int | None = None, timeout: float = 300) -> None:
    deadline = time.monotonic() + timeout
    async with aiohttp.ClientSession() as session:
        while time.monotonic() < deadline:
            try:
                async with session.get(url, timeout=aiohttp.ClientTimeout(total=3)) as r:
                    if r.status == 200 and (await r.json()).get("pid") != not_pid:
                        return
            except (aiohttp.ClientError, asyncio.TimeoutError):
                pass
            await asyncio.sleep(0.5)
    raise AssertionError(f"{url} not healthy again after {timeout}s")


async def inject_faults(stack: Supervised) -> List[str]:
    health = f"{stack.hub_url}/api/v1/health"
    done = []
    for name in ("rasa", "actions", "hub"):
        await asyncio.sleep(2)
        pid = stack.pid_of(name)
        os.kill(pid, signal.SIGKILL)
        await wait_healthy(health, not_pid=pid if name == "hub" else None)
        done.append(name)
    await asyncio.sleep(2)
    children = [stack.pid_of(name) for name in ("rasa", "actions", "hub")]
    stack.proc.kill()  # the supervisor itself
    stack.proc.wait(10)
    deadline = time.monotonic() + 30
    while any(Path(f"/proc/{pid}").exists() for pid in children) and time.monotonic() < deadline:
        await asyncio.sleep(0.2)
    assert not any(Path(f"/proc/{pid}").exists() for pid in children), "children outlived the supervisor"
    await asyncio.to_thread(stack.start)
    done.append("supervisor")
    await asyncio.sleep(3)  # some traffic through the restarted stack too
    return done


def hub_rows(stack: Supervised, query: str) -> List[tuple]:
    path = stack.settings.database_url.split("///", 1)[1]
    with sqlite3.connect(path) as db:
        return list(db.execute(query))


async def everything_answered(stack: Supervised, timeout: float = 240) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        open_rows = hub_rows(stack, "SELECT count(*) FROM messages WHERE sender = 'customer' "
                                    "AND delivery IN ('pending', 'in_flight')")[0][0]
        unanswered = hub_rows(stack, "SELECT count(*) FROM messages c WHERE c.sender = 'customer' AND NOT EXISTS "
                                     "(SELECT 1 FROM messages b WHERE b.reply_to = c.id AND b.sender = 'bot')")[0][0]
        if open_rows == 0 and unanswered == 0:
            return
        await asyncio.sleep(1)
    raise AssertionError(f"after {timeout}s: {open_rows} messages not delivered, {unanswered} without an answer")


async def test_every_question_answered_once_while_each_process_is_killed(supervised):
    stack = supervised
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=30)) as session:
        faults_over = asyncio.Event()
        runs = [asyncio.create_task(customer_session(session, stack.hub_url, 1.5, faults_over))
                for _ in range(CUSTOMERS)]
        killed = await inject_faults(stack)
        faults_over.set()
        results = await asyncio.gather(*runs)
        assert killed == ["rasa", "actions", "hub", "supervisor"]
        await everything_answered(stack)

        questions = hub_rows(stack, "SELECT id, conversation_id, text FROM messages WHERE sender = 'customer'")
        per_conversation = Counter(conv for _id, conv, _text in questions)
        assert {c.id: asked for c, asked in results} == dict(per_conversation)  # retried POSTs stored once
        answers = hub_rows(stack, "SELECT reply_to, text FROM messages WHERE sender = 'bot' AND text IS NOT NULL")
        doubled = [(reply, text) for (reply, text), n in Counter(answers).items() if n > 1]
        assert doubled == []
        for customer, asked in results:
            async with session.get(f"http://127.0.0.1:{stack.settings.rasa_port}/conversations/{customer.id}/tracker",
                                   params={"include_events": "APPLIED"}) as r:
                events = (await r.json())["events"]
            turns = [e.get("message_id") for e in events if e["event"] == "user"]
            assert len(turns) == len(set(turns)) == asked, turns
