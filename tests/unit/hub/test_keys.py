"""Typed app keys (bot/hub/keys/): a keys module names only the services it holds, and the
services never import the keys, the web layer or the app, so no import cycle runs through
the keys (as keys <-> metrics once did) and a route module pulls in only what it reads."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path
from typing import Set

import bot.hub.keys

KEYS = Path(bot.hub.keys.__file__).parent
WIRING = ("bot.hub.keys", "bot.hub.web", "bot.hub.app", "bot.hub.metrics", "bot.hub.housekeeping")


def imported(path: Path, with_names: bool = False) -> Set[str]:
    """Modules a file imports; with_names: also `module.name` of each from-import (a submodule?)."""
    found: Set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            found.update(f"{node.module}.{a.name}" for a in node.names if with_names)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return found


def test_a_keys_module_imports_only_the_services_it_holds():
    wrong = [
        f"{path.name}: {module}"
        for path in sorted(KEYS.glob("*.py"))
        for module in imported(path, with_names=True)
        if module.startswith((*WIRING, "bot.hub.channels"))
    ]
    assert wrong == []


def test_the_services_import_no_keys_and_no_web_layer():
    services = sorted(
        {m for path in KEYS.glob("*.py") for m in imported(path) if m.startswith("bot.")}
    )
    code = (
        "import importlib, sys\n"
        f"for name in {services!r}: importlib.import_module(name)\n"
        f"print(sorted(m for m in sys.modules if m.startswith({WIRING!r})))"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert run.stdout.strip() == "[]"
