"""`python -m kundendialog.ops run`: start actions, Rasa and the hub; prefix logs; restart crashes; stop all on Ctrl-C."""

from __future__ import annotations

import asyncio
import signal
import sys
from pathlib import Path
from typing import Dict, List

from kundendialog.hub.settings import ROOT, Settings
from kundendialog.ops.launcher import child_env, commands, wait_http, write_endpoints

COLORS = {"actions": "\033[36m", "rasa": "\033[35m", "hub": "\033[32m"}
RESET = "\033[0m"


class Child:
    def __init__(self, name: str, argv: List[str], env: Dict[str, str]) -> None:
        self.name, self.argv, self.env = name, argv, env
        self.proc: asyncio.subprocess.Process | None = None
        self.restarts = 0

    async def start(self) -> None:
        self.proc = await asyncio.create_subprocess_exec(*self.argv, env=self.env, cwd=str(ROOT),
                                                         stdout=asyncio.subprocess.PIPE,
                                                         stderr=asyncio.subprocess.STDOUT)
        asyncio.create_task(self._pipe())

    async def _pipe(self) -> None:
        assert self.proc and self.proc.stdout
        color = COLORS.get(self.name, "") if sys.stdout.isatty() else ""
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
    endpoints = write_endpoints(settings, ROOT / "var" / "endpoints.yml")
    env = child_env(settings)
    children = [Child(name, argv, env) for name, argv in commands(settings, model_dir, endpoints).items()]
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    for child in children:
        await child.start()

    async def announce() -> None:
        try:
            await asyncio.to_thread(wait_http, f"http://{settings.host}:{settings.port}/api/v1/health", 300)
            healthy = True
        except TimeoutError:
            healthy = False
        if healthy:
            base = settings.base_url
            print(f"\n  Kundendialog läuft.\n  Widget (Demo-Shop): {base}/\n  Agenten-Konsole:    {base}/console\n"
                  f"  API-Dokumentation:  {base}/api/v1/openapi.json\n  Erster Agent: make agent EMAIL=... NAME=... ROLE=admin\n",
                  flush=True)
        else:
            print("!! the hub did not become healthy within 300 s; see the logs above", flush=True)

    asyncio.create_task(announce())
    while not stop.is_set():
        for child in children:
            if child.proc and child.proc.returncode is not None and not stop.is_set():
                child.restarts += 1
                delay = min(30, 2 ** min(child.restarts, 5))
                print(f"!! {child.name} exited with {child.proc.returncode}; restarting in {delay}s", flush=True)
                await asyncio.sleep(delay)
                await child.start()
        try:
            await asyncio.wait_for(stop.wait(), 1)
        except asyncio.TimeoutError:
            pass
    print("stopping ...", flush=True)
    await asyncio.gather(*(c.stop() for c in reversed(children)))
    return 0
