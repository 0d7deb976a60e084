"""Company facts from company.yml, shared by the actions, the NLU policy and the hub.

One file is the operator's single place to adapt the assistant; this module
only reads it and answers questions about it (texts, hours, escalation).
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field
from datetime import date, datetime, time
from functools import lru_cache
from pathlib import Path
from typing import Any, Dict, Tuple
from zoneinfo import ZoneInfo

import yaml

from bot.shared.calendar import Calendar, parse_calendar
from bot.shared.config import SETTINGS

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
DAY_NAMES_DE = ("Mo", "Di", "Mi", "Do", "Fr", "Sa", "So")
_PLACEHOLDER = re.compile(r"\{([a-z_]+(?:\.[a-z_]+)*)\}")
DEFAULT_FILE: Path = SETTINGS["KD_COMPANY_FILE"].value


@dataclass(frozen=True)
class Company:
    raw: Dict[str, Any]
    tz: ZoneInfo
    hours: Dict[int, Tuple[time, time] | None]
    holidays: frozenset = field(default_factory=frozenset)
    calendar: Calendar | None = (
        None  # split shifts, shutdowns, public holidays (bot.shared.calendar)
    )

    @property
    def name(self) -> str:
        return str(self.raw.get("name", ""))

    @property
    def escalation(self) -> Dict[str, Any]:
        return dict(self.raw.get("escalation") or {})

    @property
    def frustration_threshold(self) -> float:
        return float(self.escalation.get("frustration_threshold", 0.7))

    @property
    def max_declines(self) -> int:
        return int(self.escalation.get("max_declines_per_topic", 2))

    def human_only_topic(self, text: str) -> str | None:
        """Return the configured human-only topic a message touches, if any.

        Keywords match whole words with German inflection endings ("Anwalt", "Anwalts",
        "Rückbuchungen"), never inside other words ("Klagenfurt", "eingerichtet").
        """
        low = _fold(text)
        for topic, words in (self.escalation.get("human_only_topics") or {}).items():
            if any(_keyword_pattern(str(w)).search(low) for w in words):
                return str(topic)
        return None

    def lookup(self, dotted: str) -> Any:
        node: Any = self.raw
        for part in dotted.split("."):
            if not isinstance(node, dict) or part not in node:
                return None
            node = node[part]
        return node

    def render(self, template: str, **extra: Any) -> str:
        """Fill {dotted.keys} from the company file (and extra values)."""

        def sub(match: re.Match[str]) -> str:
            key = match.group(1)
            if key in extra:
                return str(extra[key])
            if key == "hours_text":
                return self.hours_text()
            value = self.lookup(key)
            return match.group(0) if value is None else str(value)

        return _PLACEHOLDER.sub(sub, template)

    def text(self, section: str, key: str, register: str | None, **extra: Any) -> str | None:
        variants = (self.raw.get(section) or {}).get(key)
        if not variants:
            return None
        # register "en": an English-writing customer (issue 22.12); texts without `en` fall back to Sie.
        chosen = variants.get(register) if register in ("du", "en") else None
        chosen = chosen or variants["sie"]
        if isinstance(chosen, list):  # variations: one per reply (section `emotions`)
            chosen = random.choice(chosen)
        if register == "en" and "hours_text" not in extra:
            extra["hours_text"] = self.cal.hours_text("en")
        return self.render(chosen, **extra)

    def notice(self, key: str, register: str | None, **extra: Any) -> str:
        """A customer-visible text of the hub or the actions (section `notices`); a missing key is a bug."""
        text = self.text("notices", key, register, **extra)
        if text is None:
            raise KeyError(f"company.yml has no notices.{key}")
        return text

    # --- business hours (the default team's calendar) ------------------
    @property
    def cal(self) -> Calendar:
        return self.calendar or parse_calendar(self.raw, self.tz)

    def hours_text(self) -> str:
        return self.cal.hours_text()

    def is_open(self, now: datetime) -> bool:
        return self.cal.is_open(now)

    def next_opening(self, now: datetime) -> datetime | None:
        """The next moment the team is available (now if open)."""
        return self.cal.next_opening(now)


def _fold(text: str) -> str:
    low = text.lower()
    for umlaut, plain in (("ä", "ae"), ("ö", "oe"), ("ü", "ue"), ("ß", "ss")):
        low = low.replace(umlaut, plain)
    return low


@lru_cache(maxsize=256)
def _keyword_pattern(keyword: str) -> re.Pattern[str]:
    words = [re.escape(w) for w in _fold(keyword).split()]
    return re.compile(r"\b" + r"\s+".join(words) + r"(?:e|en|n|s|es|er|ern)?\b")


def _parse_span(value: str | None) -> Tuple[time, time] | None:
    if not value:
        return None
    start, end = (time.fromisoformat(p.strip()) for p in str(value).split("-"))
    return start, end


def load_company(path: str | None = None) -> Company:
    file = Path(path or SETTINGS["KD_COMPANY_FILE"].read())
    raw = yaml.safe_load(file.read_text(encoding="utf-8")) or {}
    hours_raw = raw.get("hours") or {}
    hours = {i: _parse_span(hours_raw.get(d)) for i, d in enumerate(DAYS)}
    holidays = frozenset(
        h if isinstance(h, date) else date.fromisoformat(str(h)) for h in raw.get("holidays") or []
    )
    tz = ZoneInfo(raw.get("timezone") or "Europe/Berlin")
    return Company(raw=raw, tz=tz, hours=hours, holidays=holidays, calendar=parse_calendar(raw, tz))


@lru_cache(maxsize=4)
def company(path: str | None = None) -> Company:
    """Cached company facts; restart the process after editing company.yml."""
    return load_company(path)
