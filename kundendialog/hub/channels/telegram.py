"""Telegram Bot API: webhook updates in, sendMessage with an inline keyboard out.

The chat id is the customer's identity. Webhook requests are genuine when they
carry the secret given to setWebhook (`X-Telegram-Bot-Api-Secret-Token`); a message
older than the channel's window is not answered (channels/freshness.py).
"""

from __future__ import annotations

from typing import Any, Dict, Iterable, List, Union

from aiohttp import web

from kundendialog.core.errors import AuthenticationFailed
from kundendialog.hub.channels.base import Button, Channel, Inbound, Target, matches_secret
from kundendialog.hub.channels.freshness import is_fresh, max_age
from kundendialog.hub.channels.retry import Reply
from kundendialog.hub.web.body import json_body

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
# message field -> unsupported kind; anything else without text is a service message and ignored
CONTENT = {"sticker": "sticker", "photo": "image", "animation": "video", "video": "video", "video_note": "video",
           "voice": "voice", "audio": "audio", "document": "file", "location": "location", "venue": "location",
           "contact": "contact", "poll": "other", "dice": "other"}


def display_name(user: Dict[str, Any]) -> str:
    name = " ".join(p for p in (user.get("first_name"), user.get("last_name")) if p)
    return name or (f"@{user['username']}" if user.get("username") else "Telegram-Kunde")


def button_title(message: Dict[str, Any], data: str) -> str | None:
    """The title of the tapped button, read back from the message that carried the keyboard."""
    rows = ((message.get("reply_markup") or {}).get("inline_keyboard")) or []
    return next((b.get("text") for row in rows for b in row if b.get("callback_data") == data), None)


def chat_id(to: str) -> Union[int, str]:
    return int(to) if to.lstrip("-").isdigit() else to


class TelegramChannel(Channel):
    name = "telegram"
    required = ("secret",)
    text_limit = 4096
    payload_limit = 64  # callback_data

    def method(self, name: str) -> Target:
        return Target(f"{self.api_base}/bot{self.config['token']}/{name}")

    def target(self) -> Target:
        return self.method("sendMessage")

    async def authenticate(self, request: web.Request) -> Dict[str, Any]:
        if not matches_secret(request.headers.get(SECRET_HEADER, ""), self.config.get("secret", "")):
            raise AuthenticationFailed("invalid_secret", f"Der Header {SECRET_HEADER} fehlt oder stimmt nicht.")
        return await json_body(request)

    def events(self, update: Dict[str, Any]) -> Iterable[Inbound]:
        update_id = str(update.get("update_id", ""))
        query = update.get("callback_query")
        if isinstance(query, dict):
            sender = query.get("from") or {}
            message = query.get("message") or {}
            chat = (message.get("chat") or {}).get("id", sender.get("id"))
            data = str(query.get("data") or "")
            if chat is not None and data:
                yield Inbound(update_id, str(chat), display_name(sender), text=button_title(message, data),
                              payload=data)
            return
        message = update.get("message")  # edits, channel posts, member changes: nothing to answer
        if not isinstance(message, dict) or not isinstance(message.get("chat"), dict) or "id" not in message["chat"]:
            return
        if not is_fresh(self.name, update_id, message.get("date"), max_age(self.config)):
            return  # a button tap has no date of its own (its message's date is when the bot asked)
        sender = message.get("from")
        who = str(message["chat"]["id"]), display_name(sender if isinstance(sender, dict) else message["chat"])
        if isinstance(message.get("text"), str):
            yield Inbound(update_id, *who, text=message["text"])
            return
        kind = next((kind for field, kind in CONTENT.items() if field in message), None)
        if kind is not None:
            yield Inbound(update_id, *who, text=message.get("caption"), unsupported=kind)

    def acknowledge(self, update: Dict[str, Any]) -> None:
        query = update.get("callback_query")
        if isinstance(query, dict) and query.get("id"):
            self.spawn(self.call(self.method("answerCallbackQuery"), {"callback_query_id": query["id"]}))

    def retry_after(self, reply: Reply) -> float | None:
        """Telegram states the wait in the body (`parameters.retry_after`), the header is a bonus."""
        seconds = super().retry_after(reply)
        if seconds is None and isinstance(reply.body, dict):
            value = (reply.body.get("parameters") or {}).get("retry_after")
            seconds = float(value) if isinstance(value, (int, float)) else None
        return seconds

    def text_body(self, to: str, text: str) -> Dict[str, Any]:
        return {"chat_id": chat_id(to), "text": text}

    def buttons_body(self, to: str, text: str, buttons: List[Button]) -> Dict[str, Any]:
        keyboard = [[{"text": b.title, "callback_data": b.payload}] for b in buttons]
        return {**self.text_body(to, text), "reply_markup": {"inline_keyboard": keyboard}}
