"""The bot's own records next to any shop, in the local database KD_SHOP_DATABASE_URL.

Two things the bot must know whatever the shop platform is:
- `VerifyFailure`: failed order verifications, for the persistent lock-out (actions/verification.py);
  it survives restarts and counts per order number, conversation and network;
- `CreatedRecord`: which records the bot created in the shop in which conversation (a return,
  a ticket, an order note; `backend` says in which shop, `reference` is the shop's id for it).
  Data protection (bot/hub/privacy/shop.py) finds a conversation's shop records only here, never
  in texts: a customer can type anyone's reference, and the bot echoes what customers write.

Nothing from the shop is stored here: no order contents, no e-mail, no address.
"""

from __future__ import annotations

from datetime import datetime
from functools import lru_cache
from typing import Any, Iterable, List, Tuple

from sqlalchemy import (
    Column,
    DateTime,
    Index,
    Integer,
    String,
    create_engine,
    delete,
    inspect,
    select,
    text,
)
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, declarative_base

from bot.shared.config import SETTINGS

Base: Any = (
    declarative_base()
)  # Any: SQLAlchemy 1.4 has no typed declarative base; the demo shop's tables share it
Subject = Tuple[
    str, str
]  # what a failed verification counts against: (scope, key), e.g. ("order", "100234")


class CreatedRecord(Base):
    """A record the bot created in the shop in a conversation (see the module docstring)."""

    __tablename__ = "shop_conversation_records"
    id = Column(Integer, primary_key=True)
    conversation_id = Column(String(255), nullable=False, index=True)  # Rasa's sender id
    kind = Column(
        String(10), nullable=False
    )  # "return", "ticket" (demo: shop_returns/shop_tickets), "note"
    reference = Column(String(40), nullable=False)
    backend = Column(String(20))  # bot/shop/registry.py name; NULL: rows from before 0.4 (demo)
    created_at = Column(DateTime, nullable=False, default=datetime.utcnow)


class VerifyFailure(Base):
    """One failed order verification (order number + e-mail), once per subject it counts against.

    scope is "order" (key: the normalised order number, whether or not it exists), "sender" or
    "client" (key: a hash of the conversation's sender id / the hub's client id). Rows older than
    the lockout horizon are pruned whenever a failure is recorded.
    """

    __tablename__ = "shop_verify_failures"
    __table_args__ = (Index("ix_shop_verify_failures_subject", "scope", "key", "at"),)
    id = Column(Integer, primary_key=True)
    scope = Column(String(10), nullable=False)
    key = Column(String(64), nullable=False)
    at = Column(DateTime, nullable=False, index=True)


def _upgrade(eng: Engine) -> None:
    """Databases from before 0.4 lack `shop_conversation_records.backend`: add it."""
    columns = {c["name"] for c in inspect(eng).get_columns(CreatedRecord.__tablename__)}
    if "backend" not in columns:
        with eng.begin() as conn:
            conn.execute(
                text(f"ALTER TABLE {CreatedRecord.__tablename__} ADD COLUMN backend VARCHAR(20)")
            )


@lru_cache(maxsize=4)
def engine(url: str | None = None) -> Engine:
    eng = create_engine(url or SETTINGS["KD_SHOP_DATABASE_URL"].read(), future=True)
    Base.metadata.create_all(eng)
    _upgrade(eng)
    return eng


def session(url: str | None = None) -> Session:
    return Session(engine(url), future=True, expire_on_commit=False)


def record_created(conversation: str, kind: str, reference: str, backend: str) -> None:
    with session() as db, db.begin():
        db.add(
            CreatedRecord(
                conversation_id=conversation, kind=kind, reference=reference, backend=backend
            )
        )


def forget_created(conversation: str, reference: str) -> None:
    """A record the customer withdrew no longer exists in the shop: nothing left to find or erase."""
    with session() as db, db.begin():
        db.execute(
            delete(CreatedRecord).where(
                CreatedRecord.conversation_id == conversation,
                CreatedRecord.reference == reference,
            )
        )


def created_records(conversation: str) -> List[CreatedRecord]:
    """What the bot created in the shop in this conversation, oldest first."""
    with session() as db:
        return list(
            db.scalars(
                select(CreatedRecord)
                .where(CreatedRecord.conversation_id == conversation)
                .order_by(CreatedRecord.id)
            )
        )


def record_verify_failure(
    subjects: Iterable[Subject], at: datetime, prune_before: datetime
) -> None:
    """Count one failed verification against each subject; forget failures older than `prune_before`."""
    with session() as db, db.begin():
        db.execute(delete(VerifyFailure).where(VerifyFailure.at < prune_before))
        db.add_all([VerifyFailure(scope=scope, key=key, at=at) for scope, key in subjects])


def verify_failure_times(subject: Subject, since: datetime) -> List[datetime]:
    """When verifications of this subject failed since `since`, oldest first."""
    scope, key = subject
    with session() as db:
        return list(
            db.scalars(
                select(VerifyFailure.at)
                .where(
                    VerifyFailure.scope == scope,
                    VerifyFailure.key == key,
                    VerifyFailure.at >= since,
                )
                .order_by(VerifyFailure.at)
            )
        )


def clear_verify_failures(subject: Subject | None = None) -> None:
    """Forget the failures of one subject (all of them without one)."""
    query = delete(VerifyFailure)
    if subject is not None:
        query = query.where(VerifyFailure.scope == subject[0], VerifyFailure.key == subject[1])
    with session() as db, db.begin():
        db.execute(query)
