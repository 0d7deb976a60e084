"""Start the real stack (action server, Rasa server, hub) for integration and browser tests.

Uses bot.stack, the same commands `python -m bot run` uses, on free ports with
throw-away databases and a company file whose business hours the test chooses.
"""

from __future__ import annotations

import os
import socket
import subprocess
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, List

import yaml

from bot.settings import ROOT, load_settings
from bot.stack import child_env, commands, write_endpoints

MODELS = ROOT / "models"
ALWAYS = {d: "00:00-23:59:59" for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")}
NEVER: Dict[str, str | None] = {d: None for d in ALWAYS}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_http(url: str, timeout: float, proc: subprocess.Popen | None = None) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"process for {url} exited with {proc.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=3) as resp:
                if resp.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.5)
    raise TimeoutError(f"{url} not ready after {timeout}s")


def company_file(directory: Path, hours: Dict[str, str | None]) -> Path:
    data = yaml.safe_load((ROOT / "company.yml").read_text(encoding="utf-8"))
    data["hours"], data["holidays"] = hours, []
    path = directory / f"company-{'open' if hours == ALWAYS else 'closed'}.yml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


@dataclass
class Stack:
    directory: Path
    env: Dict[str, str]
    ports: Dict[str, int]
    procs: List[subprocess.Popen] = field(default_factory=list)

    @property
    def hub_url(self) -> str:
        return f"http://127.0.0.1:{self.ports['hub']}"

    @property
    def rasa_url(self) -> str:
        return f"http://127.0.0.1:{self.ports['rasa']}"

    def spawn(self, name: str, argv: List[str], env: Dict[str, str]) -> subprocess.Popen:
        log = open(self.directory / f"{name}.log", "ab")
        proc = subprocess.Popen(argv, cwd=str(ROOT), env=env, stdout=log, stderr=subprocess.STDOUT)
        self.procs.append(proc)
        return proc

    def start_hub(self, name: str, hours: Dict[str, str | None], **extra: str) -> str:
        """An extra hub process (e.g. one that is 'closed') on the same Rasa and database."""
        port = free_port()
        env = {**self.env, "KD_PORT": str(port), "KD_COMPANY_FILE": str(company_file(self.directory, hours)), **extra}
        proc = self.spawn(name, commands(load_settings_from(env), MODELS, self.directory / "endpoints.yml")["hub"],
                          env)
        wait_http(f"http://127.0.0.1:{port}/api/v1/health", 60, proc)
        return f"http://127.0.0.1:{port}"

    def log(self, name: str) -> str:
        path = self.directory / f"{name}.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def stop(self) -> None:
        for proc in reversed(self.procs):
            proc.terminate()
        for proc in self.procs:
            try:
                proc.wait(15)
            except subprocess.TimeoutExpired:
                proc.kill()


def load_settings_from(env: Dict[str, str]):  # type: ignore[no-untyped-def]
    saved = dict(os.environ)
    try:
        os.environ.clear()
        os.environ.update(env)
        return load_settings()
    finally:
        os.environ.clear()
        os.environ.update(saved)


def start_stack(directory: Path, database_url: str | None = None, redis_url: str = "", **extra_env: str) -> Stack:
    if not any(MODELS.glob("*.tar.gz")):
        raise RuntimeError("no trained model in models/: run `make train` first")
    from actions.seed import seed

    ports = {"hub": free_port(), "rasa": free_port(), "actions": free_port()}
    shop_url = f"sqlite:///{directory / 'shop.db'}"
    seed(shop_url)
    env = {
        **os.environ,
        "KD_PORT": str(ports["hub"]), "KD_RASA_PORT": str(ports["rasa"]), "KD_ACTIONS_PORT": str(ports["actions"]),
        "KD_RASA_URL": f"http://127.0.0.1:{ports['rasa']}",
        "KD_DATABASE_URL": database_url or f"sqlite:///{directory / 'hub.db'}",
        "KD_RASA_TRACKER_DB": str(directory / "tracker.db") if not database_url else "",
        "KD_SHOP_DATABASE_URL": shop_url,
        "KD_COMPANY_FILE": str(company_file(directory, ALWAYS)),
        "KD_RETRY_INTERVAL": "2",
        "KD_REDIS_URL": redis_url,
        **extra_env,
    }
    settings = load_settings_from(env)
    env = {**child_env(settings), **{k: v for k, v in env.items()}}
    stack = Stack(directory, env, ports)
    endpoints = write_endpoints(settings, directory / "endpoints.yml")
    argv = commands(settings, MODELS, endpoints)
    try:
        actions = stack.spawn("actions", argv["actions"], env)
        rasa = stack.spawn("rasa", argv["rasa"], env)
        wait_http(f"http://127.0.0.1:{ports['actions']}/health", 120, actions)
        wait_http(f"{stack.rasa_url}/status", 300, rasa)
        hub = stack.spawn("hub", argv["hub"], env)
        wait_http(f"{stack.hub_url}/api/v1/health", 120, hub)
    except Exception:
        stack.stop()
        raise
    return stack
