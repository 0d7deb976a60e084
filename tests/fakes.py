"""A stand-in Rasa HTTP server for hub unit tests (integration tests use the real one).

It speaks Rasa's wire format for the endpoints the hub uses and records calls,
so API tests can check routing, storage and errors without loading a model.
With a `token` it refuses every call without `?token=<token>` (401), as the
real Rasa does with `--auth-token` and the project's channels do.
"""

from __future__ import annotations

import asyncio
from typing import Any, Awaitable, Callable, Dict, List

from aiohttp import web


class FakeRasa:
    def __init__(self, token: str = "") -> None:
        self.token = token
        self.refused = 0  # calls without the right token
        self.received: List[Dict[str, Any]] = []
        self.events: Dict[str, List[Dict[str, Any]]] = {}
        self.executed: List[str] = []
        self.down = False
        self.failing_turns = (
            0  # the next n turns report a failed custom action, as hub_channel does
        )
        self.delay = 0.0
        self.app = web.Application(middlewares=[self.check_token])
        self.app.router.add_post("/webhooks/hub/webhook", self.webhook)
        self.app.router.add_post("/model/parse", self.parse)
        self.app.router.add_post("/conversations/{sender}/tracker/events", self.append)
        self.app.router.add_post("/conversations/{sender}/execute", self.execute)
        self.app.router.add_get("/status", self.status)

    @web.middleware
    async def check_token(
        self, request: web.Request, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
    ) -> web.StreamResponse:
        if self.token and request.query.get("token") != self.token:
            self.refused += 1
            return web.json_response({"error": "unauthorized"}, status=401)
        return await handler(request)

    def answer(self, sender: str, text: str) -> List[Dict[str, Any]]:
        if text == "/request_human" or "mensch" in text.lower():
            return [
                {"recipient_id": sender, "text": "Ich gebe Ihr Anliegen weiter."},
                {
                    "recipient_id": sender,
                    "custom": {
                        "handoff": {
                            "reason": "customer_request",
                            "reason_label": "Kunde möchte einen Menschen",
                            "priority": "normal",
                            "summary": {
                                "topic": "Lieferstatus",
                                "register": "sie",
                                "order_id": "100234",
                                "mood": 0.1,
                            },
                        }
                    },
                },
            ]
        if text.startswith("/rate"):
            return [
                {"recipient_id": sender, "custom": {"rating": 4}},
                {"recipient_id": sender, "text": "Danke für Ihre Bewertung (4 von 5)!"},
            ]
        return [
            {
                "recipient_id": sender,
                "text": f"Echo: {text}",
                "buttons": [{"title": "Ja", "payload": "/affirm"}],
            }
        ]

    async def webhook(self, request: web.Request) -> web.Response:
        if self.delay:
            await asyncio.sleep(self.delay)
        if self.down:
            return web.Response(status=503)
        body = await request.json()
        self.received.append(body)
        if self.failing_turns:
            self.failing_turns -= 1
            return web.json_response(
                [
                    {
                        "recipient_id": body["sender"],
                        "custom": {"turn_failed": ["action_validate_slot_mappings"]},
                    }
                ]
            )
        return web.json_response(self.answer(body["sender"], body["message"]))

    async def parse(self, request: web.Request) -> web.Response:
        body = await request.json()
        return web.json_response(
            {
                "text": body["text"],
                "intent": {"name": "order_status", "confidence": 0.9},
                "entities": [],
                "mood": {"score": 0.3, "signals": []},
            }
        )

    async def append(self, request: web.Request) -> web.Response:
        self.events.setdefault(request.match_info["sender"], []).extend(await request.json())
        return web.json_response({})

    async def execute(self, request: web.Request) -> web.Response:
        body = await request.json()
        self.executed.append(body["name"])
        return web.json_response(
            {
                "messages": [
                    {
                        "recipient_id": request.match_info["sender"],
                        "text": "Hier ist wieder Wanda.",
                    },
                    {
                        "recipient_id": request.match_info["sender"],
                        "text": "Wie zufrieden waren Sie?",
                        "buttons": [
                            {"title": str(i), "payload": f'/rate{{"rating":"{i}"}}'}
                            for i in range(1, 6)
                        ],
                    },
                ]
            }
        )

    async def status(self, request: web.Request) -> web.Response:
        return web.json_response({"model_file": "fake.tar.gz"})
