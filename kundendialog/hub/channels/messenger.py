"""Facebook Messenger (Send API): page webhook events in, text with quick replies out.

The page-scoped id (PSID) is the customer's identity. No Graph profile lookup
is made (it needs extra permissions and a round trip per customer), so agents
see "Messenger-Kunde" and the PSID's last four digits.
"""

from __future__ import annotations

from typing import Any, Dict, Iterable, List

from kundendialog.hub.channels.base import Button, Inbound, Target
from kundendialog.hub.channels.freshness import is_fresh, max_age
from kundendialog.hub.channels.meta import MetaChannel
from kundendialog.hub.channels.text import shorten

ATTACHMENTS = {"image": "image", "video": "video", "audio": "audio", "file": "file", "location": "location"}


def attachment_kind(attachment: Dict[str, Any]) -> str:
    """Stickers arrive as images whose payload has a sticker_id."""
    if attachment.get("type") == "image" and (attachment.get("payload") or {}).get("sticker_id"):
        return "sticker"
    return ATTACHMENTS.get(str(attachment.get("type")), "other")


class MessengerChannel(MetaChannel):
    name = "messenger"
    token_key = "page_token"
    object_type = "page"
    text_limit = 2000
    max_buttons = 13  # quick replies
    payload_limit = 1000

    def target(self) -> Target:
        """The page token as a bearer header (the Graph API accepts it), never in the URL: URLs end up in logs."""
        return Target(f"{self.api_base}/me/messages", headers={"Authorization": f"Bearer {self.config['page_token']}"})

    def events(self, update: Dict[str, Any]) -> Iterable[Inbound]:
        for entry in update.get("entry") or []:
            for event in entry.get("messaging") or []:
                inbound = self.inbound(event)
                if inbound is not None:
                    yield inbound

    def inbound(self, event: Dict[str, Any]) -> Inbound | None:
        psid = str((event.get("sender") or {}).get("id") or "")
        if not psid or not (isinstance(event.get("postback"), dict) or isinstance(event.get("message"), dict)):
            return None  # deliveries and reads: no answer, so no replay risk either
        if not is_fresh(self.name, psid, event.get("timestamp"), max_age(self.config), unit=1000):
            return None
        name = f"Messenger-Kunde {psid[-4:]}"
        postback = event.get("postback")
        if isinstance(postback, dict):
            update_id = postback.get("mid") or f"{psid}:{event.get('timestamp')}"
            return Inbound(update_id, psid, name, text=postback.get("title"), payload=postback.get("payload"))
        message = event.get("message")  # deliveries, reads and echoes of our own messages need no answer
        if not isinstance(message, dict) or message.get("is_echo") or not message.get("mid"):
            return None
        quick = message.get("quick_reply") or {}
        if message.get("text") or quick.get("payload"):
            return Inbound(message["mid"], psid, name, text=message.get("text"), payload=quick.get("payload"))
        attachments = message.get("attachments") or []
        if attachments:
            return Inbound(message["mid"], psid, name, unsupported=attachment_kind(attachments[0]))
        return None

    def text_body(self, to: str, text: str) -> Dict[str, Any]:
        return {"recipient": {"id": to}, "messaging_type": "RESPONSE", "message": {"text": text}}

    def buttons_body(self, to: str, text: str, buttons: List[Button]) -> Dict[str, Any]:
        body = self.text_body(to, text)
        body["message"]["quick_replies"] = [{"content_type": "text", "title": shorten(b.title, 20),
                                             "payload": b.payload} for b in buttons]
        return body
