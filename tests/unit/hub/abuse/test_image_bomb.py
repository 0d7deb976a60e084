"""Threat: a 5 KB palette PNG that declares 6300x6300 pixels made the hub decode and re-encode
40 million pixels on its event loop, freezing every customer and agent for seconds; anyone who can
open a conversation (or write to the shop on Messenger) could repeat it without end (issue 23.1).

The header's pixel count is refused before anything is decoded, what is decoded runs in worker
threads while the hub keeps answering, and files per client (widget) or user (messenger) are rated.
Timings: `make bench-attachments`.
"""

from __future__ import annotations

import asyncio
import functools
import io
import threading
from pathlib import Path
from typing import Any, List

import pytest
from PIL import Image

from bot.hub.keys.dialogue import CONVERSATIONS
from bot.hub.settings import Channels, MessengerSettings
from bot.hub.store.models import Message
from tests.fake_platforms import settle
from tests.unit.hub import test_channel_messenger as fb
from tests.unit.hub.conftest import auth, rows, start

GUARD = 20.0  # seconds: only ends a deadlock (a decoder holding the loop); never reached when fixed


@functools.cache
def palette_png(side: int) -> bytes:
    """A blank palette image: a few KB on the wire, side*side pixels once decoded."""
    out = io.BytesIO()
    Image.new("P", (side, side)).save(out, "PNG")
    return out.getvalue()


@pytest.fixture()
def settings(settings, tmp_path, messenger):
    """Messenger on; three files per client or user per minute (KD_RATE_UPLOAD)."""
    settings.channels = Channels(
        messenger=MessengerSettings(
            page_token=fb.PAGE_TOKEN,
            app_secret=fb.APP_SECRET,
            verify_token=fb.VERIFY_TOKEN,
            api_base=messenger.url,
        )
    )
    settings.attachment_dir = tmp_path / "attachments"
    settings.rate_upload = (3, 60.0)
    return settings


def stored_files(settings) -> List[Path]:
    root = Path(settings.attachment_dir)
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


async def upload(client, conv, data: bytes, name: str = "bild.png"):
    return await client.post(
        f"/api/v1/conversations/{conv['conversation_id']}/attachments",
        data=data,
        params={"name": name},
        headers={**auth(conv), "Content-Type": "application/octet-stream"},
    )


class HeldDecoder:
    """Wraps PIL's Image.open: records the thread each decode runs in and holds the first one until
    the test releases it. Held on the loop thread, it would keep the hub from answering anything."""

    def __init__(self) -> None:
        self.open = Image.open
        self.threads: set[int] = set()
        self.entered = threading.Event()
        self.release = threading.Event()
        self.held_until_released = False

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        self.threads.add(threading.get_ident())
        if not self.entered.is_set():
            self.entered.set()
            self.held_until_released = self.release.wait(GUARD)
        return self.open(*args, **kwargs)


async def test_the_issues_palette_bomb_is_refused_unopened_and_nothing_stored(client, settings):
    conv = await start(client)
    bomb = palette_png(6300)
    assert len(bomb) < 8 * 1024
    resp = await upload(client, conv, bomb)
    body = await resp.json()
    assert resp.status == 422 and body["error"]["code"] == "image_too_large"
    assert "zu viele Pixel" in body["error"]["message"]
    assert stored_files(settings) == [] and await rows(client, Message) == []


async def test_the_hub_answers_while_the_worst_allowed_image_is_decoded(
    client, settings, monkeypatch
):
    """The largest image under the cap is accepted; while its decoder is held, the hub still answers
    a simple request and a customer's message, which a decoder on the loop thread would prevent."""
    held = HeldDecoder()
    monkeypatch.setattr(Image, "open", held)
    conv, other = await start(client), await start(client)
    uploading = asyncio.create_task(upload(client, conv, palette_png(4000)))
    assert await asyncio.to_thread(held.entered.wait, GUARD)
    states = await client.get("/api/v1/states")
    message = await client.post(
        f"/api/v1/conversations/{other['conversation_id']}/messages",
        json={"text": "Hallo"},
        headers=auth(other),
    )
    assert states.status == 200 and message.status == 200
    held.release.set()
    resp = await uploading
    assert held.held_until_released and threading.get_ident() not in held.threads
    assert resp.status == 201, await resp.text()
    meta = (await resp.json())["messages"][0]["custom"]["attachment"]
    assert (meta["width"], meta["height"]) == (1920, 1920)  # stored scaled down


async def test_files_beyond_the_client_rate_are_refused_before_they_are_read(client, settings):
    """Three files a minute per address, whichever conversation they go to; the fourth is a 429."""
    first, second = await start(client), await start(client)
    for conv in (first, first, second):
        assert (await upload(client, conv, palette_png(64))).status == 201
    kept = stored_files(settings)
    resp = await upload(client, second, palette_png(64))
    body = await resp.json()
    assert resp.status == 429 and int(resp.headers["Retry-After"]) >= 1
    assert body["error"]["code"] == "rate_limited" and "Dateien" in body["error"]["message"]
    assert stored_files(settings) == kept


async def test_a_messenger_user_meets_the_same_cap_and_rate(client, messenger, settings):
    """Messenger media takes the same path: the bomb is refused with a notice, and a user's fourth
    file within the minute is not even downloaded."""
    urls = [messenger.host("bomb", palette_png(6300), "image/png")] + [
        messenger.host(f"p{n}", palette_png(64), "image/png") for n in range(3)
    ]
    for n, url in enumerate(urls):
        await fb.deliver(
            client,
            fb.page_event(
                fb.attachment_event(f"m_{n}", {"type": "image", "payload": {"url": url}})
            ),
        )
    await settle(client)
    await client.app[CONVERSATIONS].drain(5)
    texts = messenger.texts()
    assert texts[0].startswith("Diese Datei kann ich leider nicht annehmen")
    assert sum(t.startswith("Danke für das Foto") for t in texts) == 2  # the bomb counted as one
    assert texts[-1].startswith("Sie haben in kurzer Zeit viele Dateien geschickt")
    assert len(messenger.downloads) == 3
    kept = await rows(client, Message, Message.sender == "customer")
    assert sorted(m.custom.get("refused", "") for m in kept) == [
        "",
        "",
        "attachment_refused",
        "upload_limited",
    ]
    assert len([p for p in stored_files(settings) if p.suffix == ".json"]) == 2
