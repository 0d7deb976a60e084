"""Each team's SLA targets: company.yml gives them, an admin may override them (sla_targets table).

```yaml
sla:                      # every team's, unless the team says otherwise
  first_response_minutes: 30
  resolution_minutes: 480
  warn_percent: 20        # "knapp" when this share of the target is left
teams:
  buchhaltung:
    sla: {first_response_minutes: 60}
```
Minutes are business minutes of the team's calendar. A team without targets has no SLA.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Dict, Mapping

from bot.hub.teams import Teams
from bot.shared.company import Company

DEFAULT_WARN_PERCENT = 20
MAX_MINUTES = 365 * 24 * 60


@dataclass(frozen=True)
class Target:
    team: str
    first_response_seconds: int | None
    resolution_seconds: int | None
    warn_percent: int = DEFAULT_WARN_PERCENT
    source: str = "company.yml"  # or "admin"

    def seconds(self, kind: str) -> int | None:
        return self.first_response_seconds if kind == "first_response" else self.resolution_seconds

    def json(self) -> Dict[str, Any]:
        return {
            "team": self.team,
            "first_response_minutes": _minutes(self.first_response_seconds),
            "resolution_minutes": _minutes(self.resolution_seconds),
            "warn_percent": self.warn_percent,
            "source": self.source,
        }


def _minutes(seconds: int | None) -> int | None:
    return None if seconds is None else seconds // 60


def _seconds(raw: Mapping[str, Any], key: str, fallback: int | None) -> int | None:
    value = raw.get(key)
    if value is None:
        return fallback
    try:
        minutes = int(value)
    except (TypeError, ValueError):
        raise ValueError(f"sla.{key} must be a whole number of minutes, not {value!r}") from None
    if not 1 <= minutes <= MAX_MINUTES:
        raise ValueError(f"sla.{key} must be 1..{MAX_MINUTES} minutes, not {value!r}")
    return minutes * 60


def configured_targets(company: Company, teams: Teams) -> Dict[str, Target]:
    """The targets company.yml sets: the top-level `sla`, then each team's own `sla` over it."""
    base = company.raw.get("sla") or {}
    raw_teams = company.raw.get("teams") or {}
    specs = raw_teams if isinstance(raw_teams, dict) else {t.get("key"): t for t in raw_teams}
    out: Dict[str, Target] = {}
    for team in teams.all():
        own = ((specs.get(team.key) or {}) if isinstance(specs, dict) else {}).get("sla") or {}
        first = _seconds(
            own, "first_response_minutes", _seconds(base, "first_response_minutes", None)
        )
        resolution = _seconds(own, "resolution_minutes", _seconds(base, "resolution_minutes", None))
        warn = int(own.get("warn_percent") or base.get("warn_percent") or DEFAULT_WARN_PERCENT)
        out[team.key] = Target(team.key, first, resolution, warn)
    return out
