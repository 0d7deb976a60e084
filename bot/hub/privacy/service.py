"""Export and erasure of a customer's data across every store, and the customer ending a chat.

One code path erases a conversation, whether an admin asks (API or
`python -m bot gdpr erase`) or its retention ran out
(bot.hub.housekeeping):

1. the hub closes the conversation, withdraws its token and stops forwarding its
   waiting messages, so nothing new is written for it;
2. the shop records the bot created in it (as the actions recorded them, never references
   found in texts) are anonymised (privacy/shop.py);
3. Rasa's tracker events of the conversation are deleted;
4. the hub rows (conversation with rating, messages, handoffs, tickets and
   callbacks, notes, its platform update ids, websocket tickets) are deleted in
   one transaction; then the tracker and the shop are swept once more for a
   turn that was still in flight;
5. the conversation's attachments (files and thumbnails) are deleted from their storage.

The hub rows go last: if a step fails, the conversation is still there and the
next attempt (or housekeeping run) repeats the whole path.
"""

from __future__ import annotations

import asyncio
import hashlib
from contextlib import AbstractAsyncContextManager
from dataclasses import asdict, dataclass
from datetime import datetime, timezone
from typing import Any, Dict, List, Mapping

from sqlalchemy import inspect

from bot.hub.attachments.storage import Storage, make_storage
from bot.hub.conversations import ConversationService
from bot.hub.errors import InvalidInput, NotFound
from bot.hub.handoff.queue import HandoffQueue
from bot.hub.privacy.shop import ShopRecords
from bot.hub.privacy.tracker import CHUNK, TrackerStore
from bot.hub.settings import Settings
from bot.hub.states import ConversationState
from bot.hub.store.models import Conversation, utcnow
from bot.hub.store.parts import PrivacyStore
from bot.hub.store.serialize import iso

Json = Dict[str, Any]
FORMAT = "kundendialog-export/1"
ENDED_BY_CUSTOMER = "Vom Kunden beendet"
WITH_AGENTS = (ConversationState.QUEUED, ConversationState.AGENT)
INTERNAL = {
    "token_hash",
    "lease_owner",
    "lease_until",
}  # credentials and delivery bookkeeping, not customer data


LIMITS = {"conversation_id": 200, "external_id": 200, "channel": 20, "email": 200}


def _text(key: str, description: str, **extra: Any) -> Json:
    return {
        "type": "string",
        "minLength": 1,
        "maxLength": LIMITS[key],
        "description": description,
        **extra,
    }


def _one(description: str, **props: Json) -> Json:
    return {
        "type": "object",
        "description": description,
        "properties": props,
        "required": [next(iter(props))],
        "additionalProperties": False,
    }


# The admin API's request body: exactly one way of selecting whose data.
SCHEMA: Json = {
    "oneOf": [
        _one("one conversation", conversation_id=_text("conversation_id", "a conversation id")),
        _one(
            "a messenger user: all their conversations (of one channel if given)",
            external_id=_text("external_id", "the user's id on the platform"),
            channel=_text("channel", "e.g. telegram"),
        ),
        _one(
            "conversations where this e-mail was verified against an order or left as callback contact",
            email=_text("email", "an e-mail address", pattern="@"),
        ),
    ]
}


def _digest(value: str) -> str:
    return hashlib.sha256(value.strip().lower().encode()).hexdigest()[:16]


