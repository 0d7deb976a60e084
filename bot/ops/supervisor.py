"""`python -m bot run`: start actions, Rasa and the hub; prefix logs; restart crashes; stop all on Ctrl-C.

The children cannot outlive the supervisor: each gets the Linux parent-death
signal (SIGTERM) and its own process group, so a killed supervisor leaves
nothing behind and Ctrl-C reaches the supervisor, which stops them in order.
Before starting, the three ports are checked: an orphan of an earlier run of
this project is stopped, anything else is named in one line and start-up stops.
"""

from __future__ import annotations

import asyncio
import ctypes
import json
import os
import signal
import sys
import time
import urllib.request
from pathlib import Path
from typing import Dict, List

from bot.hub.settings import ROOT, Settings
from bot.ops import ports
from bot.ops.launcher import child_env, commands, rasa_workers, write_endpoints

PR_SET_PDEATHSIG = 1

COLORS = {"actions": "\033[36m", "rasa": "\033[35m", "hub": "\033[32m"}
RESET = "\033[0m"


def die_with_parent() -> None:
    """In the forked child: SIGTERM when the supervisor dies, however it dies (even SIGKILL)."""
    parent = os.getppid()
    ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
    if os.getppid() != parent:  # the supervisor died before prctl took effect
        os._exit(1)


def claim_ports(wanted: Dict[str, tuple[str, int]]) -> bool:
    """True when every port is free (after stopping this project's own orphans); else says why, once."""
    ok = True
    for name, (host, port) in wanted.items():
        if not ports.port_in_use(host, port):
            continue
        holders = ports.listeners(port)
        if holders and all(ports.is_ours(pid) for pid in holders):
            for pid in holders:
                print(
                    f"!! port {port} ({name}) is held by PID {pid}, left over from an earlier run: stopping it",
                    flush=True,
                )
                ports.stop(pid)
            continue
        who = (
            ", ".join(f"PID {pid} ({' '.join(ports.command_line(pid))[:80]})" for pid in holders)
            or "another process"
        )
        print(
            f"!! port {port} ({name}) is in use by {who}: stop it, or choose another port "
            f"(KD_{'PORT' if name == 'hub' else name.upper() + '_PORT'})",
            flush=True,
        )
        ok = False
    return ok


def hub_health(url: str, token: str = "") -> Dict[str, object] | None:
    """The hub's health with its details (the pid), which need the health token."""
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {token}"})
    try:
        with urllib.request.urlopen(request, timeout=3) as resp:
            return dict(json.loads(resp.read())) if resp.status == 200 else None
    except (OSError, ValueError):
        return None


async def wait_for_own_hub(url: str, child: Child, timeout: float, token: str = "") -> bool:
    """Healthy, and answered by the hub this supervisor started (not an orphan on the same port)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        health = await asyncio.to_thread(hub_health, url, token)
        if health is not None and child.proc is not None and health.get("pid") == child.proc.pid:
            return True
        await asyncio.sleep(0.5)
    return False


class Child:
    def __init__(self, name: str, argv: List[str], env: Dict[str, str]) -> None:
        self.name, self.argv, self.env = name, argv, env
        self.proc: asyncio.subprocess.Process | None = None
        self.restarts = 0

    async def start(self) -> None:
        self.proc = await asyncio.create_subprocess_exec(
            *self.argv,
            env=self.env,
            cwd=str(ROOT),
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.STDOUT,
            preexec_fn=die_with_parent,
            process_group=0,
        )
        asyncio.create_task(self._pipe())

    async def _pipe(self) -> None:
        assert self.proc and self.proc.stdout
        color = COLORS.get(self.name.split("-")[0], "") if sys.stdout.isatty() else ""
        reset = RESET if color else ""
        async for raw in self.proc.stdout:
            line = raw.decode(errors="replace").rstrip()
            if line:
                print(f"{color}[{self.name:7}]{reset} {line}", flush=True)

    async def stop(self) -> None:
        if self.proc and self.proc.returncode is None:
            self.proc.terminate()
            try:
                await asyncio.wait_for(self.proc.wait(), 10)
            except asyncio.TimeoutError:
                self.proc.kill()


async def supervise(settings: Settings, model_dir: Path) -> int:
    rasa = {name: ("127.0.0.1", port) for name, port in rasa_workers(settings).items()}
    if not claim_ports(
        {
            "hub": (settings.host, settings.port),
            **rasa,
            "actions": ("127.0.0.1", settings.actions_port),
        }
    ):
        return 1
    endpoints = write_endpoints(settings, settings.var_dir / "endpoints.yml")
    env = child_env(settings)
    children = [
        Child(name, argv, env) for name, argv in commands(settings, model_dir, endpoints).items()
    ]
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    for child in children:
        await child.start()

    async def announce() -> None:
        hub = next(c for c in children if c.name == "hub")
        if await wait_for_own_hub(
            f"http://{settings.host}:{settings.port}/api/v1/health",
            hub,
            300,
            settings.health_secret(),
        ):
            base = settings.base_url
            print(
                f"\n  Kundendialog läuft.\n  Widget (Demo-Shop): {base}/\n  Agenten-Konsole:    {base}/console\n"
                f"  API-Dokumentation:  {base}/api/v1/openapi.json\n  Erster Agent: make agent EMAIL=... NAME=... ROLE=admin\n",
                flush=True,
            )
        else:
            print("!! the hub did not become healthy within 300 s; see the logs above", flush=True)

    announcing = asyncio.create_task(announce())
    while not stop.is_set():
        for child in children:
            if child.proc and child.proc.returncode is not None and not stop.is_set():
                child.restarts += 1
                delay = min(30, 2 ** min(child.restarts, 5))
                print(
                    f"!! {child.name} exited with {child.proc.returncode}; restarting in {delay}s",
                    flush=True,
                )
                await asyncio.sleep(delay)
                await child.start()
        try:
            await asyncio.wait_for(stop.wait(), 1)
        except asyncio.TimeoutError:
            pass
    print("stopping ...", flush=True)
    announcing.cancel()
    await asyncio.gather(*(c.stop() for c in reversed(children)))
    return 0
