"""The outbox: confirmations and agent answers are stored first and sent in the background.

A customer's turn only inserts a row; the sender loop of any hub claims due rows (conditional UPDATE
with a lease), sends, and marks them sent. A failed attempt is retried with exponential back-off up to
KD_MAIL_MAX_ATTEMPTS. Each mail has a unique dedupe key (one confirmation per ticket, one mail per agent
answer), so a retried request or a second hub never queues or sends it twice; only a hub dying between
the SMTP server's "250 OK" and marking the row sent can repeat a mail, and that copy carries the same
Message-ID, which mail clients show once.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import logging
import re
import secrets
from datetime import datetime, timedelta, timezone
from typing import Any, Awaitable, Callable, Dict, List, Tuple

from bot.hub.conversations import ConversationService
from bot.hub.errors import Conflict
from bot.hub.events import Json, TicketCreated
from bot.hub.mail import smtp, templates
from bot.hub.notifier import Notifier
from bot.hub.settings import Settings
from bot.hub.states import Sender
from bot.hub.store.mail_repo import MailRepo
from bot.hub.store.models import Agent, MailOutbox, Ticket
from bot.hub.teams import Teams, load_teams
from bot.shared.calendar import next_available_text
from bot.shared.company import Company

log = logging.getLogger(__name__)
EMAIL = re.compile(r"^[^@\s<>]+@[^@\s<>]+\.[^@\s<>]+$")
MAX_BACKOFF = 3600.0


def is_email(value: str | None) -> bool:
    return bool(value and EMAIL.match(value.strip()))


class MailService:
    def __init__(
        self,
        settings: Settings,
        repo: MailRepo,
        company: Company,
        conversations: ConversationService,
        notifier: Notifier,
        teams: Teams | None = None,
    ) -> None:
        self.settings = settings
        self.repo = repo
        self.company = company
        self.conversations = conversations
        self.notifier = notifier
        self.teams = teams or load_teams(company)
        self.smtp = smtp.SmtpConfig(
            settings.smtp_host,
            settings.smtp_port,
            settings.smtp_user,
            settings.smtp_password,
            settings.smtp_security,
        )
        self._key = settings.derived_key("mail-reply")
        self._wake = asyncio.Event()
        self.clock: Callable[[], datetime] = lambda: datetime.now(timezone.utc)  # tests move time
        self.send_message: Callable[[smtp.SmtpConfig, Any], Awaitable[None]] = (
            smtp.send
        )  # tests count sends

    @property
    def enabled(self) -> bool:
        return self.settings.mail_enabled

    @property
    def sender(self) -> str:
        return self.settings.mail_from or str(self.company.lookup("contact.email") or "")

    # -- reply addressing ----------------------------------------------------------
    def token(self, ticket_id: int) -> str:
        """'<ticket>-<signature>': only the hub can make one, so a guessed number finds no ticket."""
        sig = hmac.new(self._key, str(ticket_id).encode(), hashlib.sha256).hexdigest()[:10]
        return f"{ticket_id}-{sig}"

    def ticket_of_token(self, token: str) -> int | None:
        number, _, sig = token.partition("-")
        if not number.isdigit() or len(number) > 12:
            return None
        return (
            int(number) if hmac.compare_digest(self.token(int(number)), f"{number}-{sig}") else None
        )

    def reply_address(self, ticket_id: int) -> str:
        """Reply-To: a per-ticket address when a reply domain is configured, else the sender (the subject's tag
        then carries the ticket)."""
        domain = self.settings.mail_reply_domain
        if not domain:
            return self.sender
        local = self.settings.mail_reply_local or "antwort"
        return f"{local}+{self.token(ticket_id)}@{domain}"

    def subject_tag(self, ticket_id: int) -> str:
        return f"[Anfrage #{self.token(ticket_id)}]"

    # -- queueing mail ---------------------------------------------------------------
    async def on_ticket_created(self, event: TicketCreated) -> List[Json] | None:
        """Confirmation for a new ticket or callback request, if the customer left an e-mail address."""
        ticket = event.ticket
        if not self.enabled or not is_email(ticket.contact):
            return None
        team = self.teams.get(ticket.team)
        now = self.clock()
        opening = team.calendar.next_opening(now)
        when = (
            next_available_text(opening, now)
            if opening and not team.calendar.is_open(now)
            else self.company.notice("as_soon_as_possible", event.conversation.register)
        )
        kind = "callback_confirmation" if event.kind == "callback" else "ticket_confirmation"
        subject, body = templates.render(
            self.company,
            kind,
            event.conversation.register,
            ticket=ticket.id,
            team=team.name,
            when=when,
        )
        await self._enqueue(
            f"{kind}:{ticket.id}", ticket, kind, str(ticket.contact).strip(), subject, body
        )
        return None

    async def answer_ticket(
        self, ticket: Ticket, agent: Agent, text: str
    ) -> Tuple[Json, MailOutbox]:
        """An agent answers a ticket by e-mail: the answer joins the conversation and the tracker, the mail the
        outbox."""
        if not self.enabled:
            raise Conflict("mail_disabled", "Der E-Mail-Versand ist nicht eingerichtet.")
        if not is_email(ticket.contact):
            raise Conflict("no_email", "Zu dieser Anfrage gibt es keine E-Mail-Adresse.")
        conv = await self.conversations.get(ticket.conversation_id)
        message = await self.conversations.post(
            conv, Sender.AGENT, text, agent=agent, custom={"via": "email", "ticket": ticket.id}
        )
        self.conversations.background(self.conversations.log_agent_message(conv, agent, text))
        subject, body = templates.render(
            self.company,
            "agent_reply",
            conv.register,
            ticket=ticket.id,
            text=text,
            agent=agent.name,
        )
        mail = await self._enqueue(
            f"agent_reply:{message['id']}",
            ticket,
            "agent_reply",
            str(ticket.contact).strip(),
            subject,
            body,
        )
        return message, mail

    async def _enqueue(
        self, key: str, ticket: Ticket, kind: str, to: str, subject: str, body: str
    ) -> MailOutbox:
        domain = self.sender.rpartition("@")[2] or "kundendialog.invalid"
        row = MailOutbox(
            dedupe_key=key,
            ticket_id=ticket.id,
            conversation_id=ticket.conversation_id,
            kind=kind,
            to_addr=to,
            subject=f"{subject} {self.subject_tag(ticket.id)}"[:300],
            body=body,
            reply_to=self.reply_address(ticket.id),
            message_id=f"<kd.{kind}.{secrets.token_hex(12)}@{domain}>",
            next_attempt_at=self._now(),
        )
        stored = await self.repo.enqueue_mail(row)
        self._wake.set()
        return stored

    def _now(self) -> datetime:
        return (
            self.clock().astimezone(timezone.utc).replace(tzinfo=None)
        )  # the database's naive UTC

    # -- sending -----------------------------------------------------------------------
    def backoff(self, attempts: int) -> float:
        return min(MAX_BACKOFF, self.settings.mail_retry_seconds * (2 ** max(0, attempts - 1)))

    async def send_due(self) -> int:
        """One pass over due mails; returns how many were sent."""
        now = self._now()
        sent = 0
        for mail in await self.repo.claim_mail(now, self.smtp.timeout * 3):
            message = smtp.build_message(
                self.sender,
                self.company.name,
                mail.to_addr,
                mail.subject,
                mail.body,
                mail.message_id,
                mail.reply_to,
                automatic=mail.kind != "agent_reply",
            )
            try:
                await self.send_message(self.smtp, message)
            except Exception as exc:  # noqa: BLE001 - every failure is retried later, none may kill the loop
                attempts = mail.attempts + 1
                retry = (
                    None
                    if attempts >= self.settings.mail_max_attempts
                    else now + timedelta(seconds=self.backoff(attempts))
                )
                log.warning("mail %s attempt %s failed: %s", mail.id, attempts, exc)
                await self.repo.mail_failed(mail.id, f"{type(exc).__name__}: {exc}", retry)
                continue
            await self.repo.mail_sent(mail.id)
            sent += 1
        return sent

    def kick(self) -> None:
        self._wake.set()

    async def loop(self) -> None:
        while True:
            try:
                await asyncio.wait_for(self._wake.wait(), timeout=self.settings.mail_poll_interval)
            except asyncio.TimeoutError:
                pass
            self._wake.clear()
            try:
                await self.send_due()
            except Exception:  # noqa: BLE001
                log.exception("mail outbox pass failed")

    def status(self) -> Dict[str, Any]:
        return {"enabled": self.enabled, "reply_domain": self.settings.mail_reply_domain or None}
