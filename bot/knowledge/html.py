"""HTML help pages and whole help-centre exports, reduced to their main text as Markdown.

selectolax (the Lexbor HTML5 parser) reads the page; the main text is the page's <main>,
<article> or role="main" element (else the body) without navigation, header, footer, sidebars,
forms and scripts. Headings, paragraphs, list items and tables are written as Markdown, so an
HTML page is split into passages exactly like a Markdown one.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import List, Tuple

from selectolax.lexbor import LexborHTMLParser, LexborNode

from bot.knowledge.pages import Page, front_matter

MAIN = ("main", "article", "[role=main]", "#content", ".content")
BOILERPLATE = "script, style, noscript, template, nav, header, footer, aside, form, button, svg, iframe, [role=navigation], [role=banner], [role=contentinfo], [aria-hidden=true]"
_HEADINGS = {f"h{n}": n for n in range(1, 7)}
_BLOCKS = {"p", "li", "table", "pre", "blockquote", "dt", "dd"} | set(_HEADINGS)
_SPACE = re.compile(r"\s+")
_TITLE_SUFFIX = re.compile(r"\s+[|–—-]\s+[^|–—-]+$")  # "Versand | Waldmann Outdoor"


def _text(node: LexborNode) -> str:
    return _SPACE.sub(" ", node.text(deep=True, separator="")).strip()


def _table(node: LexborNode) -> List[str]:
    rows = []
    for row in node.css("tr"):
        cells = [_text(c).replace("|", "/") for c in row.css("th, td")]
        if any(cells):
            rows.append("| " + " | ".join(cells) + " |")
    if len(rows) > 1:
        width = rows[0].count("|") - 1
        rows.insert(1, "|" + "---|" * width)
    return rows


def _only_a_link(item: LexborNode) -> bool:
    links = item.css("a")
    return len(links) == 1 and _text(links[0]) == _text(item)


def _blocks(node: LexborNode, out: List[str]) -> None:
    """Markdown blocks of the node's subtree, in document order."""
    for child in node.iter(include_text=True):
        tag = child.tag
        if tag == "-text":
            text = _SPACE.sub(" ", child.text_content or "").strip()
            if text:
                out.append(text)
        elif tag in _HEADINGS:
            text = _text(child)
            if text:
                out.append("#" * _HEADINGS[tag] + " " + text)
        elif tag == "table":
            out.append("\n".join(_table(child)))
        elif tag == "li" and _only_a_link(child):
            continue  # "Verwandte Beiträge", "Siehe auch": links to other pages, no answer
        elif tag == "li":
            nested = child.css_first("ul, ol")
            if nested is not None:
                items: List[str] = []
                _blocks(nested, items)
                nested.decompose()
            out.append("- " + _text(child))
            if nested is not None:
                out.extend(items)
        elif tag in _BLOCKS:
            text = _text(child)
            if text:
                out.append(text)
        elif tag in ("br", "hr", "img"):
            continue
        else:
            _blocks(child, out)


def _level(block: str) -> int:
    return len(block) - len(block.lstrip("#")) if block.startswith("#") else 0


def _without_empty_sections(blocks: List[str]) -> List[str]:
    """Headings with nothing under them (their links were dropped) are dropped too."""
    kept: List[str] = []
    for block in reversed(blocks):
        level = _level(block)
        following = _level(kept[-1]) if kept else 1
        if level and following and following <= level:
            continue
        kept.append(block)
    return kept[::-1]


def main_node(tree: LexborHTMLParser) -> LexborNode | None:
    for selector in MAIN:
        node = tree.css_first(selector)
        if node is not None and _text(node):
            return node
    return tree.body


def extract(html: str) -> Tuple[str, str, str]:
    """(title, canonical URL, Markdown of the main text) of an HTML page."""
    tree = LexborHTMLParser(html)
    canonical = tree.css_first("link[rel=canonical]")
    url = (canonical.attributes.get("href") or "") if canonical is not None else ""
    node = main_node(tree)
    h1 = node.css_first("h1") if node is not None else None
    title_tag = tree.css_first("title")
    title = _text(h1) if h1 is not None else ""
    if not title and title_tag is not None:
        title = _TITLE_SUFFIX.sub("", _text(title_tag))
    out: List[str] = []
    if node is not None:
        for junk in node.css(BOILERPLATE):
            junk.decompose()
        _blocks(node, out)
    markdown = "\n\n".join(_without_empty_sections([block for block in out if block.strip()]))
    return title, url.strip(), markdown


def html_page(path: Path) -> Page:
    """An HTML file in the pages folder, read like the importer reads it."""
    title, url, markdown = extract(path.read_text(encoding="utf-8", errors="replace"))
    return Page(page_id=path.stem, title=title or path.stem, url=url, topic="", markdown=markdown)


def slug(text: str) -> str:
    """A file-name-safe id: lower case, umlauts spelled out, words joined by '-'."""
    text = text.lower().replace("ä", "ae").replace("ö", "oe").replace("ü", "ue").replace("ß", "ss")
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-") or "seite"


def import_export(source: Path, into: Path) -> List[Path]:
    """Every HTML page of a help-centre export as a Markdown page with front matter in `into`.

    The page id comes from the canonical URL's last path segment (else the file name); a page
    without main text is skipped. Existing pages of the same id are replaced (re-import updates).
    """
    if not source.is_dir():
        raise FileNotFoundError(f"{source}: not a folder")
    into.mkdir(parents=True, exist_ok=True)
    written: List[Path] = []
    for path in sorted([*source.rglob("*.html"), *source.rglob("*.htm")]):
        title, url, markdown = extract(path.read_text(encoding="utf-8", errors="replace"))
        if not markdown:
            continue
        name = (
            slug(url.rstrip("/").rsplit("/", 1)[-1].rsplit(".", 1)[0]) if url else slug(path.stem)
        )
        target = into / f"{name}.md"
        if target in written:
            target = into / f"{name}-{len(written)}.md"
        meta = {"title": title or path.stem, "url": url}
        if not markdown.lstrip().startswith("# "):
            markdown = f"# {meta['title']}\n\n{markdown}"
        target.write_text(front_matter(meta) + markdown + "\n", encoding="utf-8")
        written.append(target)
    return written
