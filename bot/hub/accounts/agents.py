"""Agent accounts: argon2 password hashes, bearer-token sessions, roles, presence and the
two-factor flows (the codes are in totp.py, the login throttle in throttle.py).

argon2 runs in a small thread pool behind a semaphore: a burst of logins queues there (and
beyond `login_queue_limit` gets 429) instead of starving the event loop. An unknown e-mail is
checked against a dummy hash, so it costs the same time as a wrong password.
"""

from __future__ import annotations

import asyncio
import hmac
import logging
import os
import secrets
import sys
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Awaitable, Callable, Dict, Tuple

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from bot.hub.accounts.throttle import LoginThrottle, login_keys
from bot.hub.accounts.totp import new_secret, provisioning_uri, totp_step
from bot.hub.errors import (
    AuthenticationFailed,
    Conflict,
    InvalidInput,
    NotFound,
    PermissionDenied,
    RateLimited,
)
from bot.hub.handoff.audit import Audit
from bot.hub.handoff.visibility import sees_everything
from bot.hub.handoff.ws_tickets import issue_ticket, redeem_ticket
from bot.hub.settings import Settings
from bot.hub.states import AgentRole, AgentStatus, values
from bot.hub.store.agents_repo import AgentsRepo
from bot.hub.store.models import Agent, AgentSession, utcnow
from bot.hub.tokens import token_hash

log = logging.getLogger(__name__)
_hasher = PasswordHasher()
MIN_PASSWORD = 8


ENROLMENT_CODE_HOURS = 72
_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read out over the phone


# -- passwords ------------------------------------------------------------------------
def check_password_rules(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise InvalidInput(
            "invalid_field", f"Das Passwort muss mindestens {MIN_PASSWORD} Zeichen haben."
        )


async def create_agent(
    repo: AgentsRepo, email: str, name: str, password: str, role: str = "agent", capacity: int = 3
) -> Agent:
    email = email.strip().lower()
    if role not in values(AgentRole):
        raise InvalidInput("invalid_field", f"role must be one of {values(AgentRole)}")
    if len(password) < MIN_PASSWORD:
        raise InvalidInput("invalid_field", "password must have at least 8 characters")
    if await repo.agent_by_email(email, active_only=False) is not None:
        raise Conflict("agent_exists", "Diese E-Mail-Adresse ist schon vergeben.")
    password_hash = await asyncio.to_thread(
        _hasher.hash, password
    )  # ~100 ms of CPU: off the event loop
    return await repo.add_agent(
        Agent(
            email=email,
            name=name.strip(),
            password_hash=password_hash,
            role=role,
            capacity=capacity,
        )
    )


def _password_matches(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def hash_password(password: str) -> str:
    return _hasher.hash(password)


# -- two-factor enrolment codes --------------------------------------------------------
def _normal_code(code: str) -> str:
    return "".join(c for c in code.upper() if c.isalnum())


async def issue_enrolment_code(repo: AgentsRepo, agent: Agent) -> Tuple[str, datetime]:
    """A one-time code (60 bits, shown once, stored hashed) that lets this account's set-up session
    enrol two-factor within ENROLMENT_CODE_HOURS; a new one replaces the last. Used by the admin
    route and the CLI."""
    raw = "".join(secrets.choice(_CODE_ALPHABET) for _ in range(12))
    expires_at = utcnow() + timedelta(hours=ENROLMENT_CODE_HOURS)
    await repo.update_agent(
        agent.id, totp_enrolment_hash=token_hash(raw), totp_enrolment_expires_at=expires_at
    )
    return "-".join(raw[i : i + 4] for i in range(0, 12, 4)), expires_at


def enrolment_code_matches(agent: Agent, code: str) -> bool:
    if not agent.totp_enrolment_hash or agent.totp_enrolment_expires_at is None:
        return False
    if agent.totp_enrolment_expires_at < utcnow():
        return False
    return hmac.compare_digest(token_hash(_normal_code(code)), agent.totp_enrolment_hash)


def _background_priority() -> None:
    """Runs in each argon2 thread: on Linux niceness is per thread, so password checks yield the CPU
    to the event loop (customer turns) instead of competing with it as equals."""
    if sys.platform.startswith("linux"):
        try:
            os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), 10)
        except OSError:  # not permitted in this sandbox: run at normal priority
            pass


