"""Attachments in a conversation: accept a file, store it, put it into the transcript, read it back.

A file becomes a message whose `custom.attachment` describes it (id, kind, type, name, size);
its bytes and a small JSON description live in the Storage under the conversation's id, so
a file can only ever be found through its own conversation, and erasing a conversation
removes its folder. The customer's file is logged into Rasa's tracker as a user message
carrying the attachment type (the bot and the agent summary know a photo arrived); while
the bot is in charge the customer gets the `attachment_received` notice, since the dialogue
model has no intent for a file.
"""

from __future__ import annotations

import json
import logging
import secrets
from dataclasses import dataclass
from typing import Any, Dict, List

from bot.hub.attachments.images import ImagePool
from bot.hub.attachments.storage import KEY, Storage
from bot.hub.attachments.validate import BY_MIME, FileType, checked, safe_name
from bot.hub.conversations import ConversationService
from bot.hub.errors import NotFound
from bot.hub.rasa_client import RasaUnavailable
from bot.hub.ratelimit import RateLimiter
from bot.hub.states import ConversationState, Sender
from bot.hub.store.models import Agent, Conversation
from bot.hub.store.serialize import message_json

log = logging.getLogger(__name__)
Json = Dict[str, Any]
THINGS = {"image": "das Foto", "document": "das Dokument"}


@dataclass(frozen=True)
class StoredFile:
    data: bytes
    meta: Json

    @property
    def file_type(self) -> FileType:
        return BY_MIME[self.meta["mime"]]


def label_text(meta: Json) -> str:
    """The transcript text of an attachment: what agents, reports and messengers read."""
    return f"[{BY_MIME[meta['mime']].label}] {meta['name']}"


class AttachmentService:
    def __init__(
        self,
        storage: Storage,
        conversations: ConversationService,
        max_bytes: int,
        images: ImagePool | None = None,
        uploads: RateLimiter | None = None,
    ) -> None:
        self.storage = storage
        self.conversations = conversations
        self.max_bytes = max_bytes
        self.images = images or ImagePool(1, 8)
        self.uploads = uploads  # KD_RATE_UPLOAD: customers' files per client (None: unlimited)

    def admit_upload(self, client: str, register: str | None = None) -> None:
        """A customer's file counts against the per-client upload rate (429 beyond it), checked
        before the file is read or decoded: the widget keys on the address, messengers on the user."""
        if self.uploads is not None:
            self.uploads.check(client, register=register)

    async def accept(self, conv_id: str, data: bytes, name: str | None) -> Json:
        """Check, clean and store a file; its description for `custom.attachment`. Nothing is stored
        for a file that fails a check."""
        file_type = checked(data, self.max_bytes)
        meta: Json = {
            "id": secrets.token_urlsafe(16),
            "kind": file_type.kind,
            "mime": file_type.mime,
            "name": safe_name(name, file_type),
        }
        thumb: bytes | None = None
        if file_type.kind == "image":
            encoded = await self.images.reencode(data, file_type)  # off the loop, bounded
            data, thumb = encoded.data, encoded.thumbnail
            meta.update(width=encoded.width, height=encoded.height)
        meta["size"] = len(data)
        key = f"{conv_id}/{meta['id']}"
        await self.storage.put(key, data)
        if thumb is not None:
            await self.storage.put(key + ".thumb", thumb)
        await self.storage.put(key + ".json", json.dumps(meta).encode())
        return meta

    async def read(self, conv_id: str, attachment_id: str, thumbnail: bool = False) -> StoredFile:
        key = f"{conv_id}/{attachment_id}"
        raw = await self.storage.get(key + ".json") if KEY.fullmatch(key) else None
        if raw is None:
            raise NotFound("attachment_not_found", "Diesen Anhang gibt es nicht.")
        meta = json.loads(raw)
        data = (
            await self.storage.get(key + ".thumb")
            if thumbnail and meta["kind"] == "image"
            else None
        )
        data = data if data is not None else await self.storage.get(key)
        if data is None:
            raise NotFound("attachment_not_found", "Diesen Anhang gibt es nicht.")
        return StoredFile(data, meta)

    async def from_customer(
        self,
        conv: Conversation,
        data: bytes,
        name: str | None,
        caption: str | None = None,
        client_message_id: str | None = None,
    ) -> List[Json]:
        """A customer's file: stored, shown to everyone in the conversation, logged for the bot;
        returns the customer message followed by the bot-mode notice."""
        meta = await self.accept(conv.id, data, name)
        text = label_text(meta) + (f"\n{caption.strip()}" if caption and caption.strip() else "")
        conversations = self.conversations
        async with conversations.lock(conv.id):
            conv = await conversations.get(conv.id)
            msg = await conversations.store(
                conv.id,
                Sender.CUSTOMER,
                text,
                custom={"attachment": meta},
                client_message_id=client_message_id,
            )
            first = message_json(msg)
            await conversations.publish(conv, [first])
            out = [first]
            if conv.state in (ConversationState.BOT, ConversationState.CLOSED):
                out.append(
                    await conversations.notice(
                        conv, "attachment_received", reply_to=msg.id, thing=THINGS[meta["kind"]]
                    )
                )
        bot_text = out[1]["text"] if len(out) > 1 else None
        conversations.background(self._log(conv, msg.id, text, meta, bot_text))
        return out

    async def from_agent(
        self, conv: Conversation, agent: Agent, data: bytes, name: str | None
    ) -> Json:
        meta = await self.accept(conv.id, data, name)
        text = label_text(meta)
        message = await self.conversations.post(
            conv, Sender.AGENT, text, agent=agent, custom={"attachment": meta}
        )
        self.conversations.background(
            self._append(
                conv.id,
                [
                    {
                        "event": "bot",
                        "text": text,
                        "metadata": {
                            "agent": agent.name,
                            "agent_id": agent.id,
                            "attachment": public(meta),
                        },
                    }
                ],
            )
        )
        return message

    async def _log(
        self, conv: Conversation, message_id: str, text: str, meta: Json, bot_text: str | None
    ) -> None:
        """The tracker hears the file as a user message of its type; the notice as the bot's answer.
        The intent is `inform` (a domain intent without entities) so no policy reads a request into it."""
        events: List[Json] = [
            {
                "event": "user",
                "text": text,
                "input_channel": conv.channel,
                "message_id": message_id,
                "parse_data": {
                    "text": text,
                    "intent": {"name": "inform", "confidence": 1.0},
                    "entities": [],
                },
                "metadata": {"attachment": public(meta)},
            }
        ]
        if bot_text:
            events.append(
                {"event": "bot", "text": bot_text, "metadata": {"attachment_notice": True}}
            )
        await self._append(conv.id, events)

    async def _append(self, conv_id: str, events: List[Json]) -> None:
        try:
            await self.conversations.rasa.append_events(conv_id, events)
        except RasaUnavailable as exc:
            log.warning("could not log an attachment to the tracker: %s", exc)

    async def erase(self, conv_id: str) -> int:
        return await self.storage.delete_conversation(conv_id)


def public(meta: Json) -> Json:
    """What the tracker keeps of a file: its type, never its name (names can carry personal data)."""
    return {"kind": meta["kind"], "mime": meta["mime"], "size": meta["size"]}
