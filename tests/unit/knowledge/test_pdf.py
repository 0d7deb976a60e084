"""PDF pages: text via pypdf, heading-like lines start passages. The PDF is written here by hand."""

from pathlib import Path
from typing import List

import pytest

from bot.knowledge.pages import PageError, load_page
from bot.knowledge.passages import split_page
from bot.knowledge.pdf import pdf_markdown


def write_pdf(path: Path, lines: List[str], title: str) -> None:
    """A one-page PDF with one text line per entry (Helvetica, WinAnsi: umlauts work)."""

    def text(value: str) -> str:
        raw = value.encode("cp1252").decode("latin-1")
        return raw.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")

    stream = (
        "BT /F1 11 Tf 50 780 Td 14 TL "
        + " ".join(f"({text(line)}) Tj T*" for line in lines)
        + " ET"
    )
    objects = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
        f"<< /Length {len(stream.encode('latin-1'))} >>\nstream\n{stream}\nendstream",
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        f"<< /Title ({text(title)}) >>",
    ]
    out = b"%PDF-1.4\n"
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n{body}\nendobj\n".encode("latin-1")
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R /Info 6 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    path.write_bytes(out)


def test_a_pdf_page_with_title_and_sections(tmp_path):
    write_pdf(
        tmp_path / "agb.pdf",
        [
            "Allgemeine Geschäftsbedingungen",
            "§ 1 Geltungsbereich",
            "Diese AGB gelten für alle Bestellungen im Shop.",
            "§ 2 Vertragsschluss",
            "Der Vertrag kommt mit unserer Versandbestätigung zustande.",
        ],
        title="AGB Beispiel-Shop",
    )
    page = load_page(tmp_path / "agb.pdf")
    assert (page.page_id, page.title, page.url) == ("agb", "AGB Beispiel-Shop", "")
    passages = split_page(page)
    assert [p.heading for p in passages][-2:] == ["§ 1 Geltungsbereich", "§ 2 Vertragsschluss"]
    assert passages[-1].lines == ["Der Vertrag kommt mit unserer Versandbestätigung zustande."]


def test_heading_like_lines_become_headings():
    assert (
        pdf_markdown("4. Gewährleistung\nEs gilt das Gesetz.")
        == "## 4. Gewährleistung\n\nEs gilt das Gesetz."
    )
    assert pdf_markdown("Es gilt das Gesetz. Punkt.") == "Es gilt das Gesetz. Punkt."


def test_a_file_that_is_no_pdf_is_an_error_naming_it(tmp_path):
    (tmp_path / "kaputt.pdf").write_bytes(b"not a pdf at all")
    with pytest.raises(PageError, match="kaputt.pdf"):
        load_page(tmp_path / "kaputt.pdf")
