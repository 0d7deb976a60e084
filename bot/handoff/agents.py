"""Agent accounts: argon2 password hashes, bearer-token sessions, roles, presence."""

from __future__ import annotations

import secrets
from datetime import timedelta
from typing import Tuple

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, select
from sqlalchemy.orm import Session, sessionmaker

from bot.hub import token_hash
from bot.store.models import Agent, AgentSession, utcnow
from bot.web.errors import ApiError

ROLES = ("agent", "admin")
STATUSES = ("online", "away", "offline")
_hasher = PasswordHasher()


def create_agent(sessions: sessionmaker[Session], email: str, name: str, password: str, role: str = "agent",
                 capacity: int = 3) -> Agent:
    if role not in ROLES:
        raise ValueError(f"role must be one of {ROLES}")
    if len(password) < 8:
        raise ValueError("password must have at least 8 characters")
    agent = Agent(email=email.strip().lower(), name=name.strip(), password_hash=_hasher.hash(password), role=role,
                  capacity=capacity)
    with sessions() as db, db.begin():
        db.add(agent)
    return agent


class AgentAuth:
    def __init__(self, sessions: sessionmaker[Session], session_hours: int) -> None:
        self.sessions = sessions
        self.session_hours = session_hours

    def login(self, email: str, password: str) -> Tuple[str, Agent]:
        with self.sessions() as db:
            agent = db.scalars(select(Agent).where(Agent.email == email.strip().lower(), Agent.active.is_(True))).first()
        try:
            ok = agent is not None and _hasher.verify(agent.password_hash, password)
        except (VerificationError, InvalidHashError):
            ok = False
        if not ok or agent is None:
            raise ApiError(401, "invalid_credentials", "E-Mail oder Passwort ist falsch.")
        token = secrets.token_urlsafe(32)
        now = utcnow()
        with self.sessions() as db, db.begin():
            db.add(AgentSession(token_hash=token_hash(token), agent_id=agent.id, created_at=now,
                                expires_at=now + timedelta(hours=self.session_hours)))
            row = db.get(Agent, agent.id)
            row.status, row.last_seen_at = "online", now
            agent = row
        return token, agent

    def logout(self, token: str) -> None:
        with self.sessions() as db, db.begin():
            db.execute(delete(AgentSession).where(AgentSession.token_hash == token_hash(token)))

    def authenticate(self, token: str | None, role: str | None = None) -> Agent:
        if not token:
            raise ApiError(401, "unauthenticated", "Bitte melden Sie sich an.")
        now = utcnow()
        with self.sessions() as db, db.begin():
            sess = db.get(AgentSession, token_hash(token))
            if sess is None or sess.expires_at < now:
                raise ApiError(401, "unauthenticated", "Sitzung abgelaufen. Bitte melden Sie sich erneut an.")
            agent = db.get(Agent, sess.agent_id)
            if agent is None or not agent.active:
                raise ApiError(401, "unauthenticated", "Dieses Konto ist deaktiviert.")
            if role == "admin" and agent.role != "admin":
                raise ApiError(403, "forbidden", "Dafür brauchen Sie Administratorrechte.")
            if agent.last_seen_at is None or (now - agent.last_seen_at).total_seconds() > 15:
                agent.last_seen_at = now
        return agent

    def set_status(self, agent: Agent, status: str) -> Agent:
        if status not in STATUSES:
            raise ApiError(422, "invalid_field", "Status muss online, away oder offline sein.")
        with self.sessions() as db, db.begin():
            row = db.get(Agent, agent.id)
            row.status, row.last_seen_at = status, utcnow()
            return row
