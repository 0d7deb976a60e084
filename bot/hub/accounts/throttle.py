"""The login throttle: failed logins (and wrong passwords inside a session) back off exponentially.

Counted per client address, per (e-mail, address) and per e-mail (known or not, so a lockout tells
nothing about which accounts exist), in the database, so that several hubs behave like one.
The address and the pair are checked before the password: a guesser is slowed where it guesses.
The e-mail's own counter (failures from every address) is not: a block it holds refuses wrong
credentials only, so the right password (and code) still gets in - otherwise one wrong login
every few minutes from anywhere would keep an agent or admin out (issue 23.8).
"""

from __future__ import annotations

import hashlib
import logging
import math
from dataclasses import dataclass
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


def pair_key(email: str, ip: str | None) -> str:
    """The e-mail as tried from one address (a lock-out there stays there)."""
    return "pair:" + hashlib.sha256(f"{email}\n{address_key(ip)}".encode()).hexdigest()[:40]


@dataclass(frozen=True)
class LoginKeys:
    before: List[str]  # checked before the password: address, (e-mail, address)
    account: str  # the e-mail's counter over every address: blocks wrong credentials only

    @property
    def counted(self) -> List[str]:
        return [*self.before, self.account]


def login_keys(email: str, ip: str | None) -> LoginKeys:
    return LoginKeys([address_key(ip), pair_key(email, ip)], account_key(email))


class LoginThrottle:
    def __init__(self, repo: AgentsRepo, settings: Settings) -> None:
        self.repo = repo
        self.settings = settings

    async def blocked_for(self, keys: Sequence[str]) -> int:
        """Seconds until none of the keys is blocked (0: none is)."""
        until = await self.repo.login_blocked_until(keys)
        now = utcnow()
        if until is None or until <= now:
            return 0
        return max(1, math.ceil((until - now).total_seconds()))

    async def check(self, keys: Sequence[str]) -> None:
        """Raises RateLimited while any of the keys is blocked."""
        wait = await self.blocked_for(keys)
        if wait:
            raise RateLimited(
                "too_many_attempts",
                f"Zu viele fehlgeschlagene Anmeldeversuche. Bitte warten Sie {wait} Sekunden.",
                wait,
            )

    async def count_failure(
        self, keys: Sequence[str], audit: Dict[str, Any] | None = None
    ) -> List[int]:
        """One transaction: every counter (address, pair, e-mail) and the audit entry."""
        s = self.settings
        counters = [
            (
                key,
                partial(
                    backoff,
                    free=s.login_free_failures_ip
                    if key.startswith("ip:")  # the pair and the e-mail: the account's allowance
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
        by_ip, by_pair, by_account = await self.count_failure(
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
            "agent login failed (%s) for %r from %s: %d recent failures for this e-mail "
            "(%d from this address), %d from this address in all",
            reason,
            shown,
            ip,
            by_account,
            by_pair,
            by_ip,
        )