def _refuse_while_blocked(wait: int) -> None:
    """Wrong credentials while the e-mail is blocked: 429 like a blocked address (not a plain 401)."""
    if wait:
        raise RateLimited(
            "too_many_attempts",
            "Zu viele fehlgeschlagene Anmeldeversuche für dieses Konto. Mit dem richtigen Passwort "
            "(und Code) können Sie sich trotzdem anmelden.",
            wait,
        )


@dataclass
class Login:
    token: str
    agent: Agent
    setup_required: bool  # the session may only enrol two-factor (admins, when KD_ADMIN_2FA=1)


class AgentAuth:
    def __init__(
        self,
        repo: AgentsRepo,
        session_hours: int,
        settings: Settings | None = None,
        notify: Callable[[Dict[str, Any]], Awaitable[None]] | None = None,
    ) -> None:
        self.repo = repo
        self.session_hours = session_hours
        self.settings = settings or Settings(agent_session_hours=session_hours)
        self._notify = notify
        self._pool: ThreadPoolExecutor | None = None
        self._slots: asyncio.Semaphore | None = None
        self._busy = 0  # logins waiting for or holding a slot
        self._dummy: Tuple[PasswordHasher, str] | None = None
        self.throttle = LoginThrottle(repo, self.settings)

    # -- argon2 off the event loop, bounded ---------------------------------------
    async def _in_pool(self, fn: Callable[..., Any], *args: Any) -> Any:
        if self._pool is None:
            self._pool = ThreadPoolExecutor(
                max_workers=self.settings.login_concurrency,
                thread_name_prefix="kd-argon2",
                initializer=_background_priority,
            )
        return await asyncio.get_running_loop().run_in_executor(self._pool, fn, *args)

    async def _dummy_hash(self) -> str:
        if self._dummy is None or self._dummy[0] is not _hasher:
            self._dummy = (_hasher, await self._in_pool(hash_password, secrets.token_urlsafe(16)))
        return self._dummy[1]

    async def verify(
        self,
        password_hash: str | None,
        password: str,
        before: Callable[[], Awaitable[None]] | None = None,
    ) -> bool:
        """argon2 verification in the pool, at most `login_concurrency` at once; `None` checks
        against a dummy hash (same cost, always False). `before` runs once a slot is free
        (the throttle is checked again there: a burst that queued up is refused cheaply)."""
        dummy = await self._dummy_hash()  # computed once, before the first verification
        if self._slots is None:
            self._slots = asyncio.Semaphore(self.settings.login_concurrency)
        if self._busy >= self.settings.login_concurrency + self.settings.login_queue_limit:
            raise RateLimited(
                "login_busy",
                "Gerade melden sich sehr viele an. Bitte versuchen Sie es gleich erneut.",
                2,
            )
        self._busy += 1
        try:
            async with self._slots:
                if before is not None:
                    await before()
                ok = await self._in_pool(_password_matches, password_hash or dummy, password)
                return bool(ok) and password_hash is not None
        finally:
            self._busy -= 1

    # -- login / sessions ------------------------------------------------------------------
    async def login(
        self, email: str, password: str, otp: str | None = None, ip: str | None = None
    ) -> Login:
        email = email.strip().lower()
        keys = login_keys(email, ip)
        await self.throttle.check(keys.before)
        # Blocked by failures from other addresses: wrong credentials wait, the right ones pass.
        account_wait = await self.throttle.blocked_for([keys.account])
        agent = await self.repo.agent_by_email(email, active_only=False)
        ok = await self.verify(
            agent.password_hash if agent else None,
            password,
            before=lambda: self.throttle.check(keys.before),
        )
        if not ok or agent is None or not agent.active:
            await self.throttle.failed_login(
                keys.counted,
                agent,
                email,
                ip,
                "password" if agent is None or agent.active else "inactive",
            )
            _refuse_while_blocked(account_wait)
            raise AuthenticationFailed("invalid_credentials", "E-Mail oder Passwort ist falsch.")
        if agent.totp_enabled:
            if not otp:
                raise AuthenticationFailed(
                    "otp_required", "Bitte geben Sie den Code aus Ihrer Authenticator-App ein."
                )
            step = totp_step(agent.totp_secret or "", otp, agent.totp_last_step)
            if step is None or not await self.repo.use_totp_step(agent.id, step):
                await self.throttle.failed_login(keys.counted, agent, email, ip, "otp")
                _refuse_while_blocked(account_wait)
                raise AuthenticationFailed("invalid_otp", "Der Code ist falsch oder abgelaufen.")
        setup = self.settings.admin_2fa and agent.role == AgentRole.ADMIN and not agent.totp_enabled
        for key in keys.before[1:] + [keys.account]:  # the address keeps its own count
            await self.repo.clear_login_failures(key)
        token = secrets.token_urlsafe(32)
        now = utcnow()
        agent = await self.repo.open_session(
            AgentSession(
                token_hash=token_hash(token),
                agent_id=agent.id,
                created_at=now,
                expires_at=now + timedelta(hours=self.session_hours),
                setup_only=setup,
                two_factor=agent.totp_enabled,  # a code was checked above
            ),
            now,
            online=not setup,
        )
        await self.repo.audit(
            agent.id, Audit.LOGIN, None, {"two_factor": agent.totp_enabled, "setup_only": setup}, ip
        )
        return Login(token, agent, setup)

    async def logout(self, token: str, agent: Agent | None = None, ip: str | None = None) -> None:
        await self.repo.close_session(token_hash(token))
        if agent is not None:
            await self.repo.audit(agent.id, Audit.LOGOUT, None, None, ip)
            await self.revoke_sockets(agent.id)

    async def logout_everywhere(self, agent: Agent, ip: str | None = None) -> int:
        ended = await self.repo.close_sessions(agent.id)
        await self.repo.set_presence(agent.id, AgentStatus.OFFLINE, utcnow())
        await self.repo.audit(agent.id, Audit.LOGOUT_ALL, None, {"sessions": ended}, ip)
        await self.revoke_sockets(agent.id)
        return ended

    async def session(
        self, token: str | None, allow_setup: bool = False
    ) -> Tuple[AgentSession, Agent]:
        if not token:
            raise AuthenticationFailed("unauthenticated", "Bitte melden Sie sich an.")
        now = utcnow()
        session, agent = await self.repo.session_agent(token_hash(token), now)
        if session is None or session.expires_at < now:
            raise AuthenticationFailed(
                "unauthenticated", "Sitzung abgelaufen. Bitte melden Sie sich erneut an."
            )
        if agent is None or not agent.active:
            raise AuthenticationFailed("unauthenticated", "Dieses Konto ist deaktiviert.")
        if session.setup_only and not allow_setup:
            raise PermissionDenied(
                "two_factor_setup_required",
                "Bitte richten Sie zuerst die Zwei-Faktor-Anmeldung ein.",
            )
        return session, agent

    async def authenticate(
        self, token: str | None, role: str | None = None, allow_setup: bool = False
    ) -> Agent:
        session, agent = await self.session(token, allow_setup)
        if role == AgentRole.ADMIN and agent.role != AgentRole.ADMIN:
            raise PermissionDenied("forbidden", "Dafür brauchen Sie Administratorrechte.")
        if role == AgentRole.ADMIN and self.settings.admin_2fa and not session.two_factor:
            raise PermissionDenied(
                "two_factor_session_required",
                "Für Administratoraufgaben brauchen Sie eine Anmeldung mit Zwei-Faktor-Code. "
                + (
                    "Bitte melden Sie sich ab und mit dem Code aus Ihrer Authenticator-App neu an."
                    if agent.totp_enabled
                    else "Bitte richten Sie unter „Konto“ die Zwei-Faktor-Anmeldung ein."
                ),
            )
        if role == AgentRole.SUPERVISOR and not sees_everything(agent.role):
            raise PermissionDenied(
                "forbidden", "Dafür brauchen Sie Teamleitungs- oder Administratorrechte."
            )
        return agent

    async def set_status(self, agent: Agent, status: str) -> Agent:
        if status not in values(AgentStatus):
            raise InvalidInput("invalid_field", "Status muss online, away oder offline sein.")
        return await self.repo.set_presence(agent.id, AgentStatus(status), utcnow())

    # -- own account ----------------------------------------------------------------------------
    async def _confirm_password(
        self, agent: Agent, password: str, ip: str | None, action: str
    ) -> None:
        """Re-authentication inside a session: throttled like a login; a wrong password is 403, not 401
        (the session itself is fine)."""
        keys = login_keys(agent.email, ip)
        await self.throttle.check(keys.before)
        if not await self.verify(
            agent.password_hash, password, before=lambda: self.throttle.check(keys.before)
        ):
            await self.throttle.count_failure(
                keys.counted,
                {
                    "agent_id": agent.id,
                    "action": action,
                    "target": agent.email,
                    "detail": {"reason": "wrong_password"},
                    "ip": ip[:64] if ip else None,
                },
            )
            log.warning("wrong password for %r from %s (%s)", agent.email, ip, action)
            raise PermissionDenied("wrong_password", "Das Passwort ist falsch.")

    async def change_password(
        self, agent: Agent, token: str, old: str, new: str, ip: str | None = None
    ) -> int:
        """Sets a new password (the old one is required) and ends every other session; how many ended."""
        check_password_rules(new)
        if new == old:
            raise InvalidInput(
                "invalid_field", "Das neue Passwort muss sich vom bisherigen unterscheiden."
            )
        await self._confirm_password(agent, old, ip, Audit.PASSWORD_CHANGE_FAILED)
        new_hash = await self._in_pool(hash_password, new)
        await self.repo.update_agent(agent.id, password_hash=new_hash, password_changed_at=utcnow())
        ended = await self.repo.close_sessions(agent.id, keep=token_hash(token))
        await self.repo.audit(
            agent.id, Audit.PASSWORD_CHANGED, None, {"other_sessions_ended": ended}, ip
        )
        await self.revoke_sockets(agent.id)
        return ended

    async def issue_enrolment_code(
        self, actor: Agent, agent_id: int, ip: str | None = None
    ) -> Tuple[str, datetime]:
        """Another admin starts a colleague's forced two-factor set-up: a one-time code to hand over
        in person or by phone (the password alone no longer binds an authenticator)."""
        target = await self._target(agent_id)
        if target.id == actor.id:
            raise Conflict(
                "own_account", "Den Einrichtungscode muss Ihnen ein anderer Administrator geben."
            )
        if target.totp_enabled:
            raise Conflict(
                "two_factor_active", "Die Zwei-Faktor-Anmeldung ist bereits eingerichtet."
            )
        code, expires_at = await issue_enrolment_code(self.repo, target)
        await self.repo.audit(
            actor.id,
            Audit.TWO_FACTOR_ENROLMENT_CODE,
            f"agent:{target.id}",
            {"email": target.email},
            ip,
        )
        return code, expires_at

    async def _check_enrolment_code(self, agent: Agent, code: str | None, ip: str | None) -> None:
        """A set-up session enrols only with the one-time code another admin (or the CLI) issued;
        wrong codes count like wrong passwords."""
        if not code:
            raise PermissionDenied(
                "enrolment_code_required",
                "Bitte geben Sie den Einrichtungscode ein, den Sie von einem anderen Administrator "
                "erhalten haben.",
            )
        keys = login_keys(agent.email, ip)
        await self.throttle.check(keys.before)
        if not enrolment_code_matches(agent, code):
            await self.throttle.count_failure(
                keys.counted,
                {
                    "agent_id": agent.id,
                    "action": Audit.TWO_FACTOR_ENROLMENT_FAILED,
                    "target": agent.email,
                    "detail": {"reason": "wrong_enrolment_code"},
                    "ip": ip[:64] if ip else None,
                },
            )
            log.warning("wrong two-factor enrolment code for %r from %s", agent.email, ip)
            raise PermissionDenied(
                "invalid_enrolment_code", "Der Einrichtungscode ist falsch oder abgelaufen."
            )

    async def enroll_totp(
        self,
        agent: Agent,
        session: AgentSession,
        password: str | None,
        ip: str | None = None,
        enrolment_code: str | None = None,
    ) -> Tuple[str, str]:
        """A new secret, pending until confirmed with a code: (secret, otpauth URI). Needs the password;
        in the set-up session a login opened (admins with KD_ADMIN_2FA), the one-time enrolment code
        instead - whoever knows the password must not bind their own authenticator first."""
        if agent.totp_enabled:
            raise Conflict(
                "two_factor_active", "Die Zwei-Faktor-Anmeldung ist bereits eingerichtet."
            )
        if session.setup_only:
            await self._check_enrolment_code(agent, enrolment_code, ip)
        else:
            await self._confirm_password(agent, password or "", ip, Audit.TWO_FACTOR_ENROLLED)
        secret = new_secret()
        await self.repo.update_agent(
            agent.id, totp_secret=secret, totp_enabled=False, totp_last_step=None
        )
        await self.repo.audit(agent.id, Audit.TWO_FACTOR_ENROLLED, None, None, ip)
        return secret, provisioning_uri(secret, agent.email)

    async def confirm_totp(
        self, agent: Agent, session: AgentSession, code: str, ip: str | None = None
    ) -> Agent:
        """Turns two-factor on with a first valid code; ends the other sessions; this session becomes a
        full one that passed a code; the enrolment code is used up."""
        if agent.totp_enabled:
            raise Conflict(
                "two_factor_active", "Die Zwei-Faktor-Anmeldung ist bereits eingerichtet."
            )
        if not agent.totp_secret:
            raise Conflict("two_factor_not_enrolled", "Bitte starten Sie zuerst die Einrichtung.")
        step = totp_step(agent.totp_secret, code, None)
        if step is None:
            raise InvalidInput("invalid_otp", "Der Code ist falsch oder abgelaufen.")
        updated = await self.repo.update_agent(
            agent.id,
            totp_enabled=True,
            totp_last_step=step,
            totp_enrolment_hash=None,
            totp_enrolment_expires_at=None,
        )
        assert updated is not None
        await self.repo.widen_session(session.token_hash)
        if session.setup_only:
            await self.repo.set_presence(agent.id, AgentStatus.ONLINE, utcnow())
        await self.repo.close_sessions(agent.id, keep=session.token_hash)
        await self.repo.audit(agent.id, Audit.TWO_FACTOR_ENABLED, None, None, ip)
        await self.revoke_sockets(agent.id)
        return updated

    async def disable_totp(
        self, agent: Agent, token: str, password: str, code: str, ip: str | None = None
    ) -> Agent:
        """Turns two-factor off (password and a current code) and ends the other sessions, as turning
        it on does: a session opened elsewhere must not outlive the change."""
        if not agent.totp_enabled:
            raise Conflict(
                "two_factor_inactive", "Die Zwei-Faktor-Anmeldung ist nicht eingerichtet."
            )
        if self.settings.admin_2fa and agent.role == AgentRole.ADMIN:
            raise Conflict(
                "two_factor_required",
                "Für Administratoren ist die Zwei-Faktor-Anmeldung vorgeschrieben.",
            )
        await self._confirm_password(agent, password, ip, Audit.TWO_FACTOR_DISABLED)
        step = totp_step(agent.totp_secret or "", code, agent.totp_last_step)
        if step is None or not await self.repo.use_totp_step(agent.id, step):
            raise InvalidInput("invalid_otp", "Der Code ist falsch oder abgelaufen.")
        updated = await self.repo.update_agent(
            agent.id, totp_enabled=False, totp_secret=None, totp_last_step=None
        )
        assert updated is not None
        ended = await self.repo.close_sessions(agent.id, keep=token_hash(token))
        await self.repo.audit(
            agent.id, Audit.TWO_FACTOR_DISABLED, None, {"other_sessions_ended": ended}, ip
        )
        await self.revoke_sockets(agent.id)
        return updated

    # -- administration ------------------------------------------------------------------------
    async def _target(self, agent_id: int) -> Agent:
        target = await self.repo.agent(agent_id)
        if target is None:
            raise NotFound("agent_not_found", "Diesen Mitarbeiter gibt es nicht.")
        return target

    async def _keep_an_admin(self, target: Agent) -> None:
        if (
            target.role == AgentRole.ADMIN
            and target.active
            and await self.repo.active_admin_count() <= 1
        ):
            raise Conflict("last_admin", "Das ist das letzte aktive Administratorkonto.")

    async def deactivate(self, actor: Agent, agent_id: int, ip: str | None = None) -> Agent:
        """Locks an account out at once: sessions deleted, websockets closed, presence offline."""
        target = await self._target(agent_id)
        if target.id == actor.id:
            raise Conflict("own_account", "Sie können Ihr eigenes Konto nicht deaktivieren.")
        await self._keep_an_admin(target)
        updated = await self.repo.update_agent(target.id, active=False, status=AgentStatus.OFFLINE)
        assert updated is not None
        ended = await self.repo.close_sessions(target.id)
        await self.repo.audit(
            actor.id,
            Audit.DEACTIVATED,
            f"agent:{target.id}",
            {"email": target.email, "sessions": ended},
            ip,
        )
        await self.revoke_sockets(target.id)
        return updated

    async def activate(self, actor: Agent, agent_id: int, ip: str | None = None) -> Agent:
        target = await self._target(agent_id)
        updated = await self.repo.update_agent(target.id, active=True)
        assert updated is not None
        await self.repo.audit(
            actor.id, Audit.ACTIVATED, f"agent:{target.id}", {"email": target.email}, ip
        )
        return updated

    async def set_role(
        self, actor: Agent, agent_id: int, role: str, ip: str | None = None
    ) -> Agent:
        if role not in values(AgentRole):
            raise InvalidInput(
                "invalid_field", f"Rolle muss eine von {', '.join(values(AgentRole))} sein."
            )
        target = await self._target(agent_id)
        if target.role == role:
            return target
        await self._keep_an_admin(target)
        # The new role starts with a new login: a promoted agent keeps no session opened without
        # the code KD_ADMIN_2FA asks of admins (and a demoted one none of the old rights).
        updated = await self.repo.update_agent(target.id, role=role, status=AgentStatus.OFFLINE)
        assert updated is not None
        await self.repo.close_sessions(target.id)
        await self.repo.audit(
            actor.id,
            Audit.ROLE_CHANGED,
            f"agent:{target.id}",
            {"email": target.email, "from": target.role, "to": role},
            ip,
        )
        await self.revoke_sockets(target.id)  # its open websockets close
        return updated

    # -- websockets ------------------------------------------------------------------------------
    async def ws_ticket(self, token: str | None) -> str:
        session, agent = await self.session(token)
        return await issue_ticket(
            self.repo,
            self.settings.ws_ticket_seconds,
            agent_id=agent.id,
            session_hash=session.token_hash,
        )

    async def redeem(self, ticket: str | None) -> Tuple[Agent, str]:
        """The agent and session hash behind a websocket ticket (used up by this call)."""
        redeemed = await redeem_ticket(self.repo, ticket)
        if redeemed is None or redeemed.agent_id is None or redeemed.session_hash is None:
            raise AuthenticationFailed(
                "unauthenticated", "Websocket-Ticket ungültig oder abgelaufen."
            )
        agent = await self.socket_agent(redeemed.session_hash)
        if agent is None:
            raise AuthenticationFailed(
                "unauthenticated", "Sitzung abgelaufen. Bitte melden Sie sich erneut an."
            )
        return agent, redeemed.session_hash

    async def socket_agent(self, session_hash: str) -> Agent | None:
        """The agent of a still valid full session (the periodic re-check of an open websocket)."""
        now = utcnow()
        session, agent = await self.repo.session_agent(session_hash, now, touch_after=None)
        if (
            session is None
            or session.expires_at < now
            or session.setup_only
            or agent is None
            or not agent.active
        ):
            return None
        return agent

    async def revoke_sockets(self, agent_id: int) -> None:
        """Every hub's open websockets of this agent re-check their session now (and close if it ended)."""
        if self._notify is not None:
            await self._notify({"type": "_recheck", "agent_id": agent_id})
