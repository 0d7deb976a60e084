"""Agent accounts in a running stack's database, created the way an operator does (`make agent`)."""

from __future__ import annotations

import os
import subprocess

from bot.ops.launcher import hub_python


def add_agent(
    database_url: str, email: str, name: str, password: str = "geheim123", role: str = "agent"
) -> None:
    env = {**os.environ, "KD_DATABASE_URL": database_url, "KD_AGENT_PASSWORD": password}
    proc = subprocess.run(
        [
            hub_python(),
            "-m",
            "bot",
            "create-agent",
            "--email",
            email,
            "--name",
            name,
            "--role",
            role,
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
