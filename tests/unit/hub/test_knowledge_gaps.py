"""Content gaps of the help pages and the knowledge report, from the bot's `knowledge` blocks, on
SQLite and PostgreSQL through the API; the page list read from front matter."""

from __future__ import annotations

import json
from typing import Any, Dict, List

import pytest
import yaml

from bot.hub.keys.config import SETTINGS
from bot.hub.keys.store import REPO
from bot.hub.learning.pages import front_matter, read_pages
from bot.hub.store.models import Conversation, Message
from bot.shared import wire
from tests.unit.hub.report_seed import seed, utc
from tests.unit.hub.test_reports import WEEK_QUERY, login, report

TENT = {
    "page_id": "pflege-zelt",
    "title": "Zelt pflegen",
    "url": "https://shop.example/hilfe/zelt",
    "passage_id": "pflege-zelt#2",
    "score": 0.8,
}
SEAMS = {**TENT, "passage_id": "pflege-zelt#3", "score": 0.5}
PACKSTATION = {
    "page_id": "versand-packstation",
    "title": "Packstation",
    "url": "https://shop.example/hilfe/packstation",
    "passage_id": "versand-packstation#1",
    "score": 0.9,
}
AGB = {"page_id": "agb", "title": "AGB", "url": "", "passage_id": "agb#1", "score": 0.12}


def page(folder, name: str, title: str, topic: str, url: str = "https://shop.example/x") -> None:
    (folder / name).write_text(
        f"---\ntitle: {title}\nurl: {url}\ntopic: {topic}\n---\n\n# {title}\n\nText.\n",
        encoding="utf-8",
    )


@pytest.fixture()
def pages_dir(tmp_path):
    folder = tmp_path / "pages"
    folder.mkdir()
    page(folder, "pflege-zelt.md", "Zelt pflegen", "pflege")
    page(folder, "versand-packstation.md", "Packstation", "versand")
    page(folder, "agb.md", "AGB", "rechtliches")
    (folder / "alt.html").write_text(
        "<html><head><title>Alte &amp; Seite</title></head></html>", encoding="utf-8"
    )
    (folder / "preise.pdf").write_bytes(b"%PDF-1.4 binary")
    return folder


@pytest.fixture(autouse=True)
def pages_setting(pages_dir, tmp_path, monkeypatch):
    monkeypatch.setenv("KD_KNOWLEDGE_DIR", str(pages_dir))
    monkeypatch.setenv("KD_KNOWLEDGE_INDEX_DIR", str(tmp_path / "index"))


# (conversation, message id, local time, sender, text, knowledge block)
HISTORY: List[tuple] = [
    ("K1", "K1-q", "2026-11-17 10:00:00", "customer", "Wie imprägniere ich mein Zelt?", None),
    (
        "K1",
        "K1-a",
        "2026-11-17 10:00:02",
        "bot",
        "Das steht dazu …",
        wire.knowledge("K1-q", TENT, False),
    ),
    ("K1", "K1-n", "2026-11-17 10:01:00", "customer", "/deny", None),
    (
        "K1",
        "K1-v",
        "2026-11-17 10:01:01",
        "bot",
        None,
        wire.knowledge("K1-q", TENT, False, helpful=False),
    ),
    (
        "K1",
        "K1-b",
        "2026-11-17 10:01:02",
        "bot",
        "Vielleicht …",
        wire.knowledge("K1-q", SEAMS, False, attempt=2),
    ),
    ("K2", "K2-q", "2026-11-18 11:00:00", "customer", "Packstation 100234 geht das?", None),
    (
        "K2",
        "K2-a",
        "2026-11-18 11:00:02",
        "bot",
        "Das steht …",
        wire.knowledge("K2-q", PACKSTATION, False),
    ),
    ("K2", "K2-y", "2026-11-18 11:00:30", "customer", "/affirm", None),
    (
        "K2",
        "K2-v",
        "2026-11-18 11:00:31",
        "bot",
        "Schön …",
        wire.knowledge("K2-q", PACKSTATION, False, helpful=True),
    ),
    ("K3", "K3-q", "2026-11-19 12:00:00", "customer", "Verkauft ihr E-Bikes?", None),
    (
        "K3",
        "K3-a",
        "2026-11-19 12:00:02",
        "bot",
        "Nichts gefunden …",
        wire.knowledge("K3-q", AGB, True),
    ),
    ("K4", "K4-q", "2026-11-19 13:00:00", "customer", "Wie wird das Wetter?", None),
    (
        "K4",
        "K4-a",
        "2026-11-19 13:00:02",
        "bot",
        "Nichts gefunden …",
        wire.knowledge("K4-q", None, True),
    ),
]


