"""Telegram Bot API: webhook updates in, sendMessage with an inline keyboard out.

Files: a photo (its largest size within the limit) or a JPEG/PNG/WebP/PDF document is
fetched with getFile and downloaded from `/file/bot<token>/<file_path>`; files go out
with sendPhoto (JPEG/PNG up to 10 MB) or sendDocument (up to 50 MB) as multipart/form-data.

The chat id is the customer's identity. Webhook requests are genuine when they
carry the secret given to setWebhook (`X-Telegram-Bot-Api-Secret-Token`); a message
older than the channel's window is not answered (channels/freshness.py), nor is a
button tap on a keyboard older than that (a tap has no date of its own).
"""

from __future__ import annotations

from typing import Any, Dict, Iterable, List, TypeGuard, Union

import aiohttp
from aiohttp import web

from bot.hub.attachments.validate import BY_MIME
from bot.hub.channels.base import Button, Channel, FileOut, Inbound, Media, Target, matches_secret
from bot.hub.channels.freshness import is_fresh
from bot.hub.channels.retry import DownloadFailed, DownloadTooLarge, Reply
from bot.hub.errors import AuthenticationFailed
from bot.hub.settings import TelegramSettings
from bot.hub.web.body import json_body

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
# message field -> unsupported kind; anything else without text is a service message and ignored
CONTENT = {
    "sticker": "sticker",
    "photo": "image",
    "animation": "video",
    "video": "video",
    "video_note": "video",
    "voice": "voice",
    "audio": "audio",
    "document": "file",
    "location": "location",
    "venue": "location",
    "contact": "contact",
    "poll": "other",
    "dice": "other",
}
PHOTO_LIMIT = 10 * 1024 * 1024  # sendPhoto
DOCUMENT_LIMIT = 50 * 1024 * 1024  # sendDocument (uploads by a bot)
PHOTO_MIMES = ("image/jpeg", "image/png")  # other images go as documents
CAPTION_LIMIT = 1024


def photo_media(sizes: List[Any], limit: int) -> Media | None:
    """The largest size of a photo that fits the limit (or the smallest, to be refused as too large)."""
    sizes = [s for s in sizes if isinstance(s, dict) and s.get("file_id")]
    if not sizes:
        return None
    by_area = sorted(
        sizes,
        key=lambda s: (
            int(s.get("width") or 0) * int(s.get("height") or 0),
            int(s.get("file_size") or 0),
        ),
    )
    fitting = [s for s in by_area if int(s.get("file_size") or 0) <= limit]
    best = fitting[-1] if fitting else by_area[0]
    size = best.get("file_size")
    return Media(
        str(best["file_id"]), "image", "foto.jpg", int(size) if isinstance(size, int) else None
    )


def document_media(document: Dict[str, Any]) -> Media | None:
    """A document in an accepted format (by its declared type; the content is checked after downloading)."""
    file_type = BY_MIME.get(str(document.get("mime_type") or "").lower())
    if file_type is None or not document.get("file_id"):
        return None
    size = document.get("file_size")
    return Media(
        str(document["file_id"]),
        "image" if file_type.kind == "image" else "file",
        document.get("file_name"),
        int(size) if isinstance(size, int) else None,
    )


def display_name(user: Dict[str, Any]) -> str:
    name = " ".join(p for p in (user.get("first_name"), user.get("last_name")) if p)
    return name or (f"@{user['username']}" if user.get("username") else "Telegram-Kunde")


def button_title(message: Dict[str, Any], data: str) -> str | None:
    """The title of the tapped button, read back from the message that carried the keyboard."""
    rows = ((message.get("reply_markup") or {}).get("inline_keyboard")) or []
    return next(
        (b.get("text") for row in rows for b in row if b.get("callback_data") == data), None
    )


def _number(value: Any) -> TypeGuard[float]:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def chat_id(to: str) -> Union[int, str]:
    return int(to) if to.lstrip("-").isdigit() else to


