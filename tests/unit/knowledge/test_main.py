"""`python -m bot.knowledge`: build, import-html, search, and a clear error for a bad page."""

from bot.knowledge.__main__ import main
from bot.knowledge.index import Index
from tests.unit.knowledge.test_html import PAGE


def test_build_writes_the_index(pages, tmp_path, capsys):
    assert main(["build", "--pages", str(pages), "--index", str(tmp_path / "index")]) == 0
    assert "5 pages" in capsys.readouterr().out
    index = Index.load(tmp_path / "index")
    assert index is not None and {p.page_id for p in index.passages} == {
        p.stem for p in pages.glob("*.md")
    }


def test_import_html_then_search(tmp_path, capsys):
    (tmp_path / "export").mkdir()
    (tmp_path / "export" / "a.html").write_text(PAGE, encoding="utf-8")
    assert main(["import-html", str(tmp_path / "export"), "--into", str(tmp_path / "pages")]) == 0
    assert "1 pages written" in capsys.readouterr().out
    assert (tmp_path / "pages" / "versand-at.md").exists()


def test_a_broken_page_is_a_clear_error(tmp_path, capsys):
    (tmp_path / "pages").mkdir()
    (tmp_path / "pages" / "kaputt.md").write_text("---\ntitle: [x\n---\n", encoding="utf-8")
    assert main(["build", "--pages", str(tmp_path / "pages"), "--index", str(tmp_path / "i")]) == 1
    assert "kaputt.md" in capsys.readouterr().err
