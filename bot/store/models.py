"""Hub tables. Schema changes go through Alembic (bot/store/migrations)."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import declarative_base

Base: Any = declarative_base()  # Any: SQLAlchemy 1.4 has no typed declarative base


def utcnow() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)


class Conversation(Base):
    __tablename__ = "conversations"
    id = Column(String(40), primary_key=True)
    token_hash = Column(String(64), nullable=False)
    channel = Column(String(20), nullable=False)
    external_id = Column(String(120))  # the customer's id on a messenger platform
    display_name = Column(String(200))
    state = Column(String(10), nullable=False, default="bot")  # bot | queued | agent | closed
    meta = Column("metadata", JSON, nullable=False, default=dict)
    register = Column(String(3))
    assigned_agent_id = Column(ForeignKey("agents.id"))
    rating = Column(Integer)
    resolution = Column(Text)
    created_at = Column(DateTime, nullable=False, default=utcnow)
    updated_at = Column(DateTime, nullable=False, default=utcnow)
    last_message_at = Column(DateTime)
    last_customer_at = Column(DateTime)
    closed_at = Column(DateTime)
    __table_args__ = (Index("ix_conversations_channel_external", "channel", "external_id"),
                      Index("ix_conversations_state", "state"))


class Message(Base):
    __tablename__ = "messages"
    seq = Column(Integer, primary_key=True, autoincrement=True)
    id = Column(String(40), nullable=False, unique=True)
    conversation_id = Column(ForeignKey("conversations.id"), nullable=False)
    sender = Column(String(10), nullable=False)  # customer | bot | agent | system
    text = Column(Text)
    buttons = Column(JSON, nullable=False, default=list)
    custom = Column(JSON)
    payload = Column(Text)  # button payload a customer sent
    agent_id = Column(ForeignKey("agents.id"))
    client_message_id = Column(String(80))
    reply_to = Column(String(40))  # bot/system answers point at the customer message
    delivery = Column(String(10), nullable=False, default="done")  # pending | done | failed (customer -> Rasa)
    intent = Column(String(80))
    mood = Column(Float)
    created_at = Column(DateTime, nullable=False, default=utcnow)
    __table_args__ = (UniqueConstraint("conversation_id", "client_message_id", name="uq_messages_client_id"),
                      Index("ix_messages_conversation_seq", "conversation_id", "seq"),
                      Index("ix_messages_delivery", "delivery"))


class Agent(Base):
    __tablename__ = "agents"
    id = Column(Integer, primary_key=True)
    email = Column(String(200), nullable=False, unique=True)
    name = Column(String(120), nullable=False)
    password_hash = Column(String(200), nullable=False)
    role = Column(String(10), nullable=False, default="agent")  # agent | admin
    status = Column(String(10), nullable=False, default="offline")  # online | away | offline
    capacity = Column(Integer, nullable=False, default=3)
    last_seen_at = Column(DateTime)
    active = Column(Boolean, nullable=False, default=True)
    created_at = Column(DateTime, nullable=False, default=utcnow)


class AgentSession(Base):
    __tablename__ = "agent_sessions"
    token_hash = Column(String(64), primary_key=True)
    agent_id = Column(ForeignKey("agents.id"), nullable=False)
    created_at = Column(DateTime, nullable=False, default=utcnow)
    expires_at = Column(DateTime, nullable=False)


class Handoff(Base):
    __tablename__ = "handoffs"
    id = Column(Integer, primary_key=True)
    conversation_id = Column(ForeignKey("conversations.id"), nullable=False)
    reason = Column(String(40), nullable=False)
    reason_label = Column(String(120))
    priority = Column(String(10), nullable=False, default="normal")
    summary = Column(JSON, nullable=False, default=dict)
    state = Column(String(10), nullable=False, default="queued")  # queued | claimed | done | ticket | left
    queued_at = Column(DateTime, nullable=False, default=utcnow)
    claimed_at = Column(DateTime)
    claimed_by = Column(ForeignKey("agents.id"))
    finished_at = Column(DateTime)
    __table_args__ = (Index("ix_handoffs_state", "state"),)


class Note(Base):
    __tablename__ = "notes"
    id = Column(Integer, primary_key=True)
    conversation_id = Column(ForeignKey("conversations.id"), nullable=False)
    agent_id = Column(ForeignKey("agents.id"), nullable=False)
    text = Column(Text, nullable=False)
    created_at = Column(DateTime, nullable=False, default=utcnow)


class Ticket(Base):
    __tablename__ = "tickets"
    id = Column(Integer, primary_key=True)
    conversation_id = Column(ForeignKey("conversations.id"), nullable=False)
    reason = Column(String(40))
    contact = Column(String(200))
    note = Column(Text)
    summary = Column(JSON, nullable=False, default=dict)
    status = Column(String(10), nullable=False, default="open")  # open | done
    created_at = Column(DateTime, nullable=False, default=utcnow)
    closed_at = Column(DateTime)


class InboundUpdate(Base):
    """Platform update ids already processed: redeliveries are ignored."""

    __tablename__ = "inbound_updates"
    channel = Column(String(20), primary_key=True)
    external_id = Column(String(200), primary_key=True)
    created_at = Column(DateTime, nullable=False, default=utcnow)
