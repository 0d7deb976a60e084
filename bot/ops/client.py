"""A small customer/agent client for the hub API, used by integration tests and benchmarks."""

from __future__ import annotations

import uuid
from typing import Any, Dict, List

import aiohttp


class HubError(Exception):
    """The hub answered with an unexpected status."""


async def expect(r: aiohttp.ClientResponse, *statuses: int) -> None:
    if r.status not in statuses:
        raise HubError(f"{r.method} {r.url.path}: HTTP {r.status} {await r.text()}")


def ws_base(base: str) -> str:
    """http://host:port -> ws://host:port (https -> wss)."""
    return "ws" + base[4:] if base.startswith("http") else base


class Customer:
    def __init__(self, session: aiohttp.ClientSession, base: str) -> None:
        self.session, self.base = session, base
        self.id = ""
        self.token = ""

    async def start(self, welcome: bool = False) -> Customer:
        """A new web chat; `welcome`: it opens with Wanda's greeting, as the widget does."""
        body: Dict[str, Any] = (
            {"channel": "webchat", "welcome": True} if welcome else {"channel": "webchat"}
        )
        async with self.session.post(f"{self.base}/api/v1/conversations", json=body) as r:
            await expect(r, 201)
            data = await r.json()
        self.id, self.token = data["conversation_id"], data["token"]
        return self

    @property
    def headers(self) -> Dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}

    async def say(
        self, text: str, payload: str | None = None, client_message_id: str | None = None
    ) -> List[Dict[str, Any]]:
        """The bot's answers; pass the same `client_message_id` to retry a POST safely."""
        body: Dict[str, Any] = {"client_message_id": client_message_id or uuid.uuid4().hex}
        body.update({"payload": payload, "title": text} if payload else {"text": text})
        async with self.session.post(
            f"{self.base}/api/v1/conversations/{self.id}/messages", json=body, headers=self.headers
        ) as r:
            await expect(r, 200)
            return (await r.json())["messages"][1:]

    async def texts(self, text: str, payload: str | None = None) -> str:
        return "\n".join(m["text"] or "" for m in await self.say(text, payload))

    async def state(self) -> Dict[str, Any]:
        async with self.session.get(
            f"{self.base}/api/v1/conversations/{self.id}", headers=self.headers
        ) as r:
            return await r.json()

    async def transcript(self) -> List[Dict[str, Any]]:
        async with self.session.get(
            f"{self.base}/api/v1/conversations/{self.id}/messages", headers=self.headers
        ) as r:
            return (await r.json())["messages"]

    async def ws_url(self) -> str:
        """A websocket URL with a fresh single-use ticket (the long-lived token never goes into a URL)."""
        async with self.session.post(
            f"{self.base}/api/v1/conversations/{self.id}/ws-ticket", headers=self.headers
        ) as r:
            await expect(r, 201)
            ticket = (await r.json())["ticket"]
        return f"{ws_base(self.base)}/api/v1/conversations/{self.id}/ws?ticket={ticket}"


class AgentClient:
    def __init__(self, session: aiohttp.ClientSession, base: str) -> None:
        self.session, self.base = session, base
        self.headers: Dict[str, str] = {}

    async def login(self, email: str, password: str) -> AgentClient:
        async with self.session.post(
            f"{self.base}/api/v1/agent/login", json={"email": email, "password": password}
        ) as r:
            await expect(r, 200)
            self.headers = {"Authorization": f"Bearer {(await r.json())['token']}"}
        return self

    async def call(
        self, method: str, path: str, body: Dict[str, Any] | None = None
    ) -> aiohttp.ClientResponse:
        async with self.session.request(
            method, f"{self.base}/api/v1/agent{path}", json=body, headers=self.headers
        ) as r:
            await r.read()
            return r

    async def ws_url(self) -> str:
        """The console's websocket URL with a fresh single-use ticket."""
        ticket = (await self.post("/ws-ticket"))["ticket"]
        return f"{ws_base(self.base)}/api/v1/agent/ws?ticket={ticket}"

    async def get(self, path: str) -> Any:
        async with self.session.get(f"{self.base}/api/v1/agent{path}", headers=self.headers) as r:
            await expect(r, 200)
            return await r.json()

    async def post(self, path: str, body: Dict[str, Any] | None = None) -> Any:
        async with self.session.post(
            f"{self.base}/api/v1/agent{path}", json=body, headers=self.headers
        ) as r:
            await expect(r, 200, 201)
            return await r.json()
