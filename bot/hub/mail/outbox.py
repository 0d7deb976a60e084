"""The outbox: confirmations and agent answers are stored first and sent in the background.

A customer's turn only inserts a row; the sender loop of any hub claims due rows (conditional UPDATE
with a lease), sends, and marks them sent. A failed attempt is retried with exponential back-off up to
KD_MAIL_MAX_ATTEMPTS. Each mail has a unique dedupe key (one confirmation per ticket, one mail per agent
answer), so a retried request or a second hub never queues or sends it twice; only a hub dying between
the SMTP server's "250 OK" and marking the row sent can repeat a mail, and that copy carries the same
Message-ID, which mail clients show once.

Who gets mail: a request's contact is mailed only when it is exactly one plain address (address.py)
and its owner has shown it is theirs: the e-mail verified against an order before the handoff (the
summary's `email` with `email_verified`), or one confirmed by double opt-in. Any other address a
customer typed gets one mail with a confirmation link (at most OPTIN_PER_DAY per mailbox, whoever
asks) and nothing else until the link is used: nobody can make the hub mail a stranger, and a
stranger's reply never lands in someone else's chat (inbound.py parks it for agents).
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import logging
import secrets
from datetime import datetime, timedelta, timezone
from typing import Any, Awaitable, Callable, Dict, List, Tuple

from bot.hub.conversations import ConversationService
from bot.hub.errors import Conflict, NotFound
from bot.hub.events import Json, TicketCreated
from bot.hub.mail import smtp, templates
from bot.hub.mail.address import parse_email, same_address
from bot.hub.notifier import Notifier
from bot.hub.settings import Settings
from bot.hub.states import Sender
from bot.hub.store.mail_repo import MailRepo
from bot.hub.store.models import Agent, MailOutbox, Ticket
from bot.hub.store.serialize import register_of, ticket_json
from bot.hub.teams import Teams, load_teams
from bot.shared.calendar import next_available_text
from bot.shared.company import Company

log = logging.getLogger(__name__)
MAX_BACKOFF = 3600.0
OPTIN = "contact_optin"  # the mail kind asking the owner of an address to confirm it
OPTIN_PER_DAY = 3  # confirmation mails to one mailbox per 24 h, whichever requests ask for them
CONFIRM_PATH = "/mail/bestaetigen"


def is_email(value: str | None) -> bool:
    """Exactly one plain address (never a list, a display name or a quoted part)."""
    return parse_email(value) is not None


def verified_email(ticket: Ticket) -> str | None:
    """The e-mail the bot verified against an order before the handoff (actions/handoff.py sets the
    summary's `email` only then, with `email_verified`)."""
    summary = ticket.summary if isinstance(ticket.summary, dict) else {}
    return parse_email(summary.get("email")) if summary.get("email_verified") is True else None


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
        self._optin_key = settings.derived_key("mail-optin")
        self.send_message: Callable[[smtp.SmtpConfig, Any, str, List[str]], Awaitable[None]] = (
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

    # -- whose address it is -----------------------------------------------------------
    def mailable(self, ticket: Ticket) -> str | None:
        """The request's contact address if the hub may mail it: verified against an order or
        confirmed by its owner; None otherwise (also for a phone number or a messenger account)."""
        address = parse_email(ticket.contact)
        if address is None:
            return None
        if same_address(address, verified_email(ticket)) or same_address(
            address, ticket.contact_confirmed
        ):
            return address
        return None

    def optin_token(self, ticket_id: int, address: str) -> str:
        """'<ticket>-<signature over ticket and address>': confirms this address for this request only."""
        data = f"{ticket_id}:{address.lower()}".encode()
        sig = hmac.new(self._optin_key, data, hashlib.sha256).hexdigest()[:24]
        return f"{ticket_id}-{sig}"

    async def confirm(self, token: str) -> Ticket | None:
        """The owner of the address used the link: the request's contact is confirmed; None when the
        token is not for the request's current contact, or the request is no longer open."""
        number, _, _sig = (token or "").partition("-")
        if not number.isdigit() or len(number) > 12 or len(token) > 64:
            return None
        try:
            ticket = await self.repo.ticket(int(number))
        except NotFound:
            return None
        address = parse_email(ticket.contact)
        if address is None or not hmac.compare_digest(self.optin_token(ticket.id, address), token):
            return None
        confirmed = await self.repo.confirm_contact(ticket.id, address)
        if confirmed is not None:
            await self.notifier.to_agents({"type": "ticket", "ticket": ticket_json(confirmed)})
        return confirmed

    # -- queueing mail ---------------------------------------------------------------
    async def on_ticket_created(self, event: TicketCreated) -> List[Json] | None:
        """Confirmation for a new ticket or callback request, if the customer left an e-mail address
        that is theirs; an address not known to be theirs gets the confirmation link instead."""
        ticket = event.ticket
        address = parse_email(ticket.contact)
        if not self.enabled or address is None:
            return None
        if self.mailable(ticket) is None:
            await self._ask_to_confirm(event, address)
            return None
        team = self.teams.get(ticket.team)
        now = self.clock()
        opening = team.calendar.next_opening(now)
        when = (
            next_available_text(opening, now)
            if opening and not team.calendar.is_open(now)
            else self.company.notice("as_soon_as_possible", register_of(event.conversation))
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
        await self._enqueue(f"{kind}:{ticket.id}", ticket, kind, address, subject, body)
        return None

    async def _ask_to_confirm(self, event: TicketCreated, address: str) -> None:
        """One mail with the confirmation link per request and address, and at most OPTIN_PER_DAY to
        one mailbox a day: the link is all a stranger's address ever gets from the hub."""
        ticket = event.ticket
        now = self._now()
        if await self.repo.mails_to(address, OPTIN, now - timedelta(days=1)) >= OPTIN_PER_DAY:
            log.info("no confirmation link for ticket %s: the mailbox had enough today", ticket.id)
            return
        token = self.optin_token(ticket.id, address)
        subject, body = templates.render(
            self.company,
            OPTIN,
            None,  # Sie: the mailbox's owner need not be who chats
            ticket=ticket.id,
            link=f"{self.settings.base_url}{CONFIRM_PATH}?t={token}",
        )
        mailbox = hashlib.sha256(address.lower().encode()).hexdigest()[:16]
        await self._enqueue(f"{OPTIN}:{ticket.id}:{mailbox}", ticket, OPTIN, address, subject, body)

    async def answer_ticket(
        self, ticket: Ticket, agent: Agent, text: str
    ) -> Tuple[Json, MailOutbox]:
        """An agent answers a ticket by e-mail: the answer joins the conversation and the tracker, the mail the
        outbox."""
        if not self.enabled:
            raise Conflict("mail_disabled", "Der E-Mail-Versand ist nicht eingerichtet.")
        if not is_email(ticket.contact):
            raise Conflict("no_email", "Zu dieser Anfrage gibt es keine E-Mail-Adresse.")
        address = self.mailable(ticket)
        if address is None:
            raise Conflict(
                "email_unconfirmed",
                "Die E-Mail-Adresse dieser Anfrage ist nicht bestätigt: Sie wurde weder bei der "
                "Bestellprüfung verifiziert noch über den Bestätigungslink bestätigt. Bitte antworten "
                "Sie im Chat oder telefonisch.",
            )
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
            f"agent_reply:{message['id']}", ticket, "agent_reply", address, subject, body
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
            if parse_email(mail.to_addr) is None:  # queued before addresses were parsed strictly
                await self.repo.mail_failed(mail.id, "not exactly one plain address", None)
                continue
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
                # the one recipient stated, never read back from the To header (a list to SMTP libraries)
                await self.send_message(self.smtp, message, self.sender, [mail.to_addr])
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
