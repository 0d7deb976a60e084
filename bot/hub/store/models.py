"""Hub tables. Schema changes go through Alembic (bot/hub/store/migrations).

Every state column carries a CHECK constraint built from the enums in
bot.hub.states, so the database refuses a value the code does not know.
"""

from __future__ import annotations

from datetime import datetime, timezone
from enum import Enum
from typing import Any, Dict, List, Type

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from bot.hub.states import (
    AgentRole,
    AgentStatus,
    ConversationState,
    Delivery,
    HandoffState,
    MailState,
    Sender,
    TicketStatus,
    values,
)


def utcnow() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)


def one_of(column: str, enum: Type[Enum], name: str) -> CheckConstraint:
    allowed = ", ".join(f"'{v}'" for v in values(enum))
    return CheckConstraint(f"{column} IN ({allowed})", name=name)


class Base(DeclarativeBase):
    type_annotation_map = {Dict[str, Any]: JSON, List[Any]: JSON}


class Conversation(Base):
    __tablename__ = "conversations"
    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64))
    channel: Mapped[str] = mapped_column(String(20))
    external_id: Mapped[str | None] = mapped_column(
        String(120)
    )  # the customer's id on a messenger platform
    display_name: Mapped[str | None] = mapped_column(String(200))
    state: Mapped[str] = mapped_column(String(10), default=ConversationState.BOT.value)
    meta: Mapped[Dict[str, Any]] = mapped_column("metadata", default=dict)
    register: Mapped[str | None] = mapped_column(String(3))
    assigned_agent_id: Mapped[int | None] = mapped_column(ForeignKey("agents.id"))
    rating: Mapped[int | None]
    resolution: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_message_at: Mapped[datetime | None]
    last_customer_at: Mapped[datetime | None]
    closed_at: Mapped[datetime | None]
    __table_args__ = (
        Index("ix_conversations_channel_external", "channel", "external_id"),
        Index("ix_conversations_state", "state"),
        Index("ix_conversations_created", "created_at"),
        one_of("state", ConversationState, "ck_conversations_state"),
    )


class Message(Base):
    __tablename__ = "messages"
    seq: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    id: Mapped[str] = mapped_column(String(40), unique=True)
    conversation_id: Mapped[str] = mapped_column(ForeignKey("conversations.id"))
    sender: Mapped[str] = mapped_column(String(10))
    text: Mapped[str | None] = mapped_column(Text)
    buttons: Mapped[List[Any]] = mapped_column(default=list)
    custom: Mapped[Dict[str, Any] | None] = mapped_column(JSON)
    payload: Mapped[str | None] = mapped_column(Text)  # button payload a customer sent
    agent_id: Mapped[int | None] = mapped_column(ForeignKey("agents.id"))
    client_message_id: Mapped[str | None] = mapped_column(String(80))
    reply_to: Mapped[str | None] = mapped_column(
        String(40)
    )  # bot/system answers point at the customer message
    delivery: Mapped[str] = mapped_column(String(10), default=Delivery.DONE.value)
    lease_owner: Mapped[str | None] = mapped_column(
        String(40)
    )  # the hub instance forwarding it to Rasa
    lease_until: Mapped[datetime | None]  # after this, another hub may take it over
    client_tag: Mapped[str | None] = mapped_column(
        String(24)
    )  # keyed hash of the client a message for Rasa came from, until Rasa has it (a retry sends it too)
    intent: Mapped[str | None] = mapped_column(
        String(80)
    )  # what the bot acted on (nlu_fallback: not understood)
    mood: Mapped[float | None]
    top_intent: Mapped[str | None] = mapped_column(
        String(80)
    )  # the classifier's best real intent (reports)
    confidence: Mapped[float | None]  # of top_intent
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    __table_args__ = (
        UniqueConstraint("conversation_id", "client_message_id", name="uq_messages_client_id"),
        Index("ix_messages_conversation_seq", "conversation_id", "seq"),
        Index("ix_messages_delivery", "delivery"),
        # + the reports' indexes, which differ per database: migration 0006
        one_of("sender", Sender, "ck_messages_sender"),
        one_of("delivery", Delivery, "ck_messages_delivery"),
    )


