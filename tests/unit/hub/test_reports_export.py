"""CSV exports of the seeded week, parsed back; formula-looking cells are defused; every export is audit-logged."""

from __future__ import annotations

import csv
import io

from bot.hub.keys.store import REPO
from bot.hub.reports.export import CONVERSATION_COLUMNS, MESSAGE_COLUMNS, safe_cell, state_path
from bot.hub.store.models import AuditEntry, Handoff
from tests.unit.hub.conftest import rows
from tests.unit.hub.report_seed import seed
from tests.unit.hub.test_reports import WEEK_QUERY, login


async def export(client, kind: str, query: str = WEEK_QUERY):
    resp = await client.get(
        f"/api/v1/agent/reports/export/{kind}.csv?{query}",
        headers=await login(client, "sina@shop.de"),
    )
    assert resp.status == 200, await resp.text()
    assert resp.headers["Content-Type"].startswith("text/csv")
    assert resp.headers["Content-Disposition"].startswith(
        f'attachment; filename="kundendialog-{kind}-2026-11-16-2026-11-22'
    )
    return list(csv.DictReader(io.StringIO(await resp.text())))


async def test_one_row_per_conversation(client):
    await seed(client.app[REPO])
    table = await export(client, "conversations")
    assert [r["conversation_id"] for r in table] == [
        "C1",
        "C2",
        "C3",
        "C4",
        "C13",
        "C5",
        "C6",
        "C7",
        "C9",
        "C8",
        "C12",
    ]
    assert list(table[0]) == CONVERSATION_COLUMNS
    by_id = {r["conversation_id"]: r for r in table}
    assert by_id["C3"] == {
        "conversation_id": "C3",
        "channel": "whatsapp",
        "started_at": "2026-11-17T14:00:00+01:00",
        "ended_at": "2026-11-17T14:13:00+01:00",
        "state": "bot",
        "state_path": "bot>queued>agent>bot",
        "escalation_reason": "customer_request",
        "wait_seconds": "120",
        "handling_seconds": "600",
        "agent": "Eva",
        "rating": "4",
        "intents": "request_human",
        "messages": "6",
        "tags": "",
    }
    assert by_id["C6"]["state_path"] == "bot>queued>agent>closed" and by_id["C6"]["agent"] == "Tom"
    assert by_id["C6"]["intents"] == "payment_issue affirm"
    assert by_id["C5"]["state_path"] == "bot>queued>closed" and by_id["C5"]["wait_seconds"] == ""
    assert by_id["C5"]["intents"] == "nlu_fallback"  # the repeat is dropped
    assert (
        by_id["C4"]["state_path"] == "bot>ticket>bot"
    )  # a request was recorded, the bot carries on
    assert by_id["C7"]["state_path"] == "bot>queued>callback>bot"
    assert by_id["C12"]["state_path"] == "bot>queued"
    assert by_id["C9"]["messages"] == "0" and by_id["C9"]["ended_at"] == ""
    assert [
        r["conversation_id"]
        for r in await export(client, "conversations", WEEK_QUERY + "&channel=whatsapp")
    ] == ["C3", "C13"]


async def test_one_row_per_message(client):
    await seed(client.app[REPO])
    table = await export(client, "messages")
    assert len(table) == 38 and list(table[0]) == MESSAGE_COLUMNS
    assert (
        table[0]["conversation_id"] == "C10" and table[0]["text"] == "Hallo"
    )  # 00:10 on Monday, first of the week
    assert table[0]["created_at"] == "2026-11-16T00:10:00+01:00"
    assert [r["created_at"] for r in table] == sorted(r["created_at"] for r in table)
    agent = next(r for r in table if r["sender"] == "agent")
    assert (agent["agent"], agent["text"]) == ("Eva", "Hallo, ich bin Eva.")
    button = next(r for r in table if r["button_payload"])
    assert (button["button_payload"], button["intent"], button["confidence"]) == (
        "/affirm",
        "affirm",
        "1.0",
    )
    fallback = next(r for r in table if r["text"] == "blablub xyz")
    assert (fallback["intent"], fallback["top_intent"], fallback["confidence"]) == (
        "nlu_fallback",
        "order_status",
        "0.21",
    )
    assert len(await export(client, "messages", WEEK_QUERY + "&channel=telegram")) == 2
    audit = await rows(client, AuditEntry, AuditEntry.action == "report_export")
    assert [(a.target, a.detail["from"], a.detail["channel"]) for a in audit] == [
        ("messages", "2026-11-16", None),
        ("messages", "2026-11-16", "telegram"),
    ]


def test_cells_a_spreadsheet_would_run_are_defused():
    assert [safe_cell(v) for v in ('=HYPERLINK("x")', "+49 30", "-1", "@SUM", "ok", 5)] == [
        '\'=HYPERLINK("x")',
        "'+49 30",
        "'-1",
        "'@SUM",
        "ok",
        5,
    ]


def test_state_path_of_a_conversation_handed_over_twice():
    first = Handoff(state="done", claimed_at=object(), outcome="bot")
    second = Handoff(state="done", claimed_at=object(), outcome="closed")
    assert state_path([first, second], "closed") == "bot>queued>agent>bot>queued>agent>closed"
    assert state_path([], "closed") == "bot>closed"
