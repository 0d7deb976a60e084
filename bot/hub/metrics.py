"""Operations metrics of this hub process in Prometheus' text format at GET /metrics (prometheus-client).

- kundendialog_turn_seconds{part="hub"|"rasa", channel}: a customer turn as the client waits for it
  (the customer message POST, or a messenger webhook) and the share spent waiting for Rasa;
- kundendialog_messages_total{channel, sender}: messages stored;
- kundendialog_rasa_errors_total{kind="rasa"|"action"}: Rasa unreachable / failing, or a custom action
  failed (the message is kept pending and retried);
- kundendialog_retries_total: customer messages sent to Rasa again by the retry loop;
- kundendialog_queue_length, kundendialog_agents_online: read from the database at each scrape;
- kundendialog_websockets{side="customer"|"agent"}: open websockets of this process.

Each app has its own registry (tests run several hubs in one process). Protected: with
KD_METRICS_TOKEN set, a scrape needs `Authorization: Bearer <token>`; without it only direct calls
from the loopback interface are answered (none that passed a reverse proxy).
"""

from __future__ import annotations

import functools
import hmac
import ipaddress
import time
from typing import Any, AsyncIterator, Awaitable, Callable, Dict, List

from aiohttp import web
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
)

from bot.hub.bus import Bus
from bot.hub.events import MessagesStored
from bot.hub.keys.config import SETTINGS
from bot.hub.keys.dialogue import CONVERSATIONS, RASA
from bot.hub.keys.push import BUS
from bot.hub.keys.sla import SLA
from bot.hub.keys.store import REPO
from bot.hub.notifier import AGENTS
from bot.hub.rasa_client import RasaUnavailable
from bot.hub.states import ChannelName
from bot.hub.web.errors import Handler

BUCKETS = (0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 15.0, 30.0)
PROXY_HEADERS = (
    "Forwarded",
    "X-Forwarded-For",
    "X-Forwarded-Proto",
    "X-Forwarded-Host",
    "X-Real-IP",
    "Via",
)
TURN_ROUTES = {
    "/api/v1/conversations/{conversation_id}/messages": ChannelName.WEBCHAT.value,
    "/webhooks/telegram": ChannelName.TELEGRAM.value,
    "/webhooks/messenger": ChannelName.MESSENGER.value,
    "/webhooks/whatsapp": ChannelName.WHATSAPP.value,
}


class Metrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.turn = Histogram(
            "kundendialog_turn_seconds",
            "Customer turn latency: the whole turn in the hub, and the wait for Rasa",
            ["part", "channel"],
            buckets=BUCKETS,
            registry=self.registry,
        )
        self.messages = Counter(
            "kundendialog_messages",
            "Messages stored",
            ["channel", "sender"],
            registry=self.registry,
        )
        self.rasa_errors = Counter(
            "kundendialog_rasa_errors",
            "Failed Rasa calls: Rasa itself, or a custom action",
            ["kind"],
            registry=self.registry,
        )
        self.retries = Counter(
            "kundendialog_retries",
            "Customer messages sent to Rasa again by the retry loop",
            registry=self.registry,
        )
        self.queue_length = Gauge(
            "kundendialog_queue_length", "Handoffs waiting in the queue", registry=self.registry
        )
        self.agents_online = Gauge(
            "kundendialog_agents_online", "Agents online", registry=self.registry
        )
        self.websockets = Gauge(
            "kundendialog_websockets",
            "Open websockets of this hub process",
            ["side"],
            registry=self.registry,
        )
        self.sla_breaches = Gauge(
            "kundendialog_sla_breaches",
            "SLA breaches per team and target (first_response, resolution): `open` handoffs past "
            "their target now, `missed_24h` clocks stopped after the target in the last 24 hours",
            ["team", "target", "which"],
            registry=self.registry,
        )
        for kind in ("rasa", "action"):
            self.rasa_errors.labels(kind)
        for side in ("customer", "agent"):
            self.websockets.labels(side)

    async def on_messages(self, event: MessagesStored) -> None:
        for message in event.messages:
            self.messages.labels(
                event.conversation.channel, str(message.get("sender") or "unknown")
            ).inc()

    def count_websockets(self, bus: Bus) -> None:
        counts = bus.subscriber_counts()
        self.websockets.labels("agent").set(counts.get(AGENTS, 0))
        self.websockets.labels("customer").set(
            sum(n for topic, n in counts.items() if topic.startswith("conv:"))
        )

    def timed_rasa(
        self, send: Callable[..., Awaitable[List[Dict[str, Any]]]]
    ) -> Callable[..., Any]:
        """Wraps RasaClient.send: latency, errors by kind, retries."""

        @functools.wraps(send)
        async def timed(
            sender: str,
            text: str,
            message_id: str,
            metadata: Dict[str, Any] | None = None,
            retry: bool = False,
        ) -> List[Dict[str, Any]]:
            if retry:
                self.retries.inc()
            started = time.perf_counter()
            channel = str((metadata or {}).get("channel") or "unknown")
            try:
                return await send(sender, text, message_id, metadata, retry)
            except RasaUnavailable as exc:
                self.rasa_errors.labels(
                    "action" if "custom action failed" in str(exc) else "rasa"
                ).inc()
                raise
            finally:
                self.turn.labels("rasa", channel).observe(time.perf_counter() - started)

        return timed


