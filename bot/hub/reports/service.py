"""The report sections, each computed by one module from what the hub stores.

Read-only aggregate queries over a period (local days), optionally one channel, one team and one
tag (bot/hub/reports/scope.py). They live with their definitions instead of in the store's
repository, which holds the write path.
"""

from __future__ import annotations

from typing import Any, Awaitable, Callable, Dict

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.hub.errors import NotFound
from bot.hub.reports.agents import agents
from bot.hub.reports.containment import containment
from bot.hub.reports.escalations import escalations
from bot.hub.reports.knowledge import knowledge
from bot.hub.reports.period import Period
from bot.hub.reports.satisfaction import satisfaction
from bot.hub.reports.scope import Scope
from bot.hub.reports.sla import sla
from bot.hub.reports.tags import tags
from bot.hub.reports.understanding import understanding
from bot.hub.reports.volume import volume
from bot.hub.reports.waiting import waiting
from bot.hub.teams import Teams, load_teams
from bot.shared.company import Company

Json = Dict[str, Any]
Section = Callable[[AsyncSession, Period, Scope], Awaitable[Json]]

SECTIONS: Dict[str, Section] = {
    "volume": lambda db, p, s: volume(db, p, s.channel, s.tag),
    "containment": lambda db, p, s: containment(db, p, s.channel, s.tag),
    "escalations": escalations,
    "queue": waiting,
    "agents": agents,
    "satisfaction": lambda db, p, s: satisfaction(db, p, s.channel, s.tag),
    "understanding": lambda db, p, s: understanding(db, p, s.channel, s.tag),
    "knowledge": lambda db, p, s: knowledge(db, p, s.channel, s.tag),
    "sla": sla,
    "tags": tags,
}
# sections about handoffs: the team filter applies
BY_TEAM = ("escalations", "queue", "agents", "sla")
# Every section is about conversations (or their messages and handoffs), so the tag filter applies to
# all of them (bot/hub/reports/scope.py).


class Reports:
    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        company: Company,
        teams: Teams | None = None,
    ) -> None:
        self.sessions = sessions
        self.company = company
        self.teams = teams or load_teams(company)

    async def section(
        self,
        name: str,
        period: Period,
        channel: str | None = None,
        team: str | None = None,
        tag: int | None = None,
    ) -> Json:
        compute = SECTIONS.get(name)
        if compute is None:
            raise NotFound("report_not_found", "Diesen Bericht gibt es nicht.")
        if team is not None:
            self.teams.require(team)  # an unknown team is a 404 in every section, applied or not
        scope = Scope.of(
            self.company,
            channel,
            team if name in BY_TEAM else None,
            self.teams,
            tag,
        )
        async with self.sessions() as db:
            figures = await compute(db, period, scope)
        return {
            "section": name,
            "period": period.json(),
            "channel": channel,
            "team": scope.team,
            "tag": scope.tag,
            **figures,
        }
