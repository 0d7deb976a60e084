"""PDF pages (the AGB, a care leaflet): the text of each page via pypdf, headings guessed.

A PDF has no headings as such; a short line that looks like one ("§ 3 Widerrufsrecht",
"4. Gewährleistung", a line without a full stop followed by text) starts a passage.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import List

from bot.knowledge.pages import Page, PageError

_HEADING = re.compile(r"^(§\s*\d+[a-z]?\b.*|\d{1,2}(\.\d{1,2})*\.?\s+[A-ZÄÖÜ][^.!?:]{2,70})$")


def pdf_markdown(text: str) -> str:
    """Extracted PDF text as Markdown: heading-like lines become '##', wrapped lines rejoin."""
    out: List[str] = []
    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            out.append("")
        elif _HEADING.match(line) and len(line) <= 80:
            out.extend(["", f"## {line}", ""])
        else:
            out.append(line)
    return re.sub(r"\n{3,}", "\n\n", "\n".join(out)).strip()


def pdf_page(path: Path) -> Page:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(str(path))
        text = "\n\n".join(page.extract_text() or "" for page in reader.pages)
        meta = reader.metadata
    except (PdfReadError, OSError, ValueError) as error:
        raise PageError(f"{path}: not a readable PDF: {error}") from error
    title = str(meta.title).strip() if meta is not None and meta.title else ""
    markdown = pdf_markdown(text)
    if not title:
        title = next((line.strip() for line in text.splitlines() if line.strip()), path.stem)
    return Page(page_id=path.stem, title=title, url="", topic="", markdown=markdown)