METRICS = web.AppKey("metrics", Metrics)


def middleware() -> Callable[..., Any]:
    """Times customer turns (the customer message POST and the messenger webhooks)."""

    @web.middleware
    async def turn_timer(request: web.Request, handler: Handler) -> web.StreamResponse:
        route = (
            request.match_info.route.resource.canonical if request.match_info.route.resource else ""
        )
        channel = TURN_ROUTES.get(route) if request.method == "POST" else None
        if channel is None or METRICS not in request.app:
            return await handler(request)
        started = time.perf_counter()
        try:
            return await handler(request)
        finally:
            request.app[METRICS].turn.labels("hub", channel).observe(time.perf_counter() - started)

    return turn_timer


async def instrument(app: web.Application) -> AsyncIterator[None]:
    """Cleanup context after the services: hooks the metrics into the running hub."""
    metrics = app[METRICS]
    rasa = app[RASA]
    setattr(rasa, "send", metrics.timed_rasa(rasa.send))  # noqa: B010 - an instance wrapper, RasaClient unchanged
    app[CONVERSATIONS].events.subscribe(MessagesStored, metrics.on_messages)
    yield


def allowed(request: web.Request, token: str) -> bool:
    if token:
        given = request.headers.get("Authorization", "")
        return given.startswith("Bearer ") and hmac.compare_digest(
            given[7:].encode(), token.encode()
        )
    if any(h in request.headers for h in PROXY_HEADERS):
        return False  # came through a proxy: not a local scrape, whatever the socket says
    try:
        return ipaddress.ip_address((request.remote or "").split("%")[0]).is_loopback
    except ValueError:
        return False


async def scrape(request: web.Request) -> web.Response:
    app = request.app
    token = app[SETTINGS].metrics_token
    if not allowed(request, token):
        if token:
            return web.Response(
                status=401, text="unauthorized\n", headers={"WWW-Authenticate": "Bearer"}
            )
        return web.Response(
            status=403, text="forbidden: /metrics answers loopback only (or set KD_METRICS_TOKEN)\n"
        )
    metrics = app[METRICS]
    repo = app[REPO]
    metrics.queue_length.set(len(await repo.queued()))
    metrics.agents_online.set(await repo.online_count())
    metrics.count_websockets(app[BUS])
    for (team, target, which), count in (await app[SLA].breaches()).items():
        metrics.sla_breaches.labels(team, target, which).set(count)
    return web.Response(
        body=generate_latest(metrics.registry),
        headers={"Content-Type": CONTENT_TYPE_LATEST, "Cache-Control": "no-store"},
    )


def setup(app: web.Application) -> None:
    """Registry and instrumentation; the middleware and the route (`scrape`) are added with the others."""
    app[METRICS] = Metrics()
    app.cleanup_ctx.append(instrument)
