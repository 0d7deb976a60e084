"""Retention and pruning: what the hub deletes on its own, periodically.

- Conversations silent for longer than `retention.conversations_days` (company.yml) are erased
  from every store through the same path as an admin's erasure (bot.hub.privacy):
  hub database, Rasa's tracker store, the shop records the bot created. Conversations that
  wait for or talk to an agent, or have an open request (ticket), are kept until that is done.
- Tracker senders without a hub conversation that are silent as long are deleted too.
- Processed webhook update ids (inbound_updates, the redelivery dedupe) older than
  `retention.inbound_updates_days`, and expired agent sessions, are pruned.

Every hub runs the job every KD_HOUSEKEEPING_INTERVAL seconds (each step is idempotent, so
several hubs may run it at once); `python -m bot housekeeping` runs it once.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, AsyncIterator, Callable, Dict, Mapping

from aiohttp import web

from bot.hub.keys.config import COMPANY, SETTINGS
from bot.hub.keys.dialogue import CONVERSATIONS
from bot.hub.keys.handoff import QUEUE
from bot.hub.keys.store import REPO
from bot.hub.privacy.service import Privacy
from bot.hub.store.models import utcnow
from bot.hub.store.parts import RetentionStore
from bot.shared.company import Company

log = logging.getLogger(__name__)
PRIVACY = web.AppKey("privacy", Privacy)
BATCH = 100


@dataclass(frozen=True)
class Retention:
    """How long data is kept, in days (0: kept until erased on request)."""

    conversations_days: int = 90
    inbound_updates_days: int = 7

    @classmethod
    def parse(cls, raw: Mapping[str, Any] | None) -> Retention:
        values: Dict[str, int] = {}
        for key, value in (raw or {}).items():
            if key not in cls.__dataclass_fields__:
                raise ValueError(f"company.yml retention: unknown key {key!r}")
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise ValueError(
                    f"company.yml retention.{key} must be a whole number of days (0: keep)"
                )
            values[key] = value
        return cls(**values)

    @classmethod
    def of(cls, company: Company) -> Retention:
        return cls.parse(company.raw.get("retention"))


class Housekeeping:
    def __init__(
        self,
        repo: RetentionStore,
        privacy: Privacy,
        retention: Retention,
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        self.repo = repo
        self.privacy = privacy
        self.retention = retention
        self.clock = clock

    async def run_once(self) -> Dict[str, int]:
        """One pass; returns what was removed."""
        now = self.clock()
        report = {
            "conversations": 0,
            "tracker_senders": 0,
            "inbound_updates": 0,
            "agent_sessions": 0,
        }
        if self.retention.conversations_days:
            cutoff = now - timedelta(days=self.retention.conversations_days)
            report["conversations"] = await self._erase_expired(cutoff)
            report["tracker_senders"] = await self.privacy.erase_orphan_trackers(cutoff)
        if self.retention.inbound_updates_days:
            report["inbound_updates"] = await self.repo.prune_inbound_updates(
                now - timedelta(days=self.retention.inbound_updates_days)
            )
        report["agent_sessions"] = await self.repo.prune_sessions(now)
        return report

    async def _erase_expired(self, cutoff: datetime) -> int:
        done: set[str] = set()
        while True:
            batch = [
                c for c in await self.repo.expired_conversation_ids(cutoff, BATCH) if c not in done
            ]
            if not batch:
                return len(done)
            for conv_id in batch:
                await self.privacy.erase_conversation(conv_id)
                done.add(conv_id)

    async def loop(self, interval: float) -> None:
        await asyncio.sleep(min(interval, 120))  # soon after start-up, then every interval
        while True:
            try:
                report = await self.run_once()
                if any(report.values()):
                    log.info("housekeeping: %s", ", ".join(f"{k} {v}" for k, v in report.items()))
            except Exception:  # noqa: BLE001 - the loop must keep running; the next pass repeats the work
                log.exception("housekeeping failed")
            await asyncio.sleep(interval)


async def data_lifecycle(app: web.Application) -> AsyncIterator[None]:
    """cleanup_ctx after the hub's services: the privacy service and the retention loop."""
    privacy = Privacy.from_settings(app[SETTINGS], app[REPO], app[CONVERSATIONS], app[QUEUE])
    app[PRIVACY] = privacy
    keeper = Housekeeping(app[REPO], privacy, Retention.of(app[COMPANY]))
    task = asyncio.create_task(keeper.loop(app[SETTINGS].housekeeping_interval))
    yield
    task.cancel()
