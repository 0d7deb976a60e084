"""The help pages as the console lists them: id, title, public URL and topic from each file.

Plain file reading of the pages folder (KD_KNOWLEDGE_DIR): the hub never imports bot.knowledge,
whose index needs the Rasa side's sentence encoder. A page's id is its file name without the
extension, as the knowledge base names it. The one source of truth for a page's title is the list
the knowledge base writes next to its index at every build (KD_KNOWLEDGE_INDEX_DIR/pages.json: the
<h1> of an HTML page, a PDF's document title, as the answers name them). A page not in that list
yet (added since the last build, or no index at all) is read here: Markdown gives title, url and
topic in its YAML front matter, HTML its <title>; anything else (a PDF) is listed under its file
name.
"""

from __future__ import annotations

import html
import json
import re
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Dict, List

import yaml

SUFFIXES = (".md", ".markdown", ".html", ".htm", ".pdf")
PAGES_FILE = "pages.json"  # written by bot.knowledge.index.Index.save
HEAD = 8192  # front matter and <title> are at the top; a large page is not read whole
_TITLE = re.compile(r"<title[^>]*>(.*?)</title>", re.IGNORECASE | re.DOTALL)


@dataclass(frozen=True)
class Page:
    page_id: str
    title: str
    url: str
    topic: str

    def json(self) -> Dict[str, str]:
        return asdict(self)


def front_matter(text: str) -> Dict[str, Any]:
    """The YAML between a leading '---' line and the next; {} when there is none or it is broken."""
    lines = text.splitlines()
    if not lines or lines[0].strip() != "---":
        return {}
    for end, line in enumerate(lines[1:], 1):
        if line.strip() in ("---", "..."):
            try:
                data = yaml.safe_load("\n".join(lines[1:end]))
            except yaml.YAMLError:
                return {}
            return data if isinstance(data, dict) else {}
    return {}


def read_page(path: Path) -> Page:
    head = ""
    if path.suffix.lower() != ".pdf":
        with path.open("r", encoding="utf-8", errors="replace") as f:
            head = f.read(HEAD)
    meta: Dict[str, Any] = {}
    if path.suffix.lower() in (".md", ".markdown"):
        meta = front_matter(head)
    elif path.suffix.lower() in (".html", ".htm"):
        found = _TITLE.search(head)
        meta = {"title": " ".join(html.unescape(found.group(1)).split())} if found else {}
    return Page(
        page_id=path.stem,
        title=str(meta.get("title") or path.stem),
        url=str(meta.get("url") or ""),
        topic=str(meta.get("topic") or ""),
    )


def indexed_pages(index_dir: Path | None) -> Dict[str, Page]:
    """The knowledge base's own page list by id; {} when there is none or it is unreadable."""
    if index_dir is None:
        return {}
    try:
        data = json.loads((index_dir / PAGES_FILE).read_text(encoding="utf-8"))
        return {
            str(p["page_id"]): Page(
                str(p["page_id"]),
                str(p["title"]),
                str(p.get("url") or ""),
                str(p.get("topic") or ""),
            )
            for p in data["pages"]
        }
    except (OSError, ValueError, KeyError, TypeError):
        return {}


def read_pages(folder: Path, index_dir: Path | None = None) -> Dict[str, Page]:
    """Every page in the folder (and below it) by id, named as the index names it where it has
    been indexed; a missing folder has none (a removed page is not listed, even if indexed)."""
    if not folder.is_dir():
        return {}
    indexed = indexed_pages(index_dir)
    pages: Dict[str, Page] = {}
    for path in sorted(folder.rglob("*")):
        if path.is_file() and path.suffix.lower() in SUFFIXES and not path.name.startswith("."):
            page = indexed.get(path.stem) or read_page(path)
            pages.setdefault(page.page_id, page)
    return pages


def page_list(pages: Dict[str, Page]) -> List[Dict[str, str]]:
    return [p.json() for p in sorted(pages.values(), key=lambda p: (p.topic, p.title.lower()))]
