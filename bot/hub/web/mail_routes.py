"""E-mail follow-up routes: an agent answers a ticket by e-mail, the mails of a ticket, and the inbound
webhook a mail provider posts the customer's reply to (bot/hub/mail).

The agent routes authenticate like the rest of the agent API and reach only the requests of the agent's
teams (bot/hub/web/ticket_access.py: audited, open ones only for answers); the webhook by KD_MAIL_INBOUND_SECRET
(Bearer), and it answers 404 while e-mail or the secret is not configured.
"""

from __future__ import annotations

import hmac
import html

from aiohttp import web

from bot.hub.errors import AuthenticationFailed, Conflict, MalformedRequest, NotFound
from bot.hub.handoff.audit import Audit
from bot.hub.handoff.visibility import may_act
from bot.hub.keys.config import SETTINGS
from bot.hub.keys.dialogue import CONVERSATIONS
from bot.hub.keys.mail import MAIL
from bot.hub.keys.store import REPO
from bot.hub.mail import inbound
from bot.hub.mail.outbox import CONFIRM_PATH
from bot.hub.states import ConversationState
from bot.hub.store.models import MailOutbox
from bot.hub.store.serialize import iso
from bot.hub.web import ticket_access
from bot.hub.web.agent import SEC, current_agent
from bot.hub.web.body import bearer, json_body, text_field
from bot.hub.web.spec import (
    BOOL,
    DATE_TIME,
    INT,
    MAX_TEXT,
    MESSAGE_REF,
    STR,
    Doc,
    nullable,
    obj,
    text_input,
)

MAIL_DOC = obj(
    id=INT,
    kind=STR,
    to=STR,
    subject=STR,
    state=STR,
    attempts=INT,
    last_error=nullable(STR),
    created_at=DATE_TIME,
    sent_at=nullable(DATE_TIME),
)


def mail_json(m: MailOutbox) -> dict:
    return {
        "id": m.id,
        "kind": m.kind,
        "to": m.to_addr,
        "subject": m.subject,
        "state": m.state,
        "attempts": m.attempts,
        "last_error": m.last_error,
        "created_at": iso(m.created_at),
        "sent_at": iso(m.sent_at),
    }


ANSWER_BY_EMAIL_DOC = Doc(
    "Answer an open request of my teams by e-mail (supervisors and admins: any): the answer joins the "
    "conversation; the mail is sent in the background (403: another team's request; 409: e-mail is off, "
    "the request has no e-mail address, is done (ticket_done), or a colleague is talking with the "
    "customer (not_assigned))",
    "agent",
    auth=SEC,
    status=201,
    request=obj(required=["text"], text=text_input(MAX_TEXT)),
    response=obj(message=MESSAGE_REF, mail=MAIL_DOC),
    errors=[401, 403, 404, 409],
)


async def answer_by_email(request: web.Request) -> web.Response:
    agent = await current_agent(request)
    body = await json_body(request)
    text = text_field(body, "text", request.app[SETTINGS].max_text_length) or ""
    ticket = await ticket_access.ticket_for(request, agent, "email", open_only=True)
    conv = await request.app[CONVERSATIONS].get(ticket.conversation_id)
    if conv.state == ConversationState.AGENT and not may_act(agent, conv):
        busy = Conflict("not_assigned", "Mit diesem Kunden spricht gerade ein Kollege im Chat.")
        await ticket_access.refused(request, agent, ticket.id, "email", busy)
        raise busy
    message, mail = await request.app[MAIL].answer_ticket(ticket, agent, text)
    await ticket_access.audit(
        request,
        agent,
        Audit.TICKET_ANSWERED,
        ticket.id,
        {"message": message["id"], "mail": mail.id},
    )
    return web.json_response({"message": message, "mail": mail_json(mail)}, status=201)


TICKET_MAILS_DOC = Doc(
    "E-mails of a request of my teams (supervisors and admins: any) and whether they went out",
    "agent",
    auth=SEC,
    response=obj(mails={"type": "array", "items": MAIL_DOC}),
    errors=[401, 403, 404],
)


async def ticket_mails(request: web.Request) -> web.Response:
    agent = await current_agent(request)
    ticket = await ticket_access.ticket_for(request, agent, "emails")
    mails = await request.app[REPO].mails_of_ticket(ticket.id)
    await ticket_access.audit(
        request, agent, Audit.VIEW_TICKET_MAILS, ticket.id, {"mails": [m.id for m in mails]}
    )
    return web.json_response({"mails": [mail_json(m) for m in mails]})


