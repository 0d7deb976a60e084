"""Commands and environment for the three processes: Rasa, action server, hub.

Shared by the supervisor (`python -m bot run`) and the integration tests, so
both start exactly the same thing.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Dict, List
from urllib.parse import unquote, urlparse

import yaml

from bot.settings import ROOT, Settings

PYTHON = sys.executable
BIN = Path(PYTHON).parent


def rasa_tracker_store(settings: Settings) -> Dict[str, object]:
    """SQLTrackerStore on the same engine choice as the hub database."""
    if settings.database_url.startswith("sqlite"):
        db = settings.rasa_tracker_db or str(Path(settings.database_url.split("///", 1)[-1]).parent / "rasa_tracker.db")
        return {"type": "SQL", "dialect": "sqlite", "db": db}
    url = urlparse(settings.database_url)
    return {"type": "SQL", "dialect": "postgresql", "url": url.hostname or "127.0.0.1", "port": url.port or 5432,
            "username": unquote(url.username or ""), "password": unquote(url.password or ""),
            "db": settings.rasa_tracker_db or url.path.lstrip("/")}


def write_endpoints(settings: Settings, path: Path) -> Path:
    endpoints: Dict[str, object] = {
        "action_endpoint": {"url": f"http://127.0.0.1:{settings.actions_port}/webhook"},
        "tracker_store": rasa_tracker_store(settings),
        "lock_store": {"type": "in_memory"},
    }
    if settings.redis_url:
        url = urlparse(settings.redis_url)
        endpoints["lock_store"] = {"type": "redis", "url": url.hostname or "127.0.0.1", "port": url.port or 6379,
                                   "db": int((url.path or "/0").lstrip("/") or 0)}
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(endpoints, sort_keys=False), encoding="utf-8")
    return path


def child_env(settings: Settings) -> Dict[str, str]:
    env = dict(os.environ)
    env.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    env["KD_SHOP_DATABASE_URL"] = settings.shop_database_url
    env["SQLALCHEMY_SILENCE_UBER_WARNING"] = "1"
    env["RASA_TELEMETRY_ENABLED"] = "false"
    env["SANIC_HOST"] = "127.0.0.1"  # the action server stays on loopback, like Rasa
    return env


def commands(settings: Settings, model_dir: Path, endpoints: Path) -> Dict[str, List[str]]:
    rasa = [str(BIN / "rasa"), "run", "--enable-api", "-i", "127.0.0.1", "-p", str(settings.rasa_port),
            "-m", str(model_dir), "--endpoints", str(endpoints), "--credentials", str(ROOT / "credentials.yml")]
    if settings.rasa_token:
        rasa += ["--auth-token", settings.rasa_token]
    return {
        "actions": [PYTHON, "-m", "rasa_sdk", "--actions", "actions", "-p", str(settings.actions_port)],
        "rasa": rasa,
        "hub": [PYTHON, "-m", "bot.app"],
    }
