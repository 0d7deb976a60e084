"""The shop menu paths the canned replies name must be the ones the help pages name (issue 22).

A reply once sent customers to „Mein Konto → Einstellungen“ to delete their account while the help page
konto-loeschen says „Mein Konto → Persönliche Daten“. The help pages are the source of truth, so every
„Mein Konto → …“ path quoted in domain.yml or company.yml (any register, any language) must be a path,
or the start of a path, that some help page quotes.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Iterator, List

ROOT = Path(__file__).resolve().parents[3]
PAGES = ROOT / "knowledge" / "pages"
QUOTED_PATH = re.compile(r"„(Mein Konto(?: → [^“→]+)+)“")


def quoted_paths(text: str) -> List[str]:
    return [match.strip() for match in QUOTED_PATH.findall(text)]


def page_paths() -> List[str]:
    return [
        path
        for page in sorted(PAGES.glob("*.md"))
        for path in quoted_paths(page.read_text("utf-8"))
    ]


def canned_paths() -> Iterator[tuple[str, str]]:
    for name in ("domain.yml", "company.yml"):
        for path in quoted_paths((ROOT / name).read_text("utf-8")):
            yield name, path


def known(path: str, documented: List[str]) -> bool:
    return any(page == path or page.startswith(path + " → ") for page in documented)


def test_quoted_path_reads_menu_paths_only():
    text = "unter „Mein Konto → Persönliche Daten“ ganz unten, „Konto löschen“ und „Mein Konto → Bestellungen → X“"
    assert quoted_paths(text) == ["Mein Konto → Persönliche Daten", "Mein Konto → Bestellungen → X"]


def test_a_prefix_of_a_documented_path_is_known_but_a_sibling_is_not():
    documented = [
        "Mein Konto → Bestellungen → Artikel zurücksenden",
        "Mein Konto → Persönliche Daten",
    ]
    assert known("Mein Konto → Bestellungen", documented)
    assert known("Mein Konto → Persönliche Daten", documented)
    assert not known("Mein Konto → Einstellungen", documented)
    assert not known("Mein Konto → Persönliche", documented)


def test_the_help_pages_name_menu_paths():
    assert "Mein Konto → Persönliche Daten" in page_paths()


def test_every_menu_path_in_a_canned_reply_is_one_the_help_pages_name():
    documented = page_paths()
    wrong = [f"{name}: „{path}“" for name, path in canned_paths() if not known(path, documented)]
    assert not wrong, "menu paths no help page names:\n" + "\n".join(wrong)
