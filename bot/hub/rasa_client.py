"""The hub's only way to talk to Rasa: hub channel, NLU parse, tracker events.

With several Rasa workers (KD_RASA_WORKERS or a comma-separated KD_RASA_URL),
every call about one conversation goes to the same worker, chosen by a stable
hash of the conversation id: its tracker lock (in memory unless Redis is
configured) and its in-flight turn live in that process. Workers share the
tracker store, so a conversation still survives a worker restart, and while its
worker is down (it refuses connections) its calls go to the next worker, which
reads the tracker from the store (bot/rasa_plugins/tracker_store.py checks the
newest row) and so keeps the conversation's context.
"""

from __future__ import annotations

import asyncio
import itertools
import zlib
from typing import Any, Dict, List, Sequence

import aiohttp

from bot.shared import wire


class RasaUnavailable(Exception):
    """Rasa did not answer in time or answered with an error; the message stays pending."""


class WorkerDown(RasaUnavailable):
    """The worker refused the connection: nothing was sent, nothing of ours runs there."""


class RasaClient:
    def __init__(
        self, base_urls: str | Sequence[str], token: str = "", timeout: float = 15.0
    ) -> None:
        urls = [base_urls] if isinstance(base_urls, str) else list(base_urls)
        self.base_urls = [u.rstrip("/") for u in urls]
        self._round_robin = itertools.cycle(self.base_urls)
        self.token = token
        self.timeout = aiohttp.ClientTimeout(total=timeout)
        self._session: aiohttp.ClientSession | None = None

    @property
    def session(self) -> aiohttp.ClientSession:
        if self._session is None or self._session.closed:
            connector = aiohttp.TCPConnector(limit=200, keepalive_timeout=30)
            self._session = aiohttp.ClientSession(connector=connector, timeout=self.timeout)
        return self._session

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()

    def _params(self, **extra: str) -> Dict[str, str]:
        return {**({"token": self.token} if self.token else {}), **extra}

    def worker(self, sender: str) -> str:
        """The worker that owns this conversation (crc32: the same in every hub process)."""
        return self.workers_for(sender)[0]

    def workers_for(self, sender: str) -> List[str]:
        """The owner first, then the others in a fixed order: where the conversation goes while its
        owner is down (the same in every hub process)."""
        first = zlib.crc32(sender.encode()) % len(self.base_urls)
        return self.base_urls[first:] + self.base_urls[:first]

    async def _owned(
        self, method: str, path: str, sender: str, json: Any = None, **params: str
    ) -> Any:
        """A call about one conversation: to its worker, or to the next one only when the owner refuses
        the connection. A refused connection means the owner is down (killed, restarting), so no turn
        of this conversation runs there; Rasa's lock store (Redis with several hubs) orders the turns
        on the worker that takes over. Any other failure stays the owner's (the message is retried)."""
        *others, last = self.workers_for(sender)
        for base in others:
            try:
                return await self._call(method, path, json, base=base, **params)
            except WorkerDown:
                continue
        return await self._call(method, path, json, base=last, **params)

    async def _call(
        self, method: str, path: str, json: Any = None, base: str | None = None, **params: str
    ) -> Any:
        base = base or next(self._round_robin)
        try:
            async with self.session.request(
                method, base + path, json=json, params=self._params(**params)
            ) as resp:
                if resp.status >= 400:
                    raise RasaUnavailable(
                        f"{method} {path}: HTTP {resp.status} {await resp.text()}"
                    )
                return await resp.json(content_type=None)
        except aiohttp.ClientConnectorError as exc:
            raise WorkerDown(f"{method} {path}: {exc!r}") from exc
        except (
            aiohttp.ClientError,
            asyncio.TimeoutError,
            OSError,
        ) as exc:  # not the builtin on 3.10
            raise RasaUnavailable(f"{method} {path}: {exc!r}") from exc

    async def send(
        self,
        sender: str,
        text: str,
        message_id: str,
        metadata: Dict[str, Any] | None = None,
        retry: bool = False,
    ) -> List[Dict[str, Any]]:
        """A customer message through the hub channel; returns the bot's answers.

        Sending the same `message_id` again with `retry` is safe: Rasa replays the
        answers of a turn it completed. A turn in which a custom action failed was
        reverted by Rasa and counts as not delivered.
        """
        body = {
            "sender": sender,
            "message": text,
            "message_id": message_id,
            "metadata": metadata or {},
            "retry": retry,
        }
        answers = list(await self._owned("POST", "/webhooks/hub/webhook", sender, body) or [])
        failed = wire.failed_actions(answers)
        if failed:
            raise RasaUnavailable(f"custom action failed: {failed}")
        return answers

    async def parse(self, text: str) -> Dict[str, Any]:
        return dict(await self._call("POST", "/model/parse", {"text": text}))

    async def append_events(self, sender: str, events: List[Dict[str, Any]]) -> None:
        await self._owned(
            "POST", f"/conversations/{sender}/tracker/events", sender, events, include_events="NONE"
        )

    async def resume(self, sender: str) -> None:
        """Un-pause a conversation. action_handoff paused it without a trailing
        action_listen, so add one: otherwise the policies would see the next user
        message as following action_handoff and predict nonsense."""
        await self.append_events(
            sender, [{"event": "action", "name": "action_listen"}, {"event": "resume"}]
        )

    async def execute(self, sender: str, action: str) -> List[Dict[str, Any]]:
        result = await self._owned(
            "POST",
            f"/conversations/{sender}/execute",
            sender,
            {"name": action},
            include_events="NONE",
            output_channel="collector",
        )
        return list((result or {}).get("messages") or [])

    async def ready(self) -> bool:
        """Every worker has a model loaded."""
        try:
            for base in self.base_urls:
                status = await self._call("GET", "/status", base=base)
                if not (status.get("model_file") or status.get("model_id")):
                    return False
            return True
        except RasaUnavailable:
            return False
