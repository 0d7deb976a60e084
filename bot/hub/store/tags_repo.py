"""Tags on conversations and requests (issue 27.9): set by agents and by the bot (agent_id NULL),
renamed, coloured and merged by admins. Names are compared case-insensitively after trimming, so
"Retoure" and " retoure" are one tag; ids are the stable key (a rename keeps the id)."""

from __future__ import annotations

from typing import Any, Dict, Iterable, List, Sequence, Tuple, Type

from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from bot.hub.errors import Conflict, NotFound
from bot.hub.store.base_repo import RepoBase
from bot.hub.store.models import ConversationTag, Tag, TicketTag

TagJson = Dict[str, Any]
Link = Type[ConversationTag] | Type[TicketTag]


def tag_json(tag: Tag) -> TagJson:
    return {"id": tag.id, "name": tag.name, "color": tag.color}


def clean_name(name: str) -> str:
    return " ".join(name.split())


async def _by_name(db: AsyncSession, name: str) -> Tag | None:
    """Case-insensitively, in Python: SQLite's lower() folds ASCII only (and a shop has some hundred
    tags at most)."""
    wanted = clean_name(name).casefold()
    exact = (await db.scalars(select(Tag).where(Tag.name == clean_name(name)))).first()
    if exact is not None:
        return exact
    return next(
        (t for t in (await db.scalars(select(Tag))).all() if t.name.casefold() == wanted), None
    )


async def _ensure(db: AsyncSession, name: str) -> Tag:
    tag = await _by_name(db, name)
    if tag is None:
        tag = Tag(name=clean_name(name))
        db.add(tag)
        await db.flush()
    return tag


def _owner(link: Link) -> Any:
    return ConversationTag.conversation_id if link is ConversationTag else TicketTag.ticket_id


class TagsRepo(RepoBase):
    async def tags(self) -> Sequence[Tuple[Tag, int, int]]:
        """Every tag by name, with how many conversations and requests carry it."""
        conversations = (
            select(ConversationTag.tag_id, func.count().label("n"))
            .group_by(ConversationTag.tag_id)
            .subquery()
        )
        tickets = (
            select(TicketTag.tag_id, func.count().label("n")).group_by(TicketTag.tag_id).subquery()
        )
        async with self.sessions() as db:
            rows = await db.execute(
                select(Tag, func.coalesce(conversations.c.n, 0), func.coalesce(tickets.c.n, 0))
                .outerjoin(conversations, conversations.c.tag_id == Tag.id)
                .outerjoin(tickets, tickets.c.tag_id == Tag.id)
                .order_by(func.lower(Tag.name))
            )
            return [(t, int(c), int(k)) for t, c, k in rows.all()]

    async def tag(self, tag_id: int) -> Tag:
        async with self.sessions() as db:
            tag = await db.get(Tag, tag_id)
        if tag is None:
            raise NotFound("tag_not_found", "Dieses Schlagwort gibt es nicht.")
        return tag

    async def add_tag(self, link: Link, owner: Any, name: str, agent_id: int | None) -> Tag:
        """Tags a conversation (link ConversationTag, owner its id) or request (TicketTag); a new name
        becomes a new tag. Tagging twice is no error, nor two agents creating one name at once."""
        try:
            return await self._add_tag(link, owner, name, agent_id)
        except IntegrityError:  # the same new name (or the same tagging) committed meanwhile
            return await self._add_tag(link, owner, name, agent_id)

    async def _add_tag(self, link: Link, owner: Any, name: str, agent_id: int | None) -> Tag:
        async with self.sessions.begin() as db:
            tag = await _ensure(db, name)
            exists = await db.scalar(
                select(func.count()).where(_owner(link) == owner, link.tag_id == tag.id)
            )
            if not exists:
                fields = {"conversation_id" if link is ConversationTag else "ticket_id": owner}
                db.add(link(tag_id=tag.id, agent_id=agent_id, **fields))
        return tag

    async def remove_tag(self, link: Link, owner: Any, tag_id: int) -> bool:
        async with self.sessions.begin() as db:
            result = await db.execute(
                delete(link).where(_owner(link) == owner, link.tag_id == tag_id)
            )
        return bool(getattr(result, "rowcount", 0))

    async def tag_map(self, link: Link, owners: Iterable[Any]) -> Dict[Any, List[TagJson]]:
        """owner id -> its tags (by name), for a page of conversations or requests."""
        wanted = list(dict.fromkeys(owners))
        out: Dict[Any, List[TagJson]] = {o: [] for o in wanted}
        if not wanted:
            return out
        async with self.sessions() as db:
            for start in range(0, len(wanted), 500):
                rows = await db.execute(
                    select(_owner(link), Tag)
                    .join(Tag, Tag.id == link.tag_id)
                    .where(_owner(link).in_(wanted[start : start + 500]))
                    .order_by(func.lower(Tag.name))
                )
                for owner, tag in rows.all():
                    out[owner].append(tag_json(tag))
        return out

    async def update_tag(self, tag_id: int, name: str | None, color: str | None) -> Tag:
        """Rename and/or colour (None leaves it); another tag's name is 409 (merge them instead)."""
        try:
            return await self._update_tag(tag_id, name, color)
        except IntegrityError:  # renamed to a name created meanwhile
            raise Conflict("tag_exists", "Dieses Schlagwort gibt es schon.") from None

    async def _update_tag(self, tag_id: int, name: str | None, color: str | None) -> Tag:
        async with self.sessions.begin() as db:
            tag = await db.get(Tag, tag_id)
            if tag is None:
                raise NotFound("tag_not_found", "Dieses Schlagwort gibt es nicht.")
            if name is not None:
                other = await _by_name(db, name)
                if other is not None and other.id != tag.id:
                    raise Conflict(
                        "tag_exists",
                        f"Das Schlagwort „{other.name}“ gibt es schon – führen Sie die beiden zusammen.",
                    )
                tag.name = clean_name(name)
            if color is not None:
                tag.color = color
        return tag

    async def merge_tags(self, source_id: int, into_id: int) -> Tag:
        """Everything tagged `source` is tagged `into` (once), and `source` is gone."""
        if source_id == into_id:
            raise Conflict(
                "same_tag", "Ein Schlagwort kann nicht mit sich selbst zusammengeführt werden."
            )
        async with self.sessions.begin() as db:
            source, into = await db.get(Tag, source_id), await db.get(Tag, into_id)
            if source is None or into is None:
                raise NotFound("tag_not_found", "Dieses Schlagwort gibt es nicht.")
            for link in (ConversationTag, TicketTag):
                owner = _owner(link)
                have = select(owner).where(link.tag_id == into_id)
                rows = (
                    await db.execute(
                        select(owner, link.agent_id, link.created_at).where(
                            link.tag_id == source_id, owner.not_in(have)
                        )
                    )
                ).all()
                key = "conversation_id" if link is ConversationTag else "ticket_id"
                for o, agent_id, created_at in rows:
                    db.add(
                        link(tag_id=into_id, agent_id=agent_id, created_at=created_at, **{key: o})
                    )
                await db.flush()
                await db.execute(delete(link).where(link.tag_id == source_id))
            await db.delete(source)
        return into

    async def tagged_ids(self, link: Link, tag_id: int) -> List[Any]:
        async with self.sessions() as db:
            return list((await db.scalars(select(_owner(link)).where(link.tag_id == tag_id))).all())
