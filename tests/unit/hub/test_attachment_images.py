"""Re-encoding images is bounded and off the event loop (issue 23.1). What is deterministic is checked
here: the work runs in worker threads, at most `workers` at once, a full queue is a 429; the header's
pixel count is checked before anything is decoded; a large JPEG is decoded at a reduced scale; nothing
is encoded twice (`optimize`). The latency figures are `make bench-attachments` (bench/attachments.py);
the request sequences against the hub are tests/unit/hub/abuse/test_image_bomb.py."""

from __future__ import annotations

import asyncio
import io
import threading
from typing import Any, List, Tuple

import pytest
from PIL import Image, ImageFile, JpegImagePlugin

from bot.hub.attachments import images
from bot.hub.attachments.images import MAX_PIXELS, MAX_SIDE, ImagePool, draft_scale, reencode
from bot.hub.attachments.validate import JPEG, PNG, WEBP, FileType
from bot.hub.errors import InvalidInput, RateLimited

GUARD = 20.0  # seconds: only ends a deadlock; never reached when the pool works


def encoded(image: Image.Image, fmt: str, **options: Any) -> bytes:
    out = io.BytesIO()
    image.save(out, fmt, **options)
    return out.getvalue()


class HeldReencode:
    """Stands in for images.reencode: records the threads and how many run at once, and holds every
    call until released."""

    def __init__(self) -> None:
        self.threads: set[int] = set()
        self.active = self.most = self.calls = 0
        self.release = threading.Event()
        self._changed = threading.Condition()

    def __call__(self, data: bytes, file_type: FileType) -> images.Encoded:
        with self._changed:
            self.threads.add(threading.get_ident())
            self.active += 1
            self.calls += 1
            self.most = max(self.most, self.active)
            self._changed.notify_all()
        try:
            assert self.release.wait(GUARD)
            return images.Encoded(data, data, 1, 1)
        finally:
            with self._changed:
                self.active -= 1

    def wait_active(self, count: int) -> bool:
        with self._changed:
            return self._changed.wait_for(lambda: self.active >= count, GUARD)


async def test_the_pool_works_in_threads_at_most_n_at_once_and_refuses_beyond_its_queue(
    monkeypatch,
):
    held = HeldReencode()
    monkeypatch.setattr(images, "reencode", held)
    pool = ImagePool(workers=2, queue_limit=3)
    try:
        tasks = [asyncio.create_task(pool.reencode(b"x", PNG)) for _ in range(5)]
        assert await asyncio.to_thread(held.wait_active, 2)  # the loop runs meanwhile
        with pytest.raises(RateLimited) as refused:  # 2 working + 3 waiting: the sixth is refused
            await pool.reencode(b"x", PNG)
        assert refused.value.code == "images_busy" and refused.value.retry_after >= 1
        held.release.set()
        assert len(await asyncio.gather(*tasks)) == 5
    finally:
        held.release.set()
        pool.close()
    assert held.calls == 5 and held.most == 2
    assert threading.get_ident() not in held.threads and len(held.threads) <= 2


async def test_after_a_burst_the_pool_takes_work_again(monkeypatch):
    held = HeldReencode()
    held.release.set()
    monkeypatch.setattr(images, "reencode", held)
    pool = ImagePool(workers=1, queue_limit=0)
    try:
        for _ in range(3):
            await pool.reencode(b"x", PNG)
    finally:
        pool.close()
    assert held.calls == 3 and held.most == 1


def test_the_header_is_checked_before_anything_is_decoded(monkeypatch):
    loads: List[Any] = []
    real_load = ImageFile.ImageFile.load
    monkeypatch.setattr(
        ImageFile.ImageFile, "load", lambda self: loads.append(self) or real_load(self)
    )
    side = 4001  # one row and column past the cap (4000 x 4000 = MAX_PIXELS)
    assert side * side > MAX_PIXELS >= 4000 * 4000
    bomb = encoded(Image.new("P", (side, side)), "PNG")
    with pytest.raises(InvalidInput) as refused:
        reencode(bomb, PNG)
    assert refused.value.code == "image_too_large" and loads == []


def test_pillows_own_bomb_limit_is_a_clear_error_too(monkeypatch):
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 1000)
    with pytest.raises(InvalidInput) as refused:
        reencode(encoded(Image.new("RGB", (100, 100)), "PNG"), PNG)
    assert refused.value.code == "image_too_large"


@pytest.mark.parametrize(
    "size,scale", [((4000, 3000), 2), ((1920, 1080), 1), ((8000, 6000), 4), ((3839, 100), 1)]
)
def test_draft_scale_keeps_the_stored_size(size: Tuple[int, int], scale: int):
    assert draft_scale(*size) == scale
    assert scale == 1 or max(size) // scale >= MAX_SIDE


def test_a_large_jpeg_is_decoded_at_half_scale_and_stored_at_max_side(monkeypatch):
    drafts: List[Any] = []
    real_draft = JpegImagePlugin.JpegImageFile.draft

    def draft(self, mode, size):
        drafts.append(size)
        return real_draft(self, mode, size)

    monkeypatch.setattr(JpegImagePlugin.JpegImageFile, "draft", draft)
    photo = encoded(Image.new("RGB", (4000, 3000), (120, 80, 40)), "JPEG", quality=80)
    result = reencode(photo, JPEG)
    assert drafts == [(2000, 1500)]
    assert (result.width, result.height) == (MAX_SIDE, 1440)
    assert Image.open(io.BytesIO(result.data)).size == (MAX_SIDE, 1440)
    assert max(Image.open(io.BytesIO(result.thumbnail)).size) == images.THUMB


@pytest.mark.parametrize("file_type", [JPEG, PNG, WEBP])
def test_nothing_is_encoded_twice(monkeypatch, file_type: FileType):
    options: List[dict] = []
    real_save = Image.Image.save

    def save(self, fp, format=None, **params):  # noqa: A002 - Pillow's own parameter name
        options.append(params)
        return real_save(self, fp, format, **params)

    monkeypatch.setattr(Image.Image, "save", save)
    source = encoded(Image.new("RGB", (64, 48), (10, 20, 30)), images.FORMATS[file_type.mime])
    options.clear()
    reencode(source, file_type)
    assert len(options) == 2 and not any(o.get("optimize") for o in options)
