"""Image uploads vs the event loop (issue 23.1): GET /api/v1/states is timed alone and while the worst
images are uploaded back to back (as many uploaders as KD_IMAGE_CONCURRENCY, so every image worker is
busy), against the real hub app on SQLite with a fake Rasa. `make bench-attachments` prints the
simple request's median and p95 in both cases, each upload's time and the re-encoding alone (one
thread, no HTTP). tests/unit/hub/test_attachment_images.py and tests/unit/hub/abuse/test_image_bomb.py
check the deterministic part (the decoder never on the loop thread, bounded, the cap)."""

from __future__ import annotations

import asyncio
import io
import statistics
import tempfile
import time
from pathlib import Path
from typing import Callable, Dict, List, Tuple

from aiohttp.test_utils import TestClient, TestServer
from PIL import Image

from bench.common import log, table
from bot.hub.app import init_app
from bot.hub.attachments.images import reencode
from bot.hub.attachments.validate import PNG, FileType
from bot.hub.keys.config import SETTINGS
from bot.hub.settings import Settings
from tests.fakes import FakeRasa

PROBES = 200  # simple requests alone
UPLOADS = 6  # per uploader and image


def png(mode: str, side: int, **options: object) -> bytes:
    out = io.BytesIO()
    Image.new(mode, (side, side)).save(out, "PNG", **options)
    return out.getvalue()


def noise_png(side: int) -> bytes:
    out = io.BytesIO()
    Image.effect_noise((side, side), 90).convert("RGBA").save(out, "PNG", compress_level=1)
    return out.getvalue()


IMAGES: Dict[str, Tuple[Callable[[], bytes], FileType]] = {
    "6300x6300 palette PNG (issue 23.1, refused)": (lambda: png("P", 6300), PNG),
    "4000x4000 palette PNG (the cap)": (lambda: png("P", 4000), PNG),
    "4000x4000 RGBA PNG (the cap)": (lambda: png("RGBA", 4000), PNG),
    "1600x1600 RGBA noise PNG (~4 MB)": (lambda: noise_png(1600), PNG),
}


def pct(values: List[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


async def states(client: TestClient) -> float:
    started = time.perf_counter()
    async with client.get("/api/v1/states") as resp:
        await resp.read()
        assert resp.status == 200, resp.status
    return (time.perf_counter() - started) * 1000


async def uploads(client: TestClient, data: bytes, times: List[float]) -> None:
    async with client.post("/api/v1/conversations", json={"channel": "webchat"}) as resp:
        conv = await resp.json()
    path = f"/api/v1/conversations/{conv['conversation_id']}/attachments"
    headers = {"Authorization": f"Bearer {conv['token']}"}
    for _ in range(UPLOADS):
        started = time.perf_counter()
        async with client.post(path, data=data, headers=headers) as resp:
            await resp.read()
            assert resp.status in (201, 422), resp.status
        times.append((time.perf_counter() - started) * 1000)


async def during(
    client: TestClient, data: bytes, uploaders: int
) -> Tuple[List[float], List[float]]:
    """Simple requests, one after the other, for as long as the uploads run."""
    upload_times: List[float] = []
    work = asyncio.gather(*(uploads(client, data, upload_times) for _ in range(uploaders)))
    probes: List[float] = []
    while not work.done():
        probes.append(await states(client))
        await asyncio.sleep(0.005)
    await work
    return probes, upload_times


def reencode_ms(data: bytes, file_type: FileType) -> float:
    runs = []
    for _ in range(3):
        started = time.perf_counter()
        try:
            reencode(data, file_type)
        except Exception:  # noqa: BLE001 - the refused bomb: its refusal is what is timed
            pass
        runs.append((time.perf_counter() - started) * 1000)
    return statistics.median(runs)


async def main() -> None:
    fake = FakeRasa(token="bench-token")
    rasa = TestServer(fake.app, host="127.0.0.1")
    await rasa.start_server()
    rows: List[List[object]] = []
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(
            database_url=f"sqlite:///{Path(tmp) / 'hub.db'}",
            rasa_url=str(rasa.make_url("")).rstrip("/"),
            rasa_token="bench-token",
            retry_interval=3600,
            attachment_dir=Path(tmp) / "attachments",
            rate_conversation=(100_000, 60.0),
            rate_client=(100_000, 60.0),
            rate_upload=(100_000, 60.0),
        )
        client = TestClient(TestServer(init_app(settings), host="127.0.0.1"))
        await client.start_server()
        try:
            uploaders = client.app[SETTINGS].image_concurrency
            for _ in range(20):  # warm-up
                await states(client)
            log("GET /api/v1/states alone")
            alone = [await states(client) for _ in range(PROBES)]
            rows.append(["alone", len(alone), statistics.median(alone), pct(alone, 0.95)])
            for name, (make, file_type) in IMAGES.items():
                data = make()
                log(f"{name}: {len(data)} bytes, {uploaders} uploader(s) x {UPLOADS}")
                probes, times = await during(client, data, uploaders)
                rows.append(
                    [
                        f"during: {name}",
                        len(probes),
                        statistics.median(probes),
                        pct(probes, 0.95),
                        statistics.median(times),
                        await asyncio.to_thread(reencode_ms, data, file_type),
                        round(len(data) / 1024, 1),
                    ]
                )
        finally:
            await client.close()
            await rasa.close()
    headers = [
        "GET /api/v1/states",
        "n",
        "p50 ms",
        "p95 ms",
        "upload p50 ms",
        "re-encode ms",
        "file KB",
    ]
    print(table(headers, [row + [None] * (len(headers) - len(row)) for row in rows]))
    print(f"\nimage workers (KD_IMAGE_CONCURRENCY): {uploaders}, one uploader per worker")


if __name__ == "__main__":
    asyncio.run(main())
