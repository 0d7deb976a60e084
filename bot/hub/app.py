"""The hub's aiohttp application factory: composes services, middlewares and the route table."""

from __future__ import annotations

import asyncio
import logging
from typing import AsyncIterator

from aiohttp import web

from bot.hub import metrics
from bot.hub.accounts.agents import AgentAuth
from bot.hub.attachments.images import ImagePool
from bot.hub.attachments.service import AttachmentService
from bot.hub.attachments.storage import make_storage
from bot.hub.bus import Bus
from bot.hub.channels import close_channels, setup_channels
from bot.hub.channels.inbox import HubInbox
from bot.hub.conversations import ConversationService
from bot.hub.events import (
    Annotated,
    ContactGiven,
    Events,
    HandoffRequested,
    MessagesStored,
    NoteGiven,
    TicketCreated,
)
from bot.hub.handoff.queue import HandoffQueue
from bot.hub.housekeeping import data_lifecycle
from bot.hub.keys.agents import AUTH
from bot.hub.keys.attachments import ATTACHMENTS
from bot.hub.keys.config import COMPANY, SETTINGS
from bot.hub.keys.dialogue import CONVERSATIONS, RASA
from bot.hub.keys.handoff import QUEUE
from bot.hub.keys.limits import CALLBACK_LIMIT, CLIENT_LIMIT, CONV_LIMIT
from bot.hub.keys.macros import MACROS
from bot.hub.keys.mail import MAIL
from bot.hub.keys.mentions import MENTIONS
from bot.hub.keys.push import BUS, NOTIFIER
from bot.hub.keys.sla import SLA
from bot.hub.keys.store import REPO
from bot.hub.macros.service import MacroService
from bot.hub.macros.store import MacroStore
from bot.hub.mail.outbox import MailService
from bot.hub.mentions.service import MentionService
from bot.hub.mentions.store import MentionStore
from bot.hub.notifier import Notifier
from bot.hub.rasa_client import RasaClient
from bot.hub.ratelimit import limiter
from bot.hub.settings import Settings, load_settings
from bot.hub.sla.service import SlaService
from bot.hub.store.db import make_engine, migrate, session_factory
from bot.hub.store.repository import Repository
from bot.hub.tags.auto import AutoTagger, conversation_tagger
from bot.hub.web.errors import error_middleware
from bot.hub.web.middlewares import cors_middleware
from bot.hub.web.pages import HEALTH, HealthProbe
from bot.hub.web.proxy import proxy_middleware
from bot.hub.web.routes import setup_routes
from bot.hub.web.sockets import SOCKETS, SocketCaps
from bot.shared.company import company

log = logging.getLogger(__name__)


async def services(app: web.Application) -> AsyncIterator[None]:
    """Open the database, Rasa client and bus; wire the services; start background loops; close all on exit."""
    settings = app[SETTINGS]
    engine = make_engine(settings.database_url)
    await migrate(engine)
    bus = Bus(settings.redis_url, settings.derived_key("bus") if settings.redis_url else b"")
    await bus.start()
    rasa = RasaClient(settings.rasa_urls, settings.rasa_token, settings.rasa_timeout)
    facts = app[COMPANY]
    repo = Repository(session_factory(engine))
    events = Events()
    notifier = Notifier(bus)
    conversations = ConversationService(settings, repo, rasa, events, facts)
    queue = HandoffQueue(settings, repo, conversations, notifier, facts)
    events.subscribe(MessagesStored, notifier.on_messages)
    events.subscribe(Annotated, notifier.on_annotated)
    events.subscribe(HandoffRequested, queue.on_handoff_requested)
    events.subscribe(ContactGiven, queue.on_contact_given)
    events.subscribe(NoteGiven, queue.on_note_given)
    tagger = AutoTagger(repo)  # the topic as a tag (issue 27.9)
    events.subscribe(HandoffRequested, tagger.on_handoff)
    events.subscribe(TicketCreated, tagger.on_ticket)
    mail = MailService(settings, repo, facts, conversations, notifier, queue.teams)
    app[MACROS] = MacroService(MacroStore(repo.sessions), queue, conversations, facts)
    await app[MACROS].import_canned()  # company.yml's canned replies as shared macros, once
    app[MACROS].tagger = conversation_tagger(repo)  # a macro's tags (issue 27.9)
    app[SLA] = SlaService(repo.sessions, facts, queue.teams)
    app[MENTIONS] = MentionService(MentionStore(repo.sessions), notifier, mail, queue)
    events.subscribe(TicketCreated, mail.on_ticket_created)
    app[MAIL] = mail
    app[BUS], app[REPO], app[RASA], app[CONVERSATIONS], app[QUEUE] = (
        bus,
        repo,
        rasa,
        conversations,
        queue,
    )
    app[NOTIFIER] = notifier
    images = ImagePool(settings.image_concurrency, settings.image_queue_limit)
    app[ATTACHMENTS] = AttachmentService(
        make_storage(settings),
        conversations,
        settings.attachment_max_bytes,
        images,
        limiter(
            settings.rate_upload, {r: facts.notice("upload_limited", r) for r in ("sie", "du")}
        ),
    )
    app[AUTH] = AgentAuth(repo, settings.agent_session_hours, settings, notifier.to_agents)
    setup_channels(app, settings, HubInbox(conversations, app[ATTACHMENTS]), notifier, facts)
    tasks = [
        asyncio.create_task(conversations.retry_loop()),
        asyncio.create_task(queue.housekeeping_loop()),
    ]
    if settings.mail_enabled and settings.mail_poll_interval > 0:
        tasks.append(asyncio.create_task(mail.loop()))  # the outbox: never inside a customer's turn
    yield
    # SIGTERM: aiohttp has stopped accepting and let in-flight requests finish (shutdown_timeout);
    # a turn cut off anyway keeps its lease and is answered by another hub or after the restart.
    for task in tasks:
        task.cancel()
    await conversations.drain(5)
    await close_channels(app)  # cleanup hooks cannot be added from here: the app is frozen by now
    await rasa.close()
    images.close()
    await bus.stop()
    await engine.dispose()


def init_app(settings: Settings | None = None) -> web.Application:
    settings = settings or load_settings()
    app = web.Application(
        middlewares=[
            proxy_middleware(settings.trusted_proxies),
            cors_middleware(settings.cors_origins),
            error_middleware,
            metrics.middleware(),
        ],
        client_max_size=64 * 1024,
    )
    app[SETTINGS] = settings
    app[COMPANY] = company()
    by_register = {
        key: {reg: app[COMPANY].notice(key, reg) for reg in ("sie", "du")}
        for key in ("rate_limited", "callback_limited")
    }
    app[CONV_LIMIT] = limiter(settings.rate_conversation, by_register["rate_limited"])
    app[CLIENT_LIMIT] = limiter(settings.rate_client, by_register["rate_limited"])
    app[SOCKETS] = SocketCaps(settings.ws_per_conversation, settings.ws_per_client)
    app[HEALTH] = HealthProbe(settings.health_cache_seconds)
    app[CALLBACK_LIMIT] = limiter(settings.rate_callback, by_register["callback_limited"])
    app.cleanup_ctx.append(services)
    app.cleanup_ctx.append(
        data_lifecycle
    )  # privacy service and retention job, on top of the services
    metrics.setup(app)  # instrumented on top of the services
    setup_routes(app)
    return app


def main() -> None:
    settings = load_settings()
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    web.run_app(
        init_app(settings),
        host=settings.host,
        port=settings.port,
        access_log=None,
        shutdown_timeout=settings.rasa_timeout + 5,
    )


if __name__ == "__main__":
    main()
