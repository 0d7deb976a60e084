"""Which files are accepted: decided by their first bytes, never by name or declared type.

A renamed executable ("rechnung.pdf") or an HTML file posing as an image must not be
stored, because agents open these files. Only four formats are accepted (JPEG, PNG,
WebP, PDF); everything else gets a German message and nothing is kept.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.hub.errors import InvalidInput, TooLong, UnsupportedMediaType


@dataclass(frozen=True)
class FileType:
    mime: str
    kind: str  # "image" or "document": how widget, console and platforms show it
    extension: str
    label: str  # German, for the transcript ("[Foto] …")


JPEG = FileType("image/jpeg", "image", "jpg", "Foto")
PNG = FileType("image/png", "image", "png", "Bild")
WEBP = FileType("image/webp", "image", "webp", "Bild")
PDF = FileType("application/pdf", "document", "pdf", "PDF-Dokument")
BY_MIME = {t.mime: t for t in (JPEG, PNG, WEBP, PDF)}
ALLOWED_TEXT = "JPEG, PNG, WebP oder PDF"


def sniff(data: bytes) -> FileType | None:
    """The format the bytes are in, if it is one we accept."""
    if data.startswith(b"\xff\xd8\xff"):
        return JPEG
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if len(data) >= 12 and data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return WEBP
    if data[:1024].lstrip(b"\r\n\t \x00\xef\xbb\xbf").startswith(b"%PDF-"):
        return PDF
    return None


def check_size(size: int, limit: int) -> None:
    if size > limit:
        raise TooLong("file_too_large", f"Die Datei ist zu groß (höchstens {mb(limit)}).")


def checked(data: bytes, limit: int) -> FileType:
    """The type of an upload, or a domain error saying in German what is wrong with it."""
    if not data:
        raise InvalidInput("empty_file", "Die Datei ist leer.")
    check_size(len(data), limit)
    found = sniff(data)
    if found is None:
        raise UnsupportedMediaType(
            "unsupported_file_type",
            f"Diese Datei kann ich nicht annehmen. Erlaubt sind {ALLOWED_TEXT}.",
        )
    if found is PDF and b"%%EOF" not in data[-2048:]:
        raise InvalidInput("damaged_file", "Die PDF-Datei ist beschädigt oder unvollständig.")
    return found


def mb(limit: int) -> str:
    value = limit / (1024 * 1024)
    return f"{value:.0f} MB" if value >= 1 else f"{limit // 1024} KB"


def safe_name(name: str | None, file_type: FileType) -> str:
    """A display name without paths or control characters, ending in the real extension."""
    base = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    base = "".join(c for c in base if c.isprintable() and c not in '<>:"|?*').strip(" .")[:80]
    stem = base.rsplit(".", 1)[0] if "." in base else base
    return f"{stem or 'anhang'}.{file_type.extension}"
