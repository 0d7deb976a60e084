"""Where Rasa keeps its trackers, derived from the hub's database setting.

The launcher writes it into var/endpoints.yml; GDPR erasure and retention read the same
section to reach the tracker store, so both sides must agree.
"""

from __future__ import annotations

from pathlib import Path
from typing import Dict
from urllib.parse import unquote, urlparse

from bot.hub.settings import Settings


def rasa_tracker_store(settings: Settings) -> Dict[str, object]:
    """SQLTrackerStore on the same engine choice as the hub database."""
    if settings.database_url.startswith("sqlite"):
        db = settings.rasa_tracker_db or str(
            Path(settings.database_url.split("///", 1)[-1]).parent / "rasa_tracker.db"
        )
        return {"type": "SQL", "dialect": "sqlite", "db": db}
    url = urlparse(settings.database_url)
    return {
        "type": "SQL",
        "dialect": "postgresql",
        "url": url.hostname or "127.0.0.1",
        "port": url.port or 5432,
        "username": unquote(url.username or ""),
        "password": unquote(url.password or ""),
        "db": settings.rasa_tracker_db or url.path.lstrip("/"),
    }
