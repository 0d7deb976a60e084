"""Agent accounts: argon2 password hashes, bearer-token sessions, roles, presence."""

from __future__ import annotations

import asyncio
import secrets
from datetime import timedelta
from typing import Tuple

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from kundendialog.core.errors import AuthenticationFailed, Conflict, InvalidInput, PermissionDenied
from kundendialog.core.states import AgentRole, AgentStatus, values
from kundendialog.hub.conversations import token_hash
from kundendialog.hub.store.models import Agent, AgentSession, utcnow
from kundendialog.hub.store.repository import Repository

_hasher = PasswordHasher()


async def create_agent(repo: Repository, email: str, name: str, password: str, role: str = "agent",
                       capacity: int = 3) -> Agent:
    email = email.strip().lower()
    if role not in values(AgentRole):
        raise InvalidInput("invalid_field", f"role must be one of {values(AgentRole)}")
    if len(password) < 8:
        raise InvalidInput("invalid_field", "password must have at least 8 characters")
    if await repo.agent_by_email(email, active_only=False) is not None:
        raise Conflict("agent_exists", "Diese E-Mail-Adresse ist schon vergeben.")
    password_hash = await asyncio.to_thread(_hasher.hash, password)  # ~100 ms of CPU: off the event loop
    return await repo.add_agent(Agent(email=email, name=name.strip(), password_hash=password_hash,
                                      role=role, capacity=capacity))


def _password_matches(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


class AgentAuth:
    def __init__(self, repo: Repository, session_hours: int) -> None:
        self.repo = repo
        self.session_hours = session_hours

    async def login(self, email: str, password: str) -> Tuple[str, Agent]:
        agent = await self.repo.agent_by_email(email.strip().lower())
        ok = agent is not None and await asyncio.to_thread(_password_matches, agent.password_hash, password)
        if not ok or agent is None:
            raise AuthenticationFailed("invalid_credentials", "E-Mail oder Passwort ist falsch.")
        token = secrets.token_urlsafe(32)
        now = utcnow()
        agent = await self.repo.open_session(AgentSession(token_hash=token_hash(token), agent_id=agent.id, created_at=now,
                                                          expires_at=now + timedelta(hours=self.session_hours)), now)
        return token, agent

    async def logout(self, token: str) -> None:
        await self.repo.close_session(token_hash(token))

    async def authenticate(self, token: str | None, role: str | None = None) -> Agent:
        if not token:
            raise AuthenticationFailed("unauthenticated", "Bitte melden Sie sich an.")
        session, agent = await self.repo.session_agent(token_hash(token), utcnow())
        if session is None or session.expires_at < utcnow():
            raise AuthenticationFailed("unauthenticated", "Sitzung abgelaufen. Bitte melden Sie sich erneut an.")
        if agent is None or not agent.active:
            raise AuthenticationFailed("unauthenticated", "Dieses Konto ist deaktiviert.")
        if role == AgentRole.ADMIN and agent.role != AgentRole.ADMIN:
            raise PermissionDenied("forbidden", "Dafür brauchen Sie Administratorrechte.")
        return agent

    async def set_status(self, agent: Agent, status: str) -> Agent:
        if status not in values(AgentStatus):
            raise InvalidInput("invalid_field", "Status muss online, away oder offline sein.")
        return await self.repo.set_presence(agent.id, AgentStatus(status), utcnow())