MAIL_INBOUND_DOC = Doc(
    "A customer's e-mail reply posted by the mail provider (`Authorization: Bearer KD_MAIL_INBOUND_SECRET`): "
    "fields from, to, subject, text (or Postmark's From/FromFull, To, Subject, TextBody), message_id; the "
    "ticket comes from the reply address or the subject tag. Only a mail from the request's confirmed "
    "contact address joins the conversation; any other is parked (`parked`: an internal note for agents, "
    "never shown to the customer)",
    "mail",
    request={
        "type": "object",
        "properties": {"from": STR, "to": STR, "subject": STR, "text": STR, "message_id": STR},
    },
    response=obj(
        ticket_id=INT,
        conversation_id=STR,
        duplicate=BOOL,
        parked=BOOL,
        message=nullable(MESSAGE_REF),
    ),
    errors=[401, 404],
)


async def mail_inbound(request: web.Request) -> web.Response:
    settings = request.app[SETTINGS]
    if not settings.mail_enabled or not settings.mail_inbound_secret:
        raise NotFound("mail_inbound_off", "Eingehende E-Mails sind nicht eingerichtet.")
    if not hmac.compare_digest(
        (bearer(request) or "").encode(), settings.mail_inbound_secret.encode()
    ):
        raise AuthenticationFailed("unauthenticated", "Falsches oder fehlendes Webhook-Geheimnis.")
    body = await json_body(request)
    return web.json_response(await inbound.receive(request.app[MAIL], body))


# The confirmation link of a typed e-mail address (double opt-in, bot/hub/mail/outbox.py). Opening the
# link only shows a button: mail scanners that fetch every link must not confirm for the recipient.
CONFIRM_PAGE = """<!doctype html>
<html lang="de">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>E-Mail-Adresse bestätigen</title><link rel="stylesheet" href="/shop.css"></head>
<body><main class="confirm-mail"><h1>E-Mail-Adresse bestätigen</h1>
{body}
</main></body>
</html>
"""
CONFIRM_FORM = """<p>Sie haben uns im Chat gebeten, Ihnen zu Ihrer Anfrage per E-Mail zu antworten.
Bitte bestätigen Sie, dass diese E-Mail-Adresse Ihnen gehört.</p>
<form method="post" action="{path}"><input type="hidden" name="t" value="{token}">
<button type="submit">Ja, das ist meine E-Mail-Adresse</button></form>
<p>Wenn Sie das nicht waren, schließen Sie diese Seite einfach – wir schreiben Ihnen dann nicht.</p>"""
CONFIRMED = """<p>Vielen Dank! Ihre E-Mail-Adresse ist bestätigt. Wir melden uns zu Ihrer Anfrage
(Vorgangsnummer {ticket}) per E-Mail.</p>"""
MAX_TOKEN = 64


def _mail_on(request: web.Request) -> None:
    if not request.app[SETTINGS].mail_enabled:
        raise NotFound("mail_off", "Der E-Mail-Versand ist nicht eingerichtet.")


def _page(body: str) -> web.Response:
    return web.Response(
        text=CONFIRM_PAGE.format(body=body),
        content_type="text/html",
        headers={"Cache-Control": "no-store"},
    )


def _invalid_link() -> NotFound:
    return NotFound("invalid_link", "Dieser Bestätigungslink ist ungültig oder nicht mehr gültig.")


async def confirm_page(request: web.Request) -> web.Response:
    """GET /mail/bestaetigen?t=...: the button that confirms (nothing changes on GET)."""
    _mail_on(request)
    token = request.query.get("t", "")
    if not token or len(token) > MAX_TOKEN:
        raise _invalid_link()
    return _page(CONFIRM_FORM.format(path=CONFIRM_PATH, token=html.escape(token, quote=True)))


async def confirm_contact(request: web.Request) -> web.Response:
    """POST /mail/bestaetigen (form field t): the owner of the address confirms it for the request."""
    _mail_on(request)
    try:
        form = await request.post()
    except ValueError as exc:
        raise MalformedRequest("invalid_form", "Das Formular ist nicht lesbar.") from exc
    token = form.get("t")
    if not isinstance(token, str) or not token or len(token) > MAX_TOKEN:
        raise _invalid_link()
    ticket = await request.app[MAIL].confirm(token)
    if ticket is None:
        raise _invalid_link()
    return _page(CONFIRMED.format(ticket=ticket.id))
