"""The login throttle: failed logins (and wrong passwords inside a session) back off exponentially.

Counted per client address and per e-mail (known or not, so a lockout tells nothing about which
accounts exist), in the database, so that several hubs behave like one.
"""

from __future__ import annotations

import hashlib
import logging
import math
from datetime import timedelta
from functools import partial
from typing import Any, Dict, List, Sequence

from bot.hub.errors import RateLimited
from bot.hub.handoff.audit import Audit
from bot.hub.settings import Settings
from bot.hub.store.agents_repo import AgentsRepo
from bot.hub.store.models import Agent, utcnow

log = logging.getLogger(__name__)


def backoff(failures: int, free: int, ceiling: int) -> float:
    """Seconds a key is blocked after `failures` failures: none for the first `free` - 1,
    then 1, 2, 4, 8 … up to `ceiling`."""
    if failures < free:
        return 0.0
    return float(min(ceiling, 2 ** min(failures - free, 30)))


def account_key(email: str) -> str:
    return "acct:" + hashlib.sha256(email.encode()).hexdigest()[:40]


def address_key(ip: str | None) -> str:
    return "ip:" + (ip or "unknown")[:64]


class LoginThrottle:
    def __init__(self, repo: AgentsRepo, settings: Settings) -> None:
        self.repo = repo
        self.settings = settings

    async def check(self, keys: Sequence[str]) -> None:
        """Raises RateLimited while any of the keys is blocked."""
        until = await self.repo.login_blocked_until(keys)
        now = utcnow()
        if until is not None and until > now:
            wait = max(1, math.ceil((until - now).total_seconds()))
            raise RateLimited(
                "too_many_attempts",
                f"Zu viele fehlgeschlagene Anmeldeversuche. Bitte warten Sie {wait} Sekunden.",
                wait,
            )

    async def count_failure(
        self, keys: Sequence[str], audit: Dict[str, Any] | None = None
    ) -> List[int]:
        """One transaction: both counters (address, e-mail) and the audit entry."""
        s = self.settings
        counters = [
            (
                key,
                partial(
                    backoff,
                    free=s.login_free_failures_ip
                    if key.startswith("ip:")
                    else s.login_free_failures_account,
                    ceiling=s.login_max_delay,
                ),
            )
            for key in keys
        ]
        return await self.repo.record_login_failure(
            counters, utcnow(), timedelta(seconds=s.login_failure_window), audit
        )

    async def failed_login(
        self, keys: Sequence[str], agent: Agent | None, email: str, ip: str | None, reason: str
    ) -> None:
        # A password typed into the e-mail field must not end up in the log: only e-mail-like input is shown.
        shown = email[:200] if "@" in email else "(keine E-Mail-Adresse)"
        by_ip, by_account = await self.count_failure(
            keys,
            {
                "agent_id": agent.id if agent else None,
                "action": Audit.LOGIN_FAILED,
                "target": shown,
                "detail": {"reason": reason},
                "ip": ip[:64] if ip else None,
            },
        )
        log.warning(
            "agent login failed (%s) for %r from %s: %d recent failures for this e-mail, %d from this address",
            reason,
            shown,
            ip,
            by_account,
            by_ip,
        )
