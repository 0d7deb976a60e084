"""Teams (Abteilungen): which team a handoff goes to, each team's calendar, who belongs where.

Teams are defined in company.yml (`teams:`). Without that section there is exactly one team,
"Kundenservice", with the company's hours - the hub then behaves as it did before teams existed.
An agent without any stored membership belongs to the default team, so existing accounts keep
seeing the queue they saw. A handoff stores its team key; an unknown key (a team removed from
company.yml) counts as the default team, so nothing queued can become invisible.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Dict, Iterable, List, Mapping, Sequence

from bot.hub.errors import NotFound
from bot.shared.calendar import Calendar
from bot.shared.company import Company

DEFAULT_KEY = "kundenservice"
DEFAULT_NAME = "Kundenservice"


@dataclass(frozen=True)
class Team:
    key: str
    name: str
    calendar: Calendar
    topics: frozenset[str] = frozenset()  # intents, human-only topics, FAQ keys routed here
    auto_assign: bool = (
        False  # the longest-waiting conversation goes to the least busy online member
    )

    def json(self) -> Dict[str, Any]:
        return {
            "key": self.key,
            "name": self.name,
            "auto_assign": self.auto_assign,
            "topics": sorted(self.topics),
            "hours_text": self.calendar.hours_text(),
        }


@dataclass(frozen=True)
class Teams:
    by_key: Dict[str, Team]
    default_key: str
    configured: bool = False  # company.yml has a `teams:` section
    order: List[str] = field(default_factory=list)

    @property
    def default(self) -> Team:
        return self.by_key[self.default_key]

    def all(self) -> List[Team]:
        return [self.by_key[k] for k in self.order]

    def get(self, key: str | None) -> Team:
        """The team of a stored key; unknown or missing keys are the default team."""
        return self.by_key.get(key or "", self.default)

    def require(self, key: str) -> Team:
        if key not in self.by_key:
            raise NotFound("team_not_found", "Dieses Team gibt es nicht.")
        return self.by_key[key]

    def route(self, payload: Mapping[str, Any]) -> Team:
        """The team for a handoff: the human-only topic first, then the topic, then the intents (latest first)."""
        summary = payload.get("summary") if isinstance(payload.get("summary"), dict) else {}
        assert isinstance(summary, dict)
        candidates: List[str] = []
        if payload.get("team"):
            candidates.append(str(payload["team"]))
        for value in (summary.get("reason_detail"), summary.get("topic_key")):
            if value:
                candidates += [str(value), str(value).split("/")[0]]
        intents = summary.get("intents")
        candidates += [str(i) for i in reversed(intents)] if isinstance(intents, list) else []
        if summary.get("topic"):
            candidates.append(str(summary["topic"]))
        for candidate in candidates:
            if candidate in self.by_key:
                return self.by_key[candidate]
            for key in self.order:
                if candidate in self.by_key[key].topics:
                    return self.by_key[key]
        return self.default

    def member_keys(self, stored: Iterable[str]) -> List[str]:
        """An agent's teams from their stored memberships (none: the default team)."""
        keys = [k for k in stored if k in self.by_key]
        return keys or [self.default_key]

    def stored_keys(self, key: str) -> List[str | None] | None:
        """The handoff.team values that mean `key` (None: every value, for the default team's leftovers)."""
        return None if key == self.default_key else [key]

    def validate(self, keys: Sequence[Any]) -> List[str]:
        wrong = [k for k in keys if not isinstance(k, str) or k not in self.by_key]
        if wrong:
            raise NotFound("team_not_found", f"Dieses Team gibt es nicht: {wrong[0]}")
        return list(dict.fromkeys(keys))


def load_teams(company: Company) -> Teams:
    raw = company.raw.get("teams")
    base = company.cal
    if not raw:
        team = Team(DEFAULT_KEY, DEFAULT_NAME, base)
        return Teams({DEFAULT_KEY: team}, DEFAULT_KEY, False, [DEFAULT_KEY])
    items = raw.items() if isinstance(raw, dict) else ((t["key"], t) for t in raw)
    by_key: Dict[str, Team] = {}
    default_key = None
    for key, spec in items:
        spec = spec or {}
        by_key[str(key)] = Team(
            str(key),
            str(spec.get("name") or key),
            base.with_overrides(spec),
            frozenset(str(t) for t in spec.get("topics") or []),
            bool(spec.get("auto_assign")),
        )
        if spec.get("default"):
            default_key = str(key)
    order = list(by_key)
    return Teams(by_key, default_key or order[0], True, order)
