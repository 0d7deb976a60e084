"""How the three processes are started: commands, environments, endpoints, readiness.

One module for the supervisor (`make run`), the integration tests and the
benchmarks, so all of them start exactly the same thing. The Rasa side runs
from the Python 3.10 environment (.venv-rasa), the hub from the current one
(.venv-hub); both have this package installed, so no PYTHONPATH is needed.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, List, Mapping
from urllib.parse import unquote, urlencode, urlparse

import yaml

from bot.hub.rasa_tracker import rasa_tracker_store
from bot.hub.secrets import ensure_secret
from bot.hub.settings import ROOT, Settings, load_settings
from bot.shared.config import SETTINGS

MODELS = ROOT / "models"
ALWAYS: Dict[str, str | None] = {
    d: "00:00-23:59:59" for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
}
NEVER: Dict[str, str | None] = {d: None for d in ALWAYS}


def rasa_python() -> str:
    """The Rasa environment's interpreter (KD_RASA_PYTHON, default .venv-rasa)."""
    path = str(SETTINGS["KD_RASA_PYTHON"].read())
    if not Path(path).exists():
        raise RuntimeError(
            f"{path} missing: run `make run` or `make test` once to create the environments"
        )
    return path


def hub_python() -> str:
    return os.environ.get("KD_HUB_PYTHON") or (
        str(ROOT / ".venv-hub/bin/python")
        if (ROOT / ".venv-hub/bin/python").exists()
        else sys.executable
    )


def rasa_token(settings: Settings) -> str:
    """Rasa's API token: KD_RASA_TOKEN when configured, else generated once under var/secrets/."""
    return settings.rasa_token or ensure_secret(settings.var_dir / "secrets" / "rasa_token")


def actions_token(settings: Settings) -> str:
    """The secret Rasa presents to the action server (var/secrets/actions_token; write your own to choose it)."""
    return ensure_secret(settings.var_dir / "secrets" / "actions_token")


def write_private(path: Path, text: str) -> Path:
    """`text` into `path`, mode 0600 from the first byte (temporary file, then rename)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
        os.replace(tmp, path)
    except BaseException:
        os.unlink(tmp)
        raise
    return path


def redis_lock_store(redis_url: str) -> Dict[str, object]:
    """Rasa's RedisLockStore from KD_REDIS_URL: host, port, db, credentials, and TLS for rediss://."""
    url = urlparse(redis_url)
    store: Dict[str, object] = {
        "type": "redis",
        "url": url.hostname or "127.0.0.1",
        "port": url.port or 6379,
        "db": int((url.path or "/0").lstrip("/") or 0),
    }
    if url.username:
        store["username"] = unquote(url.username)
    if url.password is not None:
        store["password"] = unquote(url.password)
    if url.scheme == "rediss":
        store["use_ssl"] = True
    return store


def write_endpoints(settings: Settings, path: Path) -> Path:
    """Rasa's endpoints.yml; 0600, as it holds the action-server secret and database passwords."""
    endpoints: Dict[str, object] = {
        "action_endpoint": {
            "url": f"http://127.0.0.1:{settings.actions_port}/webhook",
            "headers": {"Authorization": f"Bearer {actions_token(settings)}"},
        },
        "tracker_store": rasa_tracker_store(settings),
        "lock_store": redis_lock_store(settings.redis_url)
        if settings.redis_url
        else {"type": "in_memory"},
    }
    return write_private(path, yaml.safe_dump(endpoints, sort_keys=False))


def child_env(settings: Settings, base: Mapping[str, str] | None = None) -> Dict[str, str]:
    """The children's environment, with both stack secrets (environments, unlike command lines, are private)."""
    env = dict(os.environ if base is None else base)
    env.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    env["KD_SHOP_DATABASE_URL"] = settings.shop_database_url
    env["SQLALCHEMY_SILENCE_UBER_WARNING"] = "1"
    env["RASA_TELEMETRY_ENABLED"] = "false"
    env["SANIC_HOST"] = "127.0.0.1"  # the action server stays on loopback, like Rasa
    env["KD_RASA_TOKEN"] = rasa_token(settings)  # Rasa (serve.py) requires it, the hub sends it
    env["KD_ACTIONS_TOKEN"] = actions_token(settings)  # the action server requires it
    return env