@dataclass(frozen=True)
class Selector:
    """Whose data: one conversation, a messenger user (optionally of one channel), or an e-mail address."""

    conversation_id: str | None = None
    external_id: str | None = None
    channel: str | None = None
    email: str | None = None

    @classmethod
    def parse(cls, fields: Mapping[str, Any]) -> Selector:
        """Exactly one of conversation_id, external_id (optionally with channel) or email; nothing else
        (the schema of the admin API says the same: SCHEMA)."""
        unknown = sorted(set(fields) - set(LIMITS))
        if unknown:
            raise InvalidInput("invalid_field", f"Unbekanntes Feld '{unknown[0]}'.")
        given = [k for k in ("conversation_id", "external_id", "email") if k in fields]
        if len(given) != 1:
            raise InvalidInput(
                "invalid_selector",
                "Bitte genau eines angeben: conversation_id, external_id oder email.",
            )
        if "channel" in fields and given != ["external_id"]:
            raise InvalidInput("invalid_field", "'channel' gibt es nur zusammen mit 'external_id'.")
        values: Dict[str, str] = {}
        for key in (*given, *(["channel"] if "channel" in fields else [])):
            value = fields[key]
            if not isinstance(value, str) or not 1 <= len(value) <= LIMITS[key]:
                raise InvalidInput(
                    "invalid_field", f"'{key}' muss ein Text mit 1–{LIMITS[key]} Zeichen sein."
                )
            values[key] = value
        if "email" in values:
            if "@" not in values["email"]:
                raise InvalidInput("invalid_field", "'email' muss eine E-Mail-Adresse sein.")
            values["email"] = values["email"].strip().lower()
        return cls(**values)

    def public(self) -> Json:
        return {k: v for k, v in asdict(self).items() if v is not None}

    def audit_target(self) -> str:
        """What the audit log names: conversation ids as they are, e-mails and platform ids only as hashes
        (the log must not keep what was erased)."""
        if self.conversation_id:
            return f"conversation:{self.conversation_id}"
        if self.external_id:
            return f"external:{self.channel or '*'}:{_digest(self.external_id)}"
        return f"email:{_digest(self.email or '')}"


def row_json(row: Any) -> Json:
    """A stored row as JSON: every column except credentials and delivery bookkeeping."""
    out: Json = {}
    for attr in inspect(row).mapper.column_attrs:
        if attr.key in INTERNAL:
            continue
        value = getattr(row, attr.key)
        out["metadata" if attr.key == "meta" else attr.key] = (
            iso(value) if isinstance(value, datetime) else value
        )
    return out


def add_counts(total: Dict[str, Any], part: Mapping[str, Any]) -> Dict[str, Any]:
    for key, value in part.items():
        if isinstance(value, Mapping):
            add_counts(total.setdefault(key, {}), value)
        else:
            total[key] = total.get(key, 0) + value
    return total


