"""WhatsApp Cloud API: message webhooks in, text / reply buttons / lists out.

The WhatsApp id (the customer's phone number) is the identity. One to three
buttons become reply buttons, four to ten a list; button ids carry the payload.

Files: an image or a JPEG/PNG/WebP/PDF document is looked up with `GET /<media id>`
(bearer token) and downloaded from the URL it names, with the bearer token again;
files go out by uploading to `/<phone number id>/media` (multipart) and sending an
image (JPEG/PNG, 5 MB) or document (100 MB) message with the media id.
"""

from __future__ import annotations

import base64
import hashlib
from typing import Any, Dict, Iterable, List

import aiohttp

from bot.hub.attachments.validate import BY_MIME
from bot.hub.channels.base import FILE_TIMEOUT, Button, FileOut, Inbound, Media, Target
from bot.hub.channels.freshness import is_fresh
from bot.hub.channels.meta import MetaChannel
from bot.hub.channels.retry import DownloadFailed, DownloadTooLarge
from bot.hub.channels.text import shorten
from bot.hub.settings import WhatsAppSettings

CONTENT = {
    "sticker": "sticker",
    "image": "image",
    "video": "video",
    "audio": "audio",
    "document": "file",
    "location": "location",
    "contacts": "contact",
}
IGNORED = ("reaction", "system", "request_welcome")  # nothing the customer expects an answer to
IMAGE_LIMIT = 5 * 1024 * 1024
DOCUMENT_LIMIT = 100 * 1024 * 1024
IMAGE_MIMES = ("image/jpeg", "image/png")  # WebP is for stickers: other images go as documents
CAPTION_LIMIT = 1024


def media_of(kind: Any, media: Any) -> Media | None:
    """An image, or a document in an accepted format (declared type; the content is checked later)."""
    if kind not in ("image", "document") or not isinstance(media, dict) or not media.get("id"):
        return None
    file_type = BY_MIME.get(str(media.get("mime_type") or "").split(";")[0].strip().lower())
    if file_type is None and kind == "document":
        return None
    name = media.get("filename") or ("foto.jpg" if kind == "image" else None)
    return Media(
        str(media["id"]),
        "image" if kind == "image" else "file",
        name,
        sha256=media.get("sha256") if isinstance(media.get("sha256"), str) else None,
    )


def same_hash(data: bytes, stated: str | None) -> bool:
    """WhatsApp states SHA-256 (base64 in practice; hex accepted too). Unreadable: not checked."""
    if not stated:
        return True
    digest = hashlib.sha256(data).digest()
    readable = len(stated) in (44, 64)
    return (
        not readable
        or stated.lower() == digest.hex()
        or stated == base64.b64encode(digest).decode()
    )


def kind_of(message: Dict[str, Any]) -> str:
    """Voice notes are audio messages flagged `voice`."""
    if message.get("type") == "audio" and (message.get("audio") or {}).get("voice"):
        return "voice"
    return CONTENT.get(str(message.get("type")), "other")


