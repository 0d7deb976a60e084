"""Stand-ins for the Telegram, Messenger and WhatsApp APIs, for channel unit tests.

Each fake serves the real endpoint paths on 127.0.0.1, checks authentication and
the platform's documented limits (answering 400 like the platform when a limit
is broken), records every call, and can be told to answer the next call(s)
with 429 + Retry-After (or a 5xx) before succeeding.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import time
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any, AsyncIterator, Callable, Dict, List, Tuple

from aiohttp import web
from aiohttp.test_utils import TestServer

from kundendialog.hub.keys import CHANNELS


@dataclass
class Call:
    method: str  # the platform method, e.g. "sendMessage" or "messages"
    body: Dict[str, Any]
    headers: Dict[str, str]
    query: Dict[str, str]
    status: int
    at: float


class FakePlatform:
    def __init__(self) -> None:
        self.calls: List[Call] = []
        self.url = ""
        self._failures: List[Tuple[int, str | None]] = []
        self.app = web.Application()

    def fail_next(self, status: int = 429, retry_after: str | None = "1", times: int = 1) -> None:
        self._failures += [(status, retry_after)] * times

    def delivered(self, method: str | None = None) -> List[Dict[str, Any]]:
        """Bodies the platform accepted (failed attempts excluded)."""
        return [c.body for c in self.calls if c.status == 200 and (method is None or c.method == method)]

    # -- per platform --------------------------------------------------------
    def authorized(self, request: web.Request) -> bool:
        raise NotImplementedError

    def problem(self, method: str, body: Dict[str, Any]) -> str | None:
        """Why the real platform would refuse this body, if it would."""
        raise NotImplementedError

    def success(self, method: str, body: Dict[str, Any]) -> Dict[str, Any]:
        raise NotImplementedError

    def error(self, status: int, message: str, retry_after: str | None = None) -> Dict[str, Any]:
        raise NotImplementedError

    def texts(self) -> List[str]:
        raise NotImplementedError

    # -- shared ----------------------------------------------------------------
    async def handle(self, request: web.Request, method: str) -> web.Response:
        body = await request.json()
        status, answer, headers = 200, None, {}
        if self._failures:
            status, retry_after = self._failures.pop(0)
            answer = self.error(status, "Too Many Requests" if status == 429 else "Internal error", retry_after)
            headers = {"Retry-After": retry_after} if retry_after is not None else {}
        elif not self.authorized(request):
            status, answer = 401, self.error(401, "Unauthorized")
        else:
            why = self.problem(method, body)
            if why:
                status, answer = 400, self.error(400, why)
        self.calls.append(Call(method, body, dict(request.headers), dict(request.query), status, time.monotonic()))
        return web.json_response(answer or self.success(method, body), status=status, headers=headers)


class FakeTelegram(FakePlatform):
    """Bot API: POST /bot<token>/<method>, answers {"ok": true, "result": ...}."""

    def __init__(self, token: str) -> None:
        super().__init__()
        self.token = token
        self.app.router.add_post("/bot{token}/{method}", lambda r: self.handle(r, r.match_info["method"]))

    def authorized(self, request: web.Request) -> bool:
        return request.match_info["token"] == self.token

    def problem(self, method: str, body: Dict[str, Any]) -> str | None:
        if method == "answerCallbackQuery":
            return None if body.get("callback_query_id") else "Bad Request: query is too old"
        if method != "sendMessage" or "chat_id" not in body:
            return "Bad Request: chat not found"
        if not 1 <= len(body.get("text") or "") <= 4096:
            return "Bad Request: message is too long"
        for row in (body.get("reply_markup") or {}).get("inline_keyboard", []):
            for button in row:
                if not 1 <= len(button["callback_data"].encode()) <= 64:
                    return "Bad Request: BUTTON_DATA_INVALID"
        return None

    def success(self, method: str, body: Dict[str, Any]) -> Dict[str, Any]:
        if method == "answerCallbackQuery":
            return {"ok": True, "result": True}
        return {"ok": True, "result": {"message_id": len(self.calls), "chat": {"id": body["chat_id"]},
                                       "date": int(time.time()), "text": body["text"]}}

    def error(self, status: int, message: str, retry_after: str | None = None) -> Dict[str, Any]:
        data: Dict[str, Any] = {"ok": False, "error_code": status, "description": message}
        if retry_after is not None:
            data["parameters"] = {"retry_after": int(retry_after)}
        return data

    def texts(self) -> List[str]:
        return [b["text"] for b in self.delivered("sendMessage")]

    def keyboards(self) -> List[List[List[Dict[str, str]]]]:
        return [b["reply_markup"]["inline_keyboard"] for b in self.delivered("sendMessage") if "reply_markup" in b]


class FakeGraph(FakePlatform):
    """Meta's Graph API errors: {"error": {"message", "type", "code"}}."""

    def error(self, status: int, message: str, retry_after: str | None = None) -> Dict[str, Any]:
        code = {401: 190, 429: 613}.get(status, 100 if status == 400 else 2)
        return {"error": {"message": message, "type": "OAuthException", "code": code, "fbtrace_id": "AbCdEf"}}