def rasa_workers(settings: Settings) -> Dict[str, int]:
    """Process name -> port of each Rasa worker: "rasa", then "rasa-2", "rasa-3" ..."""
    ports = [urlparse(url).port or 5005 for url in settings.rasa_urls]
    return {("rasa" if i == 0 else f"rasa-{i + 1}"): port for i, port in enumerate(ports)}


def commands(settings: Settings, model_dir: Path, endpoints: Path) -> Dict[str, List[str]]:
    rasa_py = rasa_python()
    argv: Dict[str, List[str]] = {
        "actions": [
            rasa_py,
            "-m",
            "bot.rasa_plugins.action_server",
            "--actions",
            "actions",
            "-p",
            str(settings.actions_port),
        ]
    }
    for name, port in rasa_workers(settings).items():
        rasa = [
            rasa_py,
            "-m",
            "bot.rasa_plugins.serve",
            "run",
            "--enable-api",
            "-i",
            "127.0.0.1",
            "-p",
            str(port),
            "-m",
            str(model_dir),
            "--endpoints",
            str(endpoints),
            "--credentials",
            str(ROOT / "credentials.yml"),
        ]
        argv[name] = (
            rasa  # the token reaches serve.py through the environment (child_env), not argv
        )
    argv["hub"] = [hub_python(), "-m", "bot.hub.app"]
    return argv


def rasa_env_run(*args: str, check: bool = True, env: Mapping[str, str] | None = None) -> int:
    """A module of the Rasa environment (training, seeding the demo shop), in the project directory."""
    merged = {
        **(env or os.environ),
        "TF_CPP_MIN_LOG_LEVEL": "3",
        "RASA_TELEMETRY_ENABLED": "false",
        "SQLALCHEMY_SILENCE_UBER_WARNING": "1",
    }
    code = subprocess.call([rasa_python(), "-m", *args], cwd=str(ROOT), env=merged)
    if check and code != 0:
        raise RuntimeError(f"python -m {' '.join(args)} failed with exit code {code}")
    return code


def seed_shop(url: str) -> None:
    rasa_env_run("bot.shop.demo_seed", url)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_http(url: str, timeout: float, proc: subprocess.Popen | None = None) -> None:
    """Until `url` answers 200; fails early when the process behind it exits."""
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
    """A copy of company.yml with chosen business hours and no holidays (tests, benchmarks)."""
    data = yaml.safe_load((ROOT / "company.yml").read_text(encoding="utf-8"))
    data["hours"], data["holidays"] = hours, []
    path = directory / f"company-{'open' if hours == ALWAYS else 'closed'}.yml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def settings_from(env: Mapping[str, str]) -> Settings:
    saved = dict(os.environ)
    try:
        os.environ.clear()
        os.environ.update(env)
        return load_settings(dotenv=False)
    finally:
        os.environ.clear()
        os.environ.update(saved)


_STACK_TOKENS: Dict[str, str] = {}  # Rasa URL -> token, for the stacks this process set up


def remember_rasa_token(env: Dict[str, str]) -> Dict[str, str]:
    for url in settings_from(env).rasa_urls:
        _STACK_TOKENS[url] = env["KD_RASA_TOKEN"]
    return env


def rasa_token_for(rasa_url: str) -> str:
    """The token of the Rasa at `rasa_url`: a stack set up by stack_env in this process, else the configured
    or already generated one ("" if none; nothing is generated here).

    For test and benchmark clients that call Rasa directly and only know its URL.
    """
    if rasa_url.rstrip("/") in _STACK_TOKENS:
        return _STACK_TOKENS[rasa_url.rstrip("/")]
    settings = load_settings()
    generated = settings.var_dir / "secrets" / "rasa_token"
    return settings.rasa_token or (
        generated.read_text(encoding="utf-8").strip() if generated.exists() else ""
    )


def rasa_status_url(rasa_url: str, token: str) -> str:
    """Rasa's /status (model loaded?) with the token Rasa's API expects as a query parameter."""
    return f"{rasa_url.rstrip('/')}/status?{urlencode({'token': token})}"


