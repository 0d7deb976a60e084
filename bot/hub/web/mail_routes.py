"""E-mail follow-up routes: an agent answers a ticket by e-mail, the mails of a ticket, and the inbound
webhook a mail provider posts the customer's reply to (bot/hub/mail).

The agent routes authenticate like the rest of the agent API and reach only the requests of the agent's
teams (bot/hub/web/ticket_access.py: audited, open ones only for answers); the webhook by KD_MAIL_INBOUND_SECRET
(Bearer), and it answers 404 while e-mail or the secret is not configured.
"""

from __future__ import annotations

import hmac

from aiohttp import web

from bot.hub.errors import AuthenticationFailed, Conflict, NotFound
from bot.hub.handoff.audit import Audit
from bot.hub.handoff.visibility import may_act
from bot.hub.keys.config import SETTINGS
from bot.hub.keys.dialogue import CONVERSATIONS
from bot.hub.keys.mail import MAIL
from bot.hub.keys.store import REPO
from bot.hub.mail import inbound
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
    "fields to, subject, text (or Postmark's To, Subject, TextBody), message_id; the ticket comes from the "
    "reply address or the subject tag",
    "mail",
    request=obj(to=STR, subject=STR, text=STR, message_id=STR),
    response=obj(ticket_id=INT, conversation_id=STR, duplicate=BOOL, message=nullable(MESSAGE_REF)),
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
