"""Pages split into passages at their headings; tables become readable lines.

A passage is what the search ranks and what "hat nicht geholfen" steps through: one section of a
page under one heading. A table row becomes one line that reads on its own, with the header
cells as labels ("Größe M: Konfektionsgröße 48–50, Brustumfang 96–102 cm"), so a quoted row
still says what its numbers are.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import List, Tuple

from bot.knowledge.pages import Page

MAX_CHARS = 1200  # a longer section is cut into several passages at paragraph ends
_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_ITEM = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+(.*)$")
_SEPARATOR = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$")
_INLINE = (
    (re.compile(r"!\[[^\]]*\]\([^)]*\)"), ""),  # images
    (re.compile(r"\[([^\]]+)\]\([^)]*\)"), r"\1"),  # links: their text
    (re.compile(r"<[^>\n]+>"), ""),  # inline HTML tags
    (re.compile(r"(\*\*|__)(.+?)\1"), r"\2"),  # bold
    (re.compile(r"(?<![\w*])\*(?!\s)(.+?)(?<!\s)\*(?![\w*])"), r"\1"),  # italics
    (re.compile(r"`([^`]*)`"), r"\1"),  # code
)


@dataclass(frozen=True)
class Passage:
    passage_id: str  # "<page_id>#<n>", n counting from 1 in page order
    page_id: str
    page_title: str
    url: str
    topic: str
    heading: str  # the section's own heading (the page title for text before the first one)
    context: str  # the headings above it, for the index ("Größentabelle Jacken > Herren")
    text: str  # plain text, one paragraph, list item or table row per line

    @property
    def lines(self) -> List[str]:
        return self.text.split("\n")

    def index_text(self) -> str:
        """What is indexed: the page title and headings add the words a section leaves out."""
        return f"{self.context}\n{self.text}"


def plain(text: str) -> str:
    """Inline Markdown removed: what a reader sees."""
    for pattern, replacement in _INLINE:
        text = pattern.sub(replacement, text)
    return re.sub(r"\s+", " ", text).strip()


def _cells(row: str) -> List[str]:
    row = row.strip()
    if row.startswith("|"):
        row = row[1:]
    if row.endswith("|"):
        row = row[:-1]
    return [plain(cell) for cell in row.split("|")]


def table_lines(rows: List[str]) -> List[str]:
    """A Markdown table as one readable line per body row: 'Größe M: Brustumfang 96–100 cm, …'."""
    if len(rows) >= 2 and _SEPARATOR.match(rows[1]):
        header, body = _cells(rows[0]), [r for r in rows[2:] if not _SEPARATOR.match(r)]
    else:
        header, body = [], rows
    lines = []
    for row in body:
        cells = _cells(row)
        if not any(cells):
            continue
        labelled = [
            f"{header[i]} {cell}".strip() if i < len(header) and header[i] else cell
            for i, cell in enumerate(cells)
            if cell
        ]
        lines.append(
            f"{labelled[0]}: {', '.join(labelled[1:])}" if len(labelled) > 1 else labelled[0]
        )
    return lines


def body_lines(markdown: str) -> List[str]:
    """Paragraphs, list items and table rows of a section, one per line, as plain text."""
    lines: List[str] = []
    paragraph: List[str] = []
    table: List[str] = []

    def flush() -> None:
        if paragraph:
            lines.append(plain(" ".join(paragraph)))
            paragraph.clear()
        if table:
            lines.extend(table_lines(table))
            table.clear()

    for raw in markdown.splitlines():
        line = raw.strip()
        if line.startswith("|"):
            if paragraph:
                flush()
            table.append(line)
            continue
        if table:
            flush()
        item = _ITEM.match(raw)
        if not line or line.startswith(("---", "***", "```")):
            flush()
        elif item:
            flush()
            lines.append(plain(item.group(1)))
        elif line.startswith(">"):
            paragraph.append(line.lstrip("> "))
        else:
            paragraph.append(line)
    flush()
    return [line for line in lines if line]


def _sections(page: Page) -> List[Tuple[str, str, List[str]]]:
    """(heading, context, markdown lines) per heading; the text before the first is the title's."""
    sections: List[Tuple[str, str, List[str]]] = []
    path: List[Tuple[int, str]] = []
    heading = page.title
    body: List[str] = []
    context = page.title
    fenced = False
    for line in page.markdown.splitlines():
        if line.strip().startswith("```"):
            fenced = not fenced
        match = None if fenced else _HEADING.match(line)
        if match:
            sections.append((heading, context, body))
            level, heading = len(match.group(1)), plain(match.group(2))
            path = [(lv, h) for lv, h in path if lv < level] + [(level, heading)]
            names = [page.title] + [h for lv, h in path if h != page.title]
            context = " > ".join(dict.fromkeys(names))
            body = []
        else:
            body.append(line)
    sections.append((heading, context, body))
    return sections


def _chunks(lines: List[str]) -> List[List[str]]:
    chunks: List[List[str]] = [[]]
    size = 0
    for line in lines:
        if chunks[-1] and size + len(line) > MAX_CHARS:
            chunks.append([])
            size = 0
        chunks[-1].append(line)
        size += len(line)
    return chunks


def split_page(page: Page) -> List[Passage]:
    """The page's passages in order; sections without text (a heading over subheadings) are skipped."""
    passages: List[Passage] = []
    for heading, context, markdown in _sections(page):
        for chunk in _chunks(body_lines("\n".join(markdown))):
            if not chunk:
                continue
            passages.append(
                Passage(
                    passage_id=f"{page.page_id}#{len(passages) + 1}",
                    page_id=page.page_id,
                    page_title=page.title,
                    url=page.url,
                    topic=page.topic,
                    heading=heading,
                    context=context,
                    text="\n".join(chunk),
                )
            )
    return passages
