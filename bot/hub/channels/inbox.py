"""The hub as messenger channels see it: conversations plus attachments, behind the narrow `Inbox`."""

from __future__ import annotations

from typing import Any, Dict, List

from bot.hub.attachments.service import AttachmentService
from bot.hub.conversations import ConversationService
from bot.hub.states import Sender
from bot.hub.store.models import Conversation
from bot.hub.store.serialize import message_json


class HubInbox:
    def __init__(self, conversations: ConversationService, attachments: AttachmentService) -> None:
        self.conversations = conversations
        self.attachments = attachments

    async def first_delivery(self, channel: str, update_id: str) -> bool:
        return await self.conversations.first_delivery(channel, update_id)

    async def conversation_for(self, channel: str, user_id: str, display_name: str) -> Conversation:
        return await self.conversations.conversation_for(channel, user_id, display_name)

    async def customer_message(
        self,
        conv: Conversation,
        text: str,
        payload: str | None = None,
        client_message_id: str | None = None,
        client: str | None = None,
        strict_payload: bool = True,
    ) -> List[Dict[str, Any]]:
        return await self.conversations.customer_message(
            conv,
            text,
            payload=payload,
            client_message_id=client_message_id,
            client=client,
            strict_payload=strict_payload,
        )

    async def unsupported_content(self, conv: Conversation, kind: str, caption: str | None) -> None:
        await self.conversations.unsupported_content(conv, kind, caption)

    @property
    def attachment_limit(self) -> int:
        return self.attachments.max_bytes

    def admit_upload(self, conv: Conversation) -> None:
        self.attachments.admit_upload(f"{conv.channel}:{conv.id}", conv.register)  # one user

    async def customer_attachment(
        self,
        conv: Conversation,
        data: bytes,
        name: str | None,
        caption: str | None,
        client_message_id: str | None = None,
    ) -> None:
        await self.attachments.from_customer(
            conv, data, name, caption, client_message_id=client_message_id
        )

    async def attachment_refused(
        self, conv: Conversation, kind: str, caption: str | None, notice: str, **values: Any
    ) -> None:
        """Like unsupported content, but the notice goes out whoever is in charge: the file is not there."""
        conversations = self.conversations
        kinds = conversations.company.raw.get("content_kinds") or {}
        label = (kinds.get(kind) or kinds["other"])["label"]
        caption = (caption or "").strip()
        text = f"[{label}] {caption}" if caption else f"[{label}]"
        async with conversations.lock(conv.id):
            conv = await conversations.get(conv.id)
            msg = await conversations.store(
                conv.id, Sender.CUSTOMER, text, custom={"unsupported": kind, "refused": notice}
            )
            await conversations.publish(conv, [message_json(msg)])
            await conversations.notice(conv, notice, reply_to=msg.id, **values)

    async def attachment_file(self, conv_id: str, attachment_id: str) -> bytes:
        return (await self.attachments.read(conv_id, attachment_id)).data
