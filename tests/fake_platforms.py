"""Stand-ins for the Telegram, Messenger and WhatsApp APIs, for channel unit tests.

Each fake serves the real endpoint paths on 127.0.0.1, checks authentication and
the platform's documented limits (answering 400 like the platform when a limit
is broken), records every call, and can be told to answer the next call(s)
with 429 + Retry-After (or a 5xx) before succeeding.

Files: each fake hosts files customers "sent" (`host`) where the real platform
serves them (Telegram getFile + /file/bot<token>/<path>, a Messenger CDN URL,
WhatsApp's GET /<media id> + a download URL that wants the bearer token), and
accepts multipart/form-data uploads (sendPhoto/sendDocument, Send API `filedata`,
WhatsApp /media). A multipart call is recorded with its form fields; a file field
as `Upload`, a JSON-valued field (Messenger's recipient/message) parsed.
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

from aiohttp import BodyPartReader, web
from aiohttp.test_utils import TestServer

from bot.hub.channels import CHANNELS


@dataclass
class Upload:
    filename: str
    content_type: str
    data: bytes


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
        self.app = web.Application(client_max_size=120 * 1024 * 1024)
        self.hosted: Dict[str, Tuple[bytes, str]] = {}  # file id -> (bytes, mime type)
        self.downloads: List[Dict[str, str]] = []  # headers of every file download
        self.declared_size: Dict[
            str, int
        ] = {}  # file id -> the size the platform states, if not the real one

    def host(self, file_id: str, data: bytes, mime: str = "application/octet-stream") -> str:
        """A file a customer sent; its platform reference (Telegram: file_id, WhatsApp: media id)."""
        self.hosted[file_id] = (data, mime)
        return file_id

    def uploads(self) -> List[Upload]:
        """Every file the platform accepted, in order."""
        return [
            v
            for c in self.calls
            if c.status == 200
            for v in c.body.values()
            if isinstance(v, Upload)
        ]

    async def serve_file(self, request: web.Request, file_id: str) -> web.StreamResponse:
        self.downloads.append(dict(request.headers))
        if file_id not in self.hosted:
            return web.json_response(self.error(404, "Not Found"), status=404)
        return web.Response(body=self.hosted[file_id][0], content_type=self.hosted[file_id][1])

    def fail_next(self, status: int = 429, retry_after: str | None = "1", times: int = 1) -> None:
        self._failures += [(status, retry_after)] * times

    def delivered(self, method: str | None = None) -> List[Dict[str, Any]]:
        """Bodies the platform accepted (failed attempts excluded)."""
        return [
            c.body for c in self.calls if c.status == 200 and (method is None or c.method == method)
        ]

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
    @staticmethod
    async def read_body(request: web.Request) -> Dict[str, Any]:
        if not request.content_type.startswith("multipart/"):
            return await request.json()
        body: Dict[str, Any] = {}
        async for part in await request.multipart():
            if not isinstance(part, BodyPartReader) or part.name is None:
                continue
            if part.filename is not None:
                body[part.name] = Upload(
                    part.filename, part.headers.get("Content-Type", ""), await part.read()
                )
                continue
            text = await part.text()
            try:
                body[part.name] = json.loads(text) if text.startswith("{") else text
            except ValueError:
                body[part.name] = text
        return body

    async def handle(self, request: web.Request, method: str) -> web.Response:
        body = await self.read_body(request)
        status, answer, headers = 200, None, {}
        if self._failures:
            status, retry_after = self._failures.pop(0)
            answer = self.error(
                status, "Too Many Requests" if status == 429 else "Internal error", retry_after
            )
            headers = {"Retry-After": retry_after} if retry_after is not None else {}
        elif not self.authorized(request):
            status, answer = 401, self.error(401, "Unauthorized")
        else:
            why = self.problem(method, body)
            if why:
                status, answer = 400, self.error(400, why)
        self.calls.append(
            Call(method, body, dict(request.headers), dict(request.query), status, time.monotonic())
        )
        return web.json_response(
            answer or self.success(method, body), status=status, headers=headers
        )


class FakeTelegram(FakePlatform):
    """Bot API: POST /bot<token>/<method>, answers {"ok": true, "result": ...}."""

    def __init__(self, token: str) -> None:
        super().__init__()
        self.token = token
        self.app.router.add_post(
            "/bot{token}/{method}", lambda r: self.handle(r, r.match_info["method"])
        )
        self.app.router.add_get("/file/bot{token}/{path:.+}", self.file)

    def authorized(self, request: web.Request) -> bool:
        return request.match_info["token"] == self.token

    def file_path(self, file_id: str) -> str:
        return f"photos/file_{list(self.hosted).index(file_id)}.{self.hosted[file_id][1].rsplit('/', 1)[-1]}"

    async def file(self, request: web.Request) -> web.StreamResponse:
        if request.match_info["token"] != self.token:
            return web.json_response(self.error(401, "Unauthorized"), status=401)
        by_path = {self.file_path(f): f for f in self.hosted}
        return await self.serve_file(request, by_path.get(request.match_info["path"], ""))

    def problem(self, method: str, body: Dict[str, Any]) -> str | None:
        if method == "answerCallbackQuery":
            return None if body.get("callback_query_id") else "Bad Request: query is too old"
        if method == "getFile":
            return None if body.get("file_id") in self.hosted else "Bad Request: invalid file_id"
        if method in ("sendPhoto", "sendDocument"):
            field, limit = (
                ("photo", 10 * 1024 * 1024)
                if method == "sendPhoto"
                else ("document", 50 * 1024 * 1024)
            )
            upload = body.get(field)
            if not body.get("chat_id") or not isinstance(upload, Upload):
                return f"Bad Request: there is no {field} in the request"
            if len(upload.data) > limit:
                return "Request Entity Too Large"
            return (
                None
                if len(body.get("caption") or "") <= 1024
                else "Bad Request: message caption is too long"
            )
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
        if method == "getFile":
            file_id = body["file_id"]
            size = self.declared_size.get(file_id, len(self.hosted[file_id][0]))
            return {
                "ok": True,
                "result": {
                    "file_id": file_id,
                    "file_unique_id": f"u{file_id[-6:]}",
                    "file_size": size,
                    "file_path": self.file_path(file_id),
                },
            }
        message: Dict[str, Any] = {
            "message_id": len(self.calls),
            "chat": {"id": int(body["chat_id"])},
            "date": int(time.time()),
        }
        if method == "sendPhoto":
            message["photo"] = [
                {
                    "file_id": f"AgAC{len(self.calls)}",
                    "file_unique_id": "AQAD",
                    "width": 90,
                    "height": 67,
                    "file_size": len(body["photo"].data),
                }
            ]
        elif method == "sendDocument":
            message["document"] = {
                "file_id": f"BQAC{len(self.calls)}",
                "file_unique_id": "AgAD",
                "file_name": body["document"].filename,
                "mime_type": body["document"].content_type,
                "file_size": len(body["document"].data),
            }
        else:
            message["text"] = body["text"]
        if body.get("caption"):
            message["caption"] = body["caption"]
        return {"ok": True, "result": message}

    def error(self, status: int, message: str, retry_after: str | None = None) -> Dict[str, Any]:
        data: Dict[str, Any] = {"ok": False, "error_code": status, "description": message}
        if retry_after is not None:
            data["parameters"] = {"retry_after": int(retry_after)}
        return data

    def texts(self) -> List[str]:
        return [b["text"] for b in self.delivered("sendMessage")]

    def keyboards(self) -> List[List[List[Dict[str, str]]]]:
        return [
            b["reply_markup"]["inline_keyboard"]
            for b in self.delivered("sendMessage")
            if "reply_markup" in b
        ]


class FakeGraph(FakePlatform):
    """Meta's Graph API errors: {"error": {"message", "type", "code"}}."""

    def error(self, status: int, message: str, retry_after: str | None = None) -> Dict[str, Any]:
        code = {401: 190, 429: 613}.get(status, 100 if status == 400 else 2)
        return {
            "error": {
                "message": message,
                "type": "OAuthException",
                "code": code,
                "fbtrace_id": "AbCdEf",
            }
        }