class Agent(Base):
    __tablename__ = "agents"
    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(200), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    password_hash: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(10), default=AgentRole.AGENT.value)
    status: Mapped[str] = mapped_column(String(10), default=AgentStatus.OFFLINE.value)
    capacity: Mapped[int] = mapped_column(default=3)
    last_seen_at: Mapped[datetime | None]
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    totp_secret: Mapped[str | None] = mapped_column(
        String(64)
    )  # set at enrolment, used once confirmed
    totp_enabled: Mapped[bool] = mapped_column(default=False)
    totp_last_step: Mapped[int | None]  # the last accepted TOTP time step: a code works once
    # A one-time enrolment code (its hash) another admin or the CLI issued: a set-up session needs it
    totp_enrolment_hash: Mapped[str | None] = mapped_column(String(64))
    totp_enrolment_expires_at: Mapped[datetime | None]
    password_changed_at: Mapped[datetime | None]
    __table_args__ = (
        one_of("role", AgentRole, "ck_agents_role"),
        one_of("status", AgentStatus, "ck_agents_status"),
    )


class AgentSession(Base):
    __tablename__ = "agent_sessions"
    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    agent_id: Mapped[int] = mapped_column(ForeignKey("agents.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    setup_only: Mapped[bool] = mapped_column(
        default=False
    )  # may only enrol two-factor (admins when required)
    two_factor: Mapped[bool] = mapped_column(
        default=False
    )  # opened with a TOTP code (or two-factor confirmed in it): admin routes need it with KD_ADMIN_2FA
    __table_args__ = (
        Index("ix_agent_sessions_agent", "agent_id"),
        Index("ix_agent_sessions_expires", "expires_at"),
    )


class WsTicket(Base):
    """A single-use, short-lived websocket ticket: the only credential that goes into a websocket URL."""

    __tablename__ = "ws_tickets"
    ticket_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    conversation_id: Mapped[str | None] = mapped_column(
        String(40)
    )  # a customer socket (no FK: erasable)
    agent_id: Mapped[int | None]  # an agent socket, bound to the session below
    session_hash: Mapped[str | None] = mapped_column(String(64))
    expires_at: Mapped[datetime]
    __table_args__ = (Index("ix_ws_tickets_expires", "expires_at"),)


class LoginThrottle(Base):
    """Failed agent logins per client address ("ip:...") and per e-mail ("acct:<hash>"), shared by all hubs."""

    __tablename__ = "login_throttle"
    key: Mapped[str] = mapped_column(String(80), primary_key=True)
    failures: Mapped[int] = mapped_column(default=0)
    last_failure_at: Mapped[datetime]
    blocked_until: Mapped[datetime | None]


class AuditEntry(Base):
    """Append-only log of agent actions (no FK: entries outlive what they name)."""

    __tablename__ = "audit_log"
    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    agent_id: Mapped[int | None]
    action: Mapped[str] = mapped_column(String(40))
    target: Mapped[str | None] = mapped_column(String(200))
    detail: Mapped[Dict[str, Any]] = mapped_column(default=dict)
    ip: Mapped[str | None] = mapped_column(String(64))
    __table_args__ = (
        Index("ix_audit_log_agent", "agent_id"),
        Index("ix_audit_log_action", "action"),
    )


class Handoff(Base):
    __tablename__ = "handoffs"
    id: Mapped[int] = mapped_column(primary_key=True)
    conversation_id: Mapped[str] = mapped_column(ForeignKey("conversations.id"))
    reason: Mapped[str] = mapped_column(String(40))
    reason_label: Mapped[str | None] = mapped_column(String(120))
    priority: Mapped[str] = mapped_column(String(10), default="normal")
    summary: Mapped[Dict[str, Any]] = mapped_column(default=dict)
    state: Mapped[str] = mapped_column(String(10), default=HandoffState.QUEUED.value)
    queued_at: Mapped[datetime] = mapped_column(default=utcnow)
    claimed_at: Mapped[datetime | None]
    claimed_by: Mapped[int | None] = mapped_column(ForeignKey("agents.id"))
    finished_at: Mapped[datetime | None]
    outcome: Mapped[str | None] = mapped_column(
        String(10)
    )  # when finished: the conversation's next state
    team: Mapped[str | None] = mapped_column(
        String(40)
    )  # the team's queue (bot/hub/teams.py; None: default)
    __table_args__ = (
        Index("ix_handoffs_state", "state"),
        Index("ix_handoffs_conversation", "conversation_id"),
        Index("ix_handoffs_queued", "queued_at"),
        Index("ix_handoffs_claimed", "claimed_at"),
        Index("ix_handoffs_team_state", "team", "state"),
        one_of("state", HandoffState, "ck_handoffs_state"),
        CheckConstraint(
            f"outcome IN ('{ConversationState.BOT}', '{ConversationState.CLOSED}')",
            name="ck_handoffs_outcome",
        ),
    )


class HandoffTransfer(Base):
    """A claim that ended in a transfer to another team's queue: the handoff row then waits (and is claimed)
    again, so this keeps the earlier claim for the agents' report and the queue's waits (migration 0013)."""

    __tablename__ = "handoff_transfers"
    id: Mapped[int] = mapped_column(primary_key=True)
    handoff_id: Mapped[int] = mapped_column(ForeignKey("handoffs.id", ondelete="CASCADE"))
    agent_id: Mapped[int | None] = mapped_column(
        ForeignKey("agents.id")
    )  # who had claimed it (None: transferred while still waiting)
    team: Mapped[str | None] = mapped_column(String(40))  # the team's queue it was claimed from
    to_team: Mapped[str] = mapped_column(String(40))
    queued_at: Mapped[datetime]  # when this stint in the queue began
    claimed_at: Mapped[datetime | None]
    transferred_at: Mapped[datetime] = mapped_column(default=utcnow)
    __table_args__ = (
        Index("ix_handoff_transfers_handoff", "handoff_id"),
        Index("ix_handoff_transfers_claimed", "claimed_at"),
    )


class Note(Base):
    __tablename__ = "notes"
    id: Mapped[int] = mapped_column(primary_key=True)
    conversation_id: Mapped[str] = mapped_column(ForeignKey("conversations.id"))
    agent_id: Mapped[int | None] = mapped_column(
        ForeignKey("agents.id")
    )  # None: written by the hub (an inbound mail parked for agents, bot/hub/mail/inbound.py)
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (Index("ix_notes_conversation", "conversation_id"),)


class Ticket(Base):
    __tablename__ = "tickets"
    id: Mapped[int] = mapped_column(primary_key=True)
    conversation_id: Mapped[str] = mapped_column(ForeignKey("conversations.id"))
    reason: Mapped[str | None] = mapped_column(String(40))
    contact: Mapped[str | None] = mapped_column(String(200))
    # the address whose owner confirmed it by the mailed link (double opt-in; bot/hub/mail/outbox.py)
    contact_confirmed: Mapped[str | None] = mapped_column(String(200))
    note: Mapped[str | None] = mapped_column(Text)
    summary: Mapped[Dict[str, Any]] = mapped_column(default=dict)
    status: Mapped[str] = mapped_column(String(10), default=TicketStatus.OPEN.value)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    closed_at: Mapped[datetime | None]
    team: Mapped[str | None] = mapped_column(String(40))  # who calls back (None: the default team)
    closed_by: Mapped[int | None] = mapped_column(
        ForeignKey("agents.id", name="fk_tickets_closed_by")
    )  # the agent who marked it done (None: open, or closed before 0.3.0)
    # who works on it (issue 27.7; None: the team); when its status last changed (migration 0015)
    assignee_id: Mapped[int | None] = mapped_column(
        ForeignKey("agents.id", name="fk_tickets_assignee")
    )
    status_changed_at: Mapped[datetime | None]
    __table_args__ = (
        one_of("status", TicketStatus, "ck_tickets_status"),
        Index("ix_tickets_status_created", "status", "created_at"),
        Index("ix_tickets_conversation", "conversation_id"),
    )


class InboundUpdate(Base):
    """Platform update ids already processed: redeliveries are ignored."""

    __tablename__ = "inbound_updates"
    channel: Mapped[str] = mapped_column(String(20), primary_key=True)
    external_id: Mapped[str] = mapped_column(String(200), primary_key=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class NluReview(Base):
    """A customer message the bot did not understand, reviewed in "Nicht verstanden": the right intent
    (a training example, masked when reviewed) or noise. Outlives the message (retention), so the
    learned examples stay; bot/hub/learning."""

    __tablename__ = "nlu_reviews"
    id: Mapped[int] = mapped_column(primary_key=True)
    message_seq: Mapped[int | None] = mapped_column(
        ForeignKey("messages.seq", ondelete="SET NULL"), unique=True
    )
    text: Mapped[str] = mapped_column(
        Text
    )  # the example as exported: order numbers and e-mails masked
    intent: Mapped[str | None] = mapped_column(String(80))  # None: noise
    agent_id: Mapped[int | None] = mapped_column(ForeignKey("agents.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    __table_args__ = (Index("ix_nlu_reviews_intent", "intent"),)


class AgentTeam(Base):
    """An agent's membership in a team of company.yml (none at all: the default team)."""

    __tablename__ = "agent_teams"
    agent_id: Mapped[int] = mapped_column(ForeignKey("agents.id"), primary_key=True)
    team: Mapped[str] = mapped_column(String(40), primary_key=True)


class MailOutbox(Base):
    """Outgoing e-mail, sent in the background with retries (bot/hub/mail/outbox.py).

    `dedupe_key` makes enqueueing idempotent (one confirmation per ticket, one mail per agent
    message); the claim (a conditional UPDATE to `sending` with a lease) lets exactly one hub send it."""

    __tablename__ = "mail_outbox"
    id: Mapped[int] = mapped_column(primary_key=True)
    dedupe_key: Mapped[str] = mapped_column(String(120), unique=True)
    ticket_id: Mapped[int | None] = mapped_column(ForeignKey("tickets.id"))
    conversation_id: Mapped[str | None] = mapped_column(String(40))
    kind: Mapped[str] = mapped_column(String(30))
    to_addr: Mapped[str] = mapped_column(String(200))
    subject: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)
    reply_to: Mapped[str | None] = mapped_column(String(200))
    message_id: Mapped[str] = mapped_column(
        String(200)
    )  # RFC 5322 Message-ID, fixed before the first attempt
    state: Mapped[str] = mapped_column(String(10), default=MailState.PENDING.value)
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    lease_until: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None]
    __table_args__ = (
        Index("ix_mail_outbox_due", "state", "next_attempt_at"),
        one_of("state", MailState, "ck_mail_outbox_state"),
    )


class Macro(Base):
    """A reply in Sie and du with variables, tags and an action, applied in one click (bot/hub/macros).

    Personal when `owner_agent_id` is set, else shared with `team` (None: every team). Canned replies
    of company.yml are imported once as shared macros (`source_key` 'canned:<title>'; migration 0014)."""

    __tablename__ = "macros"
    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(120))
    text: Mapped[str] = mapped_column(Text)  # Sie
    text_du: Mapped[str | None] = mapped_column(Text)  # du (None: the Sie text fits both)
    tags: Mapped[List[Any]] = mapped_column(default=list)
    action: Mapped[str | None] = mapped_column(String(20))  # close, transfer_team, handback
    action_team: Mapped[str | None] = mapped_column(String(40))  # transfer_team's target
    owner_agent_id: Mapped[int | None] = mapped_column(ForeignKey("agents.id"))
    team: Mapped[str | None] = mapped_column(String(40))
    source_key: Mapped[str | None] = mapped_column(String(160), unique=True)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("agents.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    deleted_at: Mapped[
        datetime | None
    ]  # deleted (kept: an imported canned reply is not imported again)
    __table_args__ = (
        Index("ix_macros_owner", "owner_agent_id"),
        Index("ix_macros_team", "team"),
        CheckConstraint(
            "action IS NULL OR action IN ('close', 'transfer_team', 'handback')",
            name="ck_macros_action",
        ),
    )


class Mention(Base):
    """`@Name` in an internal note: the named agent's "Für mich" entry until read (bot/hub/mentions)."""

    __tablename__ = "mentions"
    id: Mapped[int] = mapped_column(primary_key=True)
    note_id: Mapped[int] = mapped_column(ForeignKey("notes.id", ondelete="CASCADE"))
    conversation_id: Mapped[str] = mapped_column(String(40))
    agent_id: Mapped[int] = mapped_column(ForeignKey("agents.id"))  # who is named
    by_agent_id: Mapped[int | None] = mapped_column(ForeignKey("agents.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    read_at: Mapped[datetime | None]
    __table_args__ = (
        UniqueConstraint("note_id", "agent_id", name="uq_mentions_note_agent"),
        Index("ix_mentions_agent_read", "agent_id", "read_at"),
    )


class SlaTarget(Base):
    """A team's SLA targets in business seconds, set by an admin over company.yml's `sla` (bot/hub/sla)."""

    __tablename__ = "sla_targets"
    team: Mapped[str] = mapped_column(String(40), primary_key=True)
    first_response_seconds: Mapped[int | None]
    resolution_seconds: Mapped[int | None]
    warn_percent: Mapped[int] = mapped_column(
        default=20
    )  # warn when this share of the target is left
    updated_by: Mapped[int | None] = mapped_column(ForeignKey("agents.id"))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class Tag(Base):
    """A label agents, supervisors and the bot (by topic) put on conversations and requests; admins
    rename, merge and colour them (bot/hub/tags, issue 27.9)."""

    __tablename__ = "tags"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(40), unique=True)
    color: Mapped[str | None] = mapped_column(String(7))  # "#rrggbb"; None: the console's grey
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class ConversationTag(Base):
    """A tag on a conversation; agent_id None: set by the bot from the handoff's topic."""

    __tablename__ = "conversation_tags"
    conversation_id: Mapped[str] = mapped_column(ForeignKey("conversations.id"), primary_key=True)
    tag_id: Mapped[int] = mapped_column(ForeignKey("tags.id"), primary_key=True)
    agent_id: Mapped[int | None] = mapped_column(ForeignKey("agents.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    __table_args__ = (Index("ix_conversation_tags_tag", "tag_id"),)


class TicketTag(Base):
    """A tag on a request (ticket); agent_id None: set by the bot from the request's topic."""

    __tablename__ = "ticket_tags"
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id"), primary_key=True)
    tag_id: Mapped[int] = mapped_column(ForeignKey("tags.id"), primary_key=True)
    agent_id: Mapped[int | None] = mapped_column(ForeignKey("agents.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    __table_args__ = (Index("ix_ticket_tags_tag", "tag_id"),)


class ConversationMerge(Base):
    """Two conversations of one recognised customer merged by an agent (issue 27.12): nothing is moved
    or deleted, both transcripts stay; `conversation_id` is shown under `into_id` from then on."""

    __tablename__ = "conversation_merges"
    id: Mapped[int] = mapped_column(primary_key=True)
    conversation_id: Mapped[str] = mapped_column(ForeignKey("conversations.id"), unique=True)
    into_id: Mapped[str] = mapped_column(ForeignKey("conversations.id"))
    agent_id: Mapped[int | None] = mapped_column(ForeignKey("agents.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    __table_args__ = (Index("ix_conversation_merges_into", "into_id"),)
