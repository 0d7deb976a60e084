"""Images are decoded and re-encoded, so nothing but pixels leaves the customer's camera:
EXIF (GPS position, device, time), XMP and comments are dropped, the orientation is applied
to the pixels, and a file that only looks like an image fails to decode."""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass

from PIL import Image, ImageOps

from bot.hub.attachments.validate import FileType
from bot.hub.errors import InvalidInput

MAX_PIXELS = 40_000_000  # beyond that a small file can expand to gigabytes (decompression bomb)
THUMB = 320  # longest side of a thumbnail, in pixels
FORMATS = {"image/jpeg": "JPEG", "image/png": "PNG", "image/webp": "WEBP"}


@dataclass(frozen=True)
class Encoded:
    data: bytes
    thumbnail: bytes
    width: int
    height: int


def _save(image: Image.Image, mime: str) -> bytes:
    out = io.BytesIO()
    fmt = FORMATS[mime]
    if fmt == "JPEG":
        image = image.convert("RGB") if image.mode not in ("RGB", "L") else image
        image.save(out, fmt, quality=88, optimize=True)
    elif fmt == "PNG":
        image.save(out, fmt, optimize=True)  # no pnginfo: text chunks are not carried over
    else:
        image.save(out, fmt, quality=85)
    return out.getvalue()


def reencode(data: bytes, file_type: FileType) -> Encoded:
    """The image without metadata, plus a thumbnail in the same format."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as probe:
                if probe.width * probe.height > MAX_PIXELS:
                    raise InvalidInput(
                        "image_too_large",
                        "Das Bild hat zu viele Pixel. Bitte senden Sie es kleiner.",
                    )
                probe.verify()
            with Image.open(io.BytesIO(data)) as image:
                image.load()
                upright = ImageOps.exif_transpose(image)
                if upright.mode not in ("RGB", "RGBA", "L", "LA"):
                    upright = upright.convert(
                        "RGBA" if "A" in upright.getbands() or upright.mode == "P" else "RGB"
                    )
                clean = Image.new(upright.mode, upright.size)
                clean.paste(upright)  # a fresh image: no info dict, no EXIF, no ICC tricks
    except InvalidInput:
        raise
    except (
        OSError,
        ValueError,
        SyntaxError,
        Image.DecompressionBombError,
        Image.DecompressionBombWarning,
    ):
        raise InvalidInput(
            "damaged_file", "Das Bild ist beschädigt und kann nicht geöffnet werden."
        ) from None
    full = _save(clean, file_type.mime)
    thumb = clean.copy()
    thumb.thumbnail((THUMB, THUMB))
    return Encoded(full, _save(thumb, file_type.mime), clean.width, clean.height)