class FakeMessenger(FakeGraph):
    """Send API: POST /me/messages with the page token as bearer token (the hub never puts it in the URL)."""

    def __init__(self, page_token: str) -> None:
        super().__init__()
        self.page_token = page_token
        self.app.router.add_post("/me/messages", lambda r: self.handle(r, "messages"))
        self.app.router.add_get(
            "/cdn/{file_id}/{name}", lambda r: self.serve_file(r, r.match_info["file_id"])
        )

    def host(self, file_id: str, data: bytes, mime: str = "application/octet-stream") -> str:
        """Messenger hands out a signed CDN URL (no token needed) as the attachment's payload.url."""
        super().host(file_id, data, mime)
        name = "photo.jpg" if mime.startswith("image/") else "rechnung.pdf"
        return f"{self.url}/cdn/{file_id}/{name}?_nc_cat=1&oh=00_AfB&oe=6601"

    def authorized(self, request: web.Request) -> bool:
        return (
            request.headers.get("Authorization") == f"Bearer {self.page_token}"
            and "access_token" not in request.query
        )

    def problem(self, method: str, body: Dict[str, Any]) -> str | None:
        message = body.get("message") or {}
        if not (body.get("recipient") or {}).get("id") or body.get("messaging_type") != "RESPONSE":
            return "(#100) param recipient must be non-empty."
        if "attachment" in message:
            attachment, upload = message["attachment"], body.get("filedata")
            if attachment.get("type") not in ("image", "file", "audio", "video") or not isinstance(
                upload, Upload
            ):
                return "(#100) Upload attachment failure."
            return (
                None
                if len(upload.data) <= 25 * 1024 * 1024
                else "(#100) Attachment size exceeds allowable limit"
            )
        if not 1 <= len(message.get("text") or "") <= 2000:
            return "(#100) Length of param message[text] must be less than or equal to 2000"
        quick = message.get("quick_replies") or []
        if len(quick) > 13:
            return "(#100) param message[quick_replies] must have at most 13 elements"
        for reply in quick:
            if (
                reply["content_type"] != "text"
                or len(reply["title"]) > 20
                or len(reply["payload"]) > 1000
            ):
                return "(#100) Invalid quick reply"
        return None

    def success(self, method: str, body: Dict[str, Any]) -> Dict[str, Any]:
        answer = {"recipient_id": body["recipient"]["id"], "message_id": f"m_{len(self.calls)}"}
        if "attachment" in body["message"]:
            answer["attachment_id"] = f"10{len(self.calls)}"
        return answer

    def texts(self) -> List[str]:
        return [b["message"]["text"] for b in self.delivered() if "text" in b["message"]]

    def attachments(self) -> List[Dict[str, Any]]:
        return [
            b["message"]["attachment"] for b in self.delivered() if "attachment" in b["message"]
        ]

    def quick_replies(self) -> List[List[Dict[str, str]]]:
        return [
            b["message"]["quick_replies"]
            for b in self.delivered()
            if "quick_replies" in b["message"]
        ]


