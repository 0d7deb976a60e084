"""The SLA for the console (time left per visible conversation), the admin API (targets), the
reports (attainment per team and agent) and /metrics (breaches)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any, Callable, Dict, Iterable, List

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.hub.sla import store
from bot.hub.sla.status import standing
from bot.hub.sla.store import Clocked
from bot.hub.sla.targets import Target, configured_targets
from bot.hub.teams import Teams
from bot.shared.company import Company

Json = Dict[str, Any]
KINDS = ("first_response", "resolution")


def merged(configured: Dict[str, Target], stored: Dict[str, Any]) -> Dict[str, Target]:
    out = dict(configured)
    for key, row in stored.items():
        if key in out:
            out[key] = Target(
                key, row.first_response_seconds, row.resolution_seconds, row.warn_percent, "admin"
            )
    return out


def figures(teams: Teams, item: Clocked, target: Target, now: datetime) -> Json:
    """The handoff's standing against each target its team has (None: no target)."""
    calendar = teams.get(item.team).calendar
    stops = {"first_response": item.first_reply_at, "resolution": item.finished_at}
    out: Json = {}
    for kind in KINDS:
        seconds = target.seconds(kind)
        out[kind] = (
            None
            if seconds is None
            else standing(calendar, seconds, target.warn_percent, item.queued_at, stops[kind], now)
        )
    return out


class SlaService:
    def __init__(
        self, sessions: async_sessionmaker[AsyncSession], company: Company, teams: Teams
    ) -> None:
        self.sessions = sessions
        self.teams = teams
        self.configured = configured_targets(company, teams)
        self.clock: Callable[[], datetime] = lambda: datetime.now(timezone.utc)  # tests move time

    async def targets(self) -> Dict[str, Target]:
        async with self.sessions() as db:
            return merged(self.configured, await store.overrides(db))

    async def set_target(
        self, team: str, first: int | None, resolution: int | None, warn: int, by: int
    ) -> Target:
        key = self.teams.require(team).key
        async with self.sessions.begin() as db:
            await store.save_override(db, key, first, resolution, warn, by)
        return (await self.targets())[key]

    async def active(self, visible: Callable[[Clocked], bool]) -> List[Json]:
        """Time left for the open handoffs `visible` lets through (the agent's queue and conversations)."""
        targets, now = await self.targets(), self.clock()
        async with self.sessions() as db:
            items = await store.active(db)
        out = []
        for item in items:
            team = self.teams.get(item.team)
            if not visible(item):
                continue
            out.append(
                {
                    "conversation_id": item.conversation_id,
                    "handoff_id": item.handoff_id,
                    "team": team.key,
                    "queued_at": item.queued_at.isoformat() + "Z",
                    **figures(self.teams, item, targets[team.key], now),
                }
            )
        return out

    async def breaches(self) -> Dict[tuple, int]:
        """(team, kind, which) -> count: `open` handoffs past a target now, `missed_24h` ones that ended
        (or got their first reply) after the target within the last 24 hours."""
        targets, now = await self.targets(), self.clock()
        since = now.astimezone(timezone.utc).replace(tzinfo=None) - timedelta(days=1)
        async with self.sessions() as db:
            items = await store.active(db) + await store.finished_since(db, since)
        counts: Dict[tuple, int] = {
            (t, k, w): 0 for t in targets for k in KINDS for w in ("open", "missed_24h")
        }
        for item in items:
            key = self.teams.get(item.team).key
            for kind, shown in figures(self.teams, item, targets[key], now).items():
                if shown is None:
                    continue
                if shown["state"] == "breached":
                    counts[(key, kind, "open")] += 1
                elif shown["state"] == "missed":
                    stopped = item.first_reply_at if kind == "first_response" else item.finished_at
                    if stopped is not None and stopped >= since:
                        counts[(key, kind, "missed_24h")] += 1
        return counts


def attainment(items: Iterable[Json]) -> Json:
    """Met share of the stopped clocks, and how many are open or breached."""
    met = missed = running = breached = 0
    for shown in items:
        state = shown["state"]
        met += state == "met"
        missed += state == "missed"
        breached += state == "breached"
        running += state in ("running", "warning")
    done = met + missed
    return {
        "met": met,
        "missed": missed,
        "breached_open": breached,
        "open": running,
        "rate": round(met / done, 4) if done else None,
    }