async def seeded(client) -> None:
    await seed(client.app[REPO])
    async with client.app[REPO].sessions.begin() as db:
        for conv in sorted({h[0] for h in HISTORY}):
            first = min(utc(h[2]) for h in HISTORY if h[0] == conv)
            db.add(Conversation(id=conv, token_hash="x", channel="webchat", state="bot", meta={},
                                created_at=first, last_customer_at=first))  # fmt: skip
        await db.flush()
        for conv, mid, at, sender, text, custom in HISTORY:
            db.add(Message(id=mid, conversation_id=conv, sender=sender, text=text, buttons=[],
                           custom=custom, created_at=utc(at)))  # fmt: skip


async def gaps(client, headers) -> Dict[str, Any]:
    resp = await client.get(f"/api/v1/agent/learning/knowledge-gaps?{WEEK_QUERY}", headers=headers)
    assert resp.status == 200, await resp.text()
    return await resp.json()


def test_pages_come_from_front_matter_html_titles_and_file_names(pages_dir):
    pages = read_pages(pages_dir)
    assert pages["pflege-zelt"].title == "Zelt pflegen" and pages["pflege-zelt"].topic == "pflege"
    assert pages["alt"].title == "Alte & Seite" and pages["preise"].title == "preise"
    assert front_matter("---\n: [broken\n---\n") == {} and front_matter("# no front matter") == {}
    assert read_pages(pages_dir / "missing") == {}


def test_the_knowledge_base_page_list_names_indexed_pages(pages_dir, tmp_path):
    """pages.json (written by the knowledge base at build) is the source of titles: the HTML
    page's <h1> wins over its <title>; a page added since the build, or a list that is missing
    or broken, falls back to the file; a page listed but removed from the folder is not shown."""
    index = tmp_path / "built"
    index.mkdir()
    listed = [
        {"page_id": "alt", "title": "Alte Seite (h1)", "url": "https://s.de/alt", "topic": "x"},
        {"page_id": "weg", "title": "Entfernt", "url": "", "topic": ""},
    ]
    (index / "pages.json").write_text(json.dumps({"pages": listed}), encoding="utf-8")
    pages = read_pages(pages_dir, index)
    assert pages["alt"].title == "Alte Seite (h1)" and pages["alt"].url == "https://s.de/alt"
    assert pages["pflege-zelt"].title == "Zelt pflegen" and "weg" not in pages
    (index / "pages.json").write_text("{broken", encoding="utf-8")
    assert read_pages(pages_dir, index)["alt"].title == "Alte & Seite"
    assert read_pages(pages_dir, tmp_path / "none")["alt"].title == "Alte & Seite"


