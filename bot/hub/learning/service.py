"""The learning loop's service: what the bot did not understand, the reviews, and the export.

A candidate is a typed customer message of the period that got the fallback (intent nlu_fallback),
or was understood with a confidence below 0.6, and is not reviewed yet; it is flagged when its
conversation went to a human because the bot did not understand twice. Any agent may review
(assign an intent from the domain, or mark noise); admins write the file.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any, Dict, List, Sequence

from sqlalchemy import delete, exists, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.hub.errors import InvalidInput, NotFound
from bot.hub.learning.grouping import group
from bot.hub.learning.nlu_file import (
    domain_choices,
    existing_examples,
    render,
    select_examples,
    write_atomically,
)
from bot.hub.reports.period import Period
from bot.hub.reports.sql import hour_of, hours_within, typed_by_customer
from bot.hub.states import Sender
from bot.hub.store.models import Agent, Handoff, Message, NluReview
from bot.shared.understanding import FALLBACK_INTENT, LOW_CONFIDENCE, masked_display, masked_example

Json = Dict[str, Any]
LIMIT = 500  # newest candidates grouped per page
FALLBACK_REASON = "repeated_fallback"


def iso(moment: datetime | None) -> str | None:
    return moment.isoformat() + "Z" if moment else None


def example_text(text: str) -> str:
    """A reviewed message as a training example: brackets of the customer's own neutralised (Rasa reads
    [..](..) as an entity), then order numbers and e-mails masked as annotated sample values."""
    return masked_example(" ".join(text.replace("[", "(").replace("]", ")").split()))


class Learning:
    def __init__(
        self, sessions: async_sessionmaker[AsyncSession], domain: Path, learned_file: Path
    ) -> None:
        self.sessions = sessions
        self.domain = domain
        self.learned_file = learned_file

    def choices(self) -> List[str]:
        return domain_choices(self.domain)

    async def candidates(
        self, period: Period, limit: int = LIMIT, conversation_ids: bool = True
    ) -> Json:
        """The candidates grouped; without `conversation_ids` (plain agents) the messages do not say
        which conversation they come from: a review needs only the message ids."""
        async with self.sessions() as db:
            escalated = exists().where(
                Handoff.conversation_id == Message.conversation_id,
                Handoff.reason == FALLBACK_REASON,
            )
            reviewed = exists().where(NluReview.message_seq == Message.seq)
            query = (
                select(
                    Message.id,
                    Message.conversation_id,
                    Message.text,
                    Message.intent,
                    Message.top_intent,
                    Message.confidence,
                    Message.created_at,
                    escalated,
                )
                .where(
                    typed_by_customer(),
                    hours_within(db, Message.created_at, period),
                    or_(Message.intent == FALLBACK_INTENT, Message.confidence < LOW_CONFIDENCE),
                    ~reviewed,
                )
                # newest first; the hour first, so SQLite reads its hour index backwards and stops early
                .order_by(
                    hour_of(Message.created_at).desc(),
                    Message.created_at.desc(),
                    Message.seq.desc(),
                )
                .limit(limit)
            )
            rows = (await db.execute(query)).all()
        items = [
            {
                "message_id": mid,
                **({"conversation_id": cid} if conversation_ids else {}),
                "text": masked_display(text or ""),
                "reason": "fallback" if intent == FALLBACK_INTENT else "low_confidence",
                "intent": intent,
                "guess": top,
                "confidence": confidence,
                "created_at": iso(created),
                "escalated": bool(esc),
            }
            for mid, cid, text, intent, top, confidence, created, esc in rows
        ]
        groups = []
        for members in group(items, lambda item: str(item["text"])):
            guesses = [m["guess"] for m in members if m["guess"]]
            suggestion = max(set(guesses), key=lambda g: (guesses.count(g), g)) if guesses else None
            groups.append(
                {
                    "size": len(members),
                    "suggestion": suggestion,
                    "escalated": any(m["escalated"] for m in members),
                    "messages": members,
                }
            )
        return {
            "period": period.json(),
            "limit": limit,
            "truncated": len(items) == limit,
            "count": len(items),
            "groups": groups,
            "intents": self.choices(),
        }

    async def review(
        self,
        message_ids: Sequence[str],
        intent: str | None,
        agent_id: int | None,
        texts: Dict[str, str] | None = None,
    ) -> Json:
        """Assign `intent` (None: noise) to customer messages, in one transaction; `texts` may give
        a message's example as it should be learned (the reviewer's edit)."""
        if intent is not None and intent not in self.choices():
            raise InvalidInput("invalid_field", "Diesen Intent gibt es in der Domain nicht.")
        texts = texts or {}
        async with self.sessions.begin() as db:
            rows = (
                await db.execute(
                    select(Message.seq, Message.id, Message.text).where(
                        Message.id.in_(list(message_ids)), Message.sender == Sender.CUSTOMER
                    )
                )
            ).all()
            if len(rows) != len(set(message_ids)):
                raise NotFound("message_not_found", "Diese Kundennachricht gibt es nicht (mehr).")
            await db.execute(
                delete(NluReview).where(NluReview.message_seq.in_([seq for seq, _, _ in rows]))
            )
            for seq, message_id, original in rows:
                db.add(
                    NluReview(
                        message_seq=seq,
                        text=example_text(texts.get(message_id, original or "")),
                        intent=intent,
                        agent_id=agent_id,
                    )
                )
        return {"reviewed": len(rows), "intent": intent}

    async def reviews(self, limit: int = 200) -> Json:
        async with self.sessions() as db:
            rows = (
                await db.execute(
                    select(NluReview, Agent.name)
                    .outerjoin(Agent, Agent.id == NluReview.agent_id)
                    .order_by(NluReview.id.desc())
                    .limit(limit)
                )
            ).all()
            counts = dict(
                (
                    await db.execute(
                        select(NluReview.intent, func.count()).group_by(NluReview.intent)
                    )
                ).all()
            )
        return {
            "reviews": [
                {
                    "id": r.id,
                    "text": r.text,
                    "intent": r.intent,
                    "noise": r.intent is None,
                    "agent_name": name,
                    "created_at": iso(r.created_at),
                }
                for r, name in rows
            ],
            "examples": sum(n for i, n in counts.items() if i is not None),
            "noise": counts.get(None, 0),
        }

    async def forget(self, review_id: int) -> None:
        async with self.sessions.begin() as db:
            gone = await db.execute(delete(NluReview).where(NluReview.id == review_id))
            if not getattr(gone, "rowcount", 0):
                raise NotFound("review_not_found", "Diese Zuordnung gibt es nicht.")

    async def export(self) -> Json:
        """Writes the learned examples file; returns what went in."""
        async with self.sessions() as db:
            rows = (
                await db.execute(
                    select(NluReview.intent, NluReview.text)
                    .where(NluReview.intent.is_not(None))
                    .order_by(NluReview.id.desc())
                )
            ).all()
        allowed = set(self.choices())
        pairs = [(str(intent), text) for intent, text in rows if intent in allowed]
        examples, skipped = select_examples(
            pairs, existing_examples(self.learned_file.parent, self.learned_file)
        )
        write_atomically(self.learned_file, render(examples))
        return {
            "path": str(self.learned_file),
            "examples": sum(len(v) for v in examples.values()),
            "intents": {intent: len(texts) for intent, texts in examples.items()},
            "skipped": skipped,
        }
