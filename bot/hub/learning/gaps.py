"""Content gaps: questions the help pages could not answer, grouped by topic.

A gap is a customer's question the knowledge base abstained on (nothing confident in the pages), or
whose answer the customer marked "Hat nicht geholfen". Grouped by the topic of the page involved
(the page shown, or for an abstention the nearest page below the threshold) from the pages' front
matter; a question a supervisor already attached a page to (a test case, cases.py) is no gap.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any, Dict, List

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.hub.errors import NotFound
from bot.hub.learning.cases import add_case, attached_messages
from bot.hub.learning.pages import Page, page_list, read_pages
from bot.hub.reports.knowledge import kind_of, knowledge_blocks
from bot.hub.reports.period import Period
from bot.hub.states import Sender
from bot.hub.store.models import Message
from bot.shared import wire
from bot.shared.understanding import masked_display

Json = Dict[str, Any]
LIMIT = 500  # newest knowledge blocks read per request
NO_TOPIC = ""


def iso(moment: datetime | None) -> str | None:
    return moment.isoformat() + "Z" if moment else None


class ContentGaps:
    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        pages_dir: Path,
        cases_file: Path,
        index_dir: Path | None = None,
    ) -> None:
        self.sessions = sessions
        self.pages_dir = pages_dir
        self.cases_file = cases_file
        self.index_dir = index_dir

    def pages(self) -> Dict[str, Page]:
        return read_pages(self.pages_dir, self.index_dir)

    async def gaps(self, period: Period, conversation_ids: bool = True) -> Json:
        pages = self.pages()
        attached = attached_messages(self.cases_file)
        async with self.sessions() as db:
            blocks = await knowledge_blocks(db, period, limit=LIMIT)
            gaps: Dict[str, Json] = {}
            for conversation_id, created, block in blocks:
                asked = block.get("question_id")
                gap = block.get("abstained") or block.get("helpful") is False
                if not gap or not asked or asked in attached or asked in gaps:
                    continue
                gaps[str(asked)] = {
                    "message_id": str(asked),
                    **({"conversation_id": conversation_id} if conversation_ids else {}),
                    "kind": "abstained" if block.get("abstained") else "unhelpful",
                    "page": self._page(block, pages),
                    "score": block.get("score"),
                    "created_at": iso(created),
                }
            texts = dict(
                (
                    await db.execute(
                        select(Message.id, Message.text).where(
                            Message.id.in_(list(gaps)), Message.sender == Sender.CUSTOMER
                        )
                    )
                ).all()
            ) if gaps else {}  # fmt: skip
        groups: Dict[str, List[Json]] = {}
        for asked, item in gaps.items():
            if asked not in texts:  # erased (GDPR) or not a typed question
                continue
            item["text"] = masked_display(texts[asked] or "")
            page = pages.get((item["page"] or {}).get("page_id") or "")
            groups.setdefault(page.topic if page else NO_TOPIC, []).append(item)
        ordered = sorted(groups.items(), key=lambda kv: (-len(kv[1]), kv[0] == NO_TOPIC, kv[0]))
        return {
            "period": period.json(),
            "count": sum(len(items) for items in groups.values()),
            "truncated": len(blocks) == LIMIT,
            "groups": [{"topic": t, "size": len(items), "items": items} for t, items in ordered],
            "pages": page_list(pages),
        }

    @staticmethod
    def _page(block: Json, pages: Dict[str, Page]) -> Json | None:
        page_id = block.get("page_id")
        if not page_id:
            return None
        known = pages.get(str(page_id))
        return {
            "page_id": str(page_id),
            "title": known.title if known else block.get("title") or str(page_id),
            "url": known.url if known else block.get("url") or "",
        }

    async def attach(self, message_id: str, page_id: str) -> Json:
        """Attach the page that answers a customer's question: the question becomes a test case."""
        page = self.pages().get(page_id)
        if page is None:
            raise NotFound("page_not_found", "Diese Hilfeseite gibt es nicht (mehr).")
        async with self.sessions() as db:
            row = (
                await db.execute(
                    select(Message.text, Message.conversation_id).where(
                        Message.id == message_id, Message.sender == Sender.CUSTOMER
                    )
                )
            ).first()
            if row is None or not row[0]:
                raise NotFound("message_not_found", "Diese Kundennachricht gibt es nicht (mehr).")
            text, conversation_id = row
            kind = await self._kind(db, conversation_id, message_id)
        case = await add_case(
            self.cases_file, message_id, masked_display(text or ""), page.page_id, kind
        )
        return {"case": case, "page": page.json()}

    @staticmethod
    async def _kind(db: AsyncSession, conversation_id: str, message_id: str) -> str:
        """What made the question a gap, from the bot's blocks about it (unhelpful wins)."""
        customs = (
            await db.execute(
                select(Message.custom).where(
                    Message.conversation_id == conversation_id, Message.sender == Sender.BOT
                )
            )
        ).scalars()
        kinds = {
            kind_of(c[wire.KNOWLEDGE])
            for c in customs
            if isinstance(c, dict)
            and isinstance(c.get(wire.KNOWLEDGE), dict)
            and c[wire.KNOWLEDGE].get("question_id") == message_id
        }
        return (
            "unhelpful"
            if "unhelpful" in kinds
            else "abstained"
            if "abstentions" in kinds
            else "other"
        )
