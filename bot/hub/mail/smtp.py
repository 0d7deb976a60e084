"""Sending one message over SMTP with aiosmtplib (asyncio, so the hub's loop never blocks on a mail server)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from email.message import EmailMessage
from email.utils import format_datetime, formataddr
from typing import List

import aiosmtplib


@dataclass(frozen=True)
class SmtpConfig:
    host: str = "127.0.0.1"
    port: int = 25
    username: str = ""
    password: str = ""
    security: str = "none"  # none | starttls | tls
    timeout: float = 20.0


def build_message(
    sender: str,
    sender_name: str,
    to: str,
    subject: str,
    body: str,
    message_id: str,
    reply_to: str | None,
    automatic: bool = True,
) -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = formataddr((sender_name, sender)) if sender_name else sender
    msg["To"] = to
    msg["Subject"] = subject
    msg["Message-ID"] = (
        message_id  # fixed when queued: a re-sent copy is recognisable as the same mail
    )
    msg["Date"] = format_datetime(datetime.now(timezone.utc))
    if reply_to:
        msg["Reply-To"] = reply_to
    if automatic:  # confirmations: out-of-office replies should not answer them
        msg["Auto-Submitted"] = "auto-generated"
    msg.set_content(body)
    return msg


async def send(
    config: SmtpConfig, message: EmailMessage, sender: str, recipients: List[str]
) -> None:
    """Raises aiosmtplib.SMTPException / OSError on failure; the outbox retries. The envelope's
    sender and recipients are given, never parsed from the headers (aiosmtplib would read a To of
    "a@b.de,ceo,buchhaltung" as three recipients)."""
    await aiosmtplib.send(
        message,
        sender=sender,
        recipients=recipients,
        hostname=config.host,
        port=config.port,
        username=config.username or None,
        password=config.password or None,
        use_tls=config.security == "tls",
        start_tls=True if config.security == "starttls" else False,
        timeout=config.timeout,
    )
