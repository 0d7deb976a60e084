"""Facebook Messenger (Send API): page webhook events in, text with quick replies out.

The page-scoped id (PSID) is the customer's identity. No Graph profile lookup
is made (it needs extra permissions and a round trip per customer), so agents
see "Messenger-Kunde" and the PSID's last four digits.

Files: an image or file attachment is downloaded from its `payload.url` (a signed CDN
address, no token sent along); files go out as a Send API attachment uploaded with
multipart/form-data (`filedata`), up to 25 MB.
"""

from __future__ import annotations

import json
from typing import Any, Dict, Iterable, List
from urllib.parse import unquote, urlsplit

import aiohttp

from bot.hub.channels.base import Button, FileOut, Inbound, Media, Outgoing, Target
from bot.hub.channels.freshness import is_fresh
from bot.hub.channels.meta import MetaChannel
from bot.hub.channels.text import shorten
from bot.hub.settings import MessengerSettings
from bot.hub.store.models import Conversation

LIMIT = 25 * 1024 * 1024  # Send API attachments
ATTACHMENTS = {
    "image": "image",
    "video": "video",
    "audio": "audio",
    "file": "file",
    "location": "location",
}


def attachment_kind(attachment: Dict[str, Any]) -> str:
    """Stickers arrive as images whose payload has a sticker_id."""
    if attachment.get("type") == "image" and (attachment.get("payload") or {}).get("sticker_id"):
        return "sticker"
    return ATTACHMENTS.get(str(attachment.get("type")), "other")


def attachment_media(attachment: Dict[str, Any]) -> Media | None:
    """Images (not stickers) and files with a download URL; the format is checked after downloading."""
    kind, url = attachment_kind(attachment), (attachment.get("payload") or {}).get("url")
    if (
        kind not in ("image", "file")
        or not isinstance(url, str)
        or not url.startswith(("https://", "http://"))
    ):
        return None
    name = unquote(urlsplit(url).path.rsplit("/", 1)[-1]) or None
    return Media(url, kind, name)


class MessengerChannel(MetaChannel):
    name = "messenger"
    token_key = "page_token"
    config: MessengerSettings
    object_type = "page"
    text_limit = 2000
    max_buttons = 13  # quick replies
    payload_limit = 1000

    def target(self) -> Target:
        """The page token as a bearer header (the Graph API accepts it), never in the URL: URLs end up in logs."""
        return Target(
            f"{self.api_base}/me/messages",
            headers={"Authorization": f"Bearer {self.config.page_token}"},
        )

    def events(self, update: Dict[str, Any]) -> Iterable[Inbound]:
        for entry in update.get("entry") or []:
            for event in entry.get("messaging") or []:
                inbound = self.inbound(event)
                if inbound is not None:
                    yield inbound
                    if inbound.media is not None:
                        yield from self.extra_files(event)

    def inbound(self, event: Dict[str, Any]) -> Inbound | None:
        psid = str((event.get("sender") or {}).get("id") or "")
        if not psid or not (
            isinstance(event.get("postback"), dict) or isinstance(event.get("message"), dict)
        ):
            return None  # deliveries and reads: no answer, so no replay risk either
        if not is_fresh(self.name, psid, event.get("timestamp"), self.config.max_age, unit=1000):
            return None
        name = f"Messenger-Kunde {psid[-4:]}"
        postback = event.get("postback")
        if isinstance(postback, dict):
            update_id = postback.get("mid") or f"{psid}:{event.get('timestamp')}"
            return Inbound(
                update_id, psid, name, text=postback.get("title"), payload=postback.get("payload")
            )
        message = event.get(
            "message"
        )  # deliveries, reads and echoes of our own messages need no answer
        if not isinstance(message, dict) or message.get("is_echo") or not message.get("mid"):
            return None
        quick = message.get("quick_reply") or {}
        if message.get("text") or quick.get("payload"):
            return Inbound(
                message["mid"], psid, name, text=message.get("text"), payload=quick.get("payload")
            )
        attachments = [a for a in message.get("attachments") or [] if isinstance(a, dict)]
        if attachments:
            media = attachment_media(attachments[0])
            if media is not None:
                return Inbound(message["mid"], psid, name, media=media)
            return Inbound(message["mid"], psid, name, unsupported=attachment_kind(attachments[0]))
        return None

    def extra_files(self, event: Dict[str, Any]) -> Iterable[Inbound]:
        """Several photos in one message: each after the first is an update of its own ("<mid>#<n>")."""
        message = event.get("message") or {}
        psid = str((event.get("sender") or {}).get("id") or "")
        for n, attachment in enumerate(message.get("attachments") or []):
            media = attachment_media(attachment) if n and isinstance(attachment, dict) else None
            if media is not None:
                yield Inbound(
                    f"{message['mid']}#{n}", psid, f"Messenger-Kunde {psid[-4:]}", media=media
                )

    async def fetch(self, media: Media, limit: int) -> bytes:
        return await self.get_file(media.ref, limit)  # a CDN URL: the page token stays at home

    def native_kind(self, meta: Dict[str, Any]) -> str | None:
        if int(meta.get("size") or 0) > LIMIT:
            return None
        return "image" if meta.get("kind") == "image" else "file"

    def render_file(
        self, conversation: Conversation, message: Dict[str, Any], meta: Dict[str, Any]
    ) -> List[Outgoing]:
        """Attachments have no caption: an agent's name goes first as a line of text."""
        items = super().render_file(conversation, message, meta)
        first = items[0] if items else None
        if isinstance(first, FileOut) and first.caption:
            return [self.text_body(first.to, first.caption), *items]
        return items

    async def upload(self, item: FileOut, data: bytes) -> bool:
        def form() -> aiohttp.FormData:
            fields = aiohttp.FormData()
            fields.add_field("recipient", json.dumps({"id": item.to}))
            fields.add_field("messaging_type", "RESPONSE")
            fields.add_field(
                "message",
                json.dumps(
                    {"attachment": {"type": item.as_kind, "payload": {"is_reusable": False}}}
                ),
            )
            fields.add_field(
                "filedata",
                data,
                filename=str(item.meta.get("name") or "anhang"),
                content_type=str(item.meta.get("mime")),
            )
            return fields

        return await self.call_form(self.target(), form) is not None

    def text_body(self, to: str, text: str) -> Dict[str, Any]:
        return {"recipient": {"id": to}, "messaging_type": "RESPONSE", "message": {"text": text}}

    def buttons_body(self, to: str, text: str, buttons: List[Button]) -> Dict[str, Any]:
        body = self.text_body(to, text)
        body["message"]["quick_replies"] = [
            {"content_type": "text", "title": shorten(b.title, 20), "payload": b.payload}
            for b in buttons
        ]
        return body
