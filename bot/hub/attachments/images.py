"""Images are decoded and re-encoded, so nothing but pixels leaves the customer's camera:
EXIF (GPS position, device, time), XMP and comments are dropped, the orientation is applied
to the pixels, and a file that only looks like an image fails to decode.

Decoding is the expensive part, and its cost follows the pixels, not the bytes: a 5 KB palette
PNG can declare 40 million pixels. So the pixel count is checked from the header before
anything is decoded (MAX_PIXELS), a large JPEG is decoded at a reduced scale (libjpeg's DCT
scaling, `draft`), stored images are scaled down to MAX_SIDE, nothing is encoded with
`optimize` (a second pass over all pixels), and the work runs in `ImagePool`: worker threads,
at most KD_IMAGE_CONCURRENCY at once, never on the event loop (Pillow releases the GIL while
it decodes, converts, resizes and encodes, so the loop keeps answering meanwhile).
"""

from __future__ import annotations

import asyncio
import io
import os
import sys
import threading
import warnings
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from PIL import Image, ImageOps

from bot.hub.attachments.validate import FileType
from bot.hub.errors import InvalidInput, RateLimited

MAX_PIXELS = 16_000_000  # declared in the header; a 16 MP photo fits (was 40 MP: a 2 s stall)
MAX_SIDE = 1920  # longest side of a stored image: what an agent's screen shows
THUMB = 320  # longest side of a thumbnail, in pixels
FORMATS = {"image/jpeg": "JPEG", "image/png": "PNG", "image/webp": "WEBP"}
TOO_LARGE = "Das Bild hat zu viele Pixel. Bitte senden Sie es kleiner."


@dataclass(frozen=True)
class Encoded:
    data: bytes
    thumbnail: bytes
    width: int
    height: int


def _save(image: Image.Image, mime: str) -> bytes:
    """One fast encoding pass: no `optimize` (a second pass to shave bytes), PNG at zlib level 1 and
    WebP at method 0 (a noisy 1920x1920 PNG: 0.3 s instead of 1.4 s, and no larger)."""
    out = io.BytesIO()
    fmt = FORMATS[mime]
    if fmt == "JPEG":
        image = image.convert("RGB") if image.mode not in ("RGB", "L") else image
        image.save(out, fmt, quality=88)
    elif fmt == "PNG":
        image.save(out, fmt, compress_level=1)  # no pnginfo: text chunks are not carried over
    else:
        image.save(out, fmt, quality=85, method=0)
    return out.getvalue()


def draft_scale(width: int, height: int) -> int:
    """The largest JPEG reduction (1/2, 1/4, 1/8) that still leaves MAX_SIDE on the longest side."""
    for scale in (8, 4, 2):
        if max(width, height) // scale >= MAX_SIDE:
            return scale
    return 1


def reencode(data: bytes, file_type: FileType) -> Encoded:
    """The image without metadata, at most MAX_SIDE, plus a thumbnail in the same format. Blocking
    and CPU-bound: called through `ImagePool`, never on the event loop."""
    fmt = FORMATS[file_type.mime]
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data), formats=[fmt]) as probe:
                if probe.width * probe.height > MAX_PIXELS:
                    raise InvalidInput("image_too_large", TOO_LARGE)
                probe.verify()
            with Image.open(io.BytesIO(data), formats=[fmt]) as image:
                scale = draft_scale(image.width, image.height) if fmt == "JPEG" else 1
                if scale > 1:  # decoded at 1/scale: a fraction of the work and memory
                    image.draft(None, (max(1, image.width // scale), max(1, image.height // scale)))
                image.load()
                upright = ImageOps.exif_transpose(image)
                if upright.mode not in ("RGB", "RGBA", "L", "LA"):
                    alpha = "A" in upright.getbands() or "transparency" in upright.info
                    upright = upright.convert("RGBA" if alpha else "RGB")
                # in place, never enlarges; a cheap box reduction first, then the fine resampling
                upright.thumbnail((MAX_SIDE, MAX_SIDE), reducing_gap=1.0)
                clean = Image.new(upright.mode, upright.size)
                clean.paste(upright)  # a fresh image: no info dict, no EXIF, no ICC tricks
    except InvalidInput:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise InvalidInput("image_too_large", TOO_LARGE) from None  # Pillow's own limit
    except (OSError, ValueError, SyntaxError):
        raise InvalidInput(
            "damaged_file", "Das Bild ist beschädigt und kann nicht geöffnet werden."
        ) from None
    full = _save(clean, file_type.mime)
    thumb = clean.copy()
    thumb.thumbnail((THUMB, THUMB))
    return Encoded(full, _save(thumb, file_type.mime), clean.width, clean.height)


def _background_priority() -> None:
    """Runs in each image thread: on Linux niceness is per thread, so decoding yields the CPU to
    the event loop (customer turns) instead of competing with it as an equal."""
    if sys.platform.startswith("linux"):
        try:
            os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), 10)
        except OSError:  # not permitted here: run at normal priority
            pass


class ImagePool:
    """Re-encoding off the event loop, bounded: at most `workers` images at once (one thread each),
    at most `queue_limit` more waiting (each holds its upload in memory); beyond that a 429."""

    def __init__(self, workers: int, queue_limit: int) -> None:
        self.workers = max(1, workers)
        self.queue_limit = max(0, queue_limit)
        self._pool: ThreadPoolExecutor | None = None
        self._slots: asyncio.Semaphore | None = None
        self._busy = 0  # images waiting for or holding a slot

    async def reencode(self, data: bytes, file_type: FileType) -> Encoded:
        if self._busy >= self.workers + self.queue_limit:
            raise RateLimited(
                "images_busy",
                "Gerade werden sehr viele Bilder verarbeitet. Bitte senden Sie es gleich noch einmal.",
                2,
            )
        if self._pool is None or self._slots is None:
            self._pool = ThreadPoolExecutor(
                max_workers=self.workers,
                thread_name_prefix="kd-image",
                initializer=_background_priority,
            )
            self._slots = asyncio.Semaphore(self.workers)
        self._busy += 1
        try:
            async with self._slots:
                loop = asyncio.get_running_loop()
                return await loop.run_in_executor(self._pool, reencode, data, file_type)
        finally:
            self._busy -= 1

    def close(self) -> None:
        """Waiting images are dropped; a running one finishes in its thread."""
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = None