@dataclass
class Stack:
    """A running stack on free ports with throw-away databases (integration tests, benchmarks)."""

    directory: Path
    env: Dict[str, str]
    ports: Dict[str, int]
    procs: List[subprocess.Popen] = field(default_factory=list)
    named: Dict[str, subprocess.Popen] = field(default_factory=dict)
    argv: Dict[str, List[str]] = field(default_factory=dict)

    @property
    def hub_url(self) -> str:
        return f"http://127.0.0.1:{self.ports['hub']}"

    @property
    def rasa_url(self) -> str:
        return f"http://127.0.0.1:{self.ports['rasa']}"

    @property
    def rasa_token(self) -> str:
        """What a test or benchmark sends to call Rasa directly (`?token=` or a bearer header)."""
        return self.env["KD_RASA_TOKEN"]

    def spawn(self, name: str, argv: List[str], env: Dict[str, str]) -> subprocess.Popen:
        log = open(self.directory / f"{name}.log", "ab")
        proc = subprocess.Popen(argv, cwd=str(ROOT), env=env, stdout=log, stderr=subprocess.STDOUT)
        self.procs.append(proc)
        self.named[name], self.argv[name] = proc, argv
        return proc

    def kill(self, name: str) -> None:
        """SIGKILL, as a crash would (fault tests)."""
        self.named[name].kill()
        self.named[name].wait(10)

    def restart(self, name: str, health: str) -> None:
        """Start a killed process again with the same command and wait until `health` answers."""
        wait_http(health, 300, self.spawn(name, self.argv[name], self.env))

    def start_hub(self, name: str, hours: Dict[str, str | None], **extra: str) -> str:
        """An extra hub process (e.g. one that is 'closed') on the same Rasa and database."""
        port = free_port()
        env = {
            **self.env,
            "KD_PORT": str(port),
            "KD_COMPANY_FILE": str(company_file(self.directory, hours)),
            **extra,
        }
        proc = self.spawn(
            name, commands(settings_from(env), MODELS, self.directory / "endpoints.yml")["hub"], env
        )
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


def stack_env(
    directory: Path,
    database_url: str | None = None,
    redis_url: str = "",
    workers: int = 1,
    **extra_env: str,
) -> Dict[str, str]:
    """Environment of a throw-away stack: free ports, databases in `directory`, always open, fast retries."""
    ports = {"hub": free_port(), "rasa": free_port(), "actions": free_port()}
    rasa_urls = [f"http://127.0.0.1:{ports['rasa']}"] + [
        f"http://127.0.0.1:{free_port()}" for _ in range(workers - 1)
    ]
    shop_url = f"sqlite:///{directory / 'shop.db'}"
    seed_shop(shop_url)
    env = {
        **os.environ,
        "KD_PORT": str(ports["hub"]),
        "KD_RASA_PORT": str(ports["rasa"]),
        "KD_ACTIONS_PORT": str(ports["actions"]),
        "KD_RASA_URL": ",".join(rasa_urls),
        "KD_VAR_DIR": str(directory),
        "KD_DATABASE_URL": database_url or f"sqlite:///{directory / 'hub.db'}",
        "KD_RASA_TRACKER_DB": str(directory / "tracker.db") if not database_url else "",
        "KD_SHOP_DATABASE_URL": shop_url,
        "KD_COMPANY_FILE": str(company_file(directory, ALWAYS)),
        "KD_RETRY_INTERVAL": "2",
        "KD_REDIS_URL": redis_url,
        **extra_env,
    }
    return remember_rasa_token(child_env(settings_from(env), env))


def start_stack(
    directory: Path,
    database_url: str | None = None,
    redis_url: str = "",
    workers: int = 1,
    **extra_env: str,
) -> Stack:
    if not any(MODELS.glob("*.tar.gz")):
        raise RuntimeError("no trained model in models/: run `make train` first")
    env = stack_env(directory, database_url, redis_url, workers, **extra_env)
    settings = settings_from(env)
    ports = {"hub": settings.port, "actions": settings.actions_port, **rasa_workers(settings)}
    stack = Stack(directory, env, ports)
    argv = commands(settings, MODELS, write_endpoints(settings, directory / "endpoints.yml"))
    try:
        actions = stack.spawn("actions", argv["actions"], env)
        rasa = {name: stack.spawn(name, argv[name], env) for name in rasa_workers(settings)}
        wait_http(f"http://127.0.0.1:{ports['actions']}/health", 120, actions)
        for name, proc in rasa.items():
            wait_http(
                rasa_status_url(f"http://127.0.0.1:{ports[name]}", settings.rasa_token), 300, proc
            )
        hub = stack.spawn("hub", argv["hub"], env)
        wait_http(f"{stack.hub_url}/api/v1/health", 120, hub)
    except Exception:
        stack.stop()
        raise
    return stack