async def test_abstentions_and_unhelpful_answers_are_gaps_by_topic_until_a_page_is_attached(client):
    await seeded(client)
    eva = await login(client, "eva@shop.de")
    found = await gaps(client, eva)
    by_topic = {g["topic"]: g for g in found["groups"]}
    assert set(by_topic) == {"pflege", "rechtliches", ""}  # K2 was helpful: no gap
    tent = by_topic["pflege"]["items"]
    assert [(i["message_id"], i["kind"]) for i in tent] == [
        ("K1-q", "unhelpful")
    ]  # once per question
    assert tent[0]["text"] == "Wie imprägniere ich mein Zelt?" and "conversation_id" not in tent[0]
    assert by_topic["rechtliches"]["items"][0]["page"] == {
        "page_id": "agb",
        "title": "AGB",
        "url": "https://shop.example/x",
    }
    assert by_topic[""]["items"][0]["page"] is None and found["count"] == 3
    assert {p["page_id"] for p in found["pages"]} == {
        "pflege-zelt",
        "versand-packstation",
        "agb",
        "alt",
        "preise",
    }

    body = {"message_id": "K3-q", "page_id": "versand-packstation"}
    resp = await client.post("/api/v1/agent/learning/knowledge-cases", headers=eva, json=body)
    assert resp.status == 403  # attaching is for supervisors
    sina = await login(client, "sina@shop.de")
    assert "conversation_id" in (await gaps(client, sina))["groups"][0]["items"][0]
    resp = await client.post("/api/v1/agent/learning/knowledge-cases", headers=sina, json=body)
    assert resp.status == 200, await resp.text()
    assert (await resp.json())["case"]["pages"] == ["versand-packstation"]
    cases = yaml.safe_load(client.app[SETTINGS].knowledge_cases_file.read_text(encoding="utf-8"))
    assert cases["questions"][0]["q"] == "Verkauft ihr E-Bikes?"
    assert (
        cases["questions"][0]["kind"] == "abstained"
        and cases["questions"][0]["source"] == "console"
    )
    assert (
        cases["questions"][0]["split"] in ("dev", "test")
        and cases["questions"][0]["id"] == "c-K3-q"
    )
    assert "K3-q" not in {
        i["message_id"] for g in (await gaps(client, sina))["groups"] for i in g["items"]
    }

    bad = [
        ({"message_id": "K4-q", "page_id": "gibt-es-nicht"}, 404),
        ({"message_id": "K" * 41, "page_id": "agb"}, 422),
        ({"message_id": "nope", "page_id": "agb"}, 404),
        ({"message_id": "K4-a", "page_id": "agb"}, 404),  # a bot message is no question
        ({"page_id": "agb"}, 422),
    ]
    for wrong, status in bad:
        resp = await client.post("/api/v1/agent/learning/knowledge-cases", headers=sina, json=wrong)
        assert resp.status == status, (wrong, await resp.text())


async def test_a_question_with_an_order_number_is_written_masked(client):
    await seeded(client)
    sina = await login(client, "sina@shop.de")
    body = {"message_id": "K2-q", "page_id": "versand-packstation"}
    assert (
        await client.post("/api/v1/agent/learning/knowledge-cases", headers=sina, json=body)
    ).status == 200
    cases = yaml.safe_load(client.app[SETTINGS].knowledge_cases_file.read_text(encoding="utf-8"))
    assert cases["questions"][0]["q"] == "Packstation [Bestellnummer] geht das?"


async def test_the_report_counts_answers_verdicts_abstentions_and_top_pages(client):
    await seeded(client)
    figures = await report(client, "knowledge")
    assert (
        figures["answers"],
        figures["helpful"],
        figures["unhelpful"],
        figures["abstentions"],
    ) == (3, 1, 1, 2)
    assert figures["helpful_rate"] == 0.5 and figures["answer_rate"] == 0.6
    assert [
        (p["page_id"], p["answers"], p["helpful"], p["unhelpful"]) for p in figures["top_pages"]
    ] == [
        ("pflege-zelt", 2, 0, 1),
        ("versand-packstation", 1, 1, 0),
    ]
    days = {d["day"]: d for d in figures["per_day"]}
    assert days["2026-11-17"]["answers"] == 2 and days["2026-11-19"]["abstentions"] == 2
    resp = await client.get(f"/api/v1/agent/reports/knowledge?{WEEK_QUERY}&svg=true",
                            headers=await login(client, "sina@shop.de"))  # fmt: skip
    charts = (await resp.json())["charts"]
    assert (
        set(charts) == {"knowledge_per_day", "top_pages"} and "Zelt pflegen" in charts["top_pages"]
    )
    assert (await report(client, "knowledge", f"{WEEK_QUERY}&channel=whatsapp"))["answers"] == 0
