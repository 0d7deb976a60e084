"""The help pages as the console lists them: id, title, public URL and topic from each file.

Plain file reading of the pages folder (KD_KNOWLEDGE_DIR): the hub never imports bot.knowledge,
whose index needs the Rasa side's sentence encoder. A page's id is its file name without the
extension, as the knowledge base names it; Markdown pages give title, url and topic in their YAML
front matter, HTML pages their <title>; anything else (a PDF) is listed under its file name.
"""

from __future__ import annotations

import html
import re
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Dict, List

import yaml

SUFFIXES = (".md", ".markdown", ".html", ".htm", ".pdf")
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


def read_pages(folder: Path) -> Dict[str, Page]:
    """Every page in the folder (and below it) by id; a missing folder has none."""
    if not folder.is_dir():
        return {}
    pages: Dict[str, Page] = {}
    for path in sorted(folder.rglob("*")):
        if path.is_file() and path.suffix.lower() in SUFFIXES and not path.name.startswith("."):
            page = read_page(path)
            pages.setdefault(page.page_id, page)
    return pages


def page_list(pages: Dict[str, Page]) -> List[Dict[str, str]]:
    return [p.json() for p in sorted(pages.values(), key=lambda p: (p.topic, p.title.lower()))]
