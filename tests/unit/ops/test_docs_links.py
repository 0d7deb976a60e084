"""The docs hold together: README's and CHANGES' links resolve, and every docs page is in the nav.

`mkdocs build --strict` (in `make lint`) checks the links inside docs/; README.md and CHANGES.md
are outside the site, so their relative links (and anchors into docs pages) are checked here.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path
from typing import Iterator, List, Set, Tuple

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[3]
DOCS = ROOT / "docs"
LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)")
FENCE = re.compile(r"^\s*(```|~~~)")


def prose(path: Path) -> Iterator[str]:
    """The lines of a Markdown file outside fenced code blocks."""
    fenced = False
    for line in path.read_text(encoding="utf-8").splitlines():
        if FENCE.match(line):
            fenced = not fenced
        elif not fenced:
            yield line


def slug(heading: str) -> str:
    """Python-Markdown's default heading id (what MkDocs uses): ASCII, lower case, hyphens."""
    text = re.sub(r"`|\*\*|\[([^\]]*)\]\([^)]*\)", r"\1", heading)
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    text = re.sub(r"[^\w\s-]", "", text).strip().lower()
    return re.sub(r"[-\s]+", "-", text)


def anchors(path: Path) -> Set[str]:
    return {slug(line.lstrip("#")) for line in prose(path) if re.match(r"#{1,6} ", line)}


def relative_links(path: Path) -> List[Tuple[str, str]]:
    """(target, anchor) of every relative link; web, mail and in-page links are left out."""
    found = []
    for line in prose(path):
        for target in LINK.findall(line):
            if re.match(r"[a-z][a-z0-9+.-]*:", target) or target.startswith("#"):
                continue
            file, _, anchor = target.partition("#")
            found.append((file, anchor))
    return found


@pytest.mark.parametrize("name", ["README.md", "CHANGES.md"])
def test_every_relative_link_points_to_an_existing_file(name: str) -> None:
    source = ROOT / name
    links = relative_links(source)
    assert links, f"{name} links nowhere into the repository"
    broken = []
    for file, anchor in links:
        target = (source.parent / file).resolve()
        if not target.exists():
            broken.append(f"{file}: no such file")
        elif anchor and target.suffix == ".md" and anchor not in anchors(target):
            broken.append(f"{file}#{anchor}: no such heading")
    assert not broken, f"{name}: " + "; ".join(broken)


def nav_pages(entries: object) -> Iterator[str]:
    if isinstance(entries, str):
        yield entries
    elif isinstance(entries, list):
        for entry in entries:
            yield from nav_pages(entry)
    elif isinstance(entries, dict):
        for value in entries.values():
            yield from nav_pages(value)


def test_every_docs_page_is_in_the_nav_and_every_nav_entry_exists() -> None:
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    assert config["docs_dir"] == "docs" and config["strict"] is True
    nav = set(nav_pages(config["nav"]))
    pages = {p.relative_to(DOCS).as_posix() for p in DOCS.rglob("*.md")}
    assert pages - nav == set(), "pages missing from mkdocs.yml nav"
    assert nav - pages == set(), "nav entries without a page"


def test_the_readme_names_the_two_commands() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "make run" in readme and "make test" in readme
