"""Opening conversations: create one, find it, check the customer's token, read the transcript.

What routes and messenger channels need before (or instead of) a turn.
"""

from __future__ import annotations

import hmac
import secrets
from collections import OrderedDict
from datetime import timedelta
from typing import Callable, List, Tuple

from bot.hub.conversations.posting import Posting
from bot.hub.errors import AuthenticationFailed, NotFound
from bot.hub.events import Json
from bot.hub.settings import Settings
from bot.hub.states import ConversationState, Sender
from bot.hub.store.conversations_repo import REVOKED_TOKEN, ConversationsRepo
from bot.hub.store.models import Conversation, utcnow
from bot.hub.store.serialize import message_json
from bot.hub.tokens import token_hash
from bot.shared.company import Company

ADMITTED = 10_000  # conversations whose accepted token this hub remembers (~1 KB each)


def conversation_id() -> str:
    """A random URL-safe id that does not start with "-": such an id would read as an option on
    a command line and get a defusing apostrophe in CSV exports (a spreadsheet formula start)."""
    while True:
        candidate = secrets.token_urlsafe(18)
        if not candidate.startswith("-"):
            return candidate


class ConversationAccess:
    def __init__(
        self, settings: Settings, repo: ConversationsRepo, company: Company, posting: Posting
    ) -> None:
        self.settings = settings
        self.repo = repo
        self.company = company
        self.posting = posting
        # conversation -> as it was when its token was last accepted (authenticate_turn)
        self._admitted: OrderedDict[str, Conversation] = OrderedDict()

    async def create(
        self,
        channel: str,
        metadata: Json,
        external_id: str | None = None,
        display_name: str | None = None,
        welcome: bool = False,
    ) -> Tuple[Conversation, str]:
        """A new conversation; `welcome`: it starts with Wanda's greeting and AI disclosure (notices.welcome),
        stored as a bot message without a Rasa turn, so the widget shows it before the customer types."""
        token = secrets.token_urlsafe(32)
        conv = Conversation(
            id=conversation_id(),
            token_hash=token_hash(token),
            channel=channel,
            meta=metadata,
            external_id=external_id,
            display_name=display_name,
            state=ConversationState.BOT,
        )
        conv = await self.repo.add_conversation(conv)
        self.remember(conv)
        if welcome:
            await self.posting.store(
                conv.id,
                Sender.BOT,
                self.company.notice("welcome", conv.register),
                custom={"welcome": True},
            )
        return conv, token

    async def get(self, conv_id: str) -> Conversation:
        conv = await self.repo.conversation(conv_id)
        if conv is None:
            raise NotFound("conversation_not_found", "Dieses Gespräch gibt es nicht.")
        return conv

    async def authenticate(self, conv_id: str, token: str | None) -> Conversation:
        conv = await self.get(conv_id)
        self.check(conv, token)
        return conv

    def check(self, conv: Conversation, token: str | None) -> None:
        """The token opens this conversation, and it has not been idle too long."""
        if not token or not hmac.compare_digest(conv.token_hash, token_hash(token)):
            raise AuthenticationFailed(
                "invalid_token", "Der Zugangsschlüssel für dieses Gespräch ist ungültig."
            )
        if self.expired(conv):
            # A token left in a shared browser must not reopen the conversation (KD_CUSTOMER_IDLE_HOURS).
            raise AuthenticationFailed(
                "token_expired", self.company.notice("token_expired", conv.register)
            )

    async def authenticate_turn(self, conv_id: str, token: str | None) -> Conversation:
        """`authenticate` for a customer turn, without a read of its own when this hub accepted the
        token before: the turn's first transaction checks the token again on the row it reads anyway
        (`admission`), so a token withdrawn meanwhile, on any hub, fails with the same error before
        anything is stored. One read and its thread hop less per turn."""
        known = self._admitted.get(conv_id)
        if known is not None and token and not self.expired(known):
            if hmac.compare_digest(known.token_hash, token_hash(token)):
                self._admitted.move_to_end(conv_id)
                return known
        conv = await self.authenticate(conv_id, token)
        self.remember(conv)
        return conv

    def admission(self, token: str | None) -> Callable[[Conversation], None]:
        """The check a turn's first transaction runs on the conversation it read (see authenticate_turn)."""
        return lambda conv: self.check(conv, token)

    def remember(self, conv: Conversation) -> None:
        """The conversation as a turn left it (its register, its token hash): what authenticate_turn returns."""
        self._admitted[conv.id] = conv
        self._admitted.move_to_end(conv.id)
        while len(self._admitted) > ADMITTED:
            self._admitted.popitem(last=False)

    def expired(self, conv: Conversation) -> bool:
        idle_hours = self.settings.customer_idle_hours
        return idle_hours > 0 and utcnow() - (conv.last_customer_at or conv.created_at) > timedelta(
            hours=idle_hours
        )

    @staticmethod
    def revoked(conv: Conversation) -> bool:
        """The customer ended the chat or it is being erased: its token was withdrawn."""
        return conv.token_hash == REVOKED_TOKEN

    async def transcript(self, conv_id: str) -> List[Json]:
        return [message_json(m, name) for m, name in await self.repo.transcript(conv_id)]

    # -- what messenger channels call ----------------------------------------------
    async def first_delivery(self, channel: str, update_id: str) -> bool:
        return await self.repo.first_delivery(channel, update_id)

    async def conversation_for(self, channel: str, user_id: str, display_name: str) -> Conversation:
        """The customer's latest conversation; a closed one is reopened on the next message."""
        conv = await self.repo.latest_by_external(channel, user_id)
        if conv is None:
            conv, _ = await self.create(
                channel, {"channel": channel}, external_id=user_id, display_name=display_name
            )
        return conv