class TelegramChannel(Channel):
    name = "telegram"
    required = ("secret",)
    config: TelegramSettings
    text_limit = 4096
    payload_limit = 64  # callback_data

    def method(self, name: str) -> Target:
        return Target(f"{self.api_base}/bot{self.config.token}/{name}")

    def target(self) -> Target:
        return self.method("sendMessage")

    async def authenticate(self, request: web.Request) -> Dict[str, Any]:
        if not matches_secret(request.headers.get(SECRET_HEADER, ""), self.config.secret):
            raise AuthenticationFailed(
                "invalid_secret", f"Der Header {SECRET_HEADER} fehlt oder stimmt nicht."
            )
        return await json_body(request)

    def events(self, update: Dict[str, Any]) -> Iterable[Inbound]:
        update_id = str(update.get("update_id", ""))
        query = update.get("callback_query")
        if isinstance(query, dict):
            sender = query.get("from") or {}
            message = query.get("message") or {}
            # A tap carries no date; the message with the keyboard does (its last edit, if any), and a tap
            # comes after it, so a replayed tap is never younger than its keyboard. Taps on a keyboard
            # older than the window are dropped like stale messages (an inaccessible message has date 0).
            dates = [v for v in (message.get("date"), message.get("edit_date")) if _number(v)]
            shown = max(dates) if dates else None
            if not is_fresh(self.name, update_id, shown, self.config.max_age):
                return
            chat = (message.get("chat") or {}).get("id", sender.get("id"))
            data = str(query.get("data") or "")
            if chat is not None and data:
                yield Inbound(
                    update_id,
                    str(chat),
                    display_name(sender),
                    text=button_title(message, data),
                    payload=data,
                )
            return
        message = update.get("message")  # edits, channel posts, member changes: nothing to answer
        if (
            not isinstance(message, dict)
            or not isinstance(message.get("chat"), dict)
            or "id" not in message["chat"]
        ):
            return
        if not is_fresh(self.name, update_id, message.get("date"), self.config.max_age):
            return
        sender = message.get("from")
        who = (
            str(message["chat"]["id"]),
            display_name(sender if isinstance(sender, dict) else message["chat"]),
        )
        if isinstance(message.get("text"), str):
            yield Inbound(update_id, *who, text=message["text"])
            return
        media = None
        if isinstance(message.get("photo"), list):
            media = photo_media(message["photo"], self.inbox.attachment_limit)
        elif isinstance(message.get("document"), dict) and "animation" not in message:
            media = document_media(message["document"])
        if media is not None:
            yield Inbound(update_id, *who, text=message.get("caption"), media=media)
            return
        kind = next((kind for field, kind in CONTENT.items() if field in message), None)
        if kind is not None:
            yield Inbound(update_id, *who, text=message.get("caption"), unsupported=kind)

    def acknowledge(self, update: Dict[str, Any]) -> None:
        query = update.get("callback_query")
        if isinstance(query, dict) and query.get("id"):
            self.spawn(
                self.call(self.method("answerCallbackQuery"), {"callback_query_id": query["id"]})
            )

    def retry_after(self, reply: Reply) -> float | None:
        """Telegram states the wait in the body (`parameters.retry_after`), the header is a bonus."""
        seconds = super().retry_after(reply)
        if seconds is None and isinstance(reply.body, dict):
            value = (reply.body.get("parameters") or {}).get("retry_after")
            seconds = float(value) if isinstance(value, (int, float)) else None
        return seconds

    async def fetch(self, media: Media, limit: int) -> bytes:
        found = await self.call(self.method("getFile"), {"file_id": media.ref})
        result = found.get("result") if isinstance(found, dict) else None
        if not isinstance(result, dict) or not result.get("file_path"):
            raise DownloadFailed(
                "getFile gave no file_path"
            )  # e.g. over the Bot API's 20 MB download limit
        if isinstance(result.get("file_size"), int) and result["file_size"] > limit:
            raise DownloadTooLarge(f"{result['file_size']} bytes")
        # The token is in the path (the Bot API has no other way); errors are redacted by `download`.
        return await self.get_file(
            f"{self.api_base}/file/bot{self.config.token}/{result['file_path']}", limit
        )

    def native_kind(self, meta: Dict[str, Any]) -> str | None:
        size = int(meta.get("size") or 0)
        width, height = int(meta.get("width") or 0), int(meta.get("height") or 0)
        if (
            meta.get("mime") in PHOTO_MIMES
            and size <= PHOTO_LIMIT
            and width + height <= 10000
            and max(width, height) <= 20 * max(1, min(width, height))
        ):
            return "photo"
        return "document" if size <= DOCUMENT_LIMIT else None

    async def upload(self, item: FileOut, data: bytes) -> bool:
        method = "sendPhoto" if item.as_kind == "photo" else "sendDocument"

        def form() -> aiohttp.FormData:
            fields = aiohttp.FormData()
            fields.add_field("chat_id", str(chat_id(item.to)))
            if item.caption:
                fields.add_field("caption", item.caption[:CAPTION_LIMIT])
            fields.add_field(
                item.as_kind,
                data,
                filename=str(item.meta.get("name") or "anhang"),
                content_type=str(item.meta.get("mime")),
            )
            return fields

        return await self.call_form(self.method(method), form) is not None

    def text_body(self, to: str, text: str) -> Dict[str, Any]:
        return {"chat_id": chat_id(to), "text": text}

    def buttons_body(self, to: str, text: str, buttons: List[Button]) -> Dict[str, Any]:
        keyboard = [[{"text": b.title, "callback_data": b.payload}] for b in buttons]
        return {**self.text_body(to, text), "reply_markup": {"inline_keyboard": keyboard}}
