"""Passages: one per heading, tables as readable lines, inline Markdown removed."""

from bot.knowledge.pages import Page
from bot.knowledge.passages import split_page, table_lines


def page(markdown: str) -> Page:
    return Page("seite", "Titel", "https://x.example/seite", "thema", markdown)


def test_split_at_headings_with_stable_ids_and_context():
    passages = split_page(
        page(
            "Einleitung.\n\n## Versand\n\nWir liefern.\n\n## Kosten\n\n### Deutschland\n\n4,95 Euro."
        )
    )
    assert [(p.passage_id, p.heading) for p in passages] == [
        ("seite#1", "Titel"),
        ("seite#2", "Versand"),
        ("seite#3", "Deutschland"),  # "Kosten" has no text of its own
    ]
    assert passages[2].context == "Titel > Kosten > Deutschland"
    assert passages[2].url == "https://x.example/seite" and passages[2].topic == "thema"


def test_a_table_row_reads_on_its_own():
    rows = [
        "| Größe | Brustumfang | Körpergröße |",
        "|---|:---:|---|",
        "| M | 96–100 cm | 176–180 cm |",
    ]
    assert table_lines(rows) == ["Größe M: Brustumfang 96–100 cm, Körpergröße 176–180 cm"]


def test_tables_lists_and_inline_markdown_in_a_passage():
    (passage,) = split_page(
        page(
            "## Größen\n\nMessen Sie **genau** den [Brustumfang](https://x/y).\n\n"
            "| Größe | Brustumfang |\n|---|---|\n| M | 96–100 cm |\n| L | 100–106 cm |\n\n"
            "- erstens `so`\n- zweitens *so*\n"
        )
    )
    assert passage.lines == [
        "Messen Sie genau den Brustumfang.",
        "Größe M: Brustumfang 96–100 cm",
        "Größe L: Brustumfang 100–106 cm",
        "erstens so",
        "zweitens so",
    ]


def test_a_long_section_becomes_several_passages_under_its_heading():
    text = "\n\n".join(f"Absatz {i} " + "Wort " * 60 for i in range(10))
    passages = split_page(page(f"## Lang\n\n{text}"))
    assert len(passages) > 1
    assert {p.heading for p in passages} == {"Lang"}
    assert all(len(p.text) <= 1200 + 400 for p in passages)