class FakeMessenger(FakeGraph):
    """Send API: POST /me/messages with the page token as bearer token (the hub never puts it in the URL)."""

    def __init__(self, page_token: str) -> None:
        super().__init__()
        self.page_token = page_token
        self.app.router.add_post("/me/messages", lambda r: self.handle(r, "messages"))

    def authorized(self, request: web.Request) -> bool:
        return request.headers.get("Authorization") == f"Bearer {self.page_token}" and "access_token" not in request.query

    def problem(self, method: str, body: Dict[str, Any]) -> str | None:
        message = body.get("message") or {}
        if not (body.get("recipient") or {}).get("id") or body.get("messaging_type") != "RESPONSE":
            return "(#100) param recipient must be non-empty."
        if not 1 <= len(message.get("text") or "") <= 2000:
            return "(#100) Length of param message[text] must be less than or equal to 2000"
        quick = message.get("quick_replies") or []
        if len(quick) > 13:
            return "(#100) param message[quick_replies] must have at most 13 elements"
        for reply in quick:
            if reply["content_type"] != "text" or len(reply["title"]) > 20 or len(reply["payload"]) > 1000:
                return "(#100) Invalid quick reply"
        return None

    def success(self, method: str, body: Dict[str, Any]) -> Dict[str, Any]:
        return {"recipient_id": body["recipient"]["id"], "message_id": f"m_{len(self.calls)}"}

    def texts(self) -> List[str]:
        return [b["message"]["text"] for b in self.delivered()]

    def quick_replies(self) -> List[List[Dict[str, str]]]:
        return [b["message"]["quick_replies"] for b in self.delivered() if "quick_replies" in b["message"]]


class FakeWhatsApp(FakeGraph):
    """Cloud API: POST /<phone number id>/messages with a bearer token."""

    def __init__(self, token: str, phone_number_id: str) -> None:
        super().__init__()
        self.token = token
        self.app.router.add_post(f"/{phone_number_id}/messages", lambda r: self.handle(r, "messages"))

    def authorized(self, request: web.Request) -> bool:
        return request.headers.get("Authorization") == f"Bearer {self.token}"

    def problem(self, method: str, body: Dict[str, Any]) -> str | None:
        if body.get("messaging_product") != "whatsapp" or not body.get("to"):
            return "(#100) Invalid parameter"
        if body.get("type") == "text":
            return None if 1 <= len(body["text"]["body"]) <= 4096 else "(#100) text.body too long"
        interactive = body.get("interactive") or {}
        if not 1 <= len(interactive.get("body", {}).get("text", "")) <= 1024:
            return "(#131009) interactive.body.text too long"
        action = interactive.get("action") or {}
        if interactive.get("type") == "button":
            buttons = action.get("buttons") or []
            ok = 1 <= len(buttons) <= 3 and all(
                len(b["reply"]["id"]) <= 256 and 1 <= len(b["reply"]["title"]) <= 20 for b in buttons)
            return None if ok else "(#131009) invalid reply buttons"
        if interactive.get("type") == "list":
            rows = [r for s in action.get("sections") or [] for r in s["rows"]]
            ok = 1 <= len(rows) <= 10 and len(action.get("button", "")) <= 20 and all(
                len(r["id"]) <= 200 and len(r["title"]) <= 24 for r in rows)
            return None if ok else "(#131009) invalid list"
        return "(#100) unsupported message type"

    def success(self, method: str, body: Dict[str, Any]) -> Dict[str, Any]:
        return {"messaging_product": "whatsapp", "contacts": [{"input": body["to"], "wa_id": body["to"]}],
                "messages": [{"id": f"wamid.OUT{len(self.calls)}"}]}

    def texts(self) -> List[str]:
        return [b["text"]["body"] if b["type"] == "text" else b["interactive"]["body"]["text"] for b in self.delivered()]

    def interactives(self) -> List[Dict[str, Any]]:
        return [b["interactive"] for b in self.delivered() if b["type"] == "interactive"]


@asynccontextmanager
async def serving(fake: FakePlatform) -> AsyncIterator[FakePlatform]:
    server = TestServer(fake.app, host="127.0.0.1")
    await server.start_server()
    fake.url = str(server.make_url("")).rstrip("/")
    try:
        yield fake
    finally:
        await server.close()


def meta_signature(raw: bytes, app_secret: str) -> str:
    """The X-Hub-Signature-256 value Meta sends: HMAC-SHA256 of the raw body bytes."""
    return "sha256=" + hmac.new(app_secret.encode(), raw, hashlib.sha256).hexdigest()


async def post_signed(client: Any, path: str, payload: Dict[str, Any], app_secret: str | None) -> Any:
    """POST a webhook event as Meta does (compact JSON, signed); app_secret None sends no signature."""
    raw = json.dumps(payload, separators=(",", ":"), ensure_ascii=False).encode()
    headers = {"Content-Type": "application/json"}
    if app_secret is not None:
        headers["X-Hub-Signature-256"] = meta_signature(raw, app_secret)
    return await client.post(path, data=raw, headers=headers)


async def settle(client: Any) -> None:
    """Wait until every channel has processed its updates and delivered its queued messages."""
    for channel in client.app[CHANNELS].values():
        await asyncio.wait_for(channel.drain(), 10)


async def wait_for(condition: Callable[[], bool], timeout: float = 5.0) -> None:
    """Poll until a condition on recorded calls holds (for deliveries started outside a channel)."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"condition not met within {timeout:.1f}s")
        await asyncio.sleep(0.02)
