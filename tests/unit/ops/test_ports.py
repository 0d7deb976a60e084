"""Start-up port checks: who holds a port, and whether it is an orphan of this project."""

import os
import socket
import subprocess
import sys

from bot.ops import ports
from bot.ops.launcher import free_port, hub_python
from bot.ops.supervisor import claim_ports


def test_a_listening_socket_is_traced_to_its_process():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        port = s.getsockname()[1]
        assert ports.port_in_use("127.0.0.1", port)
        assert os.getpid() in ports.listeners(port)
    assert not ports.port_in_use("127.0.0.1", port) and ports.listeners(port) == []


def serve(python: str, port: int) -> subprocess.Popen:
    code = (
        f"import socket,time; s=socket.socket(); s.bind(('127.0.0.1', {port})); s.listen(); "
        "print('up', flush=True); time.sleep(60)"
    )
    proc = subprocess.Popen([python, "-c", code], stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None and proc.stdout.readline().strip() == "up"
    return proc


def test_an_orphan_of_this_project_is_stopped(capsys):
    port = free_port()
    orphan = serve(hub_python(), port)
    try:
        assert ports.is_ours(orphan.pid)
        assert claim_ports({"hub": ("127.0.0.1", port)})
        assert orphan.wait(5) is not None and not ports.port_in_use("127.0.0.1", port)
        assert f"port {port} (hub) is held by PID {orphan.pid}" in capsys.readouterr().out
    finally:
        orphan.kill()


def test_a_foreign_process_is_named_and_left_alone(capsys):
    port = free_port()
    foreign = serve(
        "/usr/bin/python3"
        if os.path.exists("/usr/bin/python3")
        else sys.base_prefix + "/bin/python3",
        port,
    )
    try:
        assert not ports.is_ours(foreign.pid)
        assert not claim_ports({"rasa": ("127.0.0.1", port)})
        out = capsys.readouterr().out
        assert f"port {port} (rasa) is in use by PID {foreign.pid}" in out and "KD_RASA_PORT" in out
        assert foreign.poll() is None
    finally:
        foreign.kill()
