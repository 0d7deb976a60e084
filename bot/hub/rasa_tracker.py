"""Where Rasa keeps its trackers, derived from the hub's database setting.

The launcher writes it into var/endpoints.yml; GDPR erasure and retention read the same
section to reach the tracker store, so both sides must agree.
"""

from __future__ import annotations

from pathlib import Path
from typing import Dict
from urllib.parse import unquote, urlparse

from bot.hub.settings import Settings

# bot/rasa_plugins/tracker_store.py, by module path (the hub never imports Rasa)
CACHED_STORE = "bot.rasa_plugins.tracker_store.CachedSQLTrackerStore"
SQL_TYPES = ("sql", CACHED_STORE.lower())


def is_sql_store(config_type: object) -> bool:
    """Both keep Rasa's `events` table: Rasa's SQLTrackerStore and the project's cached one."""
    return str(config_type or "").lower() in SQL_TYPES


def rasa_tracker_store(settings: Settings) -> Dict[str, object]:
    """The SQL tracker store on the same engine choice as the hub database: the cached one
    (KD_TRACKER_CACHE conversations per worker), or Rasa's own with KD_TRACKER_CACHE=0."""
    kind: Dict[str, object] = (
        {"type": CACHED_STORE, "cache_size": settings.tracker_cache}
        if settings.tracker_cache > 0
        else {"type": "SQL"}
    )
    if settings.database_url.startswith("sqlite"):
        db = settings.rasa_tracker_db or str(
            Path(settings.database_url.split("///", 1)[-1]).parent / "rasa_tracker.db"
        )
        return {**kind, "dialect": "sqlite", "db": db}
    url = urlparse(settings.database_url)
    return {
        **kind,
        "dialect": "postgresql",
        "url": url.hostname or "127.0.0.1",
        "port": url.port or 5432,
        "username": unquote(url.username or ""),
        "password": unquote(url.password or ""),
        "db": settings.rasa_tracker_db or url.path.lstrip("/"),
    }
