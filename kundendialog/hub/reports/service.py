"""The report sections, each computed by one module from what the hub stores.

Read-only aggregate queries over a period (local days) and optionally one channel. They live
with their definitions instead of in the store's repository, which holds the write path.
"""

from __future__ import annotations

from typing import Any, Awaitable, Callable, Dict

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from kundendialog.core.company import Company
from kundendialog.core.errors import NotFound
from kundendialog.hub.reports.agents import agents
from kundendialog.hub.reports.containment import containment
from kundendialog.hub.reports.escalations import escalations
from kundendialog.hub.reports.period import Period
from kundendialog.hub.reports.satisfaction import satisfaction
from kundendialog.hub.reports.understanding import understanding
from kundendialog.hub.reports.volume import volume
from kundendialog.hub.reports.waiting import waiting

Json = Dict[str, Any]
Section = Callable[[AsyncSession, Period, "str | None", Company], Awaitable[Json]]

SECTIONS: Dict[str, Section] = {
    "volume": lambda db, p, c, _: volume(db, p, c),
    "containment": lambda db, p, c, _: containment(db, p, c),
    "escalations": lambda db, p, c, _: escalations(db, p, c),
    "queue": waiting,
    "agents": lambda db, p, c, _: agents(db, p, c),
    "satisfaction": lambda db, p, c, _: satisfaction(db, p, c),
    "understanding": lambda db, p, c, _: understanding(db, p, c),
}


class Reports:
    def __init__(self, sessions: async_sessionmaker[AsyncSession], company: Company) -> None:
        self.sessions = sessions
        self.company = company

    async def section(self, name: str, period: Period, channel: str | None = None) -> Json:
        compute = SECTIONS.get(name)
        if compute is None:
            raise NotFound("report_not_found", "Diesen Bericht gibt es nicht.")
        async with self.sessions() as db:
            figures = await compute(db, period, channel, self.company)
        return {"section": name, "period": period.json(), "channel": channel, **figures}