class WhatsAppChannel(MetaChannel):
    name = "whatsapp"
    object_type = "whatsapp_business_account"
    required = MetaChannel.required + ("phone_number_id",)
    config: WhatsAppSettings
    text_limit = 4096
    button_text_limit = 1024  # interactive body
    max_buttons = 10  # list rows
    payload_limit = 200  # list row ids (reply button ids allow 256)

    def target(self) -> Target:
        return Target(
            f"{self.api_base}/{self.config.phone_number_id}/messages",
            headers={"Authorization": f"Bearer {self.config.token}"},
        )

    def events(self, update: Dict[str, Any]) -> Iterable[Inbound]:
        ours = self.config.phone_number_id
        for entry in update.get("entry") or []:
            for change in entry.get("changes") or []:
                value = change.get("value") or {}
                if (
                    change.get("field") != "messages"
                    or (value.get("metadata") or {}).get("phone_number_id") != ours
                ):
                    continue  # statuses-only changes have no "messages" and fall through below
                names = {
                    c.get("wa_id"): (c.get("profile") or {}).get("name")
                    for c in value.get("contacts") or []
                }
                for message in value.get("messages") or []:
                    inbound = self.inbound(message, names)
                    if inbound is not None:
                        yield inbound

    def inbound(self, message: Dict[str, Any], names: Dict[Any, str | None]) -> Inbound | None:
        sender, kind = str(message.get("from") or ""), message.get("type")
        if not sender or not message.get("id") or kind in IGNORED:
            return None
        if not is_fresh(self.name, message["id"], message.get("timestamp"), self.config.max_age):
            return None
        who = str(message["id"]), sender, names.get(sender) or f"WhatsApp-Kunde {sender[-4:]}"
        if kind == "text":
            return Inbound(*who, text=(message.get("text") or {}).get("body"))
        if kind == "interactive":
            interactive = message.get("interactive") or {}
            reply = interactive.get(str(interactive.get("type"))) or {}  # button_reply / list_reply
            return Inbound(*who, text=reply.get("title"), payload=reply.get("id"))
        if kind == "button":  # quick-reply button of a template message
            button = message.get("button") or {}
            return Inbound(*who, text=button.get("text"), payload=button.get("payload"))
        media = message.get(str(kind))
        caption = media.get("caption") if isinstance(media, dict) else None
        wanted = media_of(kind, media)
        if wanted is not None:
            return Inbound(*who, text=caption, media=wanted)
        return Inbound(*who, text=caption, unsupported=kind_of(message))

    def bearer(self) -> Dict[str, str]:
        return {"Authorization": f"Bearer {self.config.token}"}

    async def fetch(self, media: Media, limit: int) -> bytes:
        info = await self.get_json(f"{self.api_base}/{media.ref}")
        url, size = info.get("url"), info.get("file_size")
        if not isinstance(url, str) or not url.startswith(("https://", "http://")):
            raise DownloadFailed("the media lookup gave no URL")
        if isinstance(size, int) and size > limit:
            raise DownloadTooLarge(f"{size} bytes")
        data = await self.get_file(
            url, limit, headers=self.bearer()
        )  # the media URL wants the token too
        if not same_hash(data, media.sha256 or info.get("sha256")):
            raise DownloadFailed("the file's SHA-256 does not match")
        return data

    async def get_json(self, url: str) -> Dict[str, Any]:
        try:
            async with self.http.get(url, headers=self.bearer(), timeout=FILE_TIMEOUT) as resp:
                body = await resp.json(content_type=None) if resp.status == 200 else None
        except (aiohttp.ClientError, TimeoutError, ValueError) as exc:
            raise DownloadFailed(f"media lookup: {type(exc).__name__}") from None
        if not isinstance(body, dict):
            raise DownloadFailed(f"media lookup: HTTP {resp.status}")
        return body

    def native_kind(self, meta: Dict[str, Any]) -> str | None:
        size = int(meta.get("size") or 0)
        if meta.get("mime") in IMAGE_MIMES and size <= IMAGE_LIMIT:
            return "image"
        return "document" if size <= DOCUMENT_LIMIT else None

    async def upload(self, item: FileOut, data: bytes) -> bool:
        mime = str(item.meta.get("mime"))

        def form() -> aiohttp.FormData:
            fields = aiohttp.FormData()
            fields.add_field("messaging_product", "whatsapp")
            fields.add_field("type", mime)
            fields.add_field(
                "file", data, filename=str(item.meta.get("name") or "anhang"), content_type=mime
            )
            return fields

        uploaded = await self.call_form(
            Target(f"{self.api_base}/{self.config.phone_number_id}/media", headers=self.bearer()),
            form,
        )
        media_id = uploaded.get("id") if isinstance(uploaded, dict) else None
        if not media_id:
            return False
        media: Dict[str, Any] = {"id": str(media_id)}
        if item.caption:
            media["caption"] = item.caption[:CAPTION_LIMIT]
        if item.as_kind == "document":
            media["filename"] = str(item.meta.get("name") or "anhang")
        body = {
            "messaging_product": "whatsapp",
            "recipient_type": "individual",
            "to": item.to,
            "type": item.as_kind,
            item.as_kind: media,
        }
        return await self.call(self.target(), body) is not None

    def agent_text(self, agent_name: str, text: str) -> str:
        return f"*{agent_name}*: {text}"  # WhatsApp renders *bold* without a parse mode

    def text_body(self, to: str, text: str) -> Dict[str, Any]:
        return {
            "messaging_product": "whatsapp",
            "recipient_type": "individual",
            "to": to,
            "type": "text",
            "text": {"body": text},
        }

    def buttons_body(self, to: str, text: str, buttons: List[Button]) -> Dict[str, Any]:
        if len(buttons) <= 3:
            kind = "button"
            action: Dict[str, Any] = {
                "buttons": [
                    {"type": "reply", "reply": {"id": b.payload, "title": shorten(b.title, 20)}}
                    for b in buttons
                ]
            }
        else:
            kind = "list"
            action = {
                "button": self.company.notice("list_button", None),
                "sections": [
                    {
                        "title": self.company.notice("list_title", None),
                        "rows": [{"id": b.payload, "title": shorten(b.title, 24)} for b in buttons],
                    }
                ],
            }
        return {
            "messaging_product": "whatsapp",
            "recipient_type": "individual",
            "to": to,
            "type": "interactive",
            "interactive": {"type": kind, "body": {"text": text}, "action": action},
        }
