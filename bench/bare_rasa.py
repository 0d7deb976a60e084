"""A bare `rasa init` bot: the yardstick for what Rasa itself does on this machine.

Created and trained once into var/bench/rasa-init (reused while its model
exists), then started on a free port without any of the project's components,
custom actions or hub, so the benchmark can print the project's throughput next
to Rasa's own in the same run.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

from bot.hub.settings import ROOT, Settings
from bot.ops.launcher import child_env, free_port, rasa_python, wait_http

PROJECT = ROOT / "var" / "bench" / "rasa-init"


def rasa_cli() -> str:
    return str(Path(rasa_python()).parent / "rasa")


def ensure_trained() -> Path:
    models = sorted((PROJECT / "models").glob("*.tar.gz"))
    if not models:
        PROJECT.mkdir(parents=True, exist_ok=True)
        # --no-prompt creates the starter project and trains it in one go.
        subprocess.run(
            [rasa_cli(), "init", "--no-prompt", "--init-dir", str(PROJECT)],
            cwd=str(PROJECT),
            env=child_env(Settings()),
            check=True,
            stdout=subprocess.DEVNULL,
        )
        models = sorted((PROJECT / "models").glob("*.tar.gz"))
    return models[-1]


class BareRasa:
    """`rasa run` of the starter bot; use as a context manager."""

    def __init__(self) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.proc: subprocess.Popen | None = None

    def __enter__(self) -> BareRasa:
        model = ensure_trained()
        log = open(PROJECT / "run.log", "ab")
        self.proc = subprocess.Popen(
            [rasa_cli(), "run", "-i", "127.0.0.1", "-p", str(self.port), "-m", str(model)],
            cwd=str(PROJECT),
            env=child_env(Settings()),
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        wait_http(f"{self.url}/", 300, self.proc)
        return self

    @property
    def pid(self) -> int:
        assert self.proc is not None
        return self.proc.pid

    def __exit__(self, *_: object) -> None:
        if self.proc is not None:
            self.proc.terminate()
            self.proc.wait(30)
