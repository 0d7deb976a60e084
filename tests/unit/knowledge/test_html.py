"""HTML pages and help-centre exports: main text only, as Markdown with front matter."""

from bot.knowledge.html import extract, import_export
from bot.knowledge.pages import load_page
from bot.knowledge.passages import split_page

PAGE = """<!doctype html><html><head><title>Versand nach Österreich | Beispiel-Shop</title>
<link rel="canonical" href="https://shop.example/hilfe/versand-at"></head>
<body><header><nav><a href="/">Start</a><a href="/hilfe">Hilfe</a></nav></header>
<main><h1>Versand nach Österreich</h1><p>Wir liefern <b>zollfrei</b> nach Österreich.</p>
<h2>Kosten</h2><ul><li>bis 50 Euro: 5,95 Euro</li><li>ab 50 Euro: kostenlos</li></ul>
<table><tr><th>Land</th><th>Lieferzeit</th></tr><tr><td>Österreich</td><td>3–5 Werktage</td></tr></table>
<h2>Verwandte Beiträge</h2><ul><li><a href="/hilfe/zoll">Zoll und Steuern</a></li></ul>
<script>track()</script></main>
<aside>Newsletter abonnieren!</aside><footer>Impressum · Datenschutz</footer></body></html>"""


def test_main_text_headings_lists_and_tables():
    title, url, markdown = extract(PAGE)
    assert title == "Versand nach Österreich"
    assert url == "https://shop.example/hilfe/versand-at"
    assert "## Kosten" in markdown and "- ab 50 Euro: kostenlos" in markdown
    assert "Wir liefern zollfrei nach Österreich." in markdown
    for boilerplate in (
        "Start",
        "Newsletter",
        "Impressum",
        "track()",
        "Verwandte",
        "Zoll und Steuern",
    ):
        assert boilerplate not in markdown


def test_title_from_the_title_tag_without_the_shop_name():
    title, url, markdown = extract(
        "<html><head><title>Gutscheine | Shop</title></head><body><p>Text.</p></body></html>"
    )
    assert (title, url, markdown) == ("Gutscheine", "", "Text.")


def test_an_html_file_in_the_pages_folder_is_a_page(tmp_path):
    (tmp_path / "versand-at.html").write_text(PAGE, encoding="utf-8")
    passages = split_page(load_page(tmp_path / "versand-at.html"))
    assert [p.heading for p in passages] == ["Versand nach Österreich", "Kosten"]
    assert "Land Österreich: Lieferzeit 3–5 Werktage" in passages[1].lines


def test_import_writes_markdown_pages_with_front_matter(tmp_path):
    export = tmp_path / "export" / "hilfe"
    export.mkdir(parents=True)
    (export / "index-123.html").write_text(PAGE, encoding="utf-8")
    (export / "leer.html").write_text(
        "<html><body><nav>nur Menü</nav></body></html>", encoding="utf-8"
    )
    written = import_export(tmp_path / "export", tmp_path / "pages")
    assert [p.name for p in written] == ["versand-at.md"]  # the id from the canonical URL
    page = load_page(written[0])
    assert (page.title, page.url) == (
        "Versand nach Österreich",
        "https://shop.example/hilfe/versand-at",
    )
    assert "## Kosten" in page.markdown
