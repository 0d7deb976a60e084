"""Who holds a TCP port (Linux /proc), so start-up can name an orphan instead of looping on "address in use"."""

from __future__ import annotations

import os
import signal
import socket
import time
from pathlib import Path
from typing import List, Set

from bot.hub.settings import ROOT


def _listening_inodes(port: int) -> Set[str]:
    inodes: Set[str] = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            fields = line.split()
            if (
                len(fields) > 9
                and fields[3] == "0A"
                and int(fields[1].rsplit(":", 1)[1], 16) == port
            ):
                inodes.add(fields[9])
    return inodes


def listeners(port: int) -> List[int]:
    """PIDs of processes listening on `port` (those this user may inspect)."""
    wanted = {f"socket:[{inode}]" for inode in _listening_inodes(port)}
    found: List[int] = []
    if not wanted:
        return found
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            if any(os.readlink(fd) in wanted for fd in (proc / "fd").iterdir()):
                found.append(int(proc.name))
        except OSError:
            continue
    return found


def command_line(pid: int) -> List[str]:
    try:
        return [
            p.decode(errors="replace")
            for p in Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
            if p
        ]
    except OSError:
        return []


def is_ours(pid: int) -> bool:
    """A process started from this project's environments (an orphan of an earlier run)."""
    argv = command_line(pid)
    if not argv:
        return False
    try:
        program = (
            Path(os.readlink(f"/proc/{pid}/cwd")) / argv[0]
        )  # argv[0] may be relative to its cwd
    except OSError:
        return False
    return any(
        os.path.normpath(program).startswith(str(ROOT / venv) + os.sep)
        for venv in (".venv-rasa", ".venv-hub")
    )


def port_in_use(host: str, port: int) -> bool:
    with socket.socket() as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind((host, port))
        except OSError:
            return True
    return False


def stop(pid: int, timeout: float = 10.0) -> None:
    """SIGTERM, then SIGKILL after `timeout`."""
    for sig in (signal.SIGTERM, signal.SIGKILL):
        try:
            os.kill(pid, sig)
        except ProcessLookupError:
            return
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not Path(f"/proc/{pid}").exists() or _zombie(pid):
                return
            time.sleep(0.1)


def _zombie(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0] == "Z"
    except OSError:
        return True