class Privacy:
    def __init__(
        self,
        repo: PrivacyStore,
        tracker: TrackerStore,
        shop: ShopRecords,
        conversations: ConversationService | None = None,
        queue: HandoffQueue | None = None,
        files: Storage | None = None,
    ) -> None:
        self.repo = repo
        self.files = files  # attachments (bot/hub/attachments/storage.py)
        self.tracker = tracker
        self.shop = shop
        self.conversations = conversations  # in the hub: per-conversation locks and notices
        self.queue = queue  # in the hub: the console learns about closed conversations

    @classmethod
    def from_settings(
        cls,
        settings: Settings,
        repo: PrivacyStore,
        conversations: ConversationService | None = None,
        queue: HandoffQueue | None = None,
    ) -> Privacy:
        return cls(
            repo,
            TrackerStore(settings),
            ShopRecords(settings.shop_database_url),
            conversations,
            queue,
            make_storage(settings),
        )

    def _lock(self, conv_id: str) -> AbstractAsyncContextManager[Any]:
        """Serialises with a customer turn of this hub; other hubs stop at the withdrawn token."""
        return self.conversations.lock(conv_id) if self.conversations else asyncio.Lock()

    # -- whose data ------------------------------------------------------------
    async def conversation_ids(self, selector: Selector) -> List[str]:
        if selector.conversation_id:
            conv_id = selector.conversation_id
            if await self.repo.conversation(conv_id) is None and not await self.tracker.has(
                conv_id
            ):
                raise NotFound("conversation_not_found", "Dieses Gespräch gibt es nicht.")
            return [conv_id]
        if selector.external_id:
            return await self.repo.conversation_ids_by_external(
                selector.external_id, selector.channel
            )
        email = selector.email or ""
        found = set(await self.repo.conversation_ids_with_contact(email))
        found.update(await self.repo.conversation_ids_with_meta(email))
        found.update(await self.tracker.senders_with_verified_email(email))
        return sorted(found)

    # -- export ------------------------------------------------------------------
    async def export(self, selector: Selector) -> Json:
        """One JSON document with everything every store holds about the selected conversations."""
        return {
            "format": FORMAT,
            "generated_at": iso(utcnow()),
            "selector": selector.public(),
            "conversations": [
                await self.export_conversation(c) for c in await self.conversation_ids(selector)
            ],
        }

    async def export_conversation(self, conv_id: str) -> Json:
        record = await self.repo.conversation_record(conv_id)
        events = await self.tracker.events(conv_id)
        hub: Json | None = None
        if record is not None:
            hub = {
                "conversation": row_json(record["conversation"]),
                "messages": [{**row_json(m), "agent_name": name} for m, name in record["messages"]],
                "handoffs": [row_json(h) for h in record["handoffs"]],
                "tickets": [row_json(t) for t in record["tickets"]],
                "notes": [{**row_json(n), "agent_name": name} for n, name in record["notes"]],
                "inbound_updates": [row_json(u) for u in record["inbound_updates"]],
                "tags": [{**row_json(t), "name": name} for t, name in record["tags"]],
                "ticket_tags": [{**row_json(t), "name": name} for t, name in record["ticket_tags"]],
                "merges": [row_json(m) for m in record["merges"]],
            }
        return {
            "conversation_id": conv_id,
            "hub": hub,
            "tracker": {"events": events},
            "shop": await self.shop.export(conv_id),
        }

    # -- erasure -------------------------------------------------------------------
    async def erase(self, selector: Selector) -> Json:
        ids = await self.conversation_ids(selector)
        total: Dict[str, Any] = {}
        for conv_id in ids:
            add_counts(total, await self.erase_conversation(conv_id))
        return {"conversations": ids, "erased": total}

    async def erase_conversation(self, conv_id: str) -> Json:
        """Erases one conversation from every store (see the module docstring); returns rows per store."""
        async with self._lock(conv_id):
            conv = await self.repo.conversation(conv_id)
            if conv is not None:
                if conv.state != ConversationState.CLOSED:
                    await self.repo.finish(conv_id, ConversationState.CLOSED)
                    if self.queue is not None:
                        await self.queue.publish_conversation(
                            conv_id
                        )  # console and widget see it closed
                await self.repo.revoke(conv_id)
            shop = await self.shop.anonymise([conv_id])
            tracker = await self.tracker.erase([conv_id])
            hub = await self.repo.erase_conversation(conv_id)
            tracker += await self.tracker.erase([conv_id])
            add_counts(shop, await self.shop.anonymise([conv_id]))
            files = await self.files.delete_conversation(conv_id) if self.files is not None else 0
        if conv is not None and conv.state in WITH_AGENTS and self.queue is not None:
            await self.queue.broadcast()
        return {"hub": hub, "tracker_events": tracker, "shop": shop, "attachments": files}

    async def erase_orphan_trackers(self, before: datetime) -> int:
        """Retention for the tracker store itself: senders silent since `before` that have no hub
        conversation (erased ones a late turn wrote to, direct Rasa use), with the shop records the
        bot created for them. Returns the senders erased."""
        stamp = before.replace(tzinfo=timezone.utc).timestamp()
        after, erased = "", 0
        while True:
            page = await self.tracker.stale_senders(stamp, after)
            if not page:
                return erased
            kept = await self.repo.existing_conversation_ids(
                page
            )  # still in the hub: its own retention decides
            orphans = [s for s in page if s not in kept]
            await self.shop.anonymise(orphans)
            await self.tracker.erase(orphans)
            erased += len(orphans)
            if len(page) < CHUNK:
                return erased
            after = page[-1]

    # -- the customer ends the chat -----------------------------------------------
    async def end_chat(self, conv: Conversation) -> None:
        """Closes the conversation for good: open handoffs end, the console is told, and the token stops
        working, so a shared browser cannot reopen it."""
        if self.conversations is None or self.queue is None:
            raise RuntimeError("end_chat needs the running hub")
        async with self.conversations.lock(conv.id):
            conv = await self.conversations.get(conv.id)
            was = conv.state
            if was != ConversationState.CLOSED:  # an agent's resolution of a closed one stays
                conv = await self.repo.finish(conv.id, ConversationState.CLOSED, ENDED_BY_CUSTOMER)
            await self.conversations.notice(conv, "chat_ended")
            await self.repo.revoke(conv.id)
        await self.queue.publish_conversation(conv.id)
        if was in WITH_AGENTS:
            await self.queue.broadcast()
