"""Search through the API on SQLite and on a real PostgreSQL: German folding, prefixes, the four kinds,
ranking, paging, filters, and the index kept in sync with changed and deleted rows (issue 27.8)."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Dict, List

from sqlalchemy import delete, update

from bot.hub.accounts.agents import create_agent
from bot.hub.keys.store import REPO
from bot.hub.store.models import Conversation, ConversationTag, Message, Tag, Ticket, TicketTag
from tests.unit.hub.conftest import change
from tests.unit.hub.search.seed import conversation


async def login(client, email: str, role: str = "agent") -> Dict[str, str]:
    agent = await create_agent(
        client.app[REPO], email, email.split("@")[0].title(), "geheim123", role
    )
    resp = await client.post("/api/v1/agent/login", json={"email": email, "password": "geheim123"})
    assert resp.status == 200
    return {"Authorization": f"Bearer {(await resp.json())['token']}", "X-Agent-Id": str(agent.id)}


async def find(client, headers: Dict[str, str], q: str, **params: Any) -> Dict[str, Any]:
    resp = await client.get("/api/v1/agent/search", params={"q": q, **params}, headers=headers)
    assert resp.status == 200, await resp.text()
    return await resp.json()


def hits(body: Dict[str, Any]) -> List[tuple]:
    return [(r["kind"], r["conversation_id"]) for r in body["results"]]


async def test_german_folding_and_prefixes_on_both_databases(client):
    boss = await login(client, "sina@shop.de", "supervisor")
    conv = await conversation(
        client, ["Grüße aus der Hauptstraße, Herr Müller hat die Bestellung storniert"]
    )
    await conversation(client, ["Ganz etwas anderes: Rechnung"])
    for q in (
        "hauptstrasse",
        "HAUPTSTRASSE",
        "Hauptstraße",
        "muller",
        "Müll",
        "grusse",
        "bestell",
        "storn best",
    ):
        body = await find(client, boss, q)
        assert hits(body) == [("message", conv["id"])], q
    assert (await find(client, boss, "bestellung rechnung"))[
        "results"
    ] == []  # all words must match
    first = (await find(client, boss, "Bestellung"))["results"][0]
    assert "<mark>Bestellung</mark>" in first["snippet"] and first["sender"] == "customer"


async def test_notes_tickets_and_contact_fields_from_one_box(client):
    boss = await login(client, "sina@shop.de", "supervisor")
    conv = await conversation(
        client,
        ["Hallo"],
        display_name="Jürgen Öztürk",
        external_id="4915112345678",
        notes=["Kunde will Gutschrift statt Ersatz"],
        ticket={
            "contact": "j.oeztuerk@example.de",
            "note": "Rückruf wegen Gutschrift",
            "status": "open",
        },
    )
    kinds = {r["kind"] for r in (await find(client, boss, "gutschrift"))["results"]}
    assert kinds == {"note", "ticket"}
    assert hits(await find(client, boss, "Öztürk", kind="contact")) == [("contact", conv["id"])]
    assert hits(await find(client, boss, "4915112345678")) == [("contact", conv["id"])]
    assert hits(await find(client, boss, "oeztuerk example")) == [("ticket", conv["id"])]
    numbered = await find(client, boss, f"#{conv['ticket']}")
    assert numbered["results"][0]["kind"] == "ticket"
    assert numbered["results"][0]["id"] == str(conv["ticket"])


async def test_customer_text_reaches_the_console_escaped(client):
    boss = await login(client, "sina@shop.de", "supervisor")
    await conversation(client, ['<script>alert("x")</script> Paket beschädigt'])
    snippet = (await find(client, boss, "paket"))["results"][0]["snippet"]
    assert "<script>" not in snippet and "&lt;script&gt;" in snippet
    assert "<mark>Paket</mark>" in snippet


async def test_ranked_and_paged_without_gaps_or_repeats(client):
    boss = await login(client, "sina@shop.de", "supervisor")
    best = await conversation(client, ["Retoure Retoure Retoure"])
    for i in range(24):
        await conversation(
            client, [f"Die Retoure {i} kam an, dazu viele andere Worte über das Wetter und den Tag"]
        )
    pages = [await find(client, boss, "retoure", per_page=10, page=p) for p in (1, 2, 3)]
    assert [p["has_more"] for p in pages] == [True, True, False]
    ids = [r["conversation_id"] for p in pages for r in p["results"]]
    assert len(ids) == 25 == len(set(ids))
    assert ids[0] == best["id"]  # the most matches rank first
    scores = [r["score"] for p in pages for r in p["results"]]
    assert scores == sorted(scores, reverse=True)


async def test_filters_channel_state_date_kind_agent_and_tag(client):
    boss = await login(client, "sina@shop.de", "supervisor")
    tom = await login(client, "tom@shop.de")
    tom_id = int(tom["X-Agent-Id"])
    web = await conversation(client, ["Gutschein einlösen"], at=datetime(2026, 11, 2, 10, 0))
    wa = await conversation(
        client,
        ["Gutschein abgelaufen"],
        channel="whatsapp",
        state="agent",
        assigned=tom_id,
        at=datetime(2026, 11, 20, 10, 0),
    )
    assert set(hits(await find(client, boss, "gutschein"))) == {
        ("message", web["id"]),
        ("message", wa["id"]),
    }
    assert hits(await find(client, boss, "gutschein", channel="whatsapp")) == [
        ("message", wa["id"])
    ]
    assert hits(await find(client, boss, "gutschein", state="bot")) == [("message", web["id"])]
    assert hits(await find(client, boss, "gutschein", agent=tom_id)) == [("message", wa["id"])]
    assert hits(await find(client, boss, "gutschein", **{"from": "2026-11-10"})) == [
        ("message", wa["id"])
    ]
    assert hits(await find(client, boss, "gutschein", to="2026-11-02")) == [("message", web["id"])]
    assert (await find(client, boss, "gutschein", kind="note"))["results"] == []
    async with client.app[REPO].sessions.begin() as db:
        vip, late = Tag(name="VIP"), Tag(name="Verspätung")
        db.add_all([vip, late])
        await db.flush()
    assert (await find(client, boss, "gutschein", tag=vip.id))["results"] == []
    async with client.app[REPO].sessions.begin() as db:
        db.add(ConversationTag(conversation_id=web["id"], tag_id=vip.id))
        ticket = Ticket(conversation_id=wa["id"], status="open", note="Gutschein prüfen")
        db.add(ticket)
        await db.flush()
        db.add(TicketTag(ticket_id=ticket.id, tag_id=late.id))
    assert hits(await find(client, boss, "gutschein", tag=vip.id)) == [("message", web["id"])]
    assert set(hits(await find(client, boss, "gutschein", tag=late.id))) == {
        ("message", wa["id"]),
        ("ticket", wa["id"]),
    }
    assert (await find(client, boss, "gutschein", team="gibt-es-nicht"))["results"] == []


async def test_changed_and_deleted_rows_leave_the_index(client):
    boss = await login(client, "sina@shop.de", "supervisor")
    conv = await conversation(client, ["Meine Kreditkarte 4111"], display_name="Anna Alt")
    await change(
        client, update(Message).where(Message.seq == conv["seqs"][0]).values(text="[gelöscht]")
    )
    await change(
        client,
        update(Conversation).where(Conversation.id == conv["id"]).values(display_name="Berta Neu"),
    )
    assert (await find(client, boss, "kreditkarte"))["results"] == []
    assert hits(await find(client, boss, "geloscht")) == [("message", conv["id"])]
    assert (await find(client, boss, "anna"))["results"] == []
    assert hits(await find(client, boss, "berta")) == [("contact", conv["id"])]
    await change(client, delete(Message).where(Message.conversation_id == conv["id"]))
    await change(client, delete(Conversation).where(Conversation.id == conv["id"]))
    assert (await find(client, boss, "geloscht"))["results"] == []
    assert (await find(client, boss, "berta"))["results"] == []


async def test_a_plain_agent_finds_with_the_same_folding_and_prefixes(client):
    """On SQLite a plain agent's search scans the conversations they may see (kd_match) instead of
    the index: the same words must find the same hits."""
    tom = await login(client, "tom@shop.de")
    mine = await conversation(
        client,
        ["Grüße aus der Hauptstraße, Herr Müller hat die Bestellung storniert"],
        state="agent",
        assigned=int(tom["X-Agent-Id"]),
        display_name="Jürgen Weiß",
        notes=["Kulanz für Müller"],
    )
    await conversation(client, ["Hauptstraße Müller Bestellung"])  # bot-only: not his to see
    for q in ("hauptstrasse", "HAUPTSTRASSE", "Müll", "grusse", "storn best"):
        assert hits(await find(client, tom, q, kind="message")) == [("message", mine["id"])], q
    assert hits(await find(client, tom, "weiss", kind="contact")) == [("contact", mine["id"])]
    assert {r["kind"] for r in (await find(client, tom, "muller"))["results"]} == {
        "message",
        "note",
    }
    assert (await find(client, tom, "bestellung rechnung"))["results"] == []


async def test_postgresql_finds_in_windows_what_one_statement_finds(client, monkeypatch):
    """PostgreSQL with everything visible searches the newest rows first, then the older ones by the
    walk or the GIN index (Search._windowed): the same page as one statement over the whole table,
    whichever way, also when the window alone holds the ranked hits or fewer of them."""
    from bot.hub.search import service
    from bot.hub.search.fold import terms
    from bot.hub.search.index_sql import SOURCES
    from bot.hub.search.scope import Scope
    from bot.hub.search.service import Search, SearchQuery, Window
    from bot.hub.teams import load_teams
    from bot.shared.company import company

    sessions = client.app[REPO].sessions
    async with sessions() as db:
        if db.get_bind().dialect.name == "sqlite":
            return  # SQLite reads its index newest first: one statement
    for i in range(30):
        words = " ".join(["Retoure"] * (1 + i % 4)) if i % 3 else "Wetter"
        await conversation(
            client,
            [f"{words} Nummer {i}", "Paket heute"],
            channel="whatsapp" if i % 2 else "webchat",
        )
    search = Search(sessions, load_teams(company()))
    boss = Scope(1, True, None)
    monkeypatch.setattr(service, "WINDOW", 12)
    for candidates in (4, 9, 2501):
        monkeypatch.setattr(service, "CANDIDATES", candidates)
        for walk_per_hit in (0, 10**9):  # always the GIN index, always the walk
            monkeypatch.setattr(service, "WALK_PER_HIT", walk_per_hit)
            for words, channel in (("retoure", None), ("retoure", "whatsapp"), ("pak", None)):
                q = SearchQuery(terms=tuple(terms(words)), channel=channel)
                async with sessions() as db:
                    statement, params = search._statement(
                        SOURCES["message"], q, boss, False, 6, Window(limit=candidates)
                    )
                    whole = [
                        (r["ref"], r["score"])
                        for r in (await db.execute(statement, params)).mappings()
                    ]
                    windowed = await search._windowed(db, SOURCES["message"], q, boss, 6)
                whole.sort(key=lambda hit: (hit[1], hit[0]), reverse=True)
                assert whole, words
                assert [(r["ref"], r["score"]) for r in windowed] == whole, (
                    candidates,
                    walk_per_hit,
                    words,
                    channel,
                )
