"""Pages: front matter, ids, errors that name the file, the folder fingerprint."""

import os

import pytest

from bot.knowledge.pages import PageError, fingerprint, load_page, load_pages, page_files


def test_markdown_page_with_front_matter(pages):
    page = load_page(pages / "ruecksendung.md")
    assert page.page_id == "ruecksendung"
    assert page.title == "Rücksendung und Erstattung"
    assert page.url == "https://shop.example/hilfe/ruecksendung"
    assert page.topic == "retouren"
    assert page.markdown.lstrip().startswith("# Rücksendung und Erstattung")
    assert "title:" not in page.markdown


def test_title_falls_back_to_the_first_heading(tmp_path):
    (tmp_path / "x.md").write_text("# Versand nach Österreich\n\nText.", encoding="utf-8")
    page = load_page(tmp_path / "x.md")
    assert (page.title, page.url, page.topic) == ("Versand nach Österreich", "", "")


def test_broken_front_matter_names_the_file(tmp_path):
    (tmp_path / "bad.md").write_text("---\ntitle: [unclosed\n---\nText", encoding="utf-8")
    with pytest.raises(PageError, match="bad.md"):
        load_page(tmp_path / "bad.md")
    (tmp_path / "open.md").write_text("---\ntitle: x\n", encoding="utf-8")
    with pytest.raises(PageError, match="never closed"):
        load_page(tmp_path / "open.md")


def test_two_files_with_one_id_are_an_error(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "versand.md").write_text("# A", encoding="utf-8")
    (tmp_path / "versand.md").write_text("# B", encoding="utf-8")
    with pytest.raises(PageError, match="versand"):
        load_pages(page_files(tmp_path))


def test_page_files_skip_hidden_and_other_files(pages):
    (pages / ".entwurf.md").write_text("# Draft", encoding="utf-8")
    (pages / "notizen.txt").write_text("x", encoding="utf-8")
    assert [p.name for p in page_files(pages)] == sorted(p.name for p in pages.glob("[!.]*.md"))


def test_fingerprint_changes_when_a_page_is_added_changed_or_removed(pages):
    first = fingerprint(pages)
    assert fingerprint(pages) == first
    (pages / "neu.md").write_text("# Neu", encoding="utf-8")
    added = fingerprint(pages)
    assert added != first
    os.utime(pages / "neu.md", ns=(1, 1))
    assert fingerprint(pages) != added
    (pages / "neu.md").unlink()
    assert fingerprint(pages) == first
