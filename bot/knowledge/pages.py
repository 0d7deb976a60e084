"""A help page as the knowledge base reads it, from Markdown with front matter, HTML or PDF.

Operators drop files into the pages folder (KD_KNOWLEDGE_DIR); nothing is programmed. A page's id
is its file name without the extension, so passage ids stay stable while the file keeps its name.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, List, Sequence, Tuple

import yaml

SUFFIXES = (".md", ".markdown", ".html", ".htm", ".pdf")


class PageError(ValueError):
    """A page file that cannot be read (the message names the file and what is wrong)."""


@dataclass(frozen=True)
class Page:
    page_id: str  # the file stem, e.g. "versand-packstation"
    title: str
    url: str  # the page's public URL ("" when unknown)
    topic: str  # optional grouping for reports ("" when not given)
    markdown: str  # the body as Markdown: headings start passages


def page_files(folder: Path) -> List[Path]:
    """The page files in a folder and its subfolders, in a stable order (hidden files skipped)."""
    if not folder.is_dir():
        return []
    return sorted(
        p
        for p in folder.rglob("*")
        if p.suffix.lower() in SUFFIXES
        and p.is_file()
        and not any(part.startswith(".") for part in p.relative_to(folder).parts)
    )


def fingerprint(folder: Path, salt: str = "") -> str:
    """A cheap fingerprint of the folder: names, sizes and modification times (no file is read)."""
    digest = hashlib.sha1(salt.encode())
    for path in page_files(folder):
        stat = path.stat()
        digest.update(f"{path.relative_to(folder)}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()


def split_front_matter(text: str, source: str) -> Tuple[dict, str]:
    """YAML front matter between two '---' lines at the top, and the rest."""
    if not text.startswith("---"):
        return {}, text
    end = text.find("\n---", 3)
    if end < 0:
        raise PageError(f"{source}: front matter opened with '---' but never closed")
    try:
        meta = yaml.safe_load(text[3:end]) or {}
    except yaml.YAMLError as error:
        raise PageError(f"{source}: front matter is not valid YAML: {error}") from error
    if not isinstance(meta, dict):
        raise PageError(f"{source}: front matter must be 'key: value' lines")
    rest = text[end + 4 :]
    return meta, rest[rest.find("\n") + 1 :] if "\n" in rest else ""


def front_matter(meta: dict) -> str:
    """Front matter lines for a page written by the importer."""
    return "---\n" + yaml.safe_dump(meta, allow_unicode=True, sort_keys=False) + "---\n\n"


def _markdown_page(path: Path) -> Page:
    text = path.read_text(encoding="utf-8")
    meta, body = split_front_matter(text, str(path))
    title = str(meta.get("title") or "").strip() or _first_heading(body) or path.stem
    return Page(
        page_id=path.stem,
        title=title,
        url=str(meta.get("url") or "").strip(),
        topic=str(meta.get("topic") or "").strip(),
        markdown=body,
    )


def _first_heading(markdown: str) -> str:
    for line in markdown.splitlines():
        if line.startswith("#"):
            return line.lstrip("#").strip()
    return ""


def load_page(path: Path) -> Page:
    """One page file, whatever its kind."""
    suffix = path.suffix.lower()
    if suffix in (".md", ".markdown"):
        return _markdown_page(path)
    if suffix in (".html", ".htm"):
        from bot.knowledge.html import html_page

        return html_page(path)
    if suffix == ".pdf":
        from bot.knowledge.pdf import pdf_page

        return pdf_page(path)
    raise PageError(f"{path}: not a page ({', '.join(SUFFIXES)})")


def load_pages(paths: Sequence[Path]) -> List[Page]:
    """Every page; a file that cannot be read is an error naming it (an operator fixes it)."""
    pages = [load_page(path) for path in paths]
    seen: Dict[str, Path] = {}
    for page, path in zip(pages, paths):
        if page.page_id in seen:
            raise PageError(f"{path}: page id {page.page_id!r} is also {seen[page.page_id]}")
        seen[page.page_id] = path
    return pages
