"""WhatsApp Cloud API: message webhooks in, text / reply buttons / lists out.

The WhatsApp id (the customer's phone number) is the identity. One to three
buttons become reply buttons, four to ten a list; button ids carry the payload.
"""

from __future__ import annotations

from typing import Any, Dict, Iterable, List

from kundendialog.hub.channels.base import Button, Inbound, Target
from kundendialog.hub.channels.freshness import is_fresh, max_age
from kundendialog.hub.channels.meta import MetaChannel
from kundendialog.hub.channels.text import shorten

CONTENT = {"sticker": "sticker", "image": "image", "video": "video", "audio": "audio", "document": "file",
           "location": "location", "contacts": "contact"}
IGNORED = ("reaction", "system", "request_welcome")  # nothing the customer expects an answer to


def kind_of(message: Dict[str, Any]) -> str:
    """Voice notes are audio messages flagged `voice`."""
    if message.get("type") == "audio" and (message.get("audio") or {}).get("voice"):
        return "voice"
    return CONTENT.get(str(message.get("type")), "other")


class WhatsAppChannel(MetaChannel):
    name = "whatsapp"
    object_type = "whatsapp_business_account"
    required = MetaChannel.required + ("phone_number_id",)
    text_limit = 4096
    button_text_limit = 1024  # interactive body
    max_buttons = 10  # list rows
    payload_limit = 200  # list row ids (reply button ids allow 256)

    def target(self) -> Target:
        return Target(f"{self.api_base}/{self.config['phone_number_id']}/messages",
                      headers={"Authorization": f"Bearer {self.config['token']}"})

    def events(self, update: Dict[str, Any]) -> Iterable[Inbound]:
        ours = self.config.get("phone_number_id")
        for entry in update.get("entry") or []:
            for change in entry.get("changes") or []:
                value = change.get("value") or {}
                if change.get("field") != "messages" or (value.get("metadata") or {}).get("phone_number_id") != ours:
                    continue  # statuses-only changes have no "messages" and fall through below
                names = {c.get("wa_id"): (c.get("profile") or {}).get("name") for c in value.get("contacts") or []}
                for message in value.get("messages") or []:
                    inbound = self.inbound(message, names)
                    if inbound is not None:
                        yield inbound

    def inbound(self, message: Dict[str, Any], names: Dict[Any, str | None]) -> Inbound | None:
        sender, kind = str(message.get("from") or ""), message.get("type")
        if not sender or not message.get("id") or kind in IGNORED:
            return None
        if not is_fresh(self.name, message["id"], message.get("timestamp"), max_age(self.config)):
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
        return Inbound(*who, text=caption, unsupported=kind_of(message))

    def agent_text(self, agent_name: str, text: str) -> str:
        return f"*{agent_name}*: {text}"  # WhatsApp renders *bold* without a parse mode

    def text_body(self, to: str, text: str) -> Dict[str, Any]:
        return {"messaging_product": "whatsapp", "recipient_type": "individual", "to": to, "type": "text",
                "text": {"body": text}}

    def buttons_body(self, to: str, text: str, buttons: List[Button]) -> Dict[str, Any]:
        if len(buttons) <= 3:
            kind = "button"
            action: Dict[str, Any] = {"buttons": [
                {"type": "reply", "reply": {"id": b.payload, "title": shorten(b.title, 20)}} for b in buttons]}
        else:
            kind = "list"
            action = {"button": self.company.notice("list_button", None),
                      "sections": [{"title": self.company.notice("list_title", None), "rows": [
                {"id": b.payload, "title": shorten(b.title, 24)} for b in buttons]}]}
        return {"messaging_product": "whatsapp", "recipient_type": "individual", "to": to, "type": "interactive",
                "interactive": {"type": kind, "body": {"text": text}, "action": action}}