class FakeWhatsApp(FakeGraph):
    """Cloud API: POST /<phone number id>/messages with a bearer token."""

    def __init__(self, token: str, phone_number_id: str) -> None:
        super().__init__()
        self.token = token
        self.app.router.add_post(
            f"/{phone_number_id}/messages", lambda r: self.handle(r, "messages")
        )
        self.app.router.add_post(f"/{phone_number_id}/media", lambda r: self.handle(r, "media"))
        self.app.router.add_get("/whatsapp_business/attachments/", self.download)
        self.app.router.add_get("/{media_id}", self.media_url)
        self.media: Dict[str, Upload] = {}  # uploaded media by id

    def authorized(self, request: web.Request) -> bool:
        return request.headers.get("Authorization") == f"Bearer {self.token}"

    async def media_url(self, request: web.Request) -> web.Response:
        """GET /<media id>: where to download a customer's file (the URL is valid for five minutes)."""
        media_id = request.match_info["media_id"]
        if not self.authorized(request):
            return web.json_response(self.error(401, "Unauthorized"), status=401)
        if media_id not in self.hosted:
            return web.json_response(self.error(400, "(#100) Invalid media id"), status=400)
        data, mime = self.hosted[media_id]
        return web.json_response(
            {
                "messaging_product": "whatsapp",
                "id": media_id,
                "mime_type": mime,
                "sha256": hashlib.sha256(data).hexdigest(),
                "file_size": self.declared_size.get(media_id, len(data)),
                "url": f"{self.url}/whatsapp_business/attachments/?mid={media_id}&ext=1700000000&hash=ATtK",
            }
        )

    async def download(self, request: web.Request) -> web.StreamResponse:
        if not self.authorized(request):  # the lookaside URL wants the bearer token as well
            self.downloads.append(dict(request.headers))
            return web.json_response(self.error(401, "Unauthorized"), status=401)
        return await self.serve_file(request, request.query.get("mid", ""))

    def problem(self, method: str, body: Dict[str, Any]) -> str | None:
        if body.get("messaging_product") != "whatsapp":
            return "(#100) Invalid parameter"
        if method == "media":
            upload = body.get("file")
            if not isinstance(upload, Upload) or body.get("type") != upload.content_type:
                return "(#100) Param file must be a file with one of the following types: ..."
            limit = (
                5 * 1024 * 1024
                if upload.content_type in ("image/jpeg", "image/png")
                else 100 * 1024 * 1024
            )
            return (
                None
                if len(upload.data) <= limit
                else "(#131053) Media upload error: file too large"
            )
        if not body.get("to"):
            return "(#100) Invalid parameter"
        if body.get("type") in ("image", "document"):
            media = body[body["type"]]
            if media.get("id") not in self.media:
                return "(#131053) Media upload error: unknown media id"
            if body["type"] == "image" and self.media[media["id"]].content_type not in (
                "image/jpeg",
                "image/png",
            ):
                return "(#131053) Media upload error: unsupported image type"
            return None if len(media.get("caption") or "") <= 1024 else "(#100) caption too long"
        if body.get("type") == "text":
            return None if 1 <= len(body["text"]["body"]) <= 4096 else "(#100) text.body too long"
        interactive = body.get("interactive") or {}
        if not 1 <= len(interactive.get("body", {}).get("text", "")) <= 1024:
            return "(#131009) interactive.body.text too long"
        action = interactive.get("action") or {}
        if interactive.get("type") == "button":
            buttons = action.get("buttons") or []
            ok = 1 <= len(buttons) <= 3 and all(
                len(b["reply"]["id"]) <= 256 and 1 <= len(b["reply"]["title"]) <= 20
                for b in buttons
            )
            return None if ok else "(#131009) invalid reply buttons"
        if interactive.get("type") == "list":
            rows = [r for s in action.get("sections") or [] for r in s["rows"]]
            ok = (
                1 <= len(rows) <= 10
                and len(action.get("button", "")) <= 20
                and all(len(r["id"]) <= 200 and len(r["title"]) <= 24 for r in rows)
            )
            return None if ok else "(#131009) invalid list"
        return "(#100) unsupported message type"

    def success(self, method: str, body: Dict[str, Any]) -> Dict[str, Any]:
        if method == "media":
            media_id = f"{9000000000000000 + len(self.calls)}"
            self.media[media_id] = body["file"]
            return {"id": media_id}
        return {
            "messaging_product": "whatsapp",
            "contacts": [{"input": body["to"], "wa_id": body["to"]}],
            "messages": [{"id": f"wamid.OUT{len(self.calls)}"}],
        }

    def texts(self) -> List[str]:
        return [
            b["text"]["body"] if b["type"] == "text" else b["interactive"]["body"]["text"]
            for b in self.delivered("messages")
            if b["type"] in ("text", "interactive")
        ]

    def interactives(self) -> List[Dict[str, Any]]:
        return [b["interactive"] for b in self.delivered("messages") if b["type"] == "interactive"]

    def files(self) -> List[Dict[str, Any]]:
        """image/document messages, each with the bytes uploaded for its media id."""
        return [
            {**b, "upload": self.media[b[b["type"]]["id"]]}
            for b in self.delivered("messages")
            if b["type"] in ("image", "document")
        ]


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


async def post_signed(
    client: Any, path: str, payload: Dict[str, Any], app_secret: str | None
) -> Any:
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
