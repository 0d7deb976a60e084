"""The hub's aiohttp application factory."""

from __future__ import annotations

import asyncio
import logging
from typing import AsyncIterator

from aiohttp import web

from bot.bus import Bus
from bot.company import company
from bot.handoff.agents import AgentAuth
from bot.handoff.queue import HandoffQueue
from bot.hub import Hub
from bot.keys import AUTH, BUS, CLIENT_LIMIT, CONV_LIMIT, HUB, QUEUE, SETTINGS
from bot.rasa_client import RasaClient
from bot.ratelimit import limiter
from bot.settings import Settings, load_settings
from bot.store.db import make_engine, migrate, session_factory
from bot.web import agent, channels_routes, customer, pages
from bot.web.errors import error_middleware
from bot.web.middlewares import cors_middleware

log = logging.getLogger(__name__)


async def services(app: web.Application) -> AsyncIterator[None]:
    """Open the database, Rasa client and bus; start background loops; close all on exit."""
    settings = app[SETTINGS]
    migrate(settings.database_url)
    engine = make_engine(settings.database_url)
    bus = Bus(settings.redis_url)
    await bus.start()
    rasa = RasaClient(settings.rasa_url, settings.rasa_token, settings.rasa_timeout)
    facts = company()
    hub = Hub(settings, session_factory(engine), rasa, bus, facts)
    queue = HandoffQueue(hub)
    hub.queue = queue
    app[BUS], app[HUB], app[QUEUE] = bus, hub, queue
    app[AUTH] = AgentAuth(hub.sessions, settings.agent_session_hours)
    from bot.channels import close_channels, setup_channels

    setup_channels(app, hub)
    tasks = [asyncio.create_task(hub.retry_loop()), asyncio.create_task(queue.housekeeping_loop())]
    yield
    await close_channels(app)  # cleanup hooks cannot be added from here: the app is frozen by now
    for task in tasks:
        task.cancel()
    await rasa.close()
    await bus.stop()
    engine.dispose()


def init_app(settings: Settings | None = None) -> web.Application:
    settings = settings or load_settings()
    app = web.Application(middlewares=[cors_middleware(settings.cors_origins), error_middleware],
                          client_max_size=64 * 1024)
    app[SETTINGS] = settings
    app[CONV_LIMIT] = limiter(settings.rate_conversation)
    app[CLIENT_LIMIT] = limiter(settings.rate_client)
    app.cleanup_ctx.append(services)
    for api in (customer.api, agent.api, pages.api, channels_routes.api):
        api.add_to(app)
    app.router.add_get("/api/v1/openapi.json", pages.openapi)
    pages.add_static(app)
    return app


def main() -> None:
    settings = load_settings()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    web.run_app(init_app(settings), host=settings.host, port=settings.port, access_log=None)


if __name__ == "__main__":
    main()
