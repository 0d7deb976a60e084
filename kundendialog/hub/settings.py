"""All hub settings in one place: environment variables, optionally from a .env file."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, List, Tuple

ROOT = Path(__file__).resolve().parents[2]  # the project directory (editable install)


def load_dotenv(path: Path = ROOT / ".env") -> None:
    """Minimal .env reader: KEY=VALUE lines; real environment variables win."""
    if not path.exists():
        return
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#") or "=" not in line:
            continue
        key, value = line.split("=", 1)
        os.environ.setdefault(key.strip(), value.strip().strip('"').strip("'"))


def _env(name: str, default: str) -> str:
    return os.environ.get(name, default)


def _int(name: str, default: int) -> int:
    return int(_env(name, str(default)))


def _float(name: str, default: float) -> float:
    return float(_env(name, str(default)))


def _list(name: str, default: str = "") -> List[str]:
    return [p.strip() for p in _env(name, default).split(",") if p.strip()]


@dataclass
class Settings:
    host: str = "127.0.0.1"
    port: int = 8080
    public_url: str = ""
    var_dir: Path = ROOT / "var"  # runtime files: endpoints.yml for Rasa, default databases
    database_url: str = f"sqlite:///{ROOT / 'var' / 'kundendialog.db'}"
    rasa_url: str = "http://127.0.0.1:5005"
    rasa_port: int = 5005
    actions_port: int = 5055
    rasa_token: str = ""
    rasa_timeout: float = 15.0
    rasa_tracker_db: str = ""
    shop_database_url: str = f"sqlite:///{ROOT / 'var' / 'shop.db'}"
    redis_url: str = ""
    max_text_length: int = 2000
    cors_origins: List[str] = field(default_factory=list)
    rate_conversation: Tuple[int, float] = (30, 60.0)
    rate_client: Tuple[int, float] = (120, 60.0)
    retry_interval: float = 5.0
    agent_auto_away_seconds: int = 600
    agent_idle_close_seconds: int = 1800
    agent_session_hours: int = 12
    default_agent_capacity: int = 3
    long_wait_seconds: int = 600
    channels: Dict[str, Dict[str, str]] = field(default_factory=dict)

    @property
    def base_url(self) -> str:
        return self.public_url or f"http://{self.host}:{self.port}"


def _rate(name: str, default: str) -> Tuple[int, float]:
    count, _, seconds = _env(name, default).partition("/")
    return int(count), float(seconds or 60)


def load_settings(dotenv: bool = True) -> Settings:
    if dotenv:
        load_dotenv()
    return Settings(
        host=_env("KD_HOST", "127.0.0.1"),
        port=_int("KD_PORT", 8080),
        public_url=_env("KD_PUBLIC_URL", "").rstrip("/"),
        var_dir=Path(_env("KD_VAR_DIR", str(Settings.var_dir))),
        database_url=_env("KD_DATABASE_URL", Settings.database_url),
        rasa_url=_env("KD_RASA_URL", f"http://127.0.0.1:{_int('KD_RASA_PORT', 5005)}").rstrip("/"),
        rasa_port=_int("KD_RASA_PORT", 5005),
        actions_port=_int("KD_ACTIONS_PORT", 5055),
        rasa_token=_env("KD_RASA_TOKEN", ""),
        rasa_timeout=_float("KD_RASA_TIMEOUT", 15.0),
        rasa_tracker_db=_env("KD_RASA_TRACKER_DB", ""),
        shop_database_url=_env("KD_SHOP_DATABASE_URL", Settings.shop_database_url),
        redis_url=_env("KD_REDIS_URL", ""),
        max_text_length=_int("KD_MAX_TEXT_LENGTH", 2000),
        cors_origins=_list("KD_CORS_ORIGINS"),
        rate_conversation=_rate("KD_RATE_CONVERSATION", "30/60"),
        rate_client=_rate("KD_RATE_CLIENT", "120/60"),
        retry_interval=_float("KD_RETRY_INTERVAL", 5.0),
        agent_auto_away_seconds=_int("KD_AGENT_AUTO_AWAY_SECONDS", 600),
        agent_idle_close_seconds=_int("KD_AGENT_IDLE_CLOSE_SECONDS", 1800),
        agent_session_hours=_int("KD_AGENT_SESSION_HOURS", 12),
        default_agent_capacity=_int("KD_AGENT_CAPACITY", 3),
        long_wait_seconds=_int("KD_LONG_WAIT_SECONDS", 600),
        channels={
            "telegram": {"token": _env("KD_TELEGRAM_TOKEN", ""), "secret": _env("KD_TELEGRAM_SECRET", ""),
                         "api_base": _env("KD_TELEGRAM_API_BASE", "https://api.telegram.org")},
            "messenger": {"page_token": _env("KD_MESSENGER_PAGE_TOKEN", ""),
                          "app_secret": _env("KD_MESSENGER_APP_SECRET", ""),
                          "verify_token": _env("KD_MESSENGER_VERIFY_TOKEN", ""),
                          "api_base": _env("KD_MESSENGER_API_BASE", "https://graph.facebook.com/v19.0")},
            "whatsapp": {"token": _env("KD_WHATSAPP_TOKEN", ""), "phone_number_id": _env("KD_WHATSAPP_PHONE_ID", ""),
                         "app_secret": _env("KD_WHATSAPP_APP_SECRET", ""),
                         "verify_token": _env("KD_WHATSAPP_VERIFY_TOKEN", ""),
                         "api_base": _env("KD_WHATSAPP_API_BASE", "https://graph.facebook.com/v19.0")},
        },
    )
